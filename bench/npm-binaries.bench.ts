/**
 * `npm run bench -- npm-binaries`: `wasm-perf inspect --json` on real binaries shipped in npm
 * packages, each beside a `node` process that validates the same file, measured in the same run.
 * The binaries are every distinct `.wasm` under node_modules (tree-sitter grammars, codecs…) plus
 * those under the directories in WASM_PERF_BENCH_BINARIES (colon-separated; e.g. unpacked
 * `npm pack @duckdb/duckdb-wasm`, which this machine's packages do not include).
 * Targets: files of 5 MB and more, inspect's wall time at most validate's; smaller files, at most
 * 100 ms longer. Peak RSS at most validate's + 64 MB. For the large files each result also says
 * how close the run came to its floor: validate's wall time plus inspect's extra CPU time spread
 * over the cores (`wallFloor`), since V8's validation already keeps them all busy.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPORT_USAGE, run, summary, VALIDATE, wallFloor, type Run } from './process-run';

const MB = 1024 * 1024;
const ROUNDS = 3;
const LARGE_BYTES = 5 * MB;
const SMALL_ALLOWANCE_MS = 100;
const RSS_ALLOWANCE_MB = 64;
/** Smaller files say more about start-up than about reading; a handful of them is enough. */
const MIN_BYTES = 100 * 1024;
const CLI = join(process.cwd(), 'dist/cli.js');

function wasmFiles(dir: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) wasmFiles(path, out);
    else if (entry.isFile() && entry.name.endsWith('.wasm') && statSync(path).size >= MIN_BYTES) out.push(path);
  }
  return out;
}

/** Each distinct binary once (packages ship the same grammar in several places), smallest first. */
function distinctBinaries(): string[] {
  const dirs = [join(process.cwd(), 'node_modules'), ...(process.env.WASM_PERF_BENCH_BINARIES ?? '').split(':').filter(Boolean)];
  const seen = new Set<string>();
  const files: string[] = [];
  for (const path of dirs.flatMap((dir) => wasmFiles(dir))) {
    const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
    if (seen.has(hash)) continue;
    seen.add(hash);
    files.push(path);
  }
  return files.sort((a, b) => statSync(a).size - statSync(b).size);
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run the build first (npm run bench builds)`);
  const files = distinctBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-npm-binaries-'));
  let met = 0;
  try {
    const preload = join(dir, 'report-usage.js');
    const validateScript = join(dir, 'validate.js');
    writeFileSync(preload, REPORT_USAGE);
    writeFileSync(validateScript, VALIDATE);
    for (const file of files) {
      const size = statSync(file).size;
      console.log(`\n${relative(process.cwd(), file)}: ${(size / MB).toFixed(1)} MB`);
      const validate: Run[] = [];
      const inspect: Run[] = [];
      // Interleaved, so load from other work on the machine falls on both alike.
      for (let round = 0; round < ROUNDS; round++) {
        validate.push(await run([validateScript, file], preload));
        inspect.push(await run([CLI, 'inspect', '--json', file], preload));
      }
      // inspect exits 1 on findings at warning or above, which is no failure here; 2 is.
      const failed = inspect.find((r) => r.code === 2);
      if (failed) throw new Error(`inspect failed on ${file} (exit code 2)`);
      const peer = summary('  node + WebAssembly.validate', validate);
      const ours = summary('  wasm-perf inspect --json', inspect);
      const timeMet = size >= LARGE_BYTES ? ours.wall <= peer.wall : ours.wall - peer.wall <= SMALL_ALLOWANCE_MS;
      const rssMet = ours.rss <= peer.rss + RSS_ALLOWANCE_MB;
      const target = size >= LARGE_BYTES ? 'ratio ≤ 1.00' : `at most ${SMALL_ALLOWANCE_MS} ms longer`;
      console.log(
        `  inspect / validate wall ${(ours.wall / peer.wall).toFixed(2)}x, +${(ours.wall - peer.wall).toFixed(0)} ms (target ${target}: ${timeMet ? 'met' : 'NOT met'}); peak RSS +${(ours.rss - peer.rss).toFixed(0)} MB (budget +${RSS_ALLOWANCE_MB}: ${rssMet ? 'met' : 'NOT met'})`,
      );
      if (size >= LARGE_BYTES) console.log(`  ${wallFloor(peer, ours)}`);
      if (timeMet && rssMet) met++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nnpm binaries: targets met on ${met} of ${files.length} distinct binaries`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
