/**
 * What the Rust code of each wasm crate does, as far as the build-setting rules need to know:
 * where it has work that SIMD speeds up (`data-parallel.ts`), and which of its dependencies are
 * libraries built around such work. Only wasm crates are read, each file parsed once per text.
 */
import { describeError } from '../host';
import { parserFor, parseToPlainTree } from '../hostcode/tree-sitter';
import type { Evidence, FilePath } from '../model';
import { ancestors, dirname, relativeToRoot } from '../text/paths';
import type { LoadContext } from '../workspace/load-context';
import type { TextResult } from '../workspace/reader';
import { isTestPath } from '../workspace/test-code';
import { dataParallelSites, type DataParallelKind, type DataParallelSite } from './data-parallel';
import type { CargoModel, CrateInfo } from './model';

/**
 * Libraries that exist to run data-parallel kernels: image resampling and processing,
 * rasterizing, linear algebra, FFT, machine learning, resampling audio, and the byte-search,
 * JSON and hash crates that carry wasm `simd128` code paths behind
 * `cfg(target_feature = "simd128")`. Rustflags apply to every crate of a build, so their loops
 * are compiled with the wasm crate's `+simd128` or without it. Format and protocol crates that
 * only decode, encode or hash serially (`image`'s codecs, `sha2`, `flate2`) are not listed: a
 * crate that calls them once per request is still glue.
 */
const DATA_PARALLEL_DEPENDENCIES = new Set([
  'imageproc',
  'photon-rs',
  'fast_image_resize',
  'resize',
  'tiny-skia',
  'ndarray',
  'nalgebra',
  'glam',
  'faer',
  'matrixmultiply',
  'rustfft',
  'realfft',
  'candle-core',
  'tract-core',
  'tract-onnx',
  'rubato',
  'memchr',
  'simd-json',
  'blake3',
]);

/** A finding shows where SIMD would help; two places make the point. */
const MAX_SITES = 2;

export interface CrateCode {
  /** Where SIMD would speed the crate up: its own code first, then its data-parallel dependencies. */
  readonly dataParallel: readonly Evidence[];
}

export const EXPLICIT_SIMD_LABEL = 'SIMD code that builds only with simd128';

const LABELS: Record<DataParallelKind, string> = {
  'explicit-simd': EXPLICIT_SIMD_LABEL,
  'indexed-loop': 'loop over array elements that SIMD can vectorize',
  'iterator-arithmetic': 'arithmetic over slice elements that SIMD can vectorize',
};

/**
 * The `.rs` files of each crate directory, outside nested crates, tests, benches, examples and
 * `build.rs`: each source goes to the nearest crate directory above it (one walk up per file,
 * so a workspace of hundreds of crates costs no more than its files).
 */
function sourcesByCrateDir(sources: readonly FilePath[], crateDirs: readonly FilePath[]): Map<FilePath, FilePath[]> {
  const dirs = new Set(crateDirs);
  const out = new Map<FilePath, FilePath[]>();
  for (const path of sources) {
    if (!path.endsWith('.rs')) continue;
    const owner = ancestors(dirname(path)).find((dir) => dirs.has(dir));
    if (owner === undefined) continue;
    const inCrate = relativeToRoot([owner], path);
    if (isTestPath(inCrate) || inCrate.startsWith('examples/') || inCrate === 'build.rs') continue;
    out.set(owner, [...(out.get(owner) ?? []), path]);
  }
  return out;
}

const NO_SOURCES: readonly FilePath[] = [];

/** One crate's evidence with what it was made from: the crate, its source list, and the reads it consulted. */
interface KeptEvidence {
  readonly crate: CrateInfo;
  readonly paths: readonly FilePath[];
  readonly reads: readonly Promise<TextResult>[];
  readonly evidence: Evidence[];
}

