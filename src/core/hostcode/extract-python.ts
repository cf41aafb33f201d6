/** Facts about wasmtime-py embeddings in Python source. */
import type { ConfigFact, EngineFact, HostFileFacts, ImportFacts, ModuleLoadFact, SetterCall } from './model';
import {
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

const WINDOWS_TEST = /^(?:sys\.platform\s*==\s*["']win32["']|os\.name\s*==\s*["']nt["']|platform\.system\(\)\s*==\s*["']Windows["'])$/;
const ROUTE_DECORATOR = /\.(?:route|get|post|put|delete|patch|websocket|api_route|on_event|task)\s*\(/;
const MODULE_LOADS = new Set(['Module', 'Module.from_file', 'Module.deserialize', 'Module.deserialize_file']);

const shape: LanguageShape = {
  loopTypes: new Set([
    'for_statement',
    'while_statement',
    'list_comprehension',
    'set_comprehension',
    'dictionary_comprehension',
    'generator_expression',
  ]),
  functionTypes: new Set(['function_definition']),
  closureTypes: new Set(['lambda']),
  callType: 'call',
  functionName: (fn, text) => nodeText(text, field(fn, 'name')),
  calleeName(call, text) {
    const callee = field(call, 'function');
    if (callee?.type === 'identifier') return nodeText(text, callee);
    if (callee?.type === 'attribute') return nodeText(text, field(callee, 'attribute'));
    return undefined;
  },
  handlerReason(fn, text) {
    const name = nodeText(text, field(fn, 'name')) ?? '';
    const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
    const route = decorated?.children
      .filter((n) => n.type === 'decorator')
      .map((n) => nodeText(text, n) ?? '')
      .find((d) => ROUTE_DECORATOR.test(d));
    if (route) return `\`${name}\` is routed by \`${route.trim()}\``;
    if (HANDLER_NAME.test(name)) return `\`${name}\` looks like a request handler`;
    if (/\brequest\b/.test(nodeText(text, field(fn, 'parameters')) ?? '')) return `\`${name}\` takes a request`;
    return undefined;
  },
  isWindowsOnly(ancestor, child, text) {
    return (
      ancestor.type === 'if_statement' &&
      child.field === 'consequence' &&
      WINDOWS_TEST.test((nodeText(text, field(ancestor, 'condition')) ?? '').replace(/\s+/g, ' '))
    );
  },
};

interface WasmtimeNames {
  /** Local name → wasmtime class (`Config`, `Engine`, `Module`). */
  readonly classes: Map<string, string>;
  /** Local names of the `wasmtime` module itself. */
  readonly modules: Set<string>;
}

function wasmtimeNames(root: SyntaxNode, text: string): WasmtimeNames {
  const classes = new Map<string, string>();
  const modules = new Set<string>();
  for (const statement of descendants(root)) {
    if (statement.type === 'import_statement') {
      for (const name of statement.children.filter((n) => n.field === 'name')) {
        if (name.type === 'dotted_name' && nodeText(text, name) === 'wasmtime') modules.add('wasmtime');
        if (name.type === 'aliased_import' && nodeText(text, field(name, 'name')) === 'wasmtime')
          modules.add(nodeText(text, field(name, 'alias'))!);
      }
    } else if (statement.type === 'import_from_statement' && nodeText(text, field(statement, 'module_name')) === 'wasmtime') {
      for (const name of statement.children.filter((n) => n.field === 'name')) {
        if (name.type === 'dotted_name') classes.set(nodeText(text, name)!, nodeText(text, name)!);
        if (name.type === 'aliased_import') classes.set(nodeText(text, field(name, 'alias'))!, nodeText(text, field(name, 'name'))!);
      }
    }
  }
  return { classes, modules };
}

/** `Config`, `Module.from_file`… for a callee that refers to wasmtime, else undefined. */
function wasmtimeApi(callee: SyntaxNode | undefined, names: WasmtimeNames, text: string): string | undefined {
  if (!callee) return undefined;
  if (callee.type === 'identifier') return names.classes.get(nodeText(text, callee)!);
  if (callee.type !== 'attribute') return undefined;
  const object = field(callee, 'object');
  const attribute = nodeText(text, field(callee, 'attribute'))!;
  if (object?.type === 'identifier' && names.modules.has(nodeText(text, object)!)) return attribute;
  const owner = wasmtimeApi(object, names, text);
  return owner && !owner.includes('.') ? `${owner}.${attribute}` : undefined;
}

function importFacts(root: SyntaxNode, text: string): ImportFacts {
  const topLevel = root.children.filter(
    (n) => n.type === 'import_statement' || n.type === 'import_from_statement' || n.type === 'future_import_statement',
  );
  const imported = topLevel.flatMap((n) =>
    n.type === 'import_statement'
      ? n.children
          .filter((c) => c.field === 'name')
          .map((c) => (c.type === 'aliased_import' ? nodeText(text, field(c, 'alias'))! : nodeText(text, c)!))
      : [],
  );
  const last = topLevel[topLevel.length - 1];
  const importInsertion = last ? insertionAfter(text, last, ['#']) : undefined;
  const sysTaken = !imported.includes('sys') && descendants(root).some((n) => n.type === 'identifier' && nodeText(text, n) === 'sys');
  return { imported, ...(importInsertion ? { importInsertion } : {}), ...(sysTaken ? { takenNames: ['sys'] } : {}) };
}

export function extractPython(path: string, text: string, root: SyntaxNode, hasSyntaxErrors: boolean): HostFileFacts {
  const testSpans = testCode(root, text);
  const contexts = new ContextResolver(root, text, shape, false, testSpans);
  const names = wasmtimeNames(root, text);
  const calls = descendants(root).filter((n) => n.type === 'call');
  const configs: ConfigFact[] = [];
  const configStatements: SyntaxNode[] = [];
  const engines: EngineFact[] = [];
  const moduleLoads: ModuleLoadFact[] = [];

  for (const call of calls) {
    if (wasmtimeApi(field(call, 'function'), names, text) !== 'Config') continue;
    const assignment = call.parent?.type === 'assignment' && call.field === 'right' ? call.parent : undefined;
    const target = assignment ? field(assignment, 'left') : undefined;
    const statement = assignment?.parent?.type === 'expression_statement' ? assignment.parent : undefined;
    if (!statement || target?.type !== 'identifier') {
      configs.push({
        runtime: 'wasmtime',
        span: spanOf(call),
        constructorName: nodeText(text, field(call, 'function'))!,
        setters: [],
        escapes: true,
        returned: false,
        context: contexts.contextOf(call),
      });
      configStatements.push(call);
      continue;
    }
    const variable = nodeText(text, target)!;
    const usage = configUsage(enclosing(call, ['function_definition'], root), variable, statement, names, text);
    const insertAfter = insertionAfter(text, statement, ['#']);
    configs.push({
      runtime: 'wasmtime',
      variable,
      span: spanOf(call),
      constructorName: nodeText(text, field(call, 'function'))!,
      setters: usage.setters,
      ...(insertAfter ? { insertAfter } : {}),
      escapes: usage.escapes,
      returned: usage.returned,
      context: contexts.contextOf(call),
    });
    configStatements.push(statement);
  }

  for (const call of calls) {
    const api = wasmtimeApi(field(call, 'function'), names, text);
    if (api === 'Engine') {
      const args = field(call, 'arguments')?.children.filter((n) => n.type !== 'comment') ?? [];
      const first = args[0];
      const configIndex =
        first?.type === 'identifier'
          ? configBoundBefore(configs, configStatements, nodeText(text, first), enclosing(call, ['function_definition'], root), call)
          : undefined;
      engines.push({
        runtime: 'wasmtime',
        span: spanOf(call),
        ...(configIndex !== undefined ? { configIndex } : {}),
        usesDefaultConfig: args.length === 0,
        context: contexts.contextOf(call),
      });
    } else if (api && MODULE_LOADS.has(api)) {
      moduleLoads.push({ runtime: 'wasmtime', api, span: spanOf(call), context: contexts.contextOf(call) });
    }
  }

  const usesWasmtime = names.classes.size > 0 || names.modules.size > 0;
  const settingsSet = [
    ...new Set(
      descendants(root)
        .filter((n) => n.type === 'attribute' && n.field === 'left' && n.parent?.type === 'assignment')
        .map((n) => nodeText(text, field(n, 'attribute'))!),
    ),
  ];
  return {
    path,
    language: 'python',
    runtimes: usesWasmtime ? ['wasmtime'] : [],
    hasSyntaxErrors,
    windowsOnly: false,
    configs,
    engines,
    moduleLoads,
    wazeroRuntimes: [],
    instantiations: [],
    imports: importFacts(root, text),
    settingsSet,
    ...(testSpans.length > 0 ? { testSpans } : {}),
  };
}

/**
 * Test code in any file: pytest's test functions (`def test_*` at module level), functions
 * decorated by pytest (`@pytest.fixture`, `@pytest.mark.…`), and `unittest.TestCase` subclasses
 * or pytest's `Test*` classes.
 */
function testCode(root: SyntaxNode, text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (const statement of root.children) {
    const definition = statement.type === 'decorated_definition' ? field(statement, 'definition') : statement;
    const decorators = statement.type === 'decorated_definition' ? statement.children.filter((n) => n.type === 'decorator') : [];
    const name = nodeText(text, field(definition ?? statement, 'name')) ?? '';
    const isTest =
      decorators.some((d) => /^@\s*pytest\./.test(nodeText(text, d) ?? '')) ||
      (definition?.type === 'function_definition' && /^test(?:_|$)/.test(name)) ||
      (definition?.type === 'class_definition' &&
        (/^Test[A-Z_]/.test(name) || /\bTestCase\b/.test(nodeText(text, field(definition, 'superclasses')) ?? '')));
    if (isTest) spans.push(spanOf(statement));
  }
  return spans;
}

function configUsage(
  scope: SyntaxNode,
  variable: string,
  binding: SyntaxNode,
  names: WasmtimeNames,
  text: string,
): { setters: SetterCall[]; escapes: boolean; returned: boolean } {
  const setters: SetterCall[] = [];
  let escapes = false;
  let returned = false;
  for (const node of descendants(scope)) {
    if (node.start < binding.end || node.type !== 'identifier' || nodeText(text, node) !== variable) continue;
    const parent = node.parent;
    if (parent?.type === 'attribute' && node.field === 'object' && parent.parent?.type === 'assignment' && parent.field === 'left') {
      const right = field(parent.parent, 'right');
      setters.push({
        setting: nodeText(text, field(parent, 'attribute'))!,
        argumentText: nodeText(text, right) ?? '',
        argumentSpan: right ? spanOf(right) : spanOf(parent.parent),
        span: spanOf(parent.parent),
      });
      continue;
    }
    if (parent?.type === 'argument_list' && parent.parent?.type === 'call') {
      if (wasmtimeApi(field(parent.parent, 'function'), names, text) !== 'Engine') escapes = true;
    }
    if (parent?.type === 'return_statement') returned = true;
  }
  return { setters, escapes, returned };
}
