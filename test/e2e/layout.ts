/**
 * Window sizes, themes and the "nothing essential is cut off" check for screenshots of webviews.
 * A theme is switched the way a person does it, with the theme picker, which writes the user setting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { poll, type Server } from './harness';

export interface Theme {
  /** The `workbench.colorTheme` value. */
  readonly name: string;
  /** How the theme picker lists it. */
  readonly label: string;
  /** The class VS Code puts on a webview's body: vscode-light or vscode-dark. */
  readonly kind: 'light' | 'dark';
  /** The class on the workbench element. */
  readonly workbenchClass: string;
}

export const THEMES: readonly [Theme, Theme] = [
  { name: 'Default Light Modern', label: 'Light Modern', kind: 'light', workbenchClass: 'vs' },
  { name: 'Default Dark Modern', label: 'Dark Modern', kind: 'dark', workbenchClass: 'vs-dark' },
];

export const SIZES = [
  { width: 1400, height: 900 },
  { width: 700, height: 900 },
] as const;

/**
 * Switches the color theme the way a person does, with Preferences: Color Theme (code-server does
 * not pick up a settings.json rewritten behind its back), and checks that the choice landed in the
 * user settings as `workbench.colorTheme` and on the workbench.
 */
export async function setTheme(page: Page, server: Server, theme: Theme): Promise<void> {
  // Rows are clicked, not entered: Enter would take whichever row the palette ranks first.
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill('>Preferences: Color Theme');
  await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
  await input.fill(theme.label);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label^="${theme.label}"]`).first().click();
  await poll(`the ${theme.name} theme`, async () =>
    (await page.locator('.monaco-workbench').evaluate((workbench, name) => workbench.classList.contains(name), theme.workbenchClass))
      ? true
      : undefined,
  );
  await poll(`workbench.colorTheme = ${theme.name} in the user settings`, async () => {
    const settings = JSON.parse(readFileSync(join(server.userData, 'User/settings.json'), 'utf8')) as Record<string, unknown>;
    return settings['workbench.colorTheme'] === theme.name ? true : undefined;
  });
}

export interface FitOptions {
  /** Containers that must not need a horizontal scroll bar. */
  readonly scrolling?: readonly string[];
  /** Canvases (charts, with their axis titles) that must lie inside the webview's width. */
  readonly canvases?: readonly string[];
}

/**
 * What is cut off, in words (empty when nothing is): any shown element matched by `selectors` reaches past the webview's
 * width or cuts its own text (an ellipsis in a table cell counts: vscode-table cells cut inside
 * their shadow root's wrapper), when a `scrolling` container overflows, or when a canvas sticks out.
 */
export function cutOff(frame: Frame, selectors: readonly string[], options: FitOptions = {}): Promise<string[]> {
  return frame.evaluate(
    ({ selectors, scrolling, canvases }) => {
      const width = document.documentElement.clientWidth;
      const found: string[] = [];
      const name = (element: Element) =>
        `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''} "${(element.textContent ?? '').trim().slice(0, 40)}"`;
      const inside = (element: Element, what: string) => {
        const box = element.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) return false;
        if (box.left < -0.5 || box.right > width + 0.5)
          found.push(`${what} ${name(element)} spans ${box.left.toFixed(0)}–${box.right.toFixed(0)} of ${width} px`);
        return true;
      };
      for (const selector of selectors) {
        const elements = [...document.querySelectorAll(selector)];
        if (elements.length === 0) found.push(`nothing matches ${selector}`);
        for (const element of elements) {
          // A compact (narrow) vscode-table folds its header away and labels each cell instead.
          const table = element.closest('vscode-table') as (Element & { compact?: boolean }) | null;
          if (element.tagName === 'VSCODE-TABLE-HEADER-CELL' && table?.compact) continue;
          if (!inside(element, selector)) continue;
          const wrapper = element.shadowRoot?.querySelector('.wrapper');
          for (const box of [element, wrapper].filter((each): each is Element => each !== null && each !== undefined)) {
            if (box.scrollWidth > box.clientWidth + 1)
              found.push(`${selector} ${name(element)} cuts its text (${box.scrollWidth} > ${box.clientWidth} px)`);
          }
        }
      }
      for (const selector of scrolling) {
        const element = document.querySelector(selector);
        if (element && element.scrollWidth > element.clientWidth + 1)
          found.push(`${selector} scrolls sideways (${element.scrollWidth} > ${element.clientWidth} px)`);
      }
      for (const selector of canvases) {
        const element = document.querySelector(selector);
        if (element) inside(element, selector);
      }
      if (document.documentElement.scrollWidth > width + 1) {
        // Name the innermost elements that stick out, so a failure says what to fix.
        const outside = [...document.body.querySelectorAll('*')].filter(
          (element) =>
            element.getBoundingClientRect().right > width + 1 &&
            ![...element.children].some((child) => child.getBoundingClientRect().right > width + 1),
        );
        found.push(
          `the page scrolls sideways (${document.documentElement.scrollWidth} > ${width} px): ${outside.slice(0, 5).map(name).join(', ')}`,
        );
      }
      return found;
    },
    { selectors, scrolling: options.scrolling ?? [], canvases: options.canvases ?? [] },
  );
}