export async function loadCrateCode(context: LoadContext, cargo: CargoModel): Promise<ReadonlyMap<FilePath, CrateCode>> {
  const out = new Map<FilePath, CrateCode>();
  const wasmCrates = cargo.crates.filter((crate) => crate.wasm);
  if (wasmCrates.length === 0) return out;
  // The parser loads on the first source that needs it: a workspace of manifests alone never pays for it.
  let parser: Promise<Awaited<ReturnType<typeof parserFor>> | undefined> | undefined;
  const rustParser = () =>
    (parser ??= parserFor(context.host, context.assets.dir, 'rust').catch((error: unknown) => {
      context.notice({ file: '.', kind: 'internal', message: `cannot read wasm crates' code: ${describeError(error)}` });
      return undefined;
    }));
  // Which file belongs to which crate changes only with the file list or the crates' places: an
  // editor's re-analysis (same discovered list, same crates) finds it in the cache.
  const crateDirs = cargo.crates.map((crate) => crate.dir);
  const sources = context.cache.get('crate-sources', '', [context.files, crateDirs.join('\0')], () =>
    sourcesByCrateDir(context.files.hostSources, crateDirs),
  );
  // Crates are read concurrently (the file system's latency overlaps); a crate's own files in order,
  // stopping once it has shown enough.
  // The evidence depends on the crate and on the files consulted; the reader gives the same read
  // for a file the host did not report changed, so an unchanged crate costs one comparison per file
  // (and no await).
  const keptEvidence = (crate: CrateInfo): Evidence[] | undefined => {
    const paths = sources.get(crate.dir) ?? NO_SOURCES;
    const kept = context.cache.latest<KeptEvidence>('crate-evidence', crate.manifestPath);
    const unchanged =
      kept?.crate === crate && kept.paths === paths && kept.reads.every((read, i) => context.reader.readText(paths[i]!) === read);
    return unchanged ? kept.evidence : undefined;
  };
  const crateEvidence = async (crate: CrateInfo): Promise<Evidence[]> => {
    const paths = sources.get(crate.dir) ?? NO_SOURCES;
    const evidence: Evidence[] = [];
    const reads: Promise<TextResult>[] = [];
    let complete = true;
    for (const path of paths) {
      if (evidence.length >= MAX_SITES) break;
      if (context.signal?.aborted) complete = false;
      if (!complete) break;
      const pending = context.reader.readText(path);
      reads.push(pending);
      const read = await pending;
      if (!read.ok) continue;
      const { text } = read.file;
      const rust = await rustParser();
      if (!rust) {
        complete = false;
        break;
      }
      const sites = context.cache.get<DataParallelSite[]>('crate-code', path, text, () =>
        dataParallelSites(text, parseToPlainTree(rust, text).root),
      );
      evidence.push(
        ...sites
          .slice(0, MAX_SITES - evidence.length)
          .map((site) => ({ message: LABELS[site.kind], location: { file: path, span: site.span } })),
      );
    }
    const library = [...crate.dependencies.values()].find((d) => DATA_PARALLEL_DEPENDENCIES.has(d.name) && d.kind === 'normal');
    if (library) {
      evidence.push({
        message: `depends on ${library.name}, whose kernels SIMD speeds up`,
        location: { file: library.manifestPath, span: library.span },
      });
    }
    // Evidence cut short (an aborted analysis, no parser) is never reused.
    if (complete) context.cache.put('crate-evidence', crate.manifestPath, [], { crate, paths, reads, evidence } satisfies KeptEvidence);
    return evidence;
  };
  const results = wasmCrates.map(keptEvidence);
  const missing = results.flatMap((kept, index) => (kept ? [] : [index]));
  const derived = await Promise.all(missing.map((index) => crateEvidence(wasmCrates[index]!)));
  missing.forEach((index, i) => (results[index] = derived[i]));
  wasmCrates.forEach((crate, index) => out.set(crate.manifestPath, { dataParallel: results[index]! }));
  return out;
}
