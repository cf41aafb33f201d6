/** Facts about wasmtime and wasmi embeddings in Rust source. */
import type { ConfigFact, EngineFact, HostFileFacts, ModuleLoadFact, SetterCall, WasmRuntime } from './model';
import {
  argumentsInside,
  configBoundBefore,
  ContextResolver,
  descendants,
  enclosing,
  field,
  HANDLER_NAME,
  insertionAfter,
  nodeText,
  previousSibling,
  spanOf,
  type LanguageShape,
} from './syntax';
import type { SyntaxNode } from './tree-sitter';

const WINDOWS_CFG = /cfg\s*\(\s*(?:all\s*\(\s*)?(?:windows|target_os\s*=\s*"windows"|target_family\s*=\s*"windows")\s*[,)]/;
const WINDOWS_CFG_MACRO = /^cfg!\s*\(\s*(?:windows|target_os\s*=\s*"windows"|target_family\s*=\s*"windows")\s*\)$/;
const CONFIG_CONSTRUCTOR = /^(?:(wasmtime|wasmi)::)?Config::(?:new|default)$/;
const ENGINE_CONSTRUCTOR = /^(?:(wasmtime|wasmi)::)?Engine::(new|default)$/;
const MODULE_LOAD =
  /^(?:(wasmtime|wasmi)::)?(?:component::)?(Module|Component)::(new|new_with_name|new_unchecked|new_streaming|from_file|from_binary|from_trusted_file|deserialize|deserialize_file|deserialize_raw|deserialize_open_file)$/;

const shape: LanguageShape = {
  loopTypes: new Set(['for_expression', 'while_expression', 'loop_expression']),
  functionTypes: new Set(['function_item']),
  closureTypes: new Set(['closure_expression']),
  callType: 'call_expression',
  // Associated functions are named `Type::name`, so `String::new()` is not a call of `Plugin::new`;
  // methods (with a `self` parameter) and free functions by their bare name, as `x.name()` calls them.
  functionName(fn, text) {
    const name = nodeText(text, field(fn, 'name'));
    const implType = implTypeOf(fn, text);
    const isMethod = /^\(\s*(?:&\s*(?:'\w+\s+)?)?(?:mut\s+)?self\b/.test(nodeText(text, field(fn, 'parameters')) ?? '');
    return name && implType && !isMethod ? `${implType}::${name}` : name;
  },
  calleeName(call, text) {
    let callee = field(call, 'function');
    if (callee?.type === 'generic_function') callee = field(callee, 'function');
    if (!callee) return undefined;
    if (callee.type === 'identifier') return nodeText(text, callee);
    if (callee.type === 'scoped_identifier') {
      const segments = (nodeText(text, callee) ?? '')
        .replace(/\s+/g, '')
        .replace(/<[^<>]*>/g, '')
        .split('::')
        .filter(Boolean);
      const name = segments.pop();
      const owner = segments.pop();
      if (!name) return undefined;
      const type = owner === 'Self' ? implTypeOf(call, text) : owner;
      return type ? `${type}::${name}` : name;
    }
    if (callee.type === 'field_expression') return nodeText(text, field(callee, 'field'));
    return undefined;
  },
  handlerReason(fn, text) {
    const name = nodeText(text, field(fn, 'name')) ?? '';
    if (HANDLER_NAME.test(name)) return `\`${name}\` looks like a request handler`;
    const parameters = nodeText(text, field(fn, 'parameters')) ?? '';
    if (/\b(?:Request|HttpRequest)\b/.test(parameters)) return `\`${name}\` takes a request`;
    return undefined;
  },
  isWindowsOnly(ancestor, child, text) {
    if (ancestor.type === 'if_expression' && child.field === 'consequence') {
      return WINDOWS_CFG_MACRO.test((nodeText(text, field(ancestor, 'condition')) ?? '').replace(/\s+/g, ' ').trim());
    }
    return windowsAttributeBefore(child, text);
  },
};

/** The type of the `impl` block around `node` (`Plugin` for `impl<T> Plugin<T>`, `impl X for Plugin`). */
function implTypeOf(node: SyntaxNode, text: string): string | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type !== 'impl_item') continue;
    const type = (nodeText(text, field(current, 'type')) ?? '').replace(/\s+/g, '').replace(/<.*$/, '');
    return type.split('::').pop() || undefined;
  }
  return undefined;
}

/** `#[cfg(windows)]` directly above `node` (attributes are its preceding siblings). */
function windowsAttributeBefore(node: SyntaxNode, text: string): boolean {
  for (let before = previousSibling(node); before?.type === 'attribute_item'; before = previousSibling(before)) {
    if (WINDOWS_CFG.test(nodeText(text, before) ?? '')) return true;
  }
  return false;
}

/** Which runtime an unqualified `Config`/`Engine`/`Module` refers to, from the file's `use` declarations. */
function defaultRuntime(uses: readonly string[], text: string): WasmRuntime {
  const wasmi = uses.filter((u) => /\bwasmi\b/.test(u));
  const wasmtime = uses.filter((u) => /\bwasmtime\b/.test(u));
  if (wasmi.length > 0 && wasmtime.length === 0) return 'wasmi';
  if (wasmtime.length > 0 && wasmi.length === 0) return 'wasmtime';
  if (wasmi.some((u) => /\bConfig\b|\*/.test(u))) return 'wasmi';
  if (wasmtime.length === 0 && /\bwasmi::/.test(text) && !/\bwasmtime::/.test(text)) return 'wasmi';
  return 'wasmtime';
}

const RUNTIME_TYPES = ['Config', 'Engine', 'Module', 'Component'];

/** The crate each bare runtime type name is imported from (`use tokio_postgres::Config` → `tokio_postgres`). */
function typeOrigins(uses: readonly string[]): Map<string, string> {
  const origins = new Map<string, string>();
  for (const use of uses) {
    const crate = /^(?:pub(?:\([^)]*\))?\s+)?use\s+(?:::)?(\w+)/.exec(use)?.[1];
    if (!crate) continue;
    for (const name of RUNTIME_TYPES) {
      if (new RegExp(`\\b${name}\\b(?!\\s+as\\b)`).test(use.replace(/^[^:]*::/, ''))) origins.set(name, crate);
    }
  }
  return origins;
}

