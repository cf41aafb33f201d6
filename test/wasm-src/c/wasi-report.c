/*
 * A WASI reactor that imports WASI (fd_write through printf) so a benchmark runner's WASI
 * support can be exercised: `report` computes a checksum and prints it to stdout.
 */
#include <stdint.h>
#include <stdio.h>

#define EXPORT(name) __attribute__((export_name(#name)))

static uint32_t checksum(int32_t iterations) {
  uint32_t hash = 0x811c9dc5u;
  for (int32_t i = 0; i < iterations; i++) {
    hash ^= (uint32_t)i & 0xffu;
    hash *= 0x01000193u;
  }
  return hash;
}

/* Prints one line and flushes, so the text reaches the host before the call returns. */
EXPORT(report) int32_t report(int32_t iterations) {
  uint32_t value = checksum(iterations);
  printf("wasm-perf fixture: fnv1a over %d bytes = %08x\n", (int)iterations, (unsigned)value);
  fflush(stdout);
  return (int32_t)value;
}
