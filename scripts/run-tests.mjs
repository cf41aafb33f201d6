// Runs compiled tests with node's built-in test runner: the unit, golden and webview tests
// under out/test, or with --e2e the code-server scenarios under out/e2e. Arguments other
// than --e2e filter by substring. A script because Node 20's `--test` does not expand globs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const e2e = process.argv.includes('--e2e');
const [dir, suffix] = e2e ? ['out/e2e', '.e2e.js'] : ['out/test', '.test.js'];

function walk(directory, out = []) {
  if (!existsSync(directory)) return out;
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (path.endsWith(suffix)) out.push(path);
  }
  return out;
}

const only = process.argv.slice(2).filter((a) => a !== '--e2e');
const files = walk(dir)
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (files.length === 0) {
  console.error(`run-tests: no compiled tests under ${dir} (did the build run?)`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
