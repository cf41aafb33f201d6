/**
 * `npm run bench` (or `node out/bench/inspect.bench.js`): full inspection of a generated
 * module of at least 40 MB (every section plus the instruction walk of every body),
 * next to `WebAssembly.validate` on the same bytes in the same process, and peak memory.
 *
 * Target: inspection at least 2x faster than `WebAssembly.validate`; peak RSS under the
 * file size + 64 MB. The bench prints the numbers either way and says whether it met them,
 * with wall and CPU time (the machine may be shared) and a bare JS byte loop for scale.
 * The instruction walk runs in the wasm32 walker (src/core/wasm/walker/); the first
 * inspection also pays for compiling it and runs partly before the engine's optimising tier.
 */
import { section, uleb } from '../src/core/wasm/encode';
import { inspectWasm } from '../src/core/wasm/inspect';
import { engineBytes } from '../src/core/wasm/validity';

const MB = 1024 * 1024;
const TARGET_BYTES = 40 * MB;

const I32 = 0x7f;
const I64 = 0x7e;
const F64 = 0x7c;
const V128 = 0x7b;

/**
 * One stack-neutral chunk mixing i32/i64/f64 arithmetic, loads and stores, a call, v128
 * arithmetic with v128.const, a shuffle and lane extraction, bulk memory and a branch.
 * Locals: 0, 1 i32 (params); 2 i64; 3 f64; 4 v128.
 */
function chunk(callee: number): number[] {
  const lanes = Array.from({ length: 16 }, (_, i) => (i * 3) % 32);
  return [
    0x20,
    0,
    0x20,
    1,
    0x6a,
    0x20,
    0,
    0x6c,
    0x21,
    0, // i32: (l0 + l1) * l0 -> l0
    0x20,
    2,
    0x42,
    ...[0xb9, 0x60],
    0x7c,
    0x42,
    3,
    0x86,
    0x21,
    2, // i64: (l2 + 12345) << 3 -> l2
    0x20,
    3,
    0x44,
    0,
    0,
    0,
    0,
    0,
    0,
    0xf8,
    0x3f,
    0xa2,
    0x9f,
    0x21,
    3, // f64: sqrt(l3 * 1.5) -> l3
    0x20,
    0,
    0x28,
    2,
    16,
    0x20,
    1,
    0x6a,
    0x21,
    1, // i32.load offset=16
    0x20,
    0,
    0x20,
    1,
    0x36,
    2,
    8, // i32.store offset=8
    0x20,
    0,
    0x20,
    1,
    0x10,
    ...uleb(callee),
    0x1a, // call, drop
    0x20,
    4,
    0x20,
    4,
    0xfd,
    0xae,
    0x01, // i32x4.add
    0xfd,
    0x0c,
    ...Array.from({ length: 16 }, (_, i) => i),
    0xfd,
    0xe6,
    0x01,
    0x21,
    4, // v128.const, f32x4.mul
    0x20,
    4,
    0x20,
    4,
    0xfd,
    0x0d,
    ...lanes,
    0xfd,
    0x1b,
    2,
    0x21,
    1, // i8x16.shuffle, i32x4.extract_lane 2
    0x20,
    0,
    0x20,
    4,
    0xfd,
    0x0b,
    4,
    32, // v128.store offset=32
    0x41,
    0,
    0x41,
    0xc0,
    0x00,
    0x41,
    32,
    0xfc,
    10,
    0,
    0, // memory.copy
    0x20,
    0,
    0x20,
    0,
    0x41,
    16,
    0xfc,
    11,
    0, // memory.fill
    0x02,
    0x40,
    0x20,
    0,
    0x0d,
    0,
    0x0b, // block, br_if 0, end
  ];
}

/** Builds the module bytes directly: one body template copied into a preallocated buffer. */
export function generateModule(minBytes: number): Uint8Array {
  const body = [0x03, 1, I64, 1, F64, 1, V128];
  const chunkBytes = chunk(0);
  for (let i = 0; i < 16; i++) body.push(...chunkBytes);
  body.push(0x20, 0, 0x0b);
  const sizedBody = [...uleb(body.length), ...body];
  const count = Math.ceil(minBytes / sizedBody.length);

  const type = section(1, [1, 0x60, 2, I32, I32, 1, I32]);
  const funcs = section(3, [...uleb(count), ...new Array<number>(count).fill(0)]);
  const memory = section(5, [1, 0x00, 1]);
  const exportSection = section(7, [1, 3, 0x72, 0x75, 0x6e, 0x00, 0]); // "run" -> func 0
  const codeSize = uleb(count).length + sizedBody.length * count;
  const codeHeader = [10, ...uleb(codeSize), ...uleb(count)];
  const head = [0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...type, ...funcs, ...memory, ...exportSection, ...codeHeader];
  const out = new Uint8Array(head.length + sizedBody.length * count);
  out.set(head, 0);
  const template = Uint8Array.from(sizedBody);
  for (let i = 0, at = head.length; i < count; i++, at += template.length) out.set(template, at);
  return out;
}

