/**
 * Evaluates the `cfg(...)` keys of `[target.'cfg(...)']` config tables for a wasm target
 * triple, the way cargo matches them against `rustc --print=cfg` (facts §7.1).
 * Unknown predicates (features, `debug_assertions`, `test`) are false, as cargo documents.
 */
type CfgExpr =
  | { readonly kind: 'all' | 'any'; readonly items: readonly CfgExpr[] }
  | { readonly kind: 'not'; readonly item: CfgExpr }
  | { readonly kind: 'name'; readonly name: string; readonly value?: string };

/** Target features that LLVM's `generic` wasm CPU enables by default in current Rust (facts §9). */
const DEFAULT_WASM_FEATURES = [
  'bulk-memory',
  'bulk-memory-opt',
  'call-indirect-overlong',
  'multivalue',
  'mutable-globals',
  'nontrapping-fptoint',
  'reference-types',
  'sign-ext',
];

/** The `rustc --print=cfg` values of a wasm triple that config keys can match on. */
export function wasmCfgValues(triple: string): Map<string, Set<string>> {
  const [arch = 'wasm32', ...rest] = triple.split('-');
  const osPart = rest.join('-');
  const os =
    osPart.startsWith('wasi') || osPart.startsWith('unknown-wasi')
      ? 'wasi'
      : osPart === 'unknown-emscripten'
        ? 'emscripten'
        : osPart === 'none' || osPart === 'v1-none'
          ? 'none'
          : 'unknown';
  const env = /wasip1/.test(triple) ? 'p1' : /wasip2/.test(triple) ? 'p2' : '';
  const values = new Map<string, Set<string>>([
    ['target_arch', new Set([arch.startsWith('wasm64') ? 'wasm64' : 'wasm32'])],
    ['target_family', new Set(['wasm'])],
    ['target_os', new Set([os])],
    ['target_env', new Set([env])],
    ['target_vendor', new Set(['unknown'])],
    ['target_endian', new Set(['little'])],
    ['target_pointer_width', new Set([arch.startsWith('wasm64') ? '64' : '32'])],
    ['panic', new Set(['abort'])],
    ['target_feature', new Set(triple === 'wasm32v1-none' ? ['mutable-globals'] : DEFAULT_WASM_FEATURES)],
  ]);
  if (triple.includes('threads')) values.get('target_feature')!.add('atomics');
  return values;
}

/** Whether a `[target.<key>]` table key applies to `triple`; undefined when the key is not a cfg. */
export function cfgMatches(key: string, triple: string): boolean | undefined {
  const trimmed = key.trim();
  if (!trimmed.startsWith('cfg(') || !trimmed.endsWith(')')) return undefined;
  const expr = parseCfg(trimmed.slice(4, -1));
  return expr ? evaluate(expr, wasmCfgValues(triple)) : false;
}

function evaluate(expr: CfgExpr, values: Map<string, Set<string>>): boolean {
  switch (expr.kind) {
    case 'all':
      return expr.items.every((item) => evaluate(item, values));
    case 'any':
      return expr.items.some((item) => evaluate(item, values));
    case 'not':
      return !evaluate(expr.item, values);
    case 'name': {
      // Bare names are `unix`, `windows`, `test`, `debug_assertions`: none holds for a wasm target build.
      if (expr.value === undefined) return false;
      return values.get(expr.name)?.has(expr.value) ?? false;
    }
  }
}

const TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|"((?:[^"\\]|\\.)*)"|([(),=]))/y;

/** Parses a cfg predicate; undefined when it is malformed (cargo would reject it). */
export function parseCfg(source: string): CfgExpr | undefined {
  const tokens: { ident?: string; str?: string; punct?: string }[] = [];
  TOKEN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (TOKEN.lastIndex < source.length && (match = TOKEN.exec(source))) {
    if (match[1] !== undefined) tokens.push({ ident: match[1] });
    else if (match[2] !== undefined) tokens.push({ str: match[2] });
    else tokens.push({ punct: match[3]! });
  }
  if (source.slice(TOKEN.lastIndex).trim().length > 0) return undefined;
  let i = 0;
  const parse = (): CfgExpr | undefined => {
    const head = tokens[i++];
    if (!head?.ident) return undefined;
    if ((head.ident === 'all' || head.ident === 'any' || head.ident === 'not') && tokens[i]?.punct === '(') {
      i++;
      const items: CfgExpr[] = [];
      while (tokens[i] && tokens[i]!.punct !== ')') {
        const item = parse();
        if (!item) return undefined;
        items.push(item);
        if (tokens[i]?.punct === ',') i++;
      }
      if (tokens[i++]?.punct !== ')') return undefined;
      if (head.ident === 'not') return items.length === 1 ? { kind: 'not', item: items[0]! } : undefined;
      return { kind: head.ident, items };
    }
    if (tokens[i]?.punct === '=') {
      i++;
      const value = tokens[i++];
      return value?.str !== undefined ? { kind: 'name', name: head.ident, value: value.str } : undefined;
    }
    return { kind: 'name', name: head.ident };
  };
  const expr = parse();
  return expr && i === tokens.length ? expr : undefined;
}
