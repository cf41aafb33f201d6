/*
 * The C twin of test/wasm-src/kernels: the same kernels on static buffers, callable with
 * numeric arguments only. Built as a WASI reactor (no main, exports only), so a harness can
 * instantiate it with or without WASI and call the kernels directly.
 * Each result depends on all the work, and each iteration on the iteration number, so the
 * optimiser can neither drop nor hoist any of it.
 */
#include <stddef.h>
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(#name)))

enum { WIDTH = 256, HEIGHT = 256, PIXELS = WIDTH * HEIGHT, HAYSTACK = 64 * 1024, VECTOR = 4096, SLIDE = 16 };

static uint8_t image[PIXELS];
static uint8_t blurred[PIXELS];
static uint8_t bytes[HAYSTACK];
static float left[VECTOR];
static float right[VECTOR + SLIDE];

/* Numerical Recipes' 32-bit LCG: deterministic input without any dependency. */
static uint32_t lcg_state;
static uint32_t lcg_next(void) {
  lcg_state = lcg_state * 1664525u + 1013904223u;
  return lcg_state;
}

EXPORT(init) void init(void) {
  lcg_state = 0x2545f491u;
  for (size_t i = 0; i < PIXELS; i++) image[i] = (uint8_t)(lcg_next() >> 24);
  for (size_t i = 0; i < PIXELS; i++) blurred[i] = 0;
  for (size_t i = 0; i < HAYSTACK; i++) bytes[i] = (uint8_t)(lcg_next() >> 24);
  for (size_t i = 0; i < VECTOR; i++) left[i] = (float)(lcg_next() >> 8) / 16777216.0f - 0.5f;
  for (size_t i = 0; i < VECTOR + SLIDE; i++) right[i] = (float)(lcg_next() >> 8) / 16777216.0f - 0.5f;
}

/* One 3x3 box-blur pass over the interior of `source` into `target`, done separably: column
 * sums, then sums of two neighbouring columns, then the third column. A direct nine-load loop
 * does not vectorise with LLVM 14: once GVN reuses loads across iterations it carries a
 * two-step recurrence the loop vectoriser rejects; each pass here carries at most one step. */
static void blur_pass(const uint8_t *restrict source, uint8_t *restrict target) {
  uint16_t columns[WIDTH], pairs[WIDTH - 1];
  for (size_t y = 1; y < HEIGHT - 1; y++) {
    const uint8_t *above = source + (y - 1) * WIDTH;
    const uint8_t *row = source + y * WIDTH;
    const uint8_t *below = source + (y + 1) * WIDTH;
    uint8_t *out = target + y * WIDTH + 1;
    for (size_t x = 0; x < WIDTH; x++) columns[x] = (uint16_t)(above[x] + row[x] + below[x]);
    for (size_t x = 0; x < WIDTH - 1; x++) pairs[x] = (uint16_t)(columns[x] + columns[x + 1]);
    for (size_t x = 0; x < WIDTH - 2; x++) {
      uint16_t sum = (uint16_t)(pairs[x] + columns[x + 2]);
      /* sum / 9 in 16-bit lanes: (sum / 2) * 57 / 256 stays below 65536 for sums up to 9 * 255. */
      out[x] = (uint8_t)((uint16_t)((sum >> 1) * 57) >> 8);
    }
  }
}

static uint32_t byte_sum(const uint8_t *data, size_t length) {
  uint32_t sum = 0;
  for (size_t i = 0; i < length; i++) sum += data[i];
  return sum;
}

EXPORT(blur3x3) int32_t blur3x3(int32_t iterations) {
  for (int32_t iteration = 0; iteration < iterations; iteration++) {
    if (iteration % 2 == 0) blur_pass(image, blurred);
    else blur_pass(blurred, image);
  }
  return (int32_t)byte_sum(iterations % 2 == 1 ? blurred : image, PIXELS);
}

EXPORT(find_byte) int32_t find_byte(int32_t iterations) {
  uint32_t total = 0;
  for (int32_t iteration = 0; iteration < iterations; iteration++) {
    uint8_t needle = (uint8_t)((uint32_t)iteration * 31u);
    uint32_t count = 0;
    for (size_t i = 0; i < HAYSTACK; i++) count += bytes[i] == needle;
    total += count;
  }
  return (int32_t)total;
}

/* Eight independent partial sums: strict IEEE order forbids reassociating one running sum,
 * so this is the form the SLP vectoriser can turn into f32x4 multiplies and adds. */
static float dot_product(const float *a, const float *b) {
  float partial[8] = {0};
  for (size_t i = 0; i < VECTOR; i += 8)
    for (size_t lane = 0; lane < 8; lane++) partial[lane] += a[i + lane] * b[i + lane];
  float sum = 0;
  for (size_t lane = 0; lane < 8; lane++) sum += partial[lane];
  return sum;
}

EXPORT(dot) float dot(int32_t iterations) {
  float total = 0;
  for (int32_t iteration = 0; iteration < iterations; iteration++)
    total += dot_product(left, right + (uint32_t)iteration % SLIDE);
  return total;
}

static inline uint32_t fnv1a_step(uint32_t hash, uint8_t byte) { return (hash ^ byte) * 0x01000193u; }

/* FNV-1a: each byte depends on the previous hash, so there is nothing to vectorise. */
EXPORT(fnv1a) int32_t fnv1a(int32_t iterations) {
  uint32_t combined = 0;
  for (int32_t iteration = 0; iteration < iterations; iteration++) {
    uint32_t hash = 0x811c9dc5u ^ (uint32_t)iteration;
    /* Eight steps written out per loop trip, so that every opt-level pays the same loop
     * overhead per byte and a comparison measures only the dependency chain. */
    for (size_t i = 0; i < HAYSTACK; i += 8) {
      hash = fnv1a_step(hash, bytes[i]);
      hash = fnv1a_step(hash, bytes[i + 1]);
      hash = fnv1a_step(hash, bytes[i + 2]);
      hash = fnv1a_step(hash, bytes[i + 3]);
      hash = fnv1a_step(hash, bytes[i + 4]);
      hash = fnv1a_step(hash, bytes[i + 5]);
      hash = fnv1a_step(hash, bytes[i + 6]);
      hash = fnv1a_step(hash, bytes[i + 7]);
    }
    combined ^= hash;
  }
  return (int32_t)combined;
}

EXPORT(empty) void empty(void) {}

EXPORT(add) int32_t add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