/**
 * The runtime a (possibly qualified) runtime type belongs to, or undefined when the
 * file imports that name from another crate (`use tokio_postgres::Config`).
 */
function runtimeResolver(root: SyntaxNode, text: string): (typeName: string, prefix: string | undefined) => WasmRuntime | undefined {
  const uses = descendants(root)
    .filter((n) => n.type === 'use_declaration')
    .map((n) => (nodeText(text, n) ?? '').replace(/\s+/g, ' '));
  const fallback = defaultRuntime(uses, text);
  const origins = typeOrigins(uses);
  return (typeName, prefix) => {
    if (prefix === 'wasmtime' || prefix === 'wasmi') return prefix;
    const origin = origins.get(typeName);
    if (origin === 'wasmtime' || origin === 'wasmi') return origin;
    // Re-exports inside the project (`use crate::rt::Config`) and glob imports keep the file's runtime.
    return origin === undefined || origin === 'crate' || origin === 'self' || origin === 'super' ? fallback : undefined;
  };
}

/** The variable at the bottom of a method chain: `config` in `config.a(1).b(2)`. */
function chainRoot(node: SyntaxNode): SyntaxNode {
  let current = node;
  for (;;) {
    if (current.type === 'call_expression') {
      const callee = field(current, 'function');
      if (callee?.type !== 'field_expression') return current;
      current = callee;
    } else if (current.type === 'field_expression') {
      const value = field(current, 'value');
      if (!value) return current;
      current = value;
    } else {
      return current;
    }
  }
}

function setterOf(call: SyntaxNode, text: string): SetterCall | undefined {
  const callee = field(call, 'function');
  if (callee?.type !== 'field_expression') return undefined;
  const name = nodeText(text, field(callee, 'field'));
  const args = field(call, 'arguments');
  if (!name || !args) return undefined;
  return { setting: name, ...argumentsInside(text, args), span: spanOf(call) };
}

