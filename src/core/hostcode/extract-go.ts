/** Facts about wasmtime-go and wazero embeddings in Go source. */
import type { Span } from '../model';
import type {
  CompilationCacheKind,
  ConfigFact,
  EngineFact,
  HostFileFacts,
  ImportFacts,
  InstantiateRewrite,
  ModuleLoadFact,
  SetterCall,
  WazeroInstantiateFact,
  WazeroRuntimeFact,
} from './model';
import {
  argumentsInside,
  configBoundBefore,
  ContextResolver,
  descendants,
  enclosing,
  field,
  HANDLER_NAME,
  indentAt,
  insertionAfter,
  lineEndingOf,
  nextNamedSibling,
  nodeText,
  spanOf,
  type LanguageShape,
} from './syntax';
import type { SyntaxNode } from './tree-sitter';

const WASMTIME_GO = /^github\.com\/bytecodealliance\/wasmtime-go(?:\/v\d+)?$/;
const WAZERO = 'github.com/tetratelabs/wazero';
const MODULE_LOADS = new Set(['NewModule', 'NewModuleFromFile', 'NewModuleDeserialize', 'NewModuleDeserializeFile']);
const FUNCTION_TYPES = new Set(['function_declaration', 'method_declaration']);

const shape: LanguageShape = {
  loopTypes: new Set(['for_statement']),
  functionTypes: FUNCTION_TYPES,
  closureTypes: new Set(['func_literal']),
  callType: 'call_expression',
  functionName: (fn, text) => nodeText(text, field(fn, 'name')),
  calleeName(call, text) {
    const callee = field(call, 'function');
    if (callee?.type === 'identifier') return nodeText(text, callee);
    if (callee?.type === 'selector_expression') return nodeText(text, field(callee, 'field'));
    return undefined;
  },
  handlerReason(fn, text) {
    const name = nodeText(text, field(fn, 'name')) ?? '';
    if (HANDLER_NAME.test(name)) return `\`${name}\` looks like a request handler`;
    if (/http\.ResponseWriter|\*http\.Request/.test(nodeText(text, field(fn, 'parameters')) ?? ''))
      return `\`${name}\` handles HTTP requests`;
    return undefined;
  },
  isWindowsOnly(ancestor, child, text) {
    return (
      ancestor.type === 'if_statement' &&
      child.field === 'consequence' &&
      /^runtime\.GOOS\s*==\s*"windows"$/.test(nodeText(text, field(ancestor, 'condition')) ?? '')
    );
  },
};

