/**
 * Where a wasm crate's own Rust code has work that SIMD speeds up. `+simd128` is a trade-off
 * (a module built with it does not load on a host without SIMD), so `missing-simd128` asks for
 * it only where it pays: hot loops over arrays and slices, not the request glue of a hello-world
 * component. Read from the syntax tree, so comments, strings and macros' text never count.
 */
import { descendants, field, spanOf } from '../hostcode/syntax';
import type { SyntaxNode } from '../hostcode/tree-sitter';
import type { Span } from '../model';

export type DataParallelKind = 'explicit-simd' | 'indexed-loop' | 'iterator-arithmetic';

export interface DataParallelSite {
  readonly kind: DataParallelKind;
  readonly span: Span;
}

/**
 * Portable `std::simd`, and the SIMD part of `core::arch::wasm32`: the `v128` type and the lane
 * intrinsics (`f32x4_add`, `v128_load`, `u8x16_splat`). The module's other items
 * (`memory_grow`, `unreachable`) are not SIMD.
 */
const PORTABLE_SIMD_PATH = /^(?:core|std)::simd(?:::|$)/;
const WASM_SIMD_NAME = /^(?:v128(?:_\w+)?|[iuf](?:8x16|16x8|32x4|64x2)(?:_\w+)?)$/;
/** `#[cfg(target_feature = "simd128")]` or `#[target_feature(enable = "simd128")]`, not the `not(…)` fallback. */
const SIMD128_GATE = /^#!?\[\s*(?:cfg\s*\(\s*target_feature\s*=\s*"simd128"|target_feature\s*\(\s*enable\s*=\s*"simd128")/;

const LOOPS = new Set(['for_expression', 'while_expression', 'loop_expression']);
/** Operators LLVM's loop vectorizer turns into lane-wise instructions; comparisons and `&&`/`||` are not among them. */
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>']);
/** Iterator sources over a slice's elements (not over characters, keys or lines). */
const ELEMENT_ITERATORS = new Set([
  'iter',
  'iter_mut',
  'into_iter',
  'chunks',
  'chunks_exact',
  'chunks_mut',
  'chunks_exact_mut',
  'windows',
  'zip',
]);
/** Adapters whose closure runs once per element, and reductions that fold the elements. */
const ELEMENT_ADAPTERS = new Set(['map', 'for_each', 'fold', 'zip']);
const REDUCTIONS = new Set(['sum', 'product']);

/** The operator of a binary or compound-assignment node, read between its operands. */
function operatorOf(text: string, node: SyntaxNode): string | undefined {
  const left = field(node, 'left');
  const right = field(node, 'right');
  if (!left || !right) return undefined;
  const operator = text.slice(left.end, right.start).trim();
  return node.type === 'compound_assignment_expr' ? operator.replace(/=$/, '') : operator;
}

function isArithmetic(text: string, node: SyntaxNode): boolean {
  if (node.type !== 'binary_expression' && node.type !== 'compound_assignment_expr') return false;
  const operator = operatorOf(text, node);
  return operator !== undefined && ARITHMETIC.has(operator);
}

/**
 * Arithmetic on array or slice elements: an arithmetic node with an `a[i]` among its operands
 * (`out[i] = a[i] * k`, `sum += v[i]`). `buf[pos + 1]` is index arithmetic, not element
 * arithmetic, and does not count.
 */
function hasElementArithmetic(text: string, body: SyntaxNode): boolean {
  return descendants(body).some(
    (node) => isArithmetic(text, node) && node.children.some((operand) => operand.type === 'index_expression' || hasIndex(operand)),
  );
}

function hasIndex(node: SyntaxNode): boolean {
  if (node.type === 'index_expression') return true;
  // An index inside a nested index (`a[b[i]]`) or call arguments still reads an element.
  return node.type !== 'closure_expression' && node.children.some(hasIndex);
}

/** The method a call invokes (`map` for `xs.iter().map(f)`), and the expression it is called on. */
function methodCall(node: SyntaxNode, text: string): { name: string; receiver: SyntaxNode; call: SyntaxNode } | undefined {
  if (node.type !== 'call_expression') return undefined;
  const callee = field(node, 'function');
  if (callee?.type !== 'field_expression') return undefined;
  const name = field(callee, 'field');
  const receiver = field(callee, 'value');
  if (!name || !receiver) return undefined;
  return { name: text.slice(name.start, name.end), receiver, call: node };
}

/** Whether a method chain starts from an element iterator (`xs.iter()`, `a.chunks(4)`, `a.iter().zip(b)`). */
function iteratesElements(receiver: SyntaxNode, text: string): boolean {
  for (let current: SyntaxNode | undefined = receiver; current;) {
    const call = methodCall(current, text);
    if (!call) return false;
    if (ELEMENT_ITERATORS.has(call.name)) return true;
    current = call.receiver;
  }
  return false;
}

function isIteratorArithmetic(node: SyntaxNode, text: string): boolean {
  const call = methodCall(node, text);
  if (!call || !iteratesElements(call.receiver, text)) return false;
  if (REDUCTIONS.has(call.name)) return true;
  if (!ELEMENT_ADAPTERS.has(call.name)) return false;
  const closures = descendants(field(node, 'arguments') ?? node).filter((n) => n.type === 'closure_expression');
  return closures.some((closure) => descendants(closure).some((n) => isArithmetic(text, n)));
}

/**
 * The places in one Rust file that SIMD would speed up: the first explicit SIMD code, then the
 * outermost vectorizable loops, at most `limit` in all (a finding shows a few, not all).
 */
export function dataParallelSites(text: string, root: SyntaxNode, limit = 3): DataParallelSite[] {
  const explicit: DataParallelSite[] = [];
  const loops: DataParallelSite[] = [];
  for (const node of descendants(root)) {
    if (node.type === 'scoped_identifier' && node.parent?.type !== 'scoped_identifier') {
      if (PORTABLE_SIMD_PATH.test(text.slice(node.start, node.end).replace(/\s+/g, '')))
        explicit.push({ kind: 'explicit-simd', span: spanOf(node) });
    } else if ((node.type === 'identifier' || node.type === 'type_identifier') && WASM_SIMD_NAME.test(text.slice(node.start, node.end))) {
      explicit.push({ kind: 'explicit-simd', span: spanOf(node) });
    } else if (node.type === 'attribute_item' && SIMD128_GATE.test(text.slice(node.start, node.end))) {
      explicit.push({ kind: 'explicit-simd', span: spanOf(node) });
    } else if (LOOPS.has(node.type)) {
      const body = field(node, 'body');
      if (body && hasElementArithmetic(text, body)) loops.push({ kind: 'indexed-loop', span: spanOf(node) });
    } else if (isIteratorArithmetic(node, text)) {
      loops.push({ kind: 'iterator-arithmetic', span: spanOf(node) });
    }
  }
  return [...explicit.slice(0, 1), ...withoutNested(loops)].slice(0, limit);
}

/** An inner loop inside a reported loop adds nothing: keep the outermost. */
function withoutNested(sites: readonly DataParallelSite[]): DataParallelSite[] {
  return sites.filter(
    (site) => !sites.some((other) => other !== site && other.span.start <= site.span.start && site.span.end <= other.span.end),
  );
}
