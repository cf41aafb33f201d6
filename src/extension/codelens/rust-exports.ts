/**
 * Finds the Rust functions a wasm build exports, for the "Benchmark" CodeLens: functions
 * marked `#[no_mangle]`, `#[export_name = "…"]` (both also inside `unsafe(…)`, the Rust 2024
 * spelling) and `pub` functions marked `#[wasm_bindgen]` (whose `js_name` renames the export).
 * Works on the host-code area's tree-sitter tree (src/core/hostcode/tree-sitter.ts), so
 * comments, strings and macros never confuse it the way a line scan would.
 */
import { descendants, field, firstOfType, nodeText, previousSiblings } from '../../core/hostcode/syntax';
import type { SyntaxNode } from '../../core/hostcode/tree-sitter';

export interface RustExport {
  /** The Rust function name. */
  readonly functionName: string;
  /** The name in the module's export section. */
  readonly exportName: string;
  /** Offsets of the item (attributes included), for placing the lens. */
  readonly start: number;
  readonly end: number;
  /** Parameter types as written (`u32`, `*const u8`). */
  readonly params: readonly string[];
}

const COMMENTS = new Set(['line_comment', 'block_comment']);
/** Methods: their export (if any) comes from the impl block's attribute, not handled here. */
const METHOD_CONTAINERS = new Set(['impl_item', 'trait_item']);

export function findRustExports(text: string, root: SyntaxNode): RustExport[] {
  const exports: RustExport[] = [];
  for (const node of descendants(root)) {
    if (node.type !== 'function_item') continue;
    if (node.parent?.type === 'declaration_list' && node.parent.parent && METHOD_CONTAINERS.has(node.parent.parent.type)) continue;
    const name = firstOfType(node, 'identifier');
    if (!name) continue;
    const functionName = text.slice(name.start, name.end);
    const attributes = attributesOf(node);
    const exportName = exportNameOf(text, node, functionName, attributes);
    if (exportName === undefined) continue;
    const parameters = field(node, 'parameters')?.children.filter((child) => child.type === 'parameter') ?? [];
    const params = parameters.map((parameter) => nodeText(text, field(parameter, 'type')) ?? '?');
    exports.push({ functionName, exportName, start: attributes[0]?.start ?? node.start, end: node.end, params });
  }
  return exports;
}

/** The attribute items directly above the item (comments between them allowed), first to last. */
function attributesOf(item: SyntaxNode): SyntaxNode[] {
  const attributes: SyntaxNode[] = [];
  for (const sibling of previousSiblings(item).reverse()) {
    if (sibling.type === 'attribute_item') attributes.unshift(sibling);
    else if (!COMMENTS.has(sibling.type)) break;
  }
  return attributes;
}

interface Attribute {
  readonly name: string;
  /** `= "value"` form. */
  readonly value?: SyntaxNode;
  /** `(…)` form. */
  readonly arguments?: SyntaxNode;
}

function exportNameOf(text: string, item: SyntaxNode, functionName: string, attributeItems: readonly SyntaxNode[]): string | undefined {
  const isPub = item.children.some((child) => child.type === 'visibility_modifier' && text.slice(child.start, child.end) === 'pub');
  for (const item of attributeItems) {
    const attribute = readAttribute(text, item);
    if (!attribute) continue;
    if (attribute.name === 'no_mangle') return functionName;
    if (attribute.name === 'export_name') {
      const literal = attribute.value ?? (attribute.arguments ? firstOfType(attribute.arguments, 'string_literal') : undefined);
      if (literal) return stringValue(text, literal);
    }
    if (attribute.name === 'wasm_bindgen' && isPub) return jsName(text, attribute.arguments) ?? functionName;
  }
  return undefined;
}

/** `#[path]`, `#[path = v]`, `#[path(args)]`, and `#[unsafe(inner)]` read as `inner`. */
function readAttribute(text: string, item: SyntaxNode): Attribute | undefined {
  const attribute = firstOfType(item, 'attribute');
  const path = attribute?.children[0];
  if (!attribute || !path) return undefined;
  const name = lastSegment(text.slice(path.start, path.end));
  const value = attribute.children.find((child) => child.field === 'value');
  const args = attribute.children.find((child) => child.field === 'arguments');
  if (name === 'unsafe' && args) {
    const inner = args.children[0];
    if (!inner || inner.type !== 'identifier') return undefined;
    // `unsafe(export_name = "x")`: the rest of the token tree is the value.
    return { name: text.slice(inner.start, inner.end), arguments: args };
  }
  return { name, ...(value ? { value } : {}), ...(args ? { arguments: args } : {}) };
}

function lastSegment(path: string): string {
  const parts = path.split('::');
  return (parts[parts.length - 1] ?? path).trim();
}

/** `js_name = "x"` or `js_name = x` inside `#[wasm_bindgen(…)]`. */
function jsName(text: string, args: SyntaxNode | undefined): string | undefined {
  if (!args) return undefined;
  const children = args.children;
  for (let i = 0; i < children.length - 1; i++) {
    const child = children[i]!;
    if (child.type !== 'identifier' || text.slice(child.start, child.end) !== 'js_name') continue;
    const next = children[i + 1]!;
    if (next.type === 'string_literal') return stringValue(text, next);
    if (next.type === 'identifier') return text.slice(next.start, next.end);
  }
  return undefined;
}

function stringValue(text: string, literal: SyntaxNode): string {
  const content = firstOfType(literal, 'string_content');
  return content ? text.slice(content.start, content.end) : '';
}
