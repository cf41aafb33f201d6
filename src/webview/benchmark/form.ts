/**
 * The benchmark form: the variants to compare (modules or crate builds with switches), the
 * export, its arguments and an optional setup export. It edits a draft definition and reports
 * changes through callbacks; the main script owns the state.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import {
  describeFlags,
  NO_FLAGS,
  type BenchmarkDefinition,
  type BuildFlags,
  type ExportChoice,
  type ModuleChoice,
  type VariantSpec,
} from '../../protocol/benchmark';
import { el } from '../shared/dom';
import { argumentProblems, parseArgs } from './arguments';

export interface FormModel {
  readonly draft: BenchmarkDefinition;
  readonly modules: readonly ModuleChoice[];
  /** Exports of the first variant's module; undefined while unknown. */
  readonly exports: readonly ExportChoice[] | undefined;
  readonly exportsError: string | undefined;
  readonly disabled: boolean;
}

export interface FormCallbacks {
  /** `structural` changes need the form rebuilt (a variant added, its kind or module changed). */
  change(draft: BenchmarkDefinition, structural: boolean): void;
}

/** The path whose exports the form lists: the baseline's module or crate. */
export function exportSourcePath(draft: BenchmarkDefinition): string | undefined {
  const first = draft.variants[0];
  if (!first) return undefined;
  return first.kind === 'module' ? first.modulePath : first.manifestPath;
}

export function defaultVariant(
  modules: readonly ModuleChoice[],
  kind: VariantSpec['kind'] = modules[0]?.kind === 'crate' ? 'build' : 'module',
): VariantSpec | undefined {
  if (kind === 'module') {
    const module = modules.find((each) => each.kind === 'wasm');
    return module ? { kind: 'module', label: module.label, modulePath: module.path } : undefined;
  }
  const crate = modules.find((each) => each.kind === 'crate');
  return crate ? { kind: 'build', label: describeFlags(NO_FLAGS), manifestPath: crate.path, flags: NO_FLAGS } : undefined;
}

/** Problems with the setup other than the arguments (those show under their field), in the words the form shows. */
export function setupProblems(draft: BenchmarkDefinition, exports: readonly ExportChoice[] | undefined): string[] {
  const problems: string[] = [];
  if (draft.variants.length === 0) problems.push('Add a module or crate to benchmark.');
  if (draft.exportName.trim() === '') problems.push('Choose an export.');
  const chosen = exports?.find((each) => each.name === draft.exportName);
  if (chosen?.unsupported) problems.push(`${chosen.name} cannot be benchmarked: ${chosen.unsupported}.`);
  const labels = draft.variants.map((variant) => variant.label.trim());
  if (new Set(labels).size !== labels.length) problems.push('Give every variant a different label.');
  return problems;
}

/** Everything that stops a run. */
export function validate(draft: BenchmarkDefinition, exports: readonly ExportChoice[] | undefined): string[] {
  const chosen = exports?.find((each) => each.name === draft.exportName);
  return [...setupProblems(draft, exports), ...argumentProblems(chosen, draft.args)];
}

/** The same measurement: variants (not their labels), export, arguments and setup export. */
export function sameSetup(a: BenchmarkDefinition, b: BenchmarkDefinition): boolean {
  const key = (definition: BenchmarkDefinition) =>
    JSON.stringify([
      definition.variants.map((variant) =>
        variant.kind === 'module' ? [variant.kind, variant.modulePath] : [variant.kind, variant.manifestPath, variant.flags],
      ),
      definition.exportName,
      definition.args,
      definition.setupExport ?? '',
    ]);
  return key(a) === key(b);
}

/**
 * The export the form shows is the one the draft holds: when the module's exports arrive and the
 * draft names none of them, the first one that can be timed is chosen (with zeroed arguments).
 */
export function withListedExport(draft: BenchmarkDefinition, exports: readonly ExportChoice[]): BenchmarkDefinition {
  if (exports.some((each) => each.name === draft.exportName)) return draft;
  const first = exports.find((each) => !each.unsupported);
  return first ? { ...draft, exportName: first.name, args: first.params.map(() => '0') } : draft;
}

