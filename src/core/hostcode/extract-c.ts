/**
 * Facts about wasmtime embeddings in C and C++ files. C files are parsed with the C
 * grammar, C++ files (and `.h` headers that contain C++, see `load.ts`) with the C++
 * grammar, which gives the C constructs the same node types (call_expression,
 * declaration, init_declarator, field_expression, preproc_ifdef…); so one walk reads both:
 * the C API (`wasm_config_new`, `wasmtime_config_*_set`, `wasm_engine_new_with_config`,
 * `wasmtime_module_new`…), which C++ code calls as well, and in C++ files the C++ API
 * (`wasmtime::Config`, `config.native_unwind_info(false)`, `Engine engine(std::move(config))`,
 * `Module::compile`) through `cpp-api.ts`. C++ adds range-for loops, lambdas (callbacks)
 * and member functions (`void Host::handle(..)`) to the code contexts.
 */
import {
  bindingOf,
  compactName,
  CPP_CONFIG_TYPE,
  CPP_ENGINE_TYPE,
  cppConstructions,
  cppModuleLoad,
  innerDeclarator,
  type Binding,
} from './cpp-api';
import type { ConfigFact, EngineFact, HostFileFacts, HostLanguage, ModuleLoadFact, SetterCall } from './model';
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
  spanOf,
  type LanguageShape,
} from './syntax';
import type { SyntaxNode } from './tree-sitter';

const WINDOWS_MACROS = /^(?:_WIN32|_WIN64|WIN32|_MSC_VER|__MINGW32__|__CYGWIN__)$/;
const C_MODULE_LOADS = new Set([
  'wasmtime_module_new',
  'wasmtime_module_deserialize',
  'wasmtime_module_deserialize_file',
  'wasm_module_new',
  'wasm_module_deserialize',
  'wasmtime_component_new',
]);
/** Calls a config may be passed to without leaving this tool's sight. */
const CONFIG_CONSUMERS = /^(?:wasmtime_config_\w+|wasm_config_\w+|wasm_engine_new_with_config|std::move|(?:(?:::)?wasmtime::)?Engine)$/;