function stringContent(text: string, literal: SyntaxNode | undefined): string | undefined {
  const raw = nodeText(text, literal);
  return raw ? raw.replace(/^["`]|["`]$/g, '') : undefined;
}

/** `pkg.Name(...)` as `{ operand: 'pkg', name: 'Name' }`. */
function selectorCall(call: SyntaxNode, text: string): { operand: SyntaxNode; name: string } | undefined {
  const callee = field(call, 'function');
  if (callee?.type !== 'selector_expression') return undefined;
  const operand = field(callee, 'operand');
  const name = nodeText(text, field(callee, 'field'));
  return operand && name ? { operand, name } : undefined;
}

function callArguments(call: SyntaxNode): SyntaxNode[] {
  return field(call, 'arguments')?.children.filter((n) => n.type !== 'comment') ?? [];
}

function enclosingFunction(node: SyntaxNode, root: SyntaxNode): SyntaxNode {
  return enclosing(node, ['function_declaration', 'method_declaration', 'func_literal'], root);
}

/** `SetNativeUnwindInfo` → `native_unwind_info`. */
function settingName(setter: string): string {
  return setter
    .replace(/^Set/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

interface Binding {
  readonly variable: string;
  /** The statement that binds it. */
  readonly statement: SyntaxNode;
}

/** `x := call()`, `x = call()`, `var x = call()` with one name on the left. */
function bindingOf(call: SyntaxNode, text: string): Binding | undefined {
  const list = call.parent;
  if (list?.type !== 'expression_list' || list.children.length !== 1) return undefined;
  const statement = list.parent;
  if (!statement) return undefined;
  if ((statement.type === 'short_var_declaration' || statement.type === 'assignment_statement') && list.field === 'right') {
    const left = field(statement, 'left');
    const name = left?.children.length === 1 && left.children[0]!.type === 'identifier' ? nodeText(text, left.children[0]) : undefined;
    return name ? { variable: name, statement } : undefined;
  }
  if (statement.type === 'var_spec' && list.field === 'value') {
    const names = statement.children.filter((n) => n.field === 'name');
    const name = names.length === 1 ? nodeText(text, names[0]) : undefined;
    const declaration = statement.parent?.type === 'var_declaration' ? statement.parent : statement;
    return name ? { variable: name, statement: declaration } : undefined;
  }
  return undefined;
}

/** Right-hand sides assigned to `variable` in `scope` (and at file level), latest last. */
function assignedValues(variable: string, scope: SyntaxNode, root: SyntaxNode, text: string): SyntaxNode[] {
  const values: SyntaxNode[] = [];
  const scan = (within: SyntaxNode, topLevelOnly: boolean) => {
    const nodes = topLevelOnly ? within.children.flatMap((n) => (n.type === 'var_declaration' ? descendants(n) : [])) : descendants(within);
    for (const node of nodes) {
      if (node.type === 'short_var_declaration' || node.type === 'assignment_statement') {
        const left = field(node, 'left')?.children ?? [];
        const right = field(node, 'right')?.children ?? [];
        left.forEach((target, i) => {
          if (nodeText(text, target) === variable && right[i]) values.push(right[i]);
        });
      } else if (node.type === 'var_spec') {
        const names = node.children.filter((n) => n.field === 'name');
        const right = field(node, 'value')?.children ?? [];
        names.forEach((name, i) => {
          if (nodeText(text, name) === variable && right[i]) values.push(right[i]);
        });
      }
    }
  };
  scan(root, true);
  if (scope !== root) scan(scope, false);
  return values;
}

function importFacts(root: SyntaxNode, text: string): ImportFacts & { wasmtimeName?: string } {
  const imported: string[] = [];
  let wasmtimeName: string | undefined;
  let wazeroName: string | undefined;
  const declarations = root.children.filter((n) => n.type === 'import_declaration');
  for (const spec of declarations.flatMap((d) => descendants(d)).filter((n) => n.type === 'import_spec')) {
    const path = stringContent(text, field(spec, 'path')) ?? '';
    const alias = nodeText(text, field(spec, 'name'));
    const segments = path.split('/');
    const last = /^v\d+$/.test(segments[segments.length - 1] ?? '') ? segments[segments.length - 2] : segments[segments.length - 1];
    const local = alias ?? (WASMTIME_GO.test(path) ? 'wasmtime' : (last ?? path));
    imported.push(local === path ? path : `${local}=${path}`);
    if (WASMTIME_GO.test(path)) wasmtimeName = local;
    if (path === WAZERO) wazeroName = local;
  }
  const last = declarations[declarations.length - 1];
  const group = last ? descendants(last).find((n) => n.type === 'import_spec_list') : undefined;
  const lastSpec = group?.children.filter((n) => n.type === 'import_spec').pop();
  const anchor = lastSpec ?? last ?? root.children.find((n) => n.type === 'package_clause');
  const importInsertion = anchor ? insertionAfter(text, anchor, ['//']) : undefined;
  const importsRuntime = imported.includes('runtime');
  const runtimeTaken = !importsRuntime && descendants(root).some((n) => n.type === 'identifier' && nodeText(text, n) === 'runtime');
  return {
    imported,
    ...(runtimeTaken ? { takenNames: ['runtime'] } : {}),
    ...(wazeroName ? { wazeroName } : {}),
    ...(wasmtimeName ? { wasmtimeName } : {}),
    ...(importInsertion ? { importInsertion } : {}),
    importBlockIsGrouped: lastSpec !== undefined,
  };
}

export function extractGo(path: string, text: string, root: SyntaxNode, hasSyntaxErrors: boolean): HostFileFacts {
  const fileWindowsOnly = /_windows(?:_[a-z0-9]+)?(?:_test)?\.go$/.test(path) || /^\/\/go:build\s+windows(?:\s*&&[^\n]*)?\s*$/m.test(text);
  const { wasmtimeName, ...imports } = importFacts(root, text);
  const testSpans = testFunctions(root, text, imports.imported);
  const importedNames = new Set(imports.imported.map((i) => i.split('=')[0]!.split('/').pop()!));
  const contexts = new ContextResolver(root, text, shape, fileWindowsOnly, testSpans);
  const wazeroName = imports.wazeroName;
  const calls = descendants(root).filter((n) => n.type === 'call_expression');

  const configs: ConfigFact[] = [];
  const configStatements: SyntaxNode[] = [];
  const engines: EngineFact[] = [];
  const moduleLoads: ModuleLoadFact[] = [];
  const wazeroRuntimes: WazeroRuntimeFact[] = [];
  const instantiations: WazeroInstantiateFact[] = [];

  for (const call of calls) {
    const selector = selectorCall(call, text);
    if (!selector) continue;
    const operand = nodeText(text, selector.operand);
    if (wasmtimeName && operand === wasmtimeName && selector.name === 'NewConfig') {
      const binding = bindingOf(call, text);
      const scope = enclosingFunction(call, root);
      const usage = binding ? configUsage(scope, binding, text) : { setters: [], escapes: true, returned: false };
      const insertAfter = binding ? insertionAfter(text, binding.statement, ['//']) : undefined;
      configs.push({
        runtime: 'wasmtime',
        ...(binding ? { variable: binding.variable } : {}),
        span: spanOf(call),
        constructorName: `${wasmtimeName}.NewConfig`,
        setters: usage.setters,
        ...(insertAfter ? { insertAfter } : {}),
        escapes: usage.escapes,
        returned: usage.returned,
        context: contexts.contextOf(call),
      });
      configStatements.push(binding?.statement ?? call);
    }
  }

  for (const call of calls) {
    const selector = selectorCall(call, text);
    if (!selector) continue;
    const operand = nodeText(text, selector.operand);
    if (wasmtimeName && operand === wasmtimeName) {
      if (selector.name === 'NewEngineWithConfig' || selector.name === 'NewEngine') {
        const argument = callArguments(call)[0];
        const configIndex =
          argument?.type === 'identifier'
            ? configBoundBefore(configs, configStatements, nodeText(text, argument), enclosingFunction(call, root), call)
            : undefined;
        const binding = bindingOf(call, text);
        engines.push({
          runtime: 'wasmtime',
          span: spanOf(call),
          ...(configIndex !== undefined ? { configIndex } : {}),
          usesDefaultConfig: selector.name === 'NewEngine',
          ...(binding ? { variable: binding.variable } : {}),
          local: engineStaysLocal(call, binding, root, wasmtimeName, text),
          context: contexts.contextOf(call),
        });
      } else if (MODULE_LOADS.has(selector.name)) {
        const engine = lastName(callArguments(call)[0], text);
        moduleLoads.push({
          runtime: 'wasmtime',
          api: `${wasmtimeName}.${selector.name}`,
          ...(engine ? { engine } : {}),
          span: spanOf(call),
          context: contexts.contextOf(call),
        });
      }
    }
    if (wazeroName && operand === wazeroName && (selector.name === 'NewRuntime' || selector.name === 'NewRuntimeWithConfig')) {
      const binding = bindingOf(call, text);
      const configArgument = selector.name === 'NewRuntimeWithConfig' ? callArguments(call)[1] : undefined;
      const cache = configArgument ? compilationCacheOf(configArgument, call, root, text, wazeroName) : undefined;
      wazeroRuntimes.push({
        span: spanOf(call),
        ...(binding ? { variable: binding.variable } : {}),
        ...(cache ? { cache } : {}),
        context: contexts.contextOf(call),
      });
    }
    // `wasi_snapshot_preview1.Instantiate(ctx, r)` is a package's function (it adds a host module), not `Runtime.Instantiate`.
    const isPackage = selector.operand.type === 'identifier' && importedNames.has(operand ?? '');
    if ((selector.name === 'Instantiate' || selector.name === 'InstantiateWithConfig') && !isPackage) {
      const args = callArguments(call);
      if (args.length !== (selector.name === 'Instantiate' ? 2 : 3)) continue;
      const rewrite = instantiateRewrite(call, args, operand ?? '', text, root);
      instantiations.push({
        method: selector.name,
        span: spanOf(call),
        receiver: operand ?? '',
        ...(typeof rewrite === 'string' ? { noRewriteReason: rewrite } : { rewrite }),
        context: contexts.contextOf(call),
      });
    }
  }

  const runtimes = new Set<'wasmtime' | 'wazero'>();
  if (wasmtimeName) runtimes.add('wasmtime');
  if (wazeroName) runtimes.add('wazero');
  const settingsSet = [
    ...new Set(
      calls
        .map((call) => selectorCall(call, text)?.name)
        .filter((name): name is string => name?.startsWith('Set') === true)
        .map(settingName),
    ),
  ];
  return {
    path,
    language: 'go',
    runtimes: [...runtimes],
    hasSyntaxErrors,
    windowsOnly: fileWindowsOnly,
    configs,
    engines,
    moduleLoads,
    wazeroRuntimes,
    instantiations,
    imports,
    settingsSet,
    ...(testSpans.length > 0 ? { testSpans } : {}),
  };
}

/**
 * Functions that take a `*testing.T`, `*testing.B`, `*testing.F`, `*testing.M` or `testing.TB`:
 * only `go test` can call them, so they are test code even in a file not named `_test.go`
 * (a `testutil` package's helpers, a test compiled into the package by a build tag).
 */
function testFunctions(root: SyntaxNode, text: string, imported: readonly string[]): Span[] {
  const local = imported.find((i) => i === 'testing' || i.endsWith('=testing'))?.split('=')[0];
  if (!local) return [];
  const parameter = new RegExp(`(?:\\*\\s*${local}\\.[TBFM]|\\b${local}\\.TB)\\b`);
  return root.children
    .filter((n) => FUNCTION_TYPES.has(n.type) && parameter.test(nodeText(text, field(n, 'parameters')) ?? ''))
    .map(spanOf);
}

/** `engine` for `engine`, `engine` for `h.engine`: the name an engine argument ends with. */
function lastName(node: SyntaxNode | undefined, text: string): string | undefined {
  if (node?.type === 'identifier') return nodeText(text, node);
  if (node?.type === 'selector_expression') return nodeText(text, field(node, 'field'));
  return undefined;
}

/**
 * The engine bound to `binding` is used in its function only as the first argument of
 * wasmtime-go constructors (`NewStore`, `NewModule`, `NewLinker`…) and as a method receiver:
 * it is never returned, stored or handed to other code.
 */
function engineStaysLocal(call: SyntaxNode, binding: Binding | undefined, root: SyntaxNode, wasmtimeName: string, text: string): boolean {
  const scope = enclosingFunction(call, root);
  // A package-level engine, or one assigned (`=`) to a variable declared elsewhere, is shared.
  if (!binding || scope === root || binding.statement.type === 'assignment_statement') return false;
  // A store or linker built on the engine hands it back (`linker.Engine()`): the function may only return a verdict.
  const result = (nodeText(text, field(scope, 'result')) ?? '').replace(/\s+/g, '');
  if (!/^(?:\(?(?:bool|error|u?int(?:8|16|32|64)?|float(?:32|64))?(?:,(?:bool|error))?\)?)$/.test(result)) return false;
  for (const node of descendants(scope)) {
    if (node.start < binding.statement.end || node.type !== 'identifier' || nodeText(text, node) !== binding.variable) continue;
    const parent = node.parent;
    if (parent?.type === 'selector_expression' && node.field === 'operand') continue;
    const call = parent?.type === 'argument_list' ? parent.parent : undefined;
    const selector = call ? selectorCall(call, text) : undefined;
    if (selector && nodeText(text, selector.operand) === wasmtimeName && callArguments(call!)[0] === node) continue;
    return false;
  }
  return true;
}

function configUsage(scope: SyntaxNode, binding: Binding, text: string): { setters: SetterCall[]; escapes: boolean; returned: boolean } {
  const setters: SetterCall[] = [];
  let escapes = false;
  let returned = false;
  for (const node of descendants(scope)) {
    if (node.start < binding.statement.end || node.type !== 'identifier' || nodeText(text, node) !== binding.variable) continue;
    const parent = node.parent;
    if (parent?.type === 'selector_expression' && node.field === 'operand' && parent.parent?.type === 'call_expression') {
      const name = nodeText(text, field(parent, 'field')) ?? '';
      const args = field(parent.parent, 'arguments');
      if (name.startsWith('Set') && args) {
        setters.push({ setting: settingName(name), ...argumentsInside(text, args), span: spanOf(parent.parent) });
      }
      continue;
    }
    if (parent?.type === 'argument_list') {
      const callee = nodeText(text, field(parent.parent!, 'function')) ?? '';
      if (!/\.NewEngineWithConfig$/.test(callee)) escapes = true;
    }
    if (parent?.type === 'expression_list' && parent.parent?.type === 'return_statement') returned = true;
  }
  return { setters, escapes, returned };
}

/** The cache a runtime config expression carries: follows variables and `.WithCompilationCache(..)` chains. */
function compilationCacheOf(
  expression: SyntaxNode,
  use: SyntaxNode,
  root: SyntaxNode,
  text: string,
  wazeroName: string,
): { kind: CompilationCacheKind; span: { start: number; end: number } } | undefined {
  const scope = enclosingFunction(use, root);
  const pending = [expression];
  const seen = new Set<SyntaxNode>();
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (seen.has(node) || seen.size > 64) continue;
    seen.add(node);
    if (node.type === 'identifier') {
      pending.push(...assignedValues(nodeText(text, node)!, scope, root, text));
      continue;
    }
    for (const inner of descendants(node)) {
      if (inner.type !== 'call_expression' || selectorCall(inner, text)?.name !== 'WithCompilationCache') continue;
      const argument = callArguments(inner)[0];
      if (!argument || nodeText(text, argument) === 'nil') continue;
      return { kind: cacheKind(argument, scope, root, text, wazeroName), span: spanOf(inner) };
    }
  }
  return undefined;
}

function cacheKind(argument: SyntaxNode, scope: SyntaxNode, root: SyntaxNode, text: string, wazeroName: string): CompilationCacheKind {
  const values = argument.type === 'identifier' ? assignedValues(nodeText(text, argument)!, scope, root, text) : [argument];
  for (const value of values.reverse()) {
    if (value.type !== 'call_expression') continue;
    const selector = selectorCall(value, text);
    if (selector && nodeText(text, selector.operand) === wazeroName) {
      if (selector.name === 'NewCompilationCache') return 'memory';
      if (selector.name === 'NewCompilationCacheWithDir') return 'directory';
    }
  }
  return 'unknown';
}

/**
 * The rewrite of `mod, err := r.Instantiate(ctx, bin)` followed by `if err != nil {…}`,
 * or why none is safe (a string).
 */
function instantiateRewrite(
  call: SyntaxNode,
  args: SyntaxNode[],
  receiver: string,
  text: string,
  root: SyntaxNode,
): InstantiateRewrite | string {
  const list = call.parent;
  const statement = list?.parent;
  if (
    list?.type !== 'expression_list' ||
    list.field !== 'right' ||
    list.children.length !== 1 ||
    (statement?.type !== 'short_var_declaration' && statement?.type !== 'assignment_statement')
  ) {
    return 'the call is not a plain `mod, err := r.Instantiate(…)` statement';
  }
  const targets = (field(statement, 'left')?.children ?? []).map((n) => nodeText(text, n) ?? '');
  if (targets.length !== 2 || targets.some((t) => !/^[A-Za-z_]\w*$/.test(t))) return 'the results are not assigned to two plain variables';
  const errorName = targets[1]!;
  const check = nextNamedSibling(statement);
  const condition = check?.type === 'if_statement' ? nodeText(text, field(check, 'condition')) : undefined;
  if (
    !check ||
    errorName === '_' ||
    condition?.replace(/\s+/g, ' ') !== `${errorName} != nil` ||
    field(check, 'initializer') ||
    field(check, 'alternative')
  ) {
    return `the statement is not followed by a plain \`if ${errorName} != nil { … }\``;
  }
  const operator = text.slice(field(statement, 'left')!.end, list.start).trim();
  const scope = enclosingFunction(call, root);
  const usedNames = [
    ...new Set(
      descendants(scope)
        .filter((n) => n.type === 'identifier')
        .map((n) => nodeText(text, n)!),
    ),
  ];
  const hoist = hoistPoint(statement, call, args, check, errorName, scope, text);
  return {
    statement: spanOf(statement),
    indent: indentAt(text, statement.start),
    eol: lineEndingOf(text),
    targets,
    defines: operator === ':=',
    receiver,
    contextArgument: nodeText(text, args[0]) ?? 'ctx',
    sourceArgument: nodeText(text, args[1]) ?? '',
    ...(args[2] ? { configArgument: nodeText(text, args[2])! } : {}),
    errorCheckText: nodeText(text, check)!,
    usedNames,
    ...(hoist ? { hoist } : {}),
  };
}

/** Names a statement declares or assigns: `a, b := …`, `a = …`, `var a …`, `for i, v := range …`, `i++`. */
function namesWritten(node: SyntaxNode, text: string): string[] {
  if (node.type === 'short_var_declaration' || node.type === 'assignment_statement' || node.type === 'range_clause')
    return (field(node, 'left')?.children ?? []).map((n) => nodeText(text, n) ?? '');
  if (node.type === 'var_spec') return node.children.filter((n) => n.field === 'name').map((n) => nodeText(text, n) ?? '');
  if (node.type === 'inc_statement' || node.type === 'dec_statement') return [nodeText(text, node.children[0]) ?? ''];
  return [];
}

/**
 * Where the compile step of a rewrite can go instead: before the innermost loop around the call,
 * when the loop compiles the same bytes each time and the copied error check still means the same
 * there. Conditions: the receiver, context and source arguments are plain names (or selectors of
 * them) that nothing in the loop writes; the check neither leaves the loop (`continue`, `break`,
 * `goto`) nor reads a name the loop declares; and the error variable is already declared in the
 * loop's own block, so `compiled, err :=` before the loop declares only `compiled`.
 */
function hoistPoint(
  statement: SyntaxNode,
  call: SyntaxNode,
  args: SyntaxNode[],
  check: SyntaxNode,
  errorName: string,
  fn: SyntaxNode,
  text: string,
): { offset: number; indent: string } | undefined {
  let loop: SyntaxNode | undefined;
  for (let node = statement.parent; node && node !== fn; node = node.parent) {
    if (node.type === 'func_literal') return undefined;
    if (node.type === 'for_statement') {
      loop = node;
      break;
    }
  }
  if (!loop) return undefined;
  const anchor = loop.parent?.type === 'labeled_statement' ? loop.parent : loop;
  const lineStart = text.lastIndexOf('\n', anchor.start - 1) + 1;
  if (text.slice(lineStart, anchor.start).trim() !== '') return undefined;
  const written = new Set(descendants(loop).flatMap((n) => namesWritten(n, text)));
  const inputs = [field(call, 'function')!, args[0]!, args[1]!];
  for (const input of inputs) {
    const nodes = descendants(input);
    if (nodes.some((n) => n.type === 'call_expression' || n.type === 'func_literal')) return undefined;
    if (nodes.some((n) => n.type === 'identifier' && written.has(nodeText(text, n)!))) return undefined;
  }
  const checkText = nodeText(text, check) ?? '';
  if (/\b(?:continue|break|goto|fallthrough)\b/.test(checkText)) return undefined;
  if (descendants(check).some((n) => n.type === 'identifier' && nodeText(text, n) !== errorName && written.has(nodeText(text, n)!)))
    return undefined;
  // The error variable must already exist in the loop's block (or be a parameter or result of the function).
  const siblings = anchor.parent?.children.slice(0, anchor.index) ?? [];
  const declares = (n: SyntaxNode): boolean =>
    n.type === 'short_var_declaration'
      ? namesWritten(n, text).includes(errorName)
      : n.type === 'var_declaration' && descendants(n).some((d) => d.type === 'var_spec' && namesWritten(d, text).includes(errorName));
  const declaredBefore = siblings.some(declares);
  const atTopOfFunction = anchor.parent?.parent === field(fn, 'body');
  const parameter = [field(fn, 'parameters'), field(fn, 'result')].some((list) =>
    list ? descendants(list).some((n) => n.type === 'identifier' && nodeText(text, n) === errorName) : false,
  );
  if (!declaredBefore && !(atTopOfFunction && parameter)) return undefined;
  return { offset: lineStart, indent: indentAt(text, anchor.start) };
}