/** Walks up from a constructor through `.setter(..)` calls; returns the chain's top and its setters. */
function climbChain(constructor: SyntaxNode, text: string): { top: SyntaxNode; setters: SetterCall[] } {
  const setters: SetterCall[] = [];
  let top = constructor;
  for (;;) {
    const access = top.parent;
    const call = access?.parent;
    if (access?.type !== 'field_expression' || top.field !== 'value' || call?.type !== 'call_expression' || access.field !== 'function')
      break;
    const setter = setterOf(call, text);
    if (setter) setters.push(setter);
    top = call;
  }
  return { top, setters };
}

function stripReference(node: SyntaxNode | undefined): SyntaxNode | undefined {
  let current = node;
  while (current && (current.type === 'reference_expression' || current.type === 'parenthesized_expression')) {
    current = current.type === 'reference_expression' ? field(current, 'value') : current.children[0];
  }
  return current;
}

function enclosingFunctionBody(node: SyntaxNode, root: SyntaxNode): SyntaxNode {
  const fn = enclosing(node, ['function_item'], root);
  return fn === root ? root : (field(fn, 'body') ?? fn);
}

export function extractRust(path: string, text: string, root: SyntaxNode, hasSyntaxErrors: boolean): HostFileFacts {
  const fileWindowsOnly = root.children.some((n) => n.type === 'inner_attribute_item' && WINDOWS_CFG.test(nodeText(text, n) ?? ''));
  const all = descendants(root);
  const testSpans = testCode(root, all, text);
  const contexts = new ContextResolver(root, text, shape, fileWindowsOnly, testSpans);
  const runtimeOf = runtimeResolver(root, text);
  const calls = all.filter((n) => n.type === 'call_expression');
  const calleePath = (call: SyntaxNode) => {
    const callee = field(call, 'function');
    return callee?.type === 'scoped_identifier' ? (nodeText(text, callee) ?? '').replace(/\s+/g, '') : undefined;
  };

  const configs: ConfigFact[] = [];
  const configNodes: SyntaxNode[] = [];
  for (const call of calls) {
    const match = CONFIG_CONSTRUCTOR.exec(calleePath(call) ?? '');
    const runtime = match ? runtimeOf('Config', match[1]) : undefined;
    if (!runtime) continue;
    configNodes.push(call);
    configs.push(configFact(call, runtime, calleePath(call)!, text, root, contexts));
  }

  const engines: EngineFact[] = [];
  const moduleLoads: ModuleLoadFact[] = [];
  for (const call of calls) {
    const path = calleePath(call) ?? '';
    const engine = ENGINE_CONSTRUCTOR.exec(path);
    const engineRuntime = engine ? runtimeOf('Engine', engine[1]) : undefined;
    if (engine && !engineRuntime) continue;
    if (engine && engineRuntime) {
      const argument = stripReference(field(call, 'arguments')?.children[0]);
      let configIndex = argument ? configFor(argument, call, configs, configNodes, text, root) : undefined;
      const defaulted =
        configIndex === undefined && argument?.type === 'identifier' ? defaultedConfig(argument, call, text, root) : undefined;
      if (defaulted) {
        configIndex = configs.length;
        configNodes.push(defaulted);
        configs.push(configFact(defaulted, engineRuntime, nodeText(text, defaulted)!.replace(/\s+/g, ''), text, root, contexts));
      }
      const binding = engineBinding(call, text, root);
      engines.push({
        runtime: engineRuntime,
        span: spanOf(call),
        ...(configIndex !== undefined ? { configIndex } : {}),
        usesDefaultConfig: engine[2] === 'default',
        ...(binding.variable ? { variable: binding.variable } : {}),
        local: binding.local,
        context: contexts.contextOf(call),
      });
      continue;
    }
    // Every wasmtime/wasmi constructor takes the engine first: `Module::new()` is some other crate's (wasm_encoder's).
    const load = (field(call, 'arguments')?.children.length ?? 0) > 0 ? MODULE_LOAD.exec(path) : null;
    const loadRuntime = load ? runtimeOf(load[2]!, load[1]) : undefined;
    if (load && loadRuntime) {
      const engineName = lastName(stripReference(field(call, 'arguments')?.children[0]), text);
      moduleLoads.push({
        runtime: loadRuntime,
        api: `${load[2]}::${load[3]}`,
        ...(engineName ? { engine: engineName } : {}),
        span: spanOf(call),
        context: contexts.contextOf(call),
      });
    } else if (load) continue;
    else if (calleeMethod(call, text) === 'precompile_module' || calleeMethod(call, text) === 'precompile_component') {
      const engineName = lastName(field(field(call, 'function')!, 'value'), text);
      moduleLoads.push({
        runtime: 'wasmtime',
        api: `Engine::${calleeMethod(call, text)}`,
        ...(engineName ? { engine: engineName } : {}),
        span: spanOf(call),
        context: contexts.contextOf(call),
      });
    }
  }

  const runtimes = new Set<WasmRuntime>();
  for (const fact of [...configs, ...engines, ...moduleLoads]) runtimes.add(fact.runtime);
  if (runtimes.size === 0) {
    if (/\bwasmtime\b/.test(text)) runtimes.add('wasmtime');
    if (/\bwasmi\b/.test(text)) runtimes.add('wasmi');
  }
  const settingsSet = [...new Set(calls.map((call) => calleeMethod(call, text)).filter((name): name is string => name !== undefined))];
  return {
    path,
    language: 'rust',
    runtimes: [...runtimes],
    hasSyntaxErrors,
    windowsOnly: fileWindowsOnly,
    configs,
    engines,
    moduleLoads,
    wazeroRuntimes: [],
    instantiations: [],
    imports: { imported: [] },
    settingsSet,
    definedFunctions: [...new Set(all.filter((n) => n.type === 'function_item').map((n) => nodeText(text, field(n, 'name'))!))],
    ...(testSpans.length > 0 ? { testSpans } : {}),
  };
}

