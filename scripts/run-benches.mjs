// `npm run bench`: runs every compiled benchmark under out/bench, one process each, so one
// benchmark's memory or JIT state never colours another's numbers. Pass substrings to filter.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
const dir = 'out/bench';
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.bench.js'))
      .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
      .sort()
  : [];
if (files.length === 0) {
  console.error('run-benches: no compiled benchmarks under out/bench (did the build run?)');
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(dir, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
