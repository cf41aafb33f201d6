/**
 * Facts about wasmtime embeddings through the C API (`wasm_config_new`, `wasmtime_config_*_set`)
 * and the C++ API (`wasmtime::Config`, `config.native_unwind_info(..)`), both parsed with
 * the C grammar.
 *
 * Why the C grammar for C++: the C++ grammar wasm is 3.4–5.4 MB and would not fit the
 * 5 MB extension package next to everything else. tree-sitter recovers from what it does
 * not understand, and the C++ that matters here is mostly C-shaped: declarations
 * (`Config config;`, `Engine engine(std::move(config));`), method calls
 * (`config.native_unwind_info(false)` is a call of a field expression) and loops. A few
 * C++ constructs derail the C grammar badly, so `cppAsC` rewrites them first, always to
 * text of the same length so every offset still points into the original:
 *   `::` → `__`           `wasmtime::Module::compile` becomes one identifier;
 *   `<…>` after a name → spaces   template arguments (`std::vector<Module>`) vanish;
 *   `&` → `*`             references read as pointers (`&&` as a double dereference);
 *   `auto` → `int `       a type the C grammar knows;
 *   `for (x : xs)` → `for (x;; xs)`   a range-for becomes a C for statement.
 * Lambdas and other templates still produce ERROR nodes; facts inside them may be
 * missed, never invented. Extracted text always comes from the original source.
 */
import type { ConfigFact, EngineFact, HostFileFacts, HostLanguage, ModuleLoadFact, SetterCall } from './model';
import { argumentsInside, configBoundBefore, ContextResolver, descendants, enclosing, field, HANDLER_NAME, insertionAfter, nodeText, spanOf, type LanguageShape } from './syntax';
import type { SyntaxNode } from './tree-sitter';

const WINDOWS_MACROS = /^(?:_WIN32|_WIN64|WIN32|_MSC_VER|__MINGW32__|__CYGWIN__)$/;
const C_MODULE_LOADS = new Set([
  'wasmtime_module_new', 'wasmtime_module_deserialize', 'wasmtime_module_deserialize_file', 'wasm_module_new', 'wasm_module_deserialize',
  'wasmtime_component_new',
]);
// Extracted text is the original, so names match with `::` (the parser saw `__`).
const CPP_MODULE_LOAD = /(?:^|::)((?:Module|Component)::(?:compile|deserialize|deserialize_file))$/;
const CPP_CONFIG_TYPE = /^(?:wasmtime::)?Config$/;
const CPP_ENGINE_TYPE = /^(?:wasmtime::)?Engine$/;

/** `::` is never valid C, so C files get that rewrite too (a `.h` may well be C++). */
export function cAsParsed(text: string): string {
  return text.replace(/::/g, '__');
}