/** `cfg(test)`, also inside `all(…)`/`any(…)`, but not `cfg(not(test))` or `feature = "test"`. */
function isTestCfg(attribute: string): boolean {
  const cfg = /^#!?\[\s*cfg\s*\(([\s\S]*)\)\s*\]$/.exec(attribute)?.[1];
  if (cfg === undefined) return false;
  const withoutNegations = cfg.replace(/\bnot\s*\([^()]*\)/g, '').replace(/"[^"]*"/g, '""');
  return /\btest\b(?!\s*=)/.test(withoutNegations);
}
/** `#[test]`, `#[bench]`, and the attribute macros of test frameworks (`#[tokio::test]`, `#[rstest]`, `#[test_case(…)]`). */
const TEST_ATTRIBUTE = /^#\[\s*(?:(?:\w+::)*test|bench|rstest|test_case|test_log::test|wasm_bindgen_test|quickcheck|proptest)\b/;

/** The spans of modules and functions that only build for tests; the whole file for `#![cfg(test)]`. */
function testCode(root: SyntaxNode, all: readonly SyntaxNode[], text: string): { start: number; end: number }[] {
  if (root.children.some((n) => n.type === 'inner_attribute_item' && isTestCfg((nodeText(text, n) ?? '').replace(/\s+/g, ' '))))
    return [spanOf(root)];
  const spans: { start: number; end: number }[] = [];
  for (const node of all) {
    if (node.type !== 'mod_item' && node.type !== 'function_item' && node.type !== 'impl_item') continue;
    for (let before = previousSibling(node); before?.type === 'attribute_item'; before = previousSibling(before)) {
      const attribute = (nodeText(text, before) ?? '').replace(/\s+/g, ' ');
      if (isTestCfg(attribute) || (node.type === 'function_item' && TEST_ATTRIBUTE.test(attribute))) {
        spans.push(spanOf(node));
        break;
      }
    }
  }
  return spans;
}

