/** Helpers over the plain syntax tree that every language extractor shares. */
import type { Span } from '../model';
import type { CodeContext, ConfigFact, InsertionPoint } from './model';
import type { SyntaxNode } from './tree-sitter';

export function spanOf(node: SyntaxNode): Span {
  return { start: node.start, end: node.end };
}

export function nodeText(text: string, node: SyntaxNode | undefined): string | undefined {
  return node ? text.slice(node.start, node.end) : undefined;
}

export function field(node: SyntaxNode, name: string): SyntaxNode | undefined {
  return node.children.find((child) => child.field === name);
}

export function firstOfType(node: SyntaxNode, type: string): SyntaxNode | undefined {
  return node.children.find((child) => child.type === type);
}

/** Every node under `root` (pre-order), without recursion. */
export function descendants(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    out.push(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return out;
}

export function* ancestors(node: SyntaxNode): Generator<SyntaxNode> {
  for (let current = node.parent; current; current = current.parent) yield current;
}

/** The nearest ancestor of one of `types` (a function, say), or `fallback` (the file) if none. */
export function enclosing(node: SyntaxNode, types: readonly string[], fallback: SyntaxNode): SyntaxNode {
  for (const ancestor of ancestors(node)) if (types.includes(ancestor.type)) return ancestor;
  return fallback;
}

/**
 * The config that `name` refers to at `use`: the last one bound to that name inside
 * `scope` before `use`. `anchors[i]` is where config `i` is bound.
 */
export function configBoundBefore(
  configs: readonly ConfigFact[],
  anchors: readonly SyntaxNode[],
  name: string | undefined,
  scope: SyntaxNode,
  use: SyntaxNode,
): number | undefined {
  let found: number | undefined;
  configs.forEach((config, index) => {
    const anchor = anchors[index]!;
    if (
      name !== undefined &&
      config.variable === name &&
      anchor.start >= scope.start &&
      anchor.end <= scope.end &&
      anchor.start < use.start
    )
      found = index;
  });
  return found;
}

export function nextNamedSibling(node: SyntaxNode): SyntaxNode | undefined {
  return node.parent?.children[node.index + 1];
}

/** All siblings before `node`, nearest last. */
export function previousSiblings(node: SyntaxNode): SyntaxNode[] {
  return node.parent?.children.slice(0, node.index) ?? [];
}

export function previousSibling(node: SyntaxNode): SyntaxNode | undefined {
  return node.index > 0 ? node.parent?.children[node.index - 1] : undefined;
}

/** The span between `start` and `end` without surrounding whitespace (an argument list's inside). */
export function trimmedSpan(text: string, start: number, end: number): Span {
  let from = start;
  let to = end;
  while (from < to && /\s/.test(text[from]!)) from++;
  while (to > from && /\s/.test(text[to - 1]!)) to--;
  return { start: from, end: to };
}

/** A setter's argument text and span: the inside of its argument list. */
export function argumentsInside(text: string, argumentList: SyntaxNode): { argumentText: string; argumentSpan: Span } {
  const argumentSpan = trimmedSpan(text, argumentList.start + 1, argumentList.end - 1);
  return { argumentText: text.slice(argumentSpan.start, argumentSpan.end), argumentSpan };
}

export function lineEndingOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The leading whitespace of the line that contains `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset + 1))![0];
}

/**
 * Where a new statement goes right after `statement`: the start of the next line, with
 * the statement's indentation. Undefined when the statement shares its line with other
 * code (`if x: config = Config()`, `{ let c = Config::new(); }`), where a line-based
 * insertion could land outside the block. `commentLeaders` are the line comment tokens.
 */
export function insertionAfter(text: string, statement: SyntaxNode, commentLeaders: readonly string[]): InsertionPoint | undefined {
  const lineStart = text.lastIndexOf('\n', statement.start - 1) + 1;
  if (text.slice(lineStart, statement.start).trim() !== '') return undefined;
  const newline = text.indexOf('\n', statement.end);
  const lineEnd = newline < 0 ? text.length : newline;
  const rest = text.slice(statement.end, lineEnd).replace(/\r$/, '').trim();
  if (rest !== '' && !commentLeaders.some((leader) => rest.startsWith(leader))) return undefined;
  return {
    offset: newline < 0 ? text.length : newline + 1,
    indent: indentAt(text, statement.start),
    eol: lineEndingOf(text),
    needsLeadingBreak: newline < 0,
  };
}

/** Renders lines of code for an insertion point. */
export function insertedLines(point: InsertionPoint, lines: readonly string[], indent = point.indent): string {
  const body = lines.map((line) => `${indent}${line}${point.eol}`).join('');
  return point.needsLeadingBreak ? `${point.eol}${body.slice(0, -point.eol.length)}` : body;
}

/** What a language tells the context resolver about its syntax. */
export interface LanguageShape {
  readonly loopTypes: ReadonlySet<string>;
  /** Named functions and methods: the boundary of a `CodeContext`. */
  readonly functionTypes: ReadonlySet<string>;
  /** Closures, lambdas, function literals: transparent, but may mark per-item or per-request code. */
  readonly closureTypes: ReadonlySet<string>;
  readonly callType: string;
  functionName(fn: SyntaxNode, text: string): string | undefined;
  /** The simple name a call invokes (`load` for `self.load(..)`, `Module::new` → `new`). */
  calleeName(call: SyntaxNode, text: string): string | undefined;
  /** Why a named function probably runs per request, if it does. */
  handlerReason(fn: SyntaxNode, text: string): string | undefined;
  /** `ancestor` (reached from `child`) makes the code Windows-only. */
  isWindowsOnly(ancestor: SyntaxNode, child: SyntaxNode, text: string): boolean;
}

/** Iterator adapters whose closure runs once per item: a loop in all but name. */
const ITERATING_CALLEES = new Set([
  'map',
  'for_each',
  'filter_map',
  'flat_map',
  'try_for_each',
  'fold',
  'try_fold',
  'then',
  'par_iter',
  'into_par_iter',
  'forEach',
  'Range',
  'Walk',
  'WalkDir',
  'Glob',
]);

/**
 * Calls that register a callback run per request, message or connection. Thread and task
 * spawns are left out: spawned once they run once, and spawned per connection they sit
 * in the accept loop, which is seen as a loop.
 */
const HANDLER_REGISTRATIONS = new Set([
  'HandleFunc',
  'Handle',
  'HandlerFunc',
  'ServeHTTP',
  'service_fn',
  'make_service_fn',
  'service_fn_ok',
  'fn_service',
  'route',
  'get',
  'post',
  'put',
  'delete',
  'patch',
  'any',
  'to',
  'handler',
  'on',
  'subscribe',
  'add_url_rule',
  'add_route',
  'register',
  'listen',
  'serve',
  'Serve',
  'Get',
  'Post',
  'Put',
  'Delete',
  'Patch',
  'set_handler',
  'set_callback',
]);

/**
 * Names of functions that run once per request or message. A bare `serve` is left out: it is as
 * often the function that starts the server (`wasmtime serve`'s `ServeCommand::serve`) as one
 * that serves a connection; `serve_http`, `serve_request`, `serve_conn` and `ServeHTTP` count.
 */
export const HANDLER_NAME =
  /^(handle|serve_?(?:http|request|conn|connection|client)|on_?request|process_?request|on_?message|invoke|dispatch)|(handler|_request|Request|Handler|ServeHTTP)$/i;

interface LoopCall {
  /** The call that sits in a loop. */
  readonly call: SyntaxNode;
  /** The function that call invokes, when it is not the one asked about. */
  readonly through?: string;
}

interface FunctionInfo {
  readonly functionName?: string;
  readonly perRequest?: string;
  readonly windowsOnly: boolean;
}

/**
 * Computes `CodeContext`s for nodes of one file. It indexes the file's calls by callee
 * name once; whether a function is "called from a loop" (directly, or through up to two
 * more functions of the file) is then decided lazily, only for functions that contain
 * something a rule asks about.
 */
export class ContextResolver {
  private readonly callsByName = new Map<string, SyntaxNode[]>();
  private readonly loopCallOf = new Map<string, LoopCall | null>();
  private readonly cache = new Map<SyntaxNode, CodeContext>();
  private readonly functions = new Map<SyntaxNode, FunctionInfo>();

  /**
   * `testCode`: spans of test-only code in the file. A call from a loop there is taken only
   * when no production code calls the function from a loop (the loader drops it unless tests
   * are judged).
   */
  constructor(
    root: SyntaxNode,
    private readonly text: string,
    private readonly shape: LanguageShape,
    private readonly fileWindowsOnly: boolean,
    private readonly testCode: readonly Span[] = [],
  ) {
    for (const node of descendants(root)) {
      if (node.type !== shape.callType) continue;
      const name = shape.calleeName(node, text);
      if (!name) continue;
      const calls = this.callsByName.get(name);
      if (calls) calls.push(node);
      else this.callsByName.set(name, [node]);
    }
    for (const calls of this.callsByName.values()) calls.sort((a, b) => Number(this.inTestCode(a)) - Number(this.inTestCode(b)));
  }

  contextOf(node: SyntaxNode): CodeContext {
    const cached = this.cache.get(node);
    if (cached) return cached;
    const inner = this.innerContext(node);
    const context: CodeContext = { ...inner };
    if (inner.functionName && !inner.loop) {
      const found = this.callFromLoop(inner.functionName, inner.functionStart ?? -1, inner.functionEnd ?? -1, new Set());
      if (found) {
        Object.assign(context, {
          calledFromLoop: spanOf(found.call),
          ...(found.through ? { calledFromLoopThrough: found.through } : {}),
        });
      }
    }
    delete (context as { functionStart?: number }).functionStart;
    delete (context as { functionEnd?: number }).functionEnd;
    this.cache.set(node, context);
    return context;
  }

  private inTestCode(node: SyntaxNode): boolean {
    return this.testCode.some((span) => node.start >= span.start && node.end <= span.end);
  }

  /**
   * A call of `name`, outside the function itself, that sits in a loop; else a call of it from
   * a function that is itself called from a loop (two more levels at most). Production calls
   * come before calls in test code.
   */
  private callFromLoop(name: string, functionStart: number, functionEnd: number, visiting: Set<string>): LoopCall | undefined {
    let found = this.loopCallOf.get(name);
    if (found === undefined) {
      found = null;
      if (visiting.size < 3) {
        visiting.add(name);
        for (const call of this.callsByName.get(name) ?? []) {
          const caller = this.innerContext(call);
          if (caller.loop) {
            found = { call };
            break;
          }
          if (!caller.functionName || visiting.has(caller.functionName)) continue;
          const outer = this.callFromLoop(caller.functionName, caller.functionStart ?? -1, caller.functionEnd ?? -1, visiting);
          if (outer && (!found || (this.inTestCode(found.call) && !this.inTestCode(outer.call)))) {
            found = { call: outer.call, through: outer.through ?? caller.functionName };
            if (!this.inTestCode(outer.call)) break;
          }
        }
        visiting.delete(name);
        // A result cut short by the depth limit is not cached: another path may reach it sooner.
        if (found || visiting.size === 0) this.loopCallOf.set(name, found);
      }
    }
    return found && !(found.call.start >= functionStart && found.call.end <= functionEnd) ? found : undefined;
  }

  /** What holds for a whole function: its name, whether it is a handler, whether it is Windows-only. */
  private functionInfo(fn: SyntaxNode): FunctionInfo {
    const cached = this.functions.get(fn);
    if (cached) return cached;
    const functionName = this.shape.functionName(fn, this.text);
    const perRequest = this.shape.handlerReason(fn, this.text);
    let windowsOnly = false;
    // Windows-only attributes may sit on the function or on anything above it.
    let below = fn;
    for (const outer of ancestors(fn)) {
      if (this.shape.isWindowsOnly(outer, below, this.text)) {
        windowsOnly = true;
        break;
      }
      below = outer;
    }
    const info = { ...(functionName ? { functionName } : {}), ...(perRequest ? { perRequest } : {}), windowsOnly };
    this.functions.set(fn, info);
    return info;
  }

  private innerContext(node: SyntaxNode): CodeContext & { functionStart?: number; functionEnd?: number } {
    let loop: Span | undefined;
    let perRequest: string | undefined;
    let windowsOnly = this.fileWindowsOnly;
    let child = node;
    for (const ancestor of ancestors(node)) {
      if (!windowsOnly && this.shape.isWindowsOnly(ancestor, child, this.text)) windowsOnly = true;
      if (this.shape.loopTypes.has(ancestor.type) && !loop && isInsideLoopBody(ancestor, child)) loop = spanOf(ancestor);
      if (this.shape.closureTypes.has(ancestor.type)) {
        const call = enclosingCallOfArgument(ancestor, this.shape.callType);
        const callee = call ? this.shape.calleeName(call, this.text) : undefined;
        if (callee && ITERATING_CALLEES.has(callee) && !loop) loop = spanOf(call!);
        else if (callee && HANDLER_REGISTRATIONS.has(callee) && !perRequest) perRequest = `a callback passed to \`${callee}\``;
      }
      if (this.shape.functionTypes.has(ancestor.type)) {
        const fn = this.functionInfo(ancestor);
        perRequest ??= fn.perRequest;
        return {
          ...(fn.functionName ? { functionName: fn.functionName } : {}),
          ...(loop ? { loop } : {}),
          ...(perRequest ? { perRequest } : {}),
          windowsOnly: windowsOnly || fn.windowsOnly,
          functionStart: ancestor.start,
          functionEnd: ancestor.end,
        };
      }
      child = ancestor;
    }
    return { ...(loop ? { loop } : {}), ...(perRequest ? { perRequest } : {}), windowsOnly };
  }
}

/** Only a loop's body and per-iteration header parts repeat; its initializer and iterable run once. */
function isInsideLoopBody(_loop: SyntaxNode, child: SyntaxNode): boolean {
  return child.field === 'body' || child.field === 'condition' || child.field === 'update';
}

/** The call that `closure` is an argument of (possibly through an argument list node). */
function enclosingCallOfArgument(closure: SyntaxNode, callType: string): SyntaxNode | undefined {
  let current = closure.parent;
  for (let depth = 0; current && depth < 3; depth++, current = current.parent) {
    if (current.type === callType) return current;
    if (!/argument|arguments|argument_list|keyword_argument/.test(current.type)) return undefined;
  }
  return undefined;
}
