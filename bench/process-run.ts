/**
 * Whole processes measured the same way for every process benchmark: wall time from the parent,
 * peak RSS and CPU time from the child itself (a preloaded script writes `process.resourceUsage()`
 * to fd 3 at exit), so no external tool is needed.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';

/** The preloaded script: reports the process's peak RSS (KiB) and CPU time (µs) on fd 3 when it exits. */
export const REPORT_USAGE = `process.on('exit', () => { try { const u = process.resourceUsage(); require('fs').writeSync(3, JSON.stringify([u.maxRSS, u.userCPUTime + u.systemCPUTime])); } catch {} });\n`;
/** The peer of `inspect`: a node process that reads the file and validates it with V8. */
export const VALIDATE = `const bytes = require('fs').readFileSync(process.argv[2]);\nif (!WebAssembly.validate(bytes)) process.exit(1);\n`;

export interface Run {
  readonly wallMs: number;
  /** User plus system time of every thread: what the process cost the machine. */
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly code: number | null;
  readonly stdout: string;
}

/** Runs `node --require preload ...args` and measures it. */
export function run(args: readonly string[], preload: string): Promise<Run> {
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

export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

export interface RunSummary {
  readonly wall: number;
  readonly cpu: number;
  readonly rss: number;
}

/** Medians of a series of runs, printed on one line. */
export function summary(label: string, runs: readonly Run[]): RunSummary {
  const wall = median(runs.map((r) => r.wallMs));
  const cpu = median(runs.map((r) => r.cpuMs));
  const rss = median(runs.map((r) => r.maxRssMb));
  console.log(
    `${label.padEnd(34)} median wall ${wall.toFixed(0).padStart(5)} ms, cpu ${cpu.toFixed(0).padStart(5)} ms, peak RSS ${rss.toFixed(0).padStart(4)} MB  (wall runs ${runs.map((r) => r.wallMs.toFixed(0)).join(' ')})`,
  );
  return { wall, cpu, rss };
}

/**
 * What bounds inspect's wall time against validate's: `WebAssembly.validate` already keeps every
 * core busy, so inspect's extra CPU time (its walk, its start-up, its output) can at best be spread
 * over the cores on top of validate's wall time. Printed beside each ratio.
 */
export function wallFloor(peer: RunSummary, ours: RunSummary, cores = availableParallelism()): string {
  const extra = Math.max(0, ours.cpu - peer.cpu);
  const floor = peer.wall + extra / cores;
  return `inspect's extra CPU over validate's ${extra.toFixed(0)} ms, spread over ${cores} cores: a floor of ${floor.toFixed(0)} ms (ratio ${(floor / peer.wall).toFixed(2)}x)`;
}