function calleeMethod(call: SyntaxNode, text: string): string | undefined {
  const callee = field(call, 'function');
  return callee?.type === 'field_expression' ? nodeText(text, field(callee, 'field')) : undefined;
}

function configFact(
  constructor: SyntaxNode,
  runtime: WasmRuntime,
  constructorName: string,
  text: string,
  root: SyntaxNode,
  contexts: ContextResolver,
): ConfigFact {
  const { top, setters } = climbChain(constructor, text);
  const context = contexts.contextOf(constructor);
  const holder = top.parent;
  if (holder?.type === 'let_declaration' && top.field === 'value') {
    const pattern = field(holder, 'pattern');
    if (pattern?.type === 'identifier') {
      const variable = nodeText(text, pattern)!;
      const mutable = holder.children.some((n) => n.type === 'mutable_specifier');
      const insertAfter = insertionAfter(text, holder, ['//']);
      const body = enclosingFunctionBody(holder, root);
      const usage = variableUsage(body, variable, holder, text);
      return {
        runtime,
        variable,
        span: spanOf(constructor),
        constructorName,
        setters: [...setters, ...usage.setters],
        ...(insertAfter ? { insertAfter } : {}),
        ...(mutable ? {} : { needsMutAt: pattern.start }),
        escapes: usage.escapes,
        ...(usage.escapesTo ? { escapesTo: usage.escapesTo } : {}),
        returned: usage.returned,
        context,
      };
    }
  }
  if (holder?.type === 'assignment_expression' && top.field === 'right' && holder.parent?.type === 'expression_statement') {
    const left = field(holder, 'left');
    if (left?.type === 'identifier') {
      const variable = nodeText(text, left)!;
      const insertAfter = insertionAfter(text, holder.parent, ['//']);
      const usage = variableUsage(enclosingFunctionBody(holder, root), variable, holder.parent, text);
      return {
        runtime,
        variable,
        span: spanOf(constructor),
        constructorName,
        setters: [...setters, ...usage.setters],
        ...(insertAfter ? { insertAfter } : {}),
        escapes: usage.escapes,
        ...(usage.escapesTo ? { escapesTo: usage.escapesTo } : {}),
        returned: usage.returned,
        context,
      };
    }
  }
  // An inline builder already returns `&mut Config`, so one more `.setter(..)` keeps its type.
  const chainInsertOffset = setters.length > 0 ? constructor.end : undefined;
  const escapes = holder?.type !== 'arguments' && holder?.type !== 'reference_expression';
  return {
    runtime,
    span: spanOf(constructor),
    constructorName,
    setters,
    ...(chainInsertOffset !== undefined ? { chainInsertOffset } : {}),
    escapes,
    returned: false,
    context,
  };
}

/**
 * Setter calls on `variable` after its binding; whether the config escapes to code this
 * function does not show (`&mut config` passed to a call other than an engine
 * constructor); whether it is returned to the caller.
 */
function variableUsage(
  body: SyntaxNode,
  variable: string,
  binding: SyntaxNode,
  text: string,
): { setters: SetterCall[]; escapes: boolean; escapesTo?: string[]; returned: boolean } {
  const setters: SetterCall[] = [];
  let escapes = false;
  // The functions the config is handed to, while each is known by name.
  let escapesTo: string[] | undefined = [];
  let returned = false;
  for (const node of descendants(body)) {
    if (node.start < binding.end || node.type !== 'identifier' || nodeText(text, node) !== variable) continue;
    const parent = node.parent;
    if (parent?.type === 'field_expression' && node.field === 'value') {
      // Climb the whole chain `config.a(..).b(..)` once, from its root.
      let top: SyntaxNode = parent;
      while (top.parent?.type === 'call_expression' && top.field === 'function') {
        const setter = setterOf(top.parent, text);
        if (setter) setters.push(setter);
        const next = top.parent.parent;
        if (next?.type !== 'field_expression' || top.parent.field !== 'value') break;
        top = next;
      }
      continue;
    }
    const argumentOf = parent?.type === 'reference_expression' ? parent.parent : parent;
    if (argumentOf?.type === 'arguments') {
      const call = argumentOf.parent;
      const callee = call ? (nodeText(text, field(call, 'function')) ?? '') : '';
      const mutableBorrow = parent?.type === 'reference_expression' && parent.children.some((n) => n.type === 'mutable_specifier');
      if (!/Engine::new$/.test(callee.replace(/\s+/g, '')) && (mutableBorrow || parent?.type === 'arguments')) {
        escapes = true;
        const name = call ? shape.calleeName(call, text)?.split('::').pop() : undefined;
        escapesTo = name && escapesTo ? [...escapesTo, name] : undefined;
      }
    }
    if (
      parent?.type === 'return_expression' ||
      (parent?.type === 'block' && parent.children[parent.children.length - 1] === node && parent.parent?.type === 'function_item')
    ) {
      returned = true;
    }
  }
  return { setters, escapes, ...(escapes && escapesTo ? { escapesTo } : {}), returned };
}

