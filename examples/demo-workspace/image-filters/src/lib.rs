//! Image filters exported to a wasm host. The host fills the image with `load_noise`, runs
//! filters by name, and reads back a checksum; everything works on one static greyscale image.

const WIDTH: usize = 256;
const HEIGHT: usize = 256;
const PIXELS: usize = WIDTH * HEIGHT;

static mut IMAGE: [u8; PIXELS] = [0; PIXELS];
static mut SCRATCH: [u8; PIXELS] = [0; PIXELS];

/// Fills the image with deterministic noise (a 32-bit LCG seeded by `seed`).
#[no_mangle]
pub extern "C" fn load_noise(seed: u32) {
    let mut state = seed;
    // SAFETY: the module is single-threaded; only the exports touch the statics.
    for pixel in unsafe { IMAGE.iter_mut() } {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        *pixel = (state >> 24) as u8;
    }
}

/// A 3x3 box blur of the image's interior, repeated `passes` times; returns the pixel sum.
#[no_mangle]
pub extern "C" fn box_blur(passes: u32) -> u32 {
    // SAFETY: single-threaded, and IMAGE and SCRATCH are distinct buffers.
    let (image, scratch) = unsafe { (&mut IMAGE, &mut SCRATCH) };
    for _ in 0..passes {
        scratch.copy_from_slice(image);
        for y in 1..HEIGHT - 1 {
            for x in 1..WIDTH - 1 {
                let mut sum = 0u32;
                for row in y - 1..=y + 1 {
                    for column in x - 1..=x + 1 {
                        sum += scratch[row * WIDTH + column] as u32;
                    }
                }
                image[y * WIDTH + x] = (sum / 9) as u8;
            }
        }
    }
    image.iter().map(|&p| p as u32).sum()
}

/// Adds `delta` to every pixel, saturating at white; returns the pixel sum.
#[no_mangle]
pub extern "C" fn brighten(delta: u8) -> u32 {
    // SAFETY: single-threaded.
    let image = unsafe { &mut IMAGE };
    for pixel in image.iter_mut() {
        *pixel = pixel.saturating_add(delta);
    }
    image.iter().map(|&p| p as u32).sum()
}

/// Counts the pixels at or above `level`.
#[no_mangle]
pub extern "C" fn count_bright(level: u8) -> u32 {
    // SAFETY: single-threaded.
    unsafe { IMAGE.iter().filter(|&&p| p >= level).count() as u32 }
}
