//! Kernels for wasm-perf's A/B fixtures. Every kernel takes only numeric arguments and works
//! on static buffers, so a harness can call it straight from JavaScript. Each returns a value
//! derived from all the work done, so the optimiser cannot drop any of it, and each iteration
//! depends on the iteration number, so no work is loop-invariant.
//!
//! `blur3x3`, `find_byte` and `dot` are written so that LLVM's vectorisers turn them into
//! SIMD128 code at opt-level 3 with `+simd128`; `fnv1a` is a serial dependency chain, the
//! control that SIMD cannot speed up.

const WIDTH: usize = 256;
const HEIGHT: usize = 256;
const PIXELS: usize = WIDTH * HEIGHT;
const HAYSTACK: usize = 64 * 1024;
const VECTOR: usize = 4096;
/// `dot` slides its second operand by up to this many elements, one step per iteration.
const SLIDE: usize = 16;

static mut IMAGE: [u8; PIXELS] = [0; PIXELS];
static mut BLURRED: [u8; PIXELS] = [0; PIXELS];
static mut BYTES: [u8; HAYSTACK] = [0; HAYSTACK];
static mut LEFT: [f32; VECTOR] = [0.0; VECTOR];
static mut RIGHT: [f32; VECTOR + SLIDE] = [0.0; VECTOR + SLIDE];

/// Numerical Recipes' 32-bit LCG: deterministic input without any dependency.
struct Lcg(u32);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        self.0
    }
}

/// Fills every buffer deterministically; call once before the kernels.
#[no_mangle]
pub extern "C" fn init() {
    let mut lcg = Lcg(0x2545_f491);
    // SAFETY: wasm32-unknown-unknown without threads: nothing else touches the statics.
    unsafe {
        for pixel in IMAGE.iter_mut() {
            *pixel = (lcg.next() >> 24) as u8;
        }
        BLURRED = [0; PIXELS];
        for byte in BYTES.iter_mut() {
            *byte = (lcg.next() >> 24) as u8;
        }
        for value in LEFT.iter_mut() {
            *value = (lcg.next() >> 8) as f32 / 16_777_216.0 - 0.5;
        }
        for value in RIGHT.iter_mut() {
            *value = (lcg.next() >> 8) as f32 / 16_777_216.0 - 0.5;
        }
    }
}

/// Always inlined: at opt-level "s" a call would keep the slice bounds checks, and with them
/// the panic and formatting code, in the size-optimised builds.
#[inline(always)]
fn image_row(image: &[u8; PIXELS], y: usize) -> &[u8; WIDTH] {
    image[y * WIDTH..(y + 1) * WIDTH].try_into().unwrap()
}

/// One 3x3 box-blur pass over the interior of `source` into `target`, done separably: column
/// sums, then sums of two neighbouring columns, then the third column. A direct nine-load loop
/// does not vectorise with LLVM 14: once GVN reuses loads across iterations it carries a
/// two-step recurrence the loop vectoriser rejects; each pass here carries at most one step.
fn blur_pass(source: &[u8; PIXELS], target: &mut [u8; PIXELS]) {
    let mut columns = [0u16; WIDTH];
    let mut pairs = [0u16; WIDTH - 1];
    for y in 1..HEIGHT - 1 {
        let (above, row, below) = (image_row(source, y - 1), image_row(source, y), image_row(source, y + 1));
        for x in 0..WIDTH {
            columns[x] = above[x] as u16 + row[x] as u16 + below[x] as u16;
        }
        for x in 0..WIDTH - 1 {
            pairs[x] = columns[x] + columns[x + 1];
        }
        let out: &mut [u8; WIDTH - 2] = (&mut target[y * WIDTH + 1..(y + 1) * WIDTH - 1]).try_into().unwrap();
        for x in 0..WIDTH - 2 {
            let sum = pairs[x] + columns[x + 2];
            // sum / 9 in 16-bit lanes: (sum / 2) * 57 / 256 stays below 65536 for sums up to 9 * 255.
            out[x] = (((sum >> 1) * 57) >> 8) as u8;
        }
    }
}