/** `engine` for `engine`, `inner` for `self.inner`: the name an engine argument ends with. */
function lastName(node: SyntaxNode | undefined, text: string): string | undefined {
  if (node?.type === 'identifier') return nodeText(text, node);
  if (node?.type === 'field_expression') return nodeText(text, field(node, 'field'));
  return undefined;
}

/** Methods that pass a constructor's result on: `Engine::new(..)?`, `.unwrap()`, `.context("…")?`. */
const RESULT_PASSING = /^(?:unwrap|expect|context|with_context|map_err)$/;

/** The expression a constructor's value ends up as once `?`, `.unwrap()` and the like are applied. */
function valueOf(call: SyntaxNode, text: string): SyntaxNode {
  let current = call;
  for (;;) {
    const parent = current.parent;
    if (parent?.type === 'try_expression' || parent?.type === 'parenthesized_expression') {
      current = parent;
      continue;
    }
    const outer = parent?.parent;
    if (
      parent?.type === 'field_expression' &&
      current.field === 'value' &&
      outer?.type === 'call_expression' &&
      parent.field === 'function' &&
      RESULT_PASSING.test(nodeText(text, field(parent, 'field')) ?? '')
    ) {
      current = outer;
      continue;
    }
    return current;
  }
}

/** Return types that carry no engine: `()`, `bool`, numbers, and those in a `Result` or `Option`. */
const VERDICT_TYPE =
  /^(?:(?:(?:anyhow|std::io|io)::)?(?:Result|Option)<)?(?:\(\)|bool|[iu](?:8|16|32|64|128|size)|f32|f64)(?:,[\w:<>]+)?>?$/;

/** wasmtime types whose constructors take an engine and keep it to themselves (or load a module with it). */
const ENGINE_USERS =
  /^(?:(?:wasmtime::)?(?:component::)?)(?:Store|Linker|Memory|SharedMemory|Table|Global|Func|Module|Component|Instance|InstancePre)::\w+$/;

/**
 * The local name an engine is bound to, and whether it stays in its function: used only by
 * the runtime's own constructors (`Store::new(&engine, ..)`, `Module::new(&engine, ..)`) and
 * its methods. Returned, stored in a struct, cloned or handed to other code, it does not.
 */
