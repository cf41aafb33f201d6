/**
 * `npm run bench -- scale` (or `node out/bench/scale.bench.js` after a build): the CLI on binaries
 * of real-world scale, as whole processes, beside a peer measured in the same run.
 *
 * 1. `wasm-perf inspect --json` on a generated module of a large project's shape (290,000
 *    functions, a 12 MB-class name section with function and local names, 8 MB of DWARF), next
 *    to a `node` process that reads the same file and runs `WebAssembly.validate` on it.
 *    Targets: inspect's wall time at most validate's (ratio ≤ 1), its peak RSS at most
 *    validate's + 64 MB. Every process reports its peak RSS and CPU time (`process.resourceUsage()`)
 *    through a preloaded script, so no external tool is needed; CPU time is printed beside wall
 *    time because the machine may be shared.
 * 2. `wasm-perf check` on a folder of 2,000 small invalid modules (each needs wabt's message).
 *    Target: under 10 s.
 *
 * Everything is generated into a temporary directory and removed afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { section, uleb } from '../src/core/wasm/encode';
import { generateLargeProjectModule } from './large-project-module';

const MB = 1024 * 1024;
const ROUNDS = 5;
const RSS_ALLOWANCE_MB = 64;
const INVALID_MODULES = 2000;
const INVALID_BUDGET_MS = 10_000;
const CLI = join(process.cwd(), 'dist/cli.js');

/** Written next to the data: reports the process's peak RSS (KiB) and CPU time (µs) on fd 3 when it exits. */
const REPORT_USAGE = `process.on('exit', () => { try { const u = process.resourceUsage(); require('fs').writeSync(3, JSON.stringify([u.maxRSS, u.userCPUTime + u.systemCPUTime])); } catch {} });\n`;
const VALIDATE = `const bytes = require('fs').readFileSync(process.argv[2]);\nif (!WebAssembly.validate(bytes)) process.exit(1);\n`;

interface Run {
  readonly wallMs: number;
  /** User plus system time of every thread: what the process cost the machine. */
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly code: number | null;
  readonly stdout: string;
}

function run(args: readonly string[], preload: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', preload, ...args], { stdio: ['ignore', 'pipe', 'inherit', 'pipe'] });
    let stdout = '';
    let usage = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => (usage += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const [maxRssKb, cpuUs] = JSON.parse(usage || '[0, 0]') as [number, number];
      resolve({ wallMs, cpuMs: cpuUs / 1000, maxRssMb: maxRssKb / 1024, code, stdout });
    });
  });
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function summary(label: string, runs: readonly Run[]): { wall: number; cpu: number; rss: number } {
  const wall = median(runs.map((r) => r.wallMs));
  const cpu = median(runs.map((r) => r.cpuMs));
  const rss = median(runs.map((r) => r.maxRssMb));
  console.log(
    `${label.padEnd(34)} median wall ${wall.toFixed(0).padStart(5)} ms, cpu ${cpu.toFixed(0).padStart(5)} ms, peak RSS ${rss.toFixed(0).padStart(4)} MB  (wall runs ${runs.map((r) => r.wallMs.toFixed(0)).join(' ')})`,
  );
  return { wall, cpu, rss };
}