fn byte_sum(bytes: &[u8]) -> u32 {
    bytes.iter().map(|&b| b as u32).sum()
}

/// Blurs the image `iterations` times, ping-ponging between two buffers; returns the sum of
/// the last result's pixels.
#[no_mangle]
pub extern "C" fn blur3x3(iterations: i32) -> i32 {
    // SAFETY: single-threaded; the two statics are distinct buffers.
    unsafe {
        for iteration in 0..iterations {
            if iteration % 2 == 0 {
                blur_pass(&IMAGE, &mut BLURRED);
            } else {
                blur_pass(&BLURRED, &mut IMAGE);
            }
        }
        let last = if iterations % 2 == 1 { &BLURRED } else { &IMAGE };
        byte_sum(last) as i32
    }
}

/// Counts a different byte value over the whole buffer on every iteration; returns the total.
#[no_mangle]
pub extern "C" fn find_byte(iterations: i32) -> i32 {
    // SAFETY: single-threaded read of a static.
    let bytes = unsafe { &BYTES };
    let mut total: u32 = 0;
    for iteration in 0..iterations {
        let needle = (iteration as u8).wrapping_mul(31);
        let count: u32 = bytes.iter().map(|&b| (b == needle) as u32).sum();
        total = total.wrapping_add(count);
    }
    total as i32
}

/// Eight independent partial sums: strict IEEE order forbids reassociating one running sum,
/// so this is the form the SLP vectoriser can turn into f32x4 multiplies and adds.
fn dot_product(left: &[f32; VECTOR], right: &[f32]) -> f32 {
    let mut partial = [0.0f32; 8];
    for (l, r) in left.chunks_exact(8).zip(right.chunks_exact(8)) {
        for lane in 0..8 {
            partial[lane] += l[lane] * r[lane];
        }
    }
    partial.iter().sum()
}

/// Dot products of `LEFT` with a window of `RIGHT` that slides on every iteration; returns
/// their sum.
#[no_mangle]
pub extern "C" fn dot(iterations: i32) -> f32 {
    // SAFETY: single-threaded reads of statics.
    let (left, right) = unsafe { (&LEFT, &RIGHT) };
    let mut total = 0.0f32;
    for iteration in 0..iterations {
        let offset = iteration as usize % SLIDE;
        total += dot_product(left, &right[offset..offset + VECTOR]);
    }
    total
}

#[inline(always)]
fn fnv1a_step(hash: u32, byte: u8) -> u32 {
    (hash ^ byte as u32).wrapping_mul(0x0100_0193)
}

/// FNV-1a over the byte buffer, seeded with the iteration number: each byte depends on the
/// previous hash, so there is nothing to vectorise.
#[no_mangle]
pub extern "C" fn fnv1a(iterations: i32) -> i32 {
    // SAFETY: single-threaded read of a static.
    let bytes = unsafe { &BYTES };
    let mut combined: u32 = 0;
    for iteration in 0..iterations {
        let mut hash: u32 = 0x811c_9dc5 ^ iteration as u32;
        // Eight steps written out per loop trip, so that every opt-level pays the same loop
        // overhead per byte and a comparison measures only the dependency chain.
        for chunk in bytes.chunks_exact(8) {
            hash = fnv1a_step(hash, chunk[0]);
            hash = fnv1a_step(hash, chunk[1]);
            hash = fnv1a_step(hash, chunk[2]);
            hash = fnv1a_step(hash, chunk[3]);
            hash = fnv1a_step(hash, chunk[4]);
            hash = fnv1a_step(hash, chunk[5]);
            hash = fnv1a_step(hash, chunk[6]);
            hash = fnv1a_step(hash, chunk[7]);
        }
        combined ^= hash;
    }
    combined as i32
}

/// Does nothing: measures the cost of a call from the harness.
#[no_mangle]
pub extern "C" fn empty() {}

/// Measures the cost of a call with arguments and a result.
#[no_mangle]
pub extern "C" fn add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}