export function renderForm(model: FormModel, callbacks: FormCallbacks): HTMLElement {
  const { draft } = model;
  // Edits that do not rebuild the form build on each other: one field's edit must not undo another's.
  let latest = draft;
  const commit = (next: BenchmarkDefinition, structural: boolean) => {
    latest = next;
    callbacks.change(next, structural);
  };
  const update = (patch: Partial<BenchmarkDefinition>, structural = false) => commit({ ...latest, ...patch }, structural);
  const updateVariant = (index: number, variant: VariantSpec, structural: boolean) =>
    update({ variants: latest.variants.map((each, i) => (i === index ? variant : each)) }, structural);

  const variants = el(
    'div',
    { class: 'variants' },
    ...draft.variants.map((variant, index) =>
      variantRow(variant, index, model, {
        change: (next, structural) => updateVariant(index, next, structural),
        remove: () => update({ variants: latest.variants.filter((_, i) => i !== index) }, true),
      }),
    ),
  );
  const addVariant = el(
    'vscode-button',
    { id: 'add-variant', secondary: true, icon: 'add', disabled: model.disabled || model.modules.length === 0 },
    'Add variant',
  );
  addVariant.addEventListener('click', () => {
    const base = latest.variants[latest.variants.length - 1];
    const next = base ? nextVariant(base, latest.variants.length) : defaultVariant(model.modules);
    if (next) update({ variants: [...latest.variants, next] }, true);
  });

  const name = el('vscode-textfield', { id: 'definition-name', value: draft.name, disabled: model.disabled });
  name.addEventListener('input', () => update({ name: name.value }));

  return el(
    'div',
    { class: 'form' },
    field('Name', name),
    el('h3', {}, 'Variants ', el('span', { class: 'hint' }, 'the first is the baseline')),
    variants,
    addVariant,
    el('h3', {}, 'Call'),
    exportField(model, (exportName, structural) => {
      const chosen = model.exports?.find((each) => each.name === exportName);
      const args = chosen ? chosen.params.map((_, i) => latest.args[i] ?? '0') : latest.args;
      update({ exportName, args }, structural);
    }),
    argsField(model, (args) => update({ args })),
    setupField(model, (setupExport) => {
      const { setupExport: _replaced, ...rest } = latest;
      commit(setupExport ? { ...rest, setupExport } : rest, false);
    }),
  );
}

interface VariantCallbacks {
  change(variant: VariantSpec, structural: boolean): void;
  remove(): void;
}

function variantRow(variant: VariantSpec, index: number, model: FormModel, callbacks: VariantCallbacks): HTMLElement {
  const kind = select(
    [
      ['module', 'Built module (.wasm)'],
      ['build', 'Crate build'],
    ],
    variant.kind,
    model.disabled,
  );
  kind.classList.add('variant-kind');
  kind.addEventListener('change', () => {
    const next = defaultVariant(model.modules, kind.value as VariantSpec['kind']);
    if (next) callbacks.change(next, true);
    else kind.value = variant.kind;
  });

  const choices = model.modules.filter((module) => module.kind === (variant.kind === 'module' ? 'wasm' : 'crate'));
  const current = variant.kind === 'module' ? variant.modulePath : variant.manifestPath;
  const source = select(
    choices.map((module) => [module.path, module.label]),
    current,
    model.disabled,
  );
  source.classList.add('variant-source');
  source.addEventListener('change', () => {
    const module = choices.find((each) => each.path === source.value);
    if (!module) return;
    callbacks.change(
      variant.kind === 'module' ? { ...variant, modulePath: module.path, label: module.label } : { ...variant, manifestPath: module.path },
      true,
    );
  });

  const label = el('vscode-textfield', { class: 'variant-label', value: variant.label, disabled: model.disabled, placeholder: 'label' });
  label.addEventListener('input', () => callbacks.change({ ...variant, label: label.value }, false));

  const remove = el('vscode-button', {
    class: 'variant-remove',
    secondary: true,
    icon: 'trash',
    'icon-only': true,
    title: 'Remove variant',
    disabled: model.disabled || index === 0,
  });
  remove.addEventListener('click', () => callbacks.remove());

  return el(
    'div',
    { class: 'variant', 'data-index': String(index) },
    el('span', { class: 'variant-letter' }, String.fromCharCode(65 + (index % 26))),
    kind,
    source,
    variant.kind === 'build'
      ? flagBoxes(variant.flags, model.disabled, (flags) => callbacks.change({ ...variant, flags, label: describeFlags(flags) }, true))
      : null,
    label,
    remove,
  );
}

function flagBoxes(flags: BuildFlags, disabled: boolean, change: (flags: BuildFlags) => void): HTMLElement {
  const box = (key: keyof BuildFlags, text: string) => {
    const checkbox = el('vscode-checkbox', { class: `flag-${key}`, label: text, checked: flags[key], disabled });
    checkbox.addEventListener('change', () => change({ ...flags, [key]: checkbox.checked }));
    return checkbox;
  };
  return el('span', { class: 'flags' }, box('optLevel3', 'opt-level=3'), box('simd128', '+simd128'), box('lto', 'LTO'));
}

