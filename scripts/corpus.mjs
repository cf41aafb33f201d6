// `npm run corpus`: runs `wasm-perf check` on the real repositories of corpus/repos.json, each at its
// pinned commit, and prints findings per rule split into production and test paths, with the
// precision of what has been judged in corpus/judgments/*.tsv. See corpus/README.md.
//
// The repositories are not committed and not downloaded here: the script reads git snapshots from
// a mirror directory (--mirrors DIR, or WASM_PERF_CORPUS_MIRRORS; default .cache/corpus-mirrors)
// holding one git directory per repository as `<owner>+<name>/repo`, `<owner>+<name>.git` or
// `<owner>/<name>`, and writes each pinned tree to .cache/corpus/<owner>+<name> once. Files a
// snapshot lacks (large blobs left out of a partial clone) are skipped, and counted.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const { values: options } = parseArgs({
  options: {
    mirrors: { type: 'string' },
    work: { type: 'string' },
    only: { type: 'string', multiple: true },
    'no-test-split': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (options.help) {
  console.log(`usage: node scripts/corpus.mjs [--mirrors DIR] [--work DIR] [--only SUBSTRING]... [--no-test-split]

Checks every repository of corpus/repos.json at its pinned commit and prints findings per rule,
split into production and test paths (test = what --include-tests adds), and the precision of
the judged findings (corpus/judgments/*.tsv). Results: <work>/results/<owner>+<name>.json.`);
  process.exit(0);
}

const mirrors = resolve(options.mirrors ?? process.env.WASM_PERF_CORPUS_MIRRORS ?? join(root, '.cache/corpus-mirrors'));
const work = resolve(options.work ?? join(root, '.cache/corpus'));
const cli = join(root, 'dist/cli.js');
if (!existsSync(cli)) fail(`${cli} is missing: run 'npm run build' first (npm run corpus does)`);

const { repositories } = JSON.parse(readFileSync(join(root, 'corpus/repos.json'), 'utf8'));
const selected = repositories.filter((r) => !options.only || options.only.some((o) => r.repo.includes(o)));
const judgments = readJudgments(join(root, 'corpus/judgments'));

const rows = [];
let checked = 0;
for (const entry of selected) {
  const slug = entry.repo.replace('/', '+');
  const gitDir = findMirror(slug, entry.repo);
  if (!gitDir) {
    console.error(`corpus: ${entry.repo}: no snapshot under ${mirrors} (expected ${slug}/repo, ${slug}.git or ${entry.repo}); skipped`);
    continue;
  }
  if (spawnSync('git', ['--git-dir', gitDir, 'cat-file', '-e', `${entry.commit}^{commit}`]).status !== 0) {
    console.error(`corpus: ${entry.repo}: the snapshot lacks the pinned commit ${entry.commit}; skipped`);
    continue;
  }
  const tree = join(work, slug);
  const absent = await materialize(gitDir, entry.commit, tree);
  const started = Date.now();
  const production = check(tree, []);
  const seconds = (Date.now() - started) / 1000;
  const withTests = options['no-test-split'] ? production : check(tree, ['--include-tests']);
  mkdirSync(join(work, 'results'), { recursive: true });
  writeFileSync(join(work, 'results', `${slug}.json`), JSON.stringify(production, null, 2));
  rows.push({ entry, slug, tree, production, withTests, seconds, absent });
  checked++;
}
if (checked === 0) fail('no repository of corpus/repos.json could be checked');

printCounts(rows);
printPrecision(rows);

function check(tree, extra) {
  const run = spawnSync(process.execPath, [cli, 'check', '--format', 'json', '--exit-zero', '--quiet', ...extra, tree], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
    cwd: tree,
  });
  if (run.status !== 0) fail(`wasm-perf check failed on ${tree} (exit ${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

function printCounts(results) {
  console.log('\nFindings per rule (production paths / what --include-tests adds in test, bench, fuzz and fixture paths):\n');
  for (const { entry, production, withTests, seconds, absent } of results) {
    const prod = countByRule(production.findings);
    const all = countByRule(withTests.findings);
    const rules = [...new Set([...prod.keys(), ...all.keys()])].sort();
    const total = production.findings.length;
    const note = absent > 0 ? `, ${absent} files absent from the snapshot` : '';
    console.log(`${entry.repo} @ ${entry.commit.slice(0, 12)} (${entry.kind}): ${total} findings, ${seconds.toFixed(1)} s${note}`);
    for (const rule of rules) {
      const p = prod.get(rule) ?? 0;
      const t = Math.max(0, (all.get(rule) ?? 0) - p);
      console.log(`  ${rule.padEnd(32)} ${String(p).padStart(5)} / ${String(t).padStart(5)}`);
    }
    for (const notice of production.notices.filter((n) => n.kind !== 'unreadable'))
      console.log(`  notice: ${notice.file}: ${notice.message}`);
  }
}

function printPrecision(results) {
  const families = new Map();
  let unjudged = 0;
  for (const { slug, production } of results) {
    const categories = new Map(production.rules.map((rule) => [rule.id, rule.category]));
    for (const finding of production.findings) {
      const family = categories.get(finding.ruleId) ?? 'other';
      const counts = families.get(family) ?? { tp: 0, fp: 0, noise: 0, total: 0 };
      counts.total++;
      const line = finding.location.start?.line ?? 0;
      const verdict = judgments.get(`${slug.replace('+', '/')}\0${relativeToRepo(finding.location.file)}\0${line}\0${finding.ruleId}`);
      if (verdict === 'tp' || verdict === 'fp' || verdict === 'noise') counts[verdict]++;
      else unjudged++;
      families.set(family, counts);
    }
  }
  console.log('\nPrecision of judged findings (tp / judged; noise counts against):\n');
  for (const [family, c] of [...families].sort()) {
    const judged = c.tp + c.fp + c.noise;
    const precision = judged > 0 ? `${((100 * c.tp) / judged).toFixed(1)}%` : 'n/a';
    console.log(
      `  ${family.padEnd(8)} ${precision.padStart(6)}  (${c.tp} tp, ${c.fp} fp, ${c.noise} noise; ${judged} of ${c.total} judged)`,
    );
  }
  if (unjudged > 0) console.log(`\n${unjudged} findings have no judgment in corpus/judgments/*.tsv.`);
}

/** JSON report paths are relative to the cwd, which is the repository's tree. */
function relativeToRepo(file) {
  return file.replace(/^\.\//, '');
}

function countByRule(findings) {
  const counts = new Map();
  for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return counts;
}

/** repo \0 file \0 line \0 rule → verdict, from every judgments file (tab-separated, with a header). */
function readJudgments(dir) {
  const out = new Map();
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.tsv'))
    .sort()) {
    const lines = readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    const header = lines.shift()?.split('\t') ?? [];
    const column = (field) => header.indexOf(field);
    const [repo, file, line, rule, verdict] = ['repo', 'file', 'line', 'rule', 'verdict'].map(column);
    if ([repo, file, line, rule, verdict].some((i) => i < 0)) fail(`${name}: the header must name repo, file, line, rule and verdict`);
    for (const row of lines) {
      const cells = row.split('\t');
      out.set(`${cells[repo]}\0${cells[file]}\0${cells[line]}\0${cells[rule]}`, cells[verdict]);
    }
  }
  return out;
}

function findMirror(slug, repo) {
  for (const candidate of [join(mirrors, slug, 'repo'), join(mirrors, `${slug}.git`), join(mirrors, repo)]) {
    if (existsSync(candidate) && spawnSync('git', ['--git-dir', candidate, 'rev-parse', '--git-dir']).status === 0) return candidate;
  }
  return undefined;
}

/** Writes the tree of `commit` to `target` once; returns how many files the snapshot lacked. */
async function materialize(gitDir, commit, target) {
  const marker = join(target, '.wasm-perf-corpus-commit');
  if (existsSync(marker)) {
    const [done, absent] = readFileSync(marker, 'utf8').trim().split(' ');
    if (done === commit) return Number(absent ?? 0);
  }
  rmSync(target, { recursive: true, force: true });
  const listing = spawnSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', commit], { maxBuffer: 1 << 30 });
  if (listing.status !== 0) fail(`git ls-tree failed in ${gitDir}: ${listing.stderr}`);
  const blobs = listing.stdout
    .toString()
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, oid] = line.slice(0, tab).split(' ');
      return { mode, type, oid, path: line.slice(tab + 1) };
    })
    .filter((entry) => entry.type === 'blob');
  const absent = await writeBlobs(gitDir, blobs, target);
  writeFileSync(marker, `${commit} ${absent}\n`);
  return absent;
}

