/**
 * A crate's `src/lib.rs` with a loop SIMD vectorizes. The size and SIMD rules judge only crates
 * whose code would gain (see `cargo/crate-code.ts`), so test crates meant to be judged carry it.
 */
export const KERNEL_LIB_RS = [
  '/// Brightens pixels in place.',
  'pub fn brighten(pixels: &mut [u8], amount: u8) {',
  '    for i in 0..pixels.len() {',
  '        pixels[i] = pixels[i].saturating_add(amount) | (pixels[i] >> 7);',
  '    }',
  '}',
  '',
].join('\n');

/** `files` plus a kernel `src/lib.rs` beside every `Cargo.toml` that has no sources of its own. */
export function withKernels<T extends string | Uint8Array>(files: Record<string, T>): Record<string, T | string> {
  const out: Record<string, T | string> = { ...files };
  for (const name of Object.keys(files)) {
    if (!name.endsWith('Cargo.toml')) continue;
    const dir = name.slice(0, name.length - 'Cargo.toml'.length);
    if (!Object.keys(files).some((other) => other.startsWith(`${dir}src/`))) out[`${dir}src/lib.rs`] = KERNEL_LIB_RS;
  }
  return out;
}