function exportField(model: FormModel, change: (exportName: string, structural: boolean) => void): HTMLElement {
  const exports = model.exports;
  if (exports && exports.length > 0) {
    const options = exports.map((each): [string, string] => [
      each.name,
      `${each.name}(${each.params.join(', ')})${each.results.length ? ` → ${each.results.join(', ')}` : ''}`,
    ]);
    // The draft holds a listed export (see withListedExport) unless none can be timed: only then
    // is there nothing selected to show.
    const known = exports.some((each) => each.name === model.draft.exportName);
    const picker = select(known ? options : [['', 'Choose an export'], ...options], known ? model.draft.exportName : '', model.disabled);
    picker.id = 'export-name';
    picker.addEventListener('change', () => change(picker.value, true));
    return field('Export', picker);
  }
  const text = el('vscode-textfield', {
    id: 'export-name',
    value: model.draft.exportName,
    disabled: model.disabled,
    placeholder: 'export name',
  });
  // Run follows the name as it is typed. No rebuild: without a list of exports there are no
  // argument hints to refresh, and a rebuild on blur would take the focus from the next field.
  text.addEventListener('input', () => change(text.value.trim(), false));
  return field('Export', text, model.exportsError ?? (exports ? 'The module exports no functions.' : 'Reading the exports…'));
}

function argsField(model: FormModel, change: (args: string[]) => void): HTMLElement {
  const chosen = model.exports?.find((each) => each.name === model.draft.exportName);
  const text = el('vscode-textfield', {
    id: 'args',
    value: model.draft.args.join(', '),
    disabled: model.disabled || chosen?.params.length === 0,
    placeholder: chosen ? chosen.params.join(', ') || 'no arguments' : 'comma-separated numbers',
  });
  const error = el('div', { id: 'args-error', class: 'field-error', role: 'alert' });
  // Checked on every keystroke, in place: re-rendering the field would lose the cursor.
  const check = (args: readonly string[]) => {
    const problems = argumentProblems(chosen, args);
    error.textContent = problems.join(' ');
    error.hidden = problems.length === 0;
    text.invalid = problems.length > 0;
  };
  check(model.draft.args);
  text.addEventListener('input', () => {
    const args = parseArgs(text.value);
    check(args);
    change(args);
  });
  const box = field(
    'Arguments',
    text,
    chosen && chosen.params.length > 0 ? `Types: ${chosen.params.join(', ')} (i64 as an integer)` : undefined,
  );
  box.append(error);
  return box;
}

function setupField(model: FormModel, change: (setupExport: string | undefined) => void): HTMLElement {
  const candidates = (model.exports ?? []).filter((each) => each.params.length === 0 && each.name !== model.draft.exportName);
  const options: [string, string][] = [['', '(none)'], ...candidates.map((each): [string, string] => [each.name, each.name])];
  if (model.draft.setupExport && !candidates.some((each) => each.name === model.draft.setupExport))
    options.push([model.draft.setupExport, model.draft.setupExport]);
  const picker = select(options, model.draft.setupExport ?? '', model.disabled);
  picker.id = 'setup-export';
  picker.addEventListener('change', () => change(picker.value || undefined));
  return field('Setup export', picker, 'Called once per instance before timing');
}

function select(
  options: readonly (readonly [string, string])[],
  value: string,
  disabled: boolean,
): HTMLElementTagNameMap['vscode-single-select'] {
  const picker = el(
    'vscode-single-select',
    { disabled },
    ...options.map(([optionValue, text]) => el('vscode-option', { value: optionValue, selected: optionValue === value }, text)),
  );
  return picker;
}

function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  return el(
    'div',
    { class: 'field' },
    el('label', { class: 'field-label' }, label),
    control,
    hint ? el('div', { class: 'hint' }, hint) : null,
  );
}

/** A new variant after `base`: the same source, with the next build switch turned on. */
function nextVariant(base: VariantSpec, count: number): VariantSpec {
  if (base.kind === 'module') return { ...base, label: `${base.label} (${count + 1})` };
  const order: (keyof BuildFlags)[] = ['optLevel3', 'simd128', 'lto'];
  const missing = order.find((key) => !base.flags[key]);
  const flags = missing ? { ...base.flags, [missing]: true } : base.flags;
  return { ...base, flags, label: missing ? describeFlags(flags) : `${describeFlags(flags)} (${count + 1})` };
}
