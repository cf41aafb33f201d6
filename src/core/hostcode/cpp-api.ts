/**
 * The forms in which C++ code builds wasmtime's C++ API objects (`wasmtime.hh`), read
 * from the C++ grammar's tree:
 *   `wasmtime::Config config;`  `Config config{};`          a declaration of the type;
 *   `Engine engine(std::move(config));`  `Engine engine{…};` one with constructor arguments;
 *   `Config config = Config();`  `auto config = wasmtime::Config();`  `Engine{…}`  an expression.
 * `Engine engine(config);` is the "most vexing parse": without knowing that `config` is a
 * variable the grammar reads a function declaration with a parameter of type `config`;
 * inside a function body that reading is taken as the constructor call it almost always is.
 */
import { field, nodeText } from './syntax';
import type { SyntaxNode } from './tree-sitter';

export const CPP_CONFIG_TYPE = /^(?:(?:::)?wasmtime::)?Config$/;
export const CPP_ENGINE_TYPE = /^(?:(?:::)?wasmtime::)?Engine$/;
const CPP_MODULE_LOAD = /(?:^|::)((?:Module|Component)::(?:compile|deserialize|deserialize_file))$/;

/** Where a value ends up: the variable and the statement that binds it. */
export interface Binding {
  readonly variable: string;
  readonly statement: SyntaxNode;
}

export interface CppConstruction {
  /** What the fact points at: the declaration, or the constructor expression. */
  readonly anchor: SyntaxNode;
  /** The type as written, without whitespace (`wasmtime::Config`). */
  readonly typeName: string;
  /** Constructor arguments; empty for a default-constructed object. */
  readonly arguments: readonly SyntaxNode[];
  readonly binding?: Binding;
}

/** A name as written without whitespace or template arguments (`std :: move` → `std::move`). */
export function compactName(text: string, node: SyntaxNode | undefined): string {
  return (nodeText(text, node) ?? '').replace(/\s+/g, '').replace(/<[\s\S]*$/, '');
}

/** The declarator one level in; reference and pointer declarators hold theirs without a field name. */
export function innerDeclarator(declarator: SyntaxNode): SyntaxNode | undefined {
  return (
    field(declarator, 'declarator') ??
    (/^(?:reference|pointer)_declarator$/.test(declarator.type) ? declarator.children[declarator.children.length - 1] : undefined)
  );
}

/** The variable a declaration or assignment binds `value` to, and its statement (C and C++ trees alike). */
export function bindingOf(value: SyntaxNode, text: string): Binding | undefined {
  const parent = value.parent;
  if (parent?.type === 'init_declarator' && value.field === 'value') {
    const variable = declaredVariable(parent);
    const statement = parent.parent;
    return variable && statement?.type === 'declaration' ? { variable: nodeText(text, variable)!, statement } : undefined;
  }
  if (parent?.type === 'assignment_expression' && value.field === 'right' && parent.parent?.type === 'expression_statement') {
    const left = field(parent, 'left');
    return left?.type === 'identifier' ? { variable: nodeText(text, left)!, statement: parent.parent } : undefined;
  }
  return undefined;
}

function declaredVariable(declarator: SyntaxNode): SyntaxNode | undefined {
  let current: SyntaxNode | undefined = declarator;
  while (current && current.type !== 'identifier') current = innerDeclarator(current);
  return current;
}

function argumentNodes(list: SyntaxNode | undefined): SyntaxNode[] {
  return list?.children.filter((n) => n.type !== 'comment') ?? [];
}

/** Inside a function body, where `T name(x);` is an object, not a function declaration. */
function inFunctionBody(declaration: SyntaxNode): boolean {
  return declaration.parent?.type === 'compound_statement';
}

/** `Engine engine(config)` read as a declarator: the "parameter" types are the argument names. */
function vexingArguments(declarator: SyntaxNode): SyntaxNode[] | undefined {
  const parameters = argumentNodes(field(declarator, 'parameters'));
  const types = parameters.map((p) =>
    p.type === 'parameter_declaration' && p.children.length === 1 && p.children[0]!.type === 'type_identifier' ? p.children[0] : undefined,
  );
  return types.every((t) => t !== undefined) ? types : undefined;
}

/** The objects of a type matching `typePattern` that `node` constructs (several for `Config a, b;`). */
export function cppConstructions(node: SyntaxNode, text: string, typePattern: RegExp): CppConstruction[] {
  if (node.type === 'declaration') {
    const typeName = compactName(text, field(node, 'type'));
    if (!typePattern.test(typeName)) return [];
    const out: CppConstruction[] = [];
    for (const declarator of node.children.filter((child) => child.field === 'declarator')) {
      const construction = declaredObject(declarator, node, text);
      if (construction)
        out.push({
          anchor: node,
          typeName,
          arguments: construction.arguments,
          binding: { variable: construction.variable, statement: node },
        });
    }
    return out;
  }
  if (node.type === 'call_expression' || node.type === 'compound_literal_expression') {
    const typeNode = field(node, node.type === 'call_expression' ? 'function' : 'type');
    const typeName = compactName(text, typeNode);
    if (!typePattern.test(typeName)) return [];
    const binding = bindingOf(node, text);
    const args = argumentNodes(field(node, node.type === 'call_expression' ? 'arguments' : 'value'));
    return [{ anchor: node, typeName, arguments: args, ...(binding ? { binding } : {}) }];
  }
  return [];
}

function declaredObject(
  declarator: SyntaxNode,
  declaration: SyntaxNode,
  text: string,
): { variable: string; arguments: SyntaxNode[] } | undefined {
  if (declarator.type === 'identifier') return { variable: nodeText(text, declarator)!, arguments: [] };
  if (declarator.type === 'init_declarator') {
    const value = field(declarator, 'value');
    const name = field(declarator, 'declarator');
    // `T x = T(…)` is left to the expression it is initialised with.
    if (name?.type !== 'identifier' || (value?.type !== 'argument_list' && value?.type !== 'initializer_list')) return undefined;
    return { variable: nodeText(text, name)!, arguments: argumentNodes(value) };
  }
  if (declarator.type === 'function_declarator' && inFunctionBody(declaration)) {
    const name = field(declarator, 'declarator');
    const args = vexingArguments(declarator);
    return name?.type === 'identifier' && args ? { variable: nodeText(text, name)!, arguments: args } : undefined;
  }
  return undefined;
}

/** `Module::compile(engine, bytes)` and kin: the API as written without a namespace, or undefined. */
export function cppModuleLoad(call: SyntaxNode, text: string): string | undefined {
  const callee = field(call, 'function');
  return callee?.type === 'qualified_identifier' ? CPP_MODULE_LOAD.exec(compactName(text, callee))?.[1] : undefined;
}