async function largeModule(dir: string, preload: string): Promise<boolean> {
  const file = join(dir, 'large-project.wasm');
  const bytes = generateLargeProjectModule();
  writeFileSync(file, bytes);
  const validateScript = join(dir, 'validate.js');
  writeFileSync(validateScript, VALIDATE);
  console.log(`large project module: ${(bytes.length / MB).toFixed(1)} MB, ${bytes.length} bytes (generated, not kept)`);

  const bare: Run[] = [];
  const startup: Run[] = [];
  const validate: Run[] = [];
  const inspect: Run[] = [];
  // Interleaved, so load from other work on the machine falls on every process alike.
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(await run(['-e', '0'], preload));
    startup.push(await run([CLI, '--version'], preload));
    validate.push(await run([validateScript, file], preload));
    inspect.push(await run([CLI, 'inspect', '--json', file], preload));
  }
  const failed = [...validate, ...inspect].find((r) => r.code !== 0);
  if (failed) throw new Error(`a measured process failed (exit code ${failed.code})`);
  const report = JSON.parse(inspect[0]!.stdout) as { wasm: { totals: { functions: number }; modules: { functions: { named: number } }[] } };
  console.log(
    `inspect read ${report.wasm.totals.functions} functions, ${report.wasm.modules[0]!.functions.named} named; the largest by name in the JSON`,
  );

  summary('node -e 0', bare);
  const started = summary('wasm-perf --version (CLI start)', startup);
  const peer = summary('node + WebAssembly.validate', validate);
  const ours = summary('wasm-perf inspect --json', inspect);
  const ratio = ours.wall / peer.wall;
  const budget = peer.rss + RSS_ALLOWANCE_MB;
  const bareWall = median(bare.map((r) => r.wallMs));
  console.log(`CLI start over bare node: ${(started.wall - bareWall).toFixed(0)} ms`);
  console.log(
    `inspect / validate wall: ${ratio.toFixed(2)}x (target ≤ 1.00: ${ratio <= 1 ? 'met' : 'NOT met'}); cpu ${(ours.cpu / peer.cpu).toFixed(2)}x (inspect validates too, in a second thread)`,
  );
  console.log(
    `inspect peak RSS ${ours.rss.toFixed(0)} MB; budget validate's ${peer.rss.toFixed(0)} + ${RSS_ALLOWANCE_MB} = ${budget.toFixed(0)} MB: ${ours.rss <= budget ? 'met' : 'NOT met'}`,
  );
  return ratio <= 1 && ours.rss <= budget;
}

/** A small module whose one function returns an i64 where it declares an i32; `seed` varies its bytes. */
function invalidModule(seed: number): Uint8Array {
  const body = [0, 0x42, ...leb(seed), 0x0b];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...section(1, [1, 0x60, 0, 1, 0x7f]),
    ...section(3, [1, 0]),
    ...section(7, [1, 1, 0x66, 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

/** Signed LEB128 of a non-negative number (the i64.const immediate). */
function leb(value: number): number[] {
  const out = uleb(value);
  if ((out[out.length - 1]! & 0x40) !== 0) {
    out[out.length - 1]! |= 0x80;
    out.push(0);
  }
  return out;
}

async function manyInvalidModules(dir: string, preload: string): Promise<boolean> {
  const folder = join(dir, 'modules');
  mkdirSync(folder);
  for (let i = 0; i < INVALID_MODULES; i++) writeFileSync(join(folder, `m${i}.wasm`), invalidModule(i));
  const result = await run([CLI, 'check', '--format', 'json', '--exit-zero', folder], preload);
  if (result.code !== 0) throw new Error(`check failed (exit code ${result.code})`);
  const findings = (JSON.parse(result.stdout) as { findings: { ruleId: string; message: string }[] }).findings;
  const invalid = findings.filter((f) => f.ruleId === 'wasm-invalid');
  const detailed = invalid.filter((f) => /type mismatch/.test(f.message)).length;
  console.log(
    `\n${INVALID_MODULES} invalid modules: ${invalid.length} wasm-invalid findings (${detailed} with wabt's message), wall ${result.wallMs.toFixed(0)} ms (${(result.wallMs / INVALID_MODULES).toFixed(1)} ms a module), cpu ${result.cpuMs.toFixed(0)} ms, peak RSS ${result.maxRssMb.toFixed(0)} MB`,
  );
  const ratio = result.wallMs / INVALID_BUDGET_MS;
  console.log(`time / budget of ${INVALID_BUDGET_MS / 1000} s: ${ratio.toFixed(2)} (target < 1: ${ratio < 1 ? 'met' : 'NOT met'})`);
  if (invalid.length !== INVALID_MODULES) throw new Error(`expected ${INVALID_MODULES} wasm-invalid findings, got ${invalid.length}`);
  return ratio < 1;
}

async function main(): Promise<void> {
  readFileSync(CLI); // fails clearly when the build has not run
  const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-scale-'));
  try {
    const preload = join(dir, 'report-usage.js');
    writeFileSync(preload, REPORT_USAGE);
    const large = await largeModule(dir, preload);
    const many = await manyInvalidModules(dir, preload);
    console.log(`\nscale targets: ${large && many ? 'all met' : 'NOT all met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