/** C++ text made digestible for the C grammar without moving any offset (see the file header). */
export function cppAsC(text: string): string {
  let out = cAsParsed(text);
  for (let previous = ''; previous !== out;) {
    previous = out;
    out = out.replace(/(?<=[A-Za-z0-9_])<[\w\s,*&]*>/g, (args) => ' '.repeat(args.length));
  }
  return out
    .replace(/&/g, '*')
    .replace(/\bauto\b/g, 'int ')
    .replace(/\bfor(\s*\()([^;(){}]*?)(\s:|:\s)/g, (_all, open: string, head: string) => `for${open}${head};;`);
}

/** The name a function definition declares (`Host::handle` → `handle`). */
function declaredName(fn: SyntaxNode, text: string): string | undefined {
  let declarator = field(fn, 'declarator');
  while (declarator && declarator.type !== 'function_declarator') declarator = field(declarator, 'declarator');
  const name = declarator ? nodeText(text, field(declarator, 'declarator')) : undefined;
  return name?.split('::').pop();
}

function windowsCondition(directive: SyntaxNode, text: string): 'windows' | 'not-windows' | undefined {
  const source = nodeText(text, directive) ?? '';
  if (directive.type === 'preproc_ifdef') {
    if (!WINDOWS_MACROS.test(nodeText(text, field(directive, 'name')) ?? '')) return undefined;
    return /^#\s*ifndef/.test(source) ? 'not-windows' : 'windows';
  }
  if (directive.type === 'preproc_if' || directive.type === 'preproc_elif') {
    const condition = nodeText(text, field(directive, 'condition')) ?? '';
    const mentions = /defined\s*\(?\s*(?:_WIN32|_WIN64|WIN32|_MSC_VER)\b/.test(condition);
    if (!mentions) return undefined;
    return /!\s*defined/.test(condition) ? 'not-windows' : /\|\||&&/.test(condition) ? undefined : 'windows';
  }
  return undefined;
}

const shape: LanguageShape = {
  loopTypes: new Set(['for_statement', 'while_statement', 'do_statement']),
  functionTypes: new Set(['function_definition']),
  closureTypes: new Set(),
  callType: 'call_expression',
  functionName: (fn, text) => declaredName(fn, text),
  calleeName(call, text) {
    const callee = field(call, 'function');
    if (callee?.type === 'identifier') return nodeText(text, callee)!.split('::').pop();
    if (callee?.type === 'field_expression') return nodeText(text, field(callee, 'field'));
    return undefined;
  },
  handlerReason(fn, text) {
    const name = declaredName(fn, text) ?? '';
    if (HANDLER_NAME.test(name)) return `\`${name}\` looks like a request handler`;
    const declarator = nodeText(text, field(fn, 'declarator')) ?? '';
    if (/\b(?:Request|request)\b/.test(declarator.slice(declarator.indexOf('(')))) return `\`${name}\` takes a request`;
    return undefined;
  },
  isWindowsOnly(ancestor, child, text) {
    const condition = windowsCondition(ancestor, text);
    if (!condition) return false;
    const inElse = child.field === 'alternative';
    return condition === 'windows' ? !inElse : inElse;
  },
};

function enclosingScope(node: SyntaxNode, root: SyntaxNode): SyntaxNode {
  return enclosing(node, ['function_definition'], root);
}

function callArguments(call: SyntaxNode): SyntaxNode[] {
  return field(call, 'arguments')?.children.filter((n) => n.type !== 'comment') ?? [];
}

/** The variable a declaration or assignment binds `value` to, and its statement. */
function bindingOf(value: SyntaxNode, text: string): { variable: string; statement: SyntaxNode } | undefined {
  const parent = value.parent;
  if (parent?.type === 'init_declarator' && value.field === 'value') {
    let declarator = field(parent, 'declarator');
    while (declarator && declarator.type !== 'identifier') declarator = field(declarator, 'declarator');
    const statement = parent.parent;
    return declarator && statement?.type === 'declaration' ? { variable: nodeText(text, declarator)!, statement } : undefined;
  }
  if (parent?.type === 'assignment_expression' && value.field === 'right' && parent.parent?.type === 'expression_statement') {
    const left = field(parent, 'left');
    return left?.type === 'identifier' ? { variable: nodeText(text, left)!, statement: parent.parent } : undefined;
  }
  return undefined;
}

export function extractC(path: string, language: HostLanguage, text: string, root: SyntaxNode, hasSyntaxErrors: boolean): HostFileFacts {
  const contexts = new ContextResolver(root, text, shape, false);
  const all = descendants(root);
  const configs: ConfigFact[] = [];
  const configStatements: SyntaxNode[] = [];

  const addConfig = (anchor: SyntaxNode, constructorName: string, binding: { variable: string; statement: SyntaxNode } | undefined) => {
    const usage = binding ? configUsage(enclosingScope(anchor, root), binding, text) : { setters: [], escapes: true, returned: false };
    const insertAfter = binding ? insertionAfter(text, binding.statement, ['//', '/*']) : undefined;
    configs.push({
      runtime: 'wasmtime', ...(binding ? { variable: binding.variable } : {}), span: spanOf(anchor), constructorName, setters: usage.setters,
      ...(insertAfter ? { insertAfter } : {}), escapes: usage.escapes, returned: usage.returned, context: contexts.contextOf(anchor),
    });
    configStatements.push(binding?.statement ?? anchor);
  };

  for (const node of all) {
    if (node.type === 'call_expression' && nodeText(text, field(node, 'function')) === 'wasm_config_new') {
      addConfig(node, 'wasm_config_new', bindingOf(node, text));
    } else if (node.type === 'declaration' && CPP_CONFIG_TYPE.test(nodeText(text, field(node, 'type')) ?? '')) {
      // `wasmtime::Config config;` (default-constructed C++ object).
      const declarator = field(node, 'declarator');
      if (declarator?.type === 'identifier') {
        addConfig(node, nodeText(text, field(node, 'type')) ?? 'Config', { variable: nodeText(text, declarator)!, statement: node });
      }
    }
  }

  const engines: EngineFact[] = [];
  const moduleLoads: ModuleLoadFact[] = [];
  const configNamed = (name: string | undefined, use: SyntaxNode) => configBoundBefore(configs, configStatements, name, enclosingScope(use, root), use);
  for (const node of all) {
    if (node.type === 'call_expression') {
      const callee = nodeText(text, field(node, 'function')) ?? '';
      if (callee === 'wasm_engine_new_with_config' || callee === 'wasm_engine_new') {
        const configIndex = configNamed(nodeText(text, callArguments(node)[0]), node);
        engines.push({
          runtime: 'wasmtime', span: spanOf(node), ...(configIndex !== undefined ? { configIndex } : {}),
          usesDefaultConfig: callee === 'wasm_engine_new', context: contexts.contextOf(node),
        });
      } else if (C_MODULE_LOADS.has(callee)) {
        moduleLoads.push({ runtime: 'wasmtime', api: callee, span: spanOf(node), context: contexts.contextOf(node) });
      }
    } else if (node.type === 'declaration' && CPP_ENGINE_TYPE.test(nodeText(text, field(node, 'type')) ?? '')) {
      // `Engine engine;` or `Engine engine(std::move(config));` (the C grammar reads the latter as a function declarator).
      const declarator = field(node, 'declarator');
      const argumentsText = declarator?.type === 'identifier' ? '' : nodeText(text, declarator) ?? '';
      const mentioned = /\(([\s\S]*)\)/.exec(argumentsText)?.[1]?.match(/[A-Za-z_]\w*/g) ?? [];
      const configIndex = mentioned.map((name) => configNamed(name, node)).find((index) => index !== undefined);
      engines.push({
        runtime: 'wasmtime', span: spanOf(node), ...(configIndex !== undefined ? { configIndex } : {}),
        usesDefaultConfig: declarator?.type === 'identifier', context: contexts.contextOf(node),
      });
    } else if (node.type === 'identifier') {
      // `Module::compile` in any C-family file: a `.h` may be a C++ header.
      const load = CPP_MODULE_LOAD.exec(nodeText(text, node)!);
      if (load) moduleLoads.push({ runtime: 'wasmtime', api: load[1]!, span: spanOf(node), context: contexts.contextOf(node) });
    }
  }

  const mentions = configs.length + engines.length + moduleLoads.length > 0 || /\bwasmtime\b/.test(text);
  const settingsSet = [...new Set(all.filter((n) => n.type === 'call_expression').map((call) => {
    const callee = field(call, 'function');
    if (callee?.type === 'field_expression') return nodeText(text, field(callee, 'field'));
    return /^wasmtime_config_(\w+)_set$/.exec(nodeText(text, callee) ?? '')?.[1];
  }).filter((name): name is string => name !== undefined))];
  return {
    path, language, runtimes: mentions ? ['wasmtime'] : [], hasSyntaxErrors, windowsOnly: false,
    configs, engines, moduleLoads, wazeroRuntimes: [], instantiations: [], imports: { imported: [] }, settingsSet,
  };
}

/** `wasmtime_config_x_set(config, v)` and `config.x(v)` calls after the binding; escapes through other calls. */
function configUsage(
  scope: SyntaxNode, binding: { variable: string; statement: SyntaxNode }, text: string,
): { setters: SetterCall[]; escapes: boolean; returned: boolean } {
  const setters: SetterCall[] = [];
  let escapes = false;
  let returned = false;
  for (const node of descendants(scope)) {
    if (node.type === 'return_statement' && node.start > binding.statement.end && nodeText(text, node)!.replace(/\s+/g, ' ') === `return ${binding.variable};`) returned = true;
  }
  for (const node of descendants(scope)) {
    if (node.start < binding.statement.end || node.type !== 'identifier' || nodeText(text, node) !== binding.variable) continue;
    const parent = node.parent;
    if (parent?.type === 'field_expression' && node.field === 'argument' && parent.parent?.type === 'call_expression' && parent.field === 'function') {
      const args = field(parent.parent, 'arguments');
      if (args) setters.push({ setting: nodeText(text, field(parent, 'field')) ?? '', ...argumentsInside(text, args), span: spanOf(parent.parent) });
      continue;
    }
    if (parent?.type === 'argument_list' && parent.parent?.type === 'call_expression') {
      const callee = nodeText(text, field(parent.parent, 'function')) ?? '';
      const setter = /^wasmtime_config_(\w+)_set$/.exec(callee);
      if (setter && parent.children[0] === node) {
        const value = parent.children[1];
        setters.push({
          setting: setter[1]!, argumentText: nodeText(text, value) ?? '', argumentSpan: value ? spanOf(value) : spanOf(parent.parent), span: spanOf(parent.parent),
        });
      } else if (!/^(?:wasmtime_config_|wasm_config_|wasm_engine_new_with_config$|std::move$)/.test(callee)) {
        escapes = true;
      }
    }
  }
  return { setters, escapes, returned };
}