function engineBinding(call: SyntaxNode, text: string, root: SyntaxNode): { variable?: string; local: boolean } {
  const value = valueOf(call, text);
  const holder = value.parent;
  let variable: string | undefined;
  let scope: SyntaxNode | undefined;
  if (holder?.type === 'let_declaration' && value.field === 'value') {
    const pattern = field(holder, 'pattern');
    if (pattern?.type === 'identifier') {
      variable = nodeText(text, pattern);
      scope = enclosingFunctionBody(holder, root);
    }
  } else if ((holder?.type === 'match_expression' || holder?.type === 'let_condition') && value.field === 'value') {
    // `match Engine::new(&c) { Ok(engine) => … }`, `if let Ok(engine) = Engine::new(&c) { … }`
    const patterns =
      holder.type === 'let_condition'
        ? [field(holder, 'pattern')]
        : (field(holder, 'body')?.children ?? []).map((arm) => field(arm, 'pattern')?.children[0]);
    for (const pattern of patterns) {
      const inner =
        pattern?.type === 'tuple_struct_pattern' ? pattern.children.find((n) => n.type === 'identifier' && n.field !== 'type') : undefined;
      if (pattern && inner && nodeText(text, field(pattern, 'type')) === 'Ok') variable = nodeText(text, inner);
    }
    scope = holder.type === 'let_condition' ? holder.parent : holder;
  }
  if (!variable || !scope) return { local: false };
  // A `Store` or `Linker` built on the engine hands it back (`linker.engine()`): the function must
  // return nothing that could carry them, only a verdict (`bool`, `Result<()>`…).
  const fn = enclosing(call, ['function_item'], root);
  const returns = (nodeText(text, fn === root ? undefined : field(fn, 'return_type')) ?? '()').replace(/\s+/g, '');
  if (!VERDICT_TYPE.test(returns)) return { variable, local: false };
  for (const node of descendants(scope)) {
    if (node.start < call.end || node.type !== 'identifier' || nodeText(text, node) !== variable) continue;
    const parent = node.parent;
    if (parent?.type === 'field_expression' && node.field === 'value') {
      // A method of the engine (`engine.increment_epoch()`), but `engine.clone()` hands out a handle.
      if (nodeText(text, field(parent, 'field')) === 'clone') return { variable, local: false };
      continue;
    }
    const argument = parent?.type === 'reference_expression' ? parent : node;
    const user = argument.parent?.type === 'arguments' ? argument.parent.parent : undefined;
    const callee = user ? (nodeText(text, field(user, 'function')) ?? '').replace(/\s+/g, '') : '';
    if (user && ENGINE_USERS.test(callee) && argument.parent!.children[0] === argument) continue;
    // `Ok(engine) =>` patterns and the binding itself are not uses.
    if (parent?.type === 'tuple_struct_pattern' || parent?.type === 'let_declaration') continue;
    return { variable, local: false };
  }
  return { variable, local: true };
}

/**
 * A config an engine is built from that is taken from an `Option` or the default:
 * `let mut config = self.config.take().unwrap_or_default();` (the builder of an embedder that
 * accepts a caller's config, and builds its own otherwise).
 */
function defaultedConfig(argument: SyntaxNode, engineCall: SyntaxNode, text: string, root: SyntaxNode): SyntaxNode | undefined {
  const name = nodeText(text, argument);
  const body = enclosingFunctionBody(engineCall, root);
  let found: SyntaxNode | undefined;
  for (const node of descendants(body)) {
    if (node.type !== 'let_declaration' || node.end > engineCall.start) continue;
    const pattern = field(node, 'pattern');
    if (pattern?.type !== 'identifier' || nodeText(text, pattern) !== name) continue;
    const value = field(node, 'value');
    const method = value?.type === 'call_expression' ? calleeMethod(value, text) : undefined;
    const fallback = value ? (nodeText(text, field(value, 'arguments')) ?? '').replace(/\s+/g, '') : '';
    found =
      method === 'unwrap_or_default' ||
      (method === 'unwrap_or_else' && /^\((?:\|\|)?(?:wasmtime::)?Config::(?:new|default)(?:\(\))?\)$/.test(fallback))
        ? value
        : undefined;
  }
  return found;
}

/** The config an engine constructor's argument refers to (a variable or an inline chain). */
function configFor(
  argument: SyntaxNode,
  engineCall: SyntaxNode,
  configs: readonly ConfigFact[],
  configNodes: readonly SyntaxNode[],
  text: string,
  root: SyntaxNode,
): number | undefined {
  if (argument.type === 'identifier') {
    return configBoundBefore(configs, configNodes, nodeText(text, argument), enclosingFunctionBody(engineCall, root), engineCall);
  }
  const index = configNodes.findIndex((node) => node.start >= argument.start && node.end <= argument.end && chainRoot(argument) === node);
  return index >= 0 ? index : undefined;
}