/** Streams the blobs through one `git cat-file --batch`, skipping those the snapshot lacks. */
function writeBlobs(gitDir, blobs, target) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buffer = Buffer.alloc(0);
    let index = 0;
    let absent = 0;
    const drain = () => {
      for (;;) {
        const blob = blobs[index];
        if (!blob) return;
        const newline = buffer.indexOf(10);
        if (newline < 0) return;
        const header = buffer.subarray(0, newline).toString();
        if (header.endsWith(' missing')) {
          buffer = buffer.subarray(newline + 1);
          index++;
          absent++;
          continue;
        }
        const size = Number(header.split(' ')[2]);
        if (buffer.length < newline + 1 + size + 1) return;
        const data = buffer.subarray(newline + 1, newline + 1 + size);
        buffer = buffer.subarray(newline + 2 + size);
        const path = join(target, blob.path);
        mkdirSync(dirname(path), { recursive: true });
        if (blob.mode === '120000') {
          try {
            symlinkSync(data.toString(), path);
          } catch {
            // A link the file system refuses is not worth failing the corpus for.
          }
        } else writeFileSync(path, data);
        index++;
      }
    };
    child.stdout.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      drain();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      drain();
      if (code !== 0) reject(new Error(`git cat-file exited ${code}`));
      else resolvePromise(absent);
    });
    child.stdin.end(`${blobs.map((b) => b.oid).join('\n')}\n`);
  });
}

function fail(message) {
  console.error(`corpus: ${message}`);
  process.exit(2);
}