/** The name a function definition declares (`Host::handle` → `handle`). */
function declaredName(fn: SyntaxNode, text: string): string | undefined {
  let declarator = field(fn, 'declarator');
  while (declarator && declarator.type !== 'function_declarator') declarator = innerDeclarator(declarator);
  const name = declarator ? compactName(text, field(declarator, 'declarator')) : '';
  return name.split('::').pop() || undefined;
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
  loopTypes: new Set(['for_statement', 'for_range_loop', 'while_statement', 'do_statement']),
  functionTypes: new Set(['function_definition']),
  closureTypes: new Set(['lambda_expression']),
  callType: 'call_expression',
  functionName: (fn, text) => declaredName(fn, text),
  calleeName(call, text) {
    const callee = field(call, 'function');
    if (callee?.type === 'field_expression') return nodeText(text, field(callee, 'field'));
    if (callee?.type === 'identifier' || callee?.type === 'qualified_identifier' || callee?.type === 'template_function')
      return compactName(text, callee).split('::').pop();
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

/** The function a call names, as the C API spells it (C++ may write `::wasm_engine_new`). */
function cCallee(call: SyntaxNode, text: string): string {
  return compactName(text, field(call, 'function')).replace(/^::/, '');
}

function callArguments(call: SyntaxNode): SyntaxNode[] {
  return field(call, 'arguments')?.children.filter((n) => n.type !== 'comment') ?? [];
}

export function extractC(path: string, language: HostLanguage, text: string, root: SyntaxNode, hasSyntaxErrors: boolean): HostFileFacts {
  const contexts = new ContextResolver(root, text, shape, false);
  const all = descendants(root);
  const cpp = language === 'cpp';
  const configs: ConfigFact[] = [];
  const configStatements: SyntaxNode[] = [];

  const addConfig = (anchor: SyntaxNode, constructorName: string, binding: Binding | undefined) => {
    const usage = binding ? configUsage(enclosingScope(anchor, root), binding, text) : { setters: [], escapes: true, returned: false };
    const insertAfter = binding ? insertionAfter(text, binding.statement, ['//', '/*']) : undefined;
    configs.push({
      runtime: 'wasmtime',
      ...(binding ? { variable: binding.variable } : {}),
      span: spanOf(anchor),
      constructorName,
      setters: usage.setters,
      ...(insertAfter ? { insertAfter } : {}),
      escapes: usage.escapes,
      returned: usage.returned,
      context: contexts.contextOf(anchor),
    });
    configStatements.push(binding?.statement ?? anchor);
  };

  for (const node of all) {
    if (node.type === 'call_expression' && cCallee(node, text) === 'wasm_config_new') {
      addConfig(node, 'wasm_config_new', bindingOf(node, text));
    } else if (cpp) {
      for (const config of cppConstructions(node, text, CPP_CONFIG_TYPE)) addConfig(config.anchor, config.typeName, config.binding);
    }
  }

  const engines: EngineFact[] = [];
  const moduleLoads: ModuleLoadFact[] = [];
  const configNamed = (name: string | undefined, use: SyntaxNode) =>
    configBoundBefore(configs, configStatements, name, enclosingScope(use, root), use);
  const addEngine = (node: SyntaxNode, configArguments: readonly SyntaxNode[], usesDefaultConfig: boolean) => {
    // `std::move(config)`, `config`, or the vexing parse's type name `config`.
    const mentioned = configArguments
      .flatMap((argument) => descendants(argument))
      .filter((n) => n.type === 'identifier' || n.type === 'type_identifier');
    const configIndex = mentioned.map((name) => configNamed(nodeText(text, name), node)).find((index) => index !== undefined);
    engines.push({
      runtime: 'wasmtime',
      span: spanOf(node),
      ...(configIndex !== undefined ? { configIndex } : {}),
      usesDefaultConfig,
      context: contexts.contextOf(node),
    });
  };
  for (const node of all) {
    const callee = node.type === 'call_expression' ? cCallee(node, text) : '';
    if (callee === 'wasm_engine_new_with_config' || callee === 'wasm_engine_new') {
      addEngine(node, callArguments(node).slice(0, 1), callee === 'wasm_engine_new');
    } else if (C_MODULE_LOADS.has(callee)) {
      moduleLoads.push({ runtime: 'wasmtime', api: callee, span: spanOf(node), context: contexts.contextOf(node) });
    } else if (cpp) {
      for (const engine of cppConstructions(node, text, CPP_ENGINE_TYPE))
        addEngine(engine.anchor, engine.arguments, engine.arguments.length === 0);
      const load = node.type === 'call_expression' ? cppModuleLoad(node, text) : undefined;
      if (load)
        moduleLoads.push({ runtime: 'wasmtime', api: load, span: spanOf(field(node, 'function')!), context: contexts.contextOf(node) });
    }
  }

  const mentions = configs.length + engines.length + moduleLoads.length > 0 || /\bwasmtime\b/.test(text);
  const settingsSet = [
    ...new Set(
      all
        .filter((n) => n.type === 'call_expression')
        .map((call) => {
          const callee = field(call, 'function');
          if (callee?.type === 'field_expression') return nodeText(text, field(callee, 'field'));
          return /^wasmtime_config_(\w+)_set$/.exec(cCallee(call, text))?.[1];
        })
        .filter((name): name is string => name !== undefined),
    ),
  ];
  return {
    path,
    language,
    runtimes: mentions ? ['wasmtime'] : [],
    hasSyntaxErrors,
    windowsOnly: false,
    configs,
    engines,
    moduleLoads,
    wazeroRuntimes: [],
    instantiations: [],
    imports: { imported: [] },
    settingsSet,
  };
}

/** `wasmtime_config_x_set(config, v)` and `config.x(v)` calls after the binding; escapes through other calls. */
function configUsage(scope: SyntaxNode, binding: Binding, text: string): { setters: SetterCall[]; escapes: boolean; returned: boolean } {
  const setters: SetterCall[] = [];
  let escapes = false;
  let returned = false;
  for (const node of descendants(scope)) {
    if (
      node.type === 'return_statement' &&
      node.start > binding.statement.end &&
      nodeText(text, node)!.replace(/\s+/g, ' ') === `return ${binding.variable};`
    )
      returned = true;
  }
  for (const node of descendants(scope)) {
    if (node.start < binding.statement.end || node.type !== 'identifier' || nodeText(text, node) !== binding.variable) continue;
    const parent = node.parent;
    if (
      parent?.type === 'field_expression' &&
      node.field === 'argument' &&
      parent.parent?.type === 'call_expression' &&
      parent.field === 'function'
    ) {
      const args = field(parent.parent, 'arguments');
      if (args)
        setters.push({
          setting: nodeText(text, field(parent, 'field')) ?? '',
          ...argumentsInside(text, args),
          span: spanOf(parent.parent),
        });
      continue;
    }
    // `configure(&config)` hands it over as surely as `configure(config)`.
    const argument = parent?.type === 'pointer_expression' ? parent : node;
    const list = argument.parent;
    if (list?.type === 'argument_list' && list.parent?.type === 'call_expression') {
      const callee = cCallee(list.parent, text);
      const setter = /^wasmtime_config_(\w+)_set$/.exec(callee);
      if (setter && list.children[0] === argument) {
        const value = list.children[1];
        setters.push({
          setting: setter[1]!,
          argumentText: nodeText(text, value) ?? '',
          argumentSpan: value ? spanOf(value) : spanOf(list.parent),
          span: spanOf(list.parent),
        });
      } else if (!CONFIG_CONSUMERS.test(callee)) {
        escapes = true;
      }
    }
  }
  return { setters, escapes, returned };
}
