/**
 * Chart colours come from VS Code's theme variables (read with getComputedStyle), and charts
 * redraw when VS Code switches theme (it changes the body's vscode-light/dark/high-contrast class).
 */

export interface ChartPalette {
  readonly foreground: string;
  readonly grid: string;
  readonly series: readonly string[];
  readonly font: string;
}

const SERIES_VARIABLES = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
];

export function readPalette(): ChartPalette {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const foreground = read('--vscode-foreground', '#cccccc');
  return {
    foreground,
    grid: read('--vscode-editorWidget-border', read('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    series: SERIES_VARIABLES.map((name) => read(name, foreground)),
    font: read('--vscode-font-family', 'sans-serif'),
  };
}

/** Calls `redraw` whenever VS Code changes theme. */
export function onThemeChange(redraw: () => void): void {
  new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

/** A colour with alpha, for fills: works for #rgb/#rrggbb and leaves other syntaxes opaque. */
export function withAlpha(colour: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour);
  if (!hex || !hex[1]) return colour;
  const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join('') : hex[1];
  const value = Number.parseInt(digits, 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}
