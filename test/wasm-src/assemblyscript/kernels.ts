// The AssemblyScript twin of test/wasm-src/kernels: `dot` over two static vectors. Built by
// scripts/build-wasm-fixtures.sh with asc's release settings (assertions kept, so the module
// imports `env.abort` as every default AssemblyScript build does); AssemblyScript never
// vectorises a loop, so the module has no SIMD unless the source uses v128 operations.
const VECTOR: i32 = 4096;
const left = new StaticArray<f32>(VECTOR);
const right = new StaticArray<f32>(VECTOR);

let state: u32 = 0x2545f491;

// Numerical Recipes' 32-bit LCG: deterministic input without any dependency.
function lcg(): u32 {
  state = state * 1664525 + 1013904223;
  return state;
}

export function init(): void {
  for (let i = 0; i < VECTOR; i++) {
    left[i] = <f32>(lcg() >> 8) / 16777216.0 - 0.5;
    right[i] = <f32>(lcg() >> 8) / 16777216.0 - 0.5;
  }
}

export function dot(rounds: i32): f32 {
  assert(rounds >= 0, 'rounds must not be negative');
  let total: f32 = 0;
  for (let r = 0; r < rounds; r++) {
    let acc: f32 = 0;
    for (let i = 0; i < VECTOR; i++) acc += unchecked(left[i]) * unchecked(right[(i + r) % VECTOR]);
    total += acc;
  }
  return total;
}
