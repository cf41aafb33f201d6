import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataParallelSites } from '../../src/core/cargo/data-parallel';
import { parse } from '../hostcode/parse';

async function sitesOf(text: string): Promise<{ kind: string; text: string }[]> {
  const { root } = await parse('rust', text);
  return dataParallelSites(text, root).map((site) => ({
    kind: site.kind,
    text: text.slice(site.span.start, site.span.end).split('\n')[0]!,
  }));
}

describe('data-parallel code in a wasm crate', () => {
  it('finds element arithmetic in indexed loops, once per outermost loop', async () => {
    const text = [
      'pub fn blur(src: &[u8], dst: &mut [u8], w: usize) {',
      '    for y in 1..w - 1 {',
      '        for x in 1..w - 1 {',
      '            dst[y * w + x] = ((src[y * w + x - 1] as u16 + src[y * w + x + 1] as u16) / 2) as u8;',
      '        }',
      '    }',
      '}',
    ].join('\n');
    assert.deepEqual(await sitesOf(text), [{ kind: 'indexed-loop', text: '    for y in 1..w - 1 {'.trim() }]);
  });

  it('finds reductions and arithmetic closures over slice iterators', async () => {
    const text = [
      'pub fn dot(a: &[f32], b: &[f32]) -> f32 { a.iter().zip(b).map(|(x, y)| x * y).sum() }',
      'pub fn scale(a: &mut [f32], k: f32) { a.iter_mut().for_each(|x| *x *= k); }',
    ].join('\n');
    assert.deepEqual(
      (await sitesOf(text)).map((s) => s.kind),
      ['iterator-arithmetic', 'iterator-arithmetic'],
    );
  });

  it('puts explicit SIMD first: wasm32 intrinsics or code gated on simd128, not the not(simd128) fallback', async () => {
    const fallbackOnly = '#[cfg(not(target_feature = "simd128"))]\npub fn f() {}';
    assert.deepEqual(await sitesOf(fallbackOnly), []);
    const gated = '#[cfg(target_feature = "simd128")]\nfn g() { use core::arch::wasm32::*; }';
    assert.deepEqual(await sitesOf(gated), [{ kind: 'explicit-simd', text: '#[cfg(target_feature = "simd128")]' }]);
    assert.equal((await sitesOf('fn h() { let v = std::arch::wasm32::i32x4_splat(1); }'))[0]?.kind, 'explicit-simd');
    assert.equal((await sitesOf('fn h(p: *const v128) {}'))[0]?.kind, 'explicit-simd');
    // The rest of core::arch::wasm32 is not SIMD.
    assert.deepEqual(await sitesOf('fn grow() { core::arch::wasm32::memory_grow(0, 1); core::arch::wasm32::unreachable(); }'), []);
  });

  it('ignores glue: loops without element arithmetic, index arithmetic, string and header handling', async () => {
    const text = [
      'fn handle(req: Request) -> Response {',
      '    let mut n = 0;',
      '    for (name, value) in req.headers() { println!("{name}: {value}"); n += 1; }',
      '    let mut pos = 0;',
      "    while pos < buf.len() { if buf[pos + 1] == b'\\n' { break; } pos += 1; }",
      '    let names: Vec<String> = items.iter().map(|i| i.name.clone()).collect();',
      '    let hash = name.chars().fold(0u32, |h, c| h * 31 + c as u32);',
      '    // for i in 0..n { out[i] = a[i] * b[i]; }',
      '    Response::new(format!("{n} {}", "a[i] * 2"))',
      '}',
    ].join('\n');
    assert.deepEqual(await sitesOf(text), []);
  });
});