interface Timing {
  readonly wallMs: number;
  /** CPU time of this process: steadier than wall time when other work shares the machine. */
  readonly cpuMs: number;
}

function time<T>(run: () => T): Timing & { readonly value: T } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = run();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, value };
}

function rssMb(): number {
  return process.memoryUsage().rss / MB;
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** The floor for any JS pass over the bytes: one load and an add per byte. */
function touchEveryByte(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i++) sum += bytes[i]!;
  return sum;
}

function line(label: string, runs: readonly Timing[], fileMb: number): { wall: number; cpu: number } {
  const wall = median(runs.map((r) => r.wallMs));
  const cpu = median(runs.map((r) => r.cpuMs));
  console.log(
    `${label.padEnd(26)} median wall ${wall.toFixed(1).padStart(6)} ms, cpu ${cpu.toFixed(1).padStart(6)} ms (${(fileMb / (wall / 1000)).toFixed(0)} MB/s)  wall runs ${runs.map((r) => r.wallMs.toFixed(0)).join(' ')}`,
  );
  return { wall, cpu };
}

function main(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssStart = rssMb();
  let bytes: Uint8Array = new Uint8Array(0);
  const generated = time(() => (bytes = generateModule(TARGET_BYTES)));
  const fileMb = bytes.length / MB;
  gc?.();
  const rssWithBytes = rssMb();
  console.log(
    `module: ${fileMb.toFixed(1)} MB generated in ${generated.wallMs.toFixed(0)} ms; RSS ${rssStart.toFixed(0)} MB before, ${rssWithBytes.toFixed(0)} MB holding the bytes`,
  );

  const first = time(() => inspectWasm(bytes));
  let report = first.value;
  if (report.error) throw new Error(`generated module failed to decode: ${report.error.message} at ${report.error.offset}`);
  const rssAfterInspect = rssMb();
  const inspectRuns: Timing[] = [];
  const validateRuns: Timing[] = [];
  const floorRuns: Timing[] = [];
  let valid = false;
  let checksum = 0;
  for (let round = 0; round < 11; round++) {
    inspectRuns.push(time(() => (report = inspectWasm(bytes))));
    validateRuns.push(time(() => (valid = WebAssembly.validate(engineBytes(bytes)))));
    floorRuns.push(time(() => (checksum += touchEveryByte(bytes))));
  }
  if (!valid) throw new Error('WebAssembly.validate rejected the generated module: the comparison would be meaningless');
  const peakMb = process.resourceUsage().maxRSS / 1024;
  const counts = report.totals.instructions;

  console.log(
    `functions ${report.totals.functions}, instructions ${counts.total} (simd ${counts.simd}, bulk ${counts.bulkMemory}), features ${report.totals.features.join(' ')}`,
  );
  console.log(
    `first inspection in the process (compiles the walker): wall ${first.wallMs.toFixed(1)} ms, cpu ${first.cpuMs.toFixed(1)} ms`,
  );
  const inspect = line('inspectWasm (full walk)', inspectRuns, fileMb);
  const validate = line('WebAssembly.validate', validateRuns, fileMb);
  const floor = line('JS loop touching each byte', floorRuns, fileMb);
  const wallRatio = validate.wall / inspect.wall;
  const cpuRatio = validate.cpu / inspect.cpu;
  // validate may spread its work over threads (cpu > wall); inspection is one synchronous
  // call on one thread, so the target is judged on CPU time, and wall time is shown beside it.
  console.log(
    `speed-up over validate: ${cpuRatio.toFixed(2)}x cpu (target ≥ 2x: ${cpuRatio >= 2 ? 'met' : 'NOT met'}), ${wallRatio.toFixed(2)}x wall (validate used ${(validate.cpu / validate.wall).toFixed(1)} cores' worth of CPU); inspection costs ${(inspect.cpu / floor.cpu).toFixed(2)}x a bare byte loop (checksum ${checksum % 1000})`,
  );
  console.log(
    `RSS after first inspection ${rssAfterInspect.toFixed(0)} MB (+${(rssAfterInspect - rssWithBytes).toFixed(0)} MB over holding the bytes); now ${rssMb().toFixed(0)} MB`,
  );
  const budget = rssStart + fileMb + 64;
  console.log(
    `peak RSS (maxRSS) ${peakMb.toFixed(0)} MB; budget: start ${rssStart.toFixed(0)} MB + file + 64 MB = ${budget.toFixed(0)} MB: ${peakMb <= budget ? 'met' : 'NOT met'}`,
  );
}

// Runs when executed (`node out/bench/inspect.bench.js`), not when imported for its generator.
if (require.main === module) main();
