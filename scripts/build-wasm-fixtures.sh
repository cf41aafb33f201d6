#!/usr/bin/env bash
# Builds the committed wasm fixture binaries in test/fixtures/wasm/ from test/wasm-src/ with
# real toolchains (Debian's rustc, clang and Go; AssemblyScript's asc from the npm registry,
# pinned below), copies the ones golden cases use into their workspaces, then writes
# test/fixtures/wasm/manifest.json: how each binary was built, the hash of its sources, and
# what it contains, as read back by wabt's wasm-objdump (independent of wasm-perf's own
# decoder, which the tests check against it).
#
#   bash scripts/build-wasm-fixtures.sh      (or: npm run fixtures)
#
# Installs missing Debian packages with apt-get. Uses /usr/bin/rustc and /usr/bin/cargo on
# purpose: a rustup toolchain earlier on PATH may have no wasm32 standard library; /usr/bin/go
# likewise (Debian 12's Go 1.19 knows GOOS=js only, not wasip1).
# Deterministic: running it twice gives byte-identical binaries and manifest.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SRC="$ROOT/test/wasm-src"
OUT="$ROOT/test/fixtures/wasm"
# Ignored by git (test/wasm-src/**/target/); one target dir per variant so none reuses another's build.
BUILD="$SRC/kernels/target"
RUSTC=/usr/bin/rustc
CARGO=/usr/bin/cargo
RUST_TARGET=wasm32-unknown-unknown
GO=/usr/bin/go
# The AssemblyScript compiler, run with npx (not a dependency of the project).
ASC_VERSION=0.28.20

log() { printf 'build-wasm-fixtures: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- toolchains -----------------------------------------------------------------------------

wasi_libc_archive() { dpkg -L wasi-libc 2>/dev/null | grep -m1 '/libc\.a$' || true; }

missing_packages() {
  local packages=()
  [[ -x $RUSTC ]] || packages+=(rustc)
  [[ -x $CARGO ]] || packages+=(cargo)
  [[ -d /usr/lib/rustlib/$RUST_TARGET/lib ]] || packages+=(libstd-rust-dev-wasm32)
  command -v clang >/dev/null || packages+=(clang)
  command -v wasm-ld >/dev/null || packages+=(lld)
  [[ -n $(wasi_libc_archive) ]] || packages+=(wasi-libc)
  command -v wasm-objdump >/dev/null || packages+=(wabt)
  [[ -x $GO ]] || packages+=(golang-go)
  if command -v clang >/dev/null; then
    # Debian ships compiler-rt's wasm32 builtins separately, per clang major version.
    local builtins major
    builtins="$(clang -print-resource-dir)/lib/wasi/libclang_rt.builtins-wasm32.a"
    major=$(clang -dumpversion | cut -d. -f1)
    [[ -f $builtins ]] || packages+=("libclang-rt-$major-dev-wasm32")
  fi
  printf '%s\n' "${packages[@]}"
}

ensure_toolchains() {
  local missing
  missing=$(missing_packages)
  [[ -z $missing ]] && return
  log "installing: $(echo $missing)"
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  # shellcheck disable=SC2086 # one package per word
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq $missing >/dev/null
  # clang's builtins package can only be named once clang is installed.
  missing=$(missing_packages)
  if [[ -n $missing ]]; then
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq $missing >/dev/null
  fi
  missing=$(missing_packages)
  [[ -z $missing ]] || die "still missing after apt-get: $(echo $missing)"
}

ensure_toolchains
LIBC_ARCHIVE=$(wasi_libc_archive)
# Debian's package and wasi-sdk both lay the sysroot out as <sysroot>/lib/wasm32-wasi/libc.a.
WASI_SYSROOT=$(dirname "$(dirname "$(dirname "$LIBC_ARCHIVE")")")

mkdir -p "$OUT" "$BUILD"
VARIANTS="$BUILD/variants.jsonl"
: >"$VARIANTS"
COPIES="$BUILD/golden-copies.tsv"
: >"$COPIES"

json_array() { # prints its arguments as a JSON array of strings
  node -e 'process.stdout.write(JSON.stringify(process.argv.slice(1)))' -- "$@"
}

# Runs Debian's cargo with Debian's rustc, without the caller's rustflags and profile variables:
# they would silently replace build.rustflags or the profile settings given on the command line.
clean_cargo() {
  local unset=(-u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS -u CARGO_BUILD_RUSTFLAGS -u CARGO_BUILD_TARGET) name
  for name in $(compgen -e); do
    [[ $name == CARGO_PROFILE_* || $name == CARGO_TARGET_*_RUSTFLAGS ]] && unset+=(-u "$name")
  done
  env "${unset[@]}" RUSTC="$RUSTC" "$CARGO" "$@"
}

# --- Rust kernels ---------------------------------------------------------------------------

# Settings every Rust variant shares (the crate's own [profile.release] adds panic/codegen-units).
RUST_COMMON_PROFILE=(lto=true)

# rust_variant <file> <intent-json> <profile key=value...> -- <rustflags...>
# <intent-json> states what the build is meant to produce; the manifest step checks it.
rust_variant() {
  local file=$1 intent=$2
  shift 2
  local profile=("${RUST_COMMON_PROFILE[@]}") rustflags
  while [[ $# -gt 0 && $1 != -- ]]; do profile+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  rustflags=("$@")
  local variant_dir="$BUILD/${file%.wasm}"
  local config=() setting
  for setting in "${profile[@]}"; do config+=(--config "profile.release.$setting"); done
  config+=(--config "build.rustflags=$(json_array "${rustflags[@]}")")
  log "cargo: $file"
  (cd "$SRC/kernels" && clean_cargo build --quiet --locked --release --target "$RUST_TARGET" \
    --target-dir "$variant_dir" "${config[@]}")
  install -m 0644 "$variant_dir/$RUST_TARGET/release/kernels.wasm" "$OUT/$file"
  node -e '
    const [file, intent, profile, rustflags, root] = process.argv.slice(1);
    const settings = Object.fromEntries(JSON.parse(profile).map((entry) => {
      const [key, value] = entry.split("=");
      return [key, JSON.parse(value)];
    }));
    console.log(JSON.stringify({
      file, source: "test/wasm-src/kernels", sources: ["Cargo.toml", "Cargo.lock", "src/lib.rs"],
      language: "rust", target: "wasm32-unknown-unknown",
      toolchain: "rustc", profile: { "panic": "abort", "codegen-units": 1, ...settings },
      rustflags: JSON.parse(rustflags).map((flag) => flag.replaceAll(root, "<repository>")), intent: JSON.parse(intent),
    }));' -- "$file" "$intent" "$(json_array "${profile[@]}")" "$(json_array "${rustflags[@]}")" "$ROOT" >>"$VARIANTS"
}

SIMD=(-C target-feature=+simd128)
# strip="debuginfo" is what Cargo >= 1.79 does implicitly for release builds without debug info;
# Debian's Cargo 1.65 predates that, and its prebuilt std would otherwise bring its own DWARF.
rust_variant kernels-s.wasm '{"simd":false,"debug":false,"stripSymbols":false}' 'opt-level="s"' 'strip="debuginfo"' --
rust_variant kernels-3.wasm '{"simd":false,"debug":false,"stripSymbols":false}' 'opt-level=3' 'strip="debuginfo"' --
rust_variant kernels-s-simd.wasm '{"simd":true,"debug":false,"stripSymbols":false}' 'opt-level="s"' 'strip="debuginfo"' -- "${SIMD[@]}"
rust_variant kernels-3-simd.wasm '{"simd":true,"debug":false,"stripSymbols":false}' 'opt-level=3' 'strip="debuginfo"' -- "${SIMD[@]}"
# DWARF records the source directory: map it to a fixed name so the bytes do not depend on
# where the repository is checked out.
rust_variant kernels-3-simd-debug.wasm '{"simd":true,"debug":true,"stripSymbols":false}' 'opt-level=3' 'debug=2' 'strip="none"' -- \
  "${SIMD[@]}" "--remap-path-prefix=$SRC/kernels=kernels"
rust_variant kernels-3-simd-strip.wasm '{"simd":true,"debug":false,"stripSymbols":true}' 'opt-level=3' 'strip=true' -- "${SIMD[@]}"
# The release profile cargo-component 0.12-0.20 generates (opt-level "s", strip, lto, one codegen unit).
rust_variant kernels-s-strip.wasm '{"simd":false,"debug":false,"stripSymbols":true}' 'opt-level="s"' 'strip=true' 'debug=false' --
# The features Rust 1.70-1.81 enable by default: a target_features section without simd128.
# (rustc 1.63 warns that it does not know sign-ext and passes it on; LLVM 14 does know it.)
rust_variant kernels-s-signext.wasm '{"simd":false,"debug":false,"stripSymbols":false}' 'opt-level="s"' 'strip="debuginfo"' -- \
  -C target-feature=+sign-ext,+mutable-globals

# --- C kernels (clang + wasi-libc) ----------------------------------------------------------

# c_variant <file> <source> <intent-json> <clang flags...>
c_variant() {
  local file=$1 source=$2 intent=$3
  shift 3
  local flags=("$@")
  log "clang: $file"
  # Reactor: no main, the exports are the API; wasi-libc's crt1-reactor.o adds _initialize.
  # --strip-debug drops the DWARF that Debian's wasi-libc objects carry.
  clang --target=wasm32-wasi --sysroot="$WASI_SYSROOT" -mexec-model=reactor "${flags[@]}" \
    -Wl,--strip-debug -o "$OUT/$file" "$SRC/c/$source"
  chmod 0644 "$OUT/$file"
  node -e '
    const [file, source, intent, flags] = process.argv.slice(1);
    console.log(JSON.stringify({
      file, source: "test/wasm-src/c", sources: [source], language: "c", target: "wasm32-wasi",
      toolchain: "clang", cflags: [...JSON.parse(flags), "-mexec-model=reactor", "-Wl,--strip-debug"],
      intent: JSON.parse(intent),
    }));' -- "$file" "$source" "$intent" "$(json_array "${flags[@]}")" >>"$VARIANTS"
}

c_variant c-kernels-Os.wasm kernels.c '{"simd":false,"debug":false,"stripSymbols":false}' -Os
c_variant c-kernels-O3-simd.wasm kernels.c '{"simd":true,"debug":false,"stripSymbols":false}' -O3 -msimd128
c_variant c-wasi-report.wasm wasi-report.c '{"simd":false,"debug":false,"stripSymbols":false,"imports":true}' -Os

# --- Go (Debian's go, GOOS=js) ---------------------------------------------------------------

# A Go module carries the whole runtime (1.3 MB for this program), too large to commit. The
# fixture keeps everything that says what built it (the producers and go.buildid sections,
# imports, exports, types, tables) and replaces each function body with `unreachable` and the
# data section with nothing: still a valid module, 3% of the size. The manifest records the
# size and hash of the full build.
go_variant() {
  local file=$1 intent=$2
  local full="$BUILD/go/${file%.wasm}.full.wasm"
  mkdir -p "$BUILD/go"
  log "go: $file"
  (cd "$SRC/go" && env -u GOFLAGS GOOS=js GOARCH=wasm CGO_ENABLED=0 "$GO" build -trimpath -o "$full" .)
  node - "$full" "$OUT/$file" <<'JS'
// Keeps every section but the data section (and its count), with each function body reduced
// to `unreachable`. Reads only the section layout; the function bodies are not decoded.
const { readFileSync, writeFileSync } = require('node:fs');
const [input, output] = process.argv.slice(2);
const bytes = readFileSync(input);
let at = 8;
const leb = () => { let value = 0, shift = 0, byte; do { byte = bytes[at++]; value += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80); return value; };
const uleb = (value) => { const out = []; do { let byte = value & 0x7f; value = Math.floor(value / 128); if (value) byte |= 0x80; out.push(byte); } while (value); return out; };
const chunks = [bytes.subarray(0, 8)];
while (at < bytes.length) {
  const id = bytes[at++];
  const size = leb();
  const start = at;
  at += size;
  if (id === 11 || id === 12) continue; // data, data count
  if (id !== 10) { chunks.push(Buffer.from([id, ...uleb(size)]), bytes.subarray(start, at)); continue; }
  const saved = at;
  at = start;
  const count = leb();
  at = saved;
  const payload = [...uleb(count)];
  for (let i = 0; i < count; i++) payload.push(3, 0x00, 0x00, 0x0b); // size 3: no locals, unreachable, end
  chunks.push(Buffer.from([10, ...uleb(payload.length), ...payload]));
}
writeFileSync(output, Buffer.concat(chunks));
JS
  chmod 0644 "$OUT/$file"
  node -e '
    const { createHash } = require("node:crypto");
    const { readFileSync } = require("node:fs");
    const [file, full, intent] = process.argv.slice(1);
    const bytes = readFileSync(full);
    console.log(JSON.stringify({
      file, source: "test/wasm-src/go", sources: ["go.mod", "main.go"], language: "go", target: "js/wasm",
      toolchain: "go", goflags: ["-trimpath"], env: { GOOS: "js", GOARCH: "wasm", CGO_ENABLED: "0" },
      reducedFrom: { size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") },
      intent: JSON.parse(intent),
    }));' -- "$file" "$full" "$intent" >>"$VARIANTS"
}

go_variant go-kernels.wasm '{"simd":false,"debug":false,"stripSymbols":false,"imports":true}'

# --- AssemblyScript (asc from the npm registry) ----------------------------------------------

# as_variant <file> <intent-json> <asc flags...>: asconfig.json's release target plus the flags.
as_variant() {
  local file=$1 intent=$2
  shift 2
  local flags=("$@")
  log "asc $ASC_VERSION: $file"
  (cd "$SRC/assemblyscript" && npx --yes -p "assemblyscript@$ASC_VERSION" asc kernels.ts --config asconfig.json --target release \
    -o "$OUT/$file" "${flags[@]}")
  chmod 0644 "$OUT/$file"
  node -e '
    const [file, intent, flags, version] = process.argv.slice(1);
    console.log(JSON.stringify({
      file, source: "test/wasm-src/assemblyscript", sources: ["asconfig.json", "kernels.ts"], language: "assemblyscript",
      target: "wasm32", toolchain: `asc ${version}`, ascflags: ["--config", "asconfig.json", "--target", "release", ...JSON.parse(flags)],
      intent: JSON.parse(intent),
    }));' -- "$file" "$intent" "$(json_array "${flags[@]}")" "$ASC_VERSION" >>"$VARIANTS"
}

as_variant as-kernels.wasm '{"simd":false,"debug":false,"stripSymbols":false,"imports":true,"producers":false}'

# --- copies in golden cases ------------------------------------------------------------------

# golden_copy <fixture> <path under test/fixtures/golden>: the golden case runs on this binary.
golden_copy() {
  mkdir -p "$(dirname "$ROOT/test/fixtures/golden/$2")"
  install -m 0644 "$OUT/$1" "$ROOT/test/fixtures/golden/$2"
  printf '%s\t%s\n' "$1" "test/fixtures/golden/$2" >>"$COPIES"
}

golden_copy c-kernels-Os.wasm wasm-c-binary/workspace/build/release/kernels.wasm
golden_copy go-kernels.wasm wasm-go-binary/workspace/build/release/kernels.wasm
golden_copy as-kernels.wasm wasm-assemblyscript/workspace/build/release.wasm
golden_copy kernels-3.wasm wasm-simd-twin/workspace/target/release/codec.wasm
golden_copy kernels-3-simd.wasm wasm-simd-twin/workspace/target/release/codec_simd.wasm
golden_copy kernels-3.wasm wasm-vendored-binary/workspace/adapters/wasi_snapshot_preview1.reactor.wasm
golden_copy kernels-3.wasm wasm-testdata-skipped/workspace/testdata/target/wasm32-unknown-unknown/release/guest.wasm
golden_copy kernels-3.wasm wasm-testdata-included/workspace/testdata/target/wasm32-unknown-unknown/release/guest.wasm

# --- the demo workspace's binary -------------------------------------------------------------

# examples/demo-workspace/image-filters built with its own release profile, so that `npm run demo`
# inspects a real binary without needing a toolchain. cargo-component builds for wasm32-wasip1,
# the name Rust >= 1.78 gives the target rustc 1.63 still calls wasm32-wasi.
DEMO_CRATE="$ROOT/examples/demo-workspace/image-filters"
DEMO_OUT="$DEMO_CRATE/target/wasm32-wasip1/release"
log "cargo: demo image_filters.wasm"
(cd "$DEMO_CRATE" && clean_cargo build --quiet --locked --release --target wasm32-wasi --target-dir "$BUILD/demo")
mkdir -p "$DEMO_OUT"
install -m 0644 "$BUILD/demo/wasm32-wasi/release/image_filters.wasm" "$DEMO_OUT/image_filters.wasm"

# --- manifest -------------------------------------------------------------------------------

TOOLCHAINS=$(node -e 'console.log(JSON.stringify(Object.fromEntries(process.argv.slice(1).map((l) => l.split("\t")))))' -- \
  "rustc	$($RUSTC --version)" \
  "cargo	$($CARGO --version)" \
  "clang	$(clang --version | head -n1)" \
  "wasm-ld	$(wasm-ld --version | head -n1)" \
  "wasi-libc	$(dpkg-query -W -f='${Version}' wasi-libc)" \
  "libstd-rust-dev-wasm32	$(dpkg-query -W -f='${Version}' libstd-rust-dev-wasm32)" \
  "go	$($GO version)" \
  "assemblyscript	$ASC_VERSION" \
  "wabt	$(wasm-objdump --version)")

log "writing manifest.json"
node - "$ROOT" "$OUT" "$VARIANTS" "$COPIES" "$TOOLCHAINS" <<'JS'
// Reads each binary back with wasm-objdump, checks it against the variant's intent, and writes
// the manifest the tests are driven by.
const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { readFileSync, readdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const [root, out, variantsFile, copiesFile, toolchains] = process.argv.slice(2);
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
/** One hash over a variant's source files: `<path>\0<sha256 of its bytes>\n` for each, in order (the tests recompute it). */
const sourceDigest = (dir, files) => sha256(files.map((f) => `${f}\0${sha256(readFileSync(join(root, dir, f)))}\n`).join(''));
const copies = readFileSync(copiesFile, 'utf8').split('\n').filter(Boolean).map((line) => line.split('\t'));
const objdump = (file, ...args) =>
  execFileSync('wasm-objdump', [...args, join(out, file)], { encoding: 'utf8', maxBuffer: 64 << 20 });
const failures = [];

function customSections(file) {
  return [...objdump(file, '-h').matchAll(/^\s*Custom start=\S+ end=\S+ \(size=\S+\) "([^"]+)"/gm)].map((m) => m[1]);
}

function details(file, section) {
  try {
    return execFileSync('wasm-objdump', ['-x', '-j', section, join(out, file)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return ''; // wasm-objdump exits with 1 when the section is absent
  }
}

function exportsOf(file) {
  return [...details(file, 'export').matchAll(/^ - (\w+)\[(\d+)\](?: <[^>]*>)? -> "([^"]*)"$/gm)].map((m) => ({
    name: m[3], kind: m[1], index: Number(m[2]),
  }));
}

function importsOf(file) {
  return [...details(file, 'import').matchAll(/^ - (\w+)\[\d+\].*<- ([^.\s]+)\.(\S+)$/gm)].map((m) => ({
    module: m[2], name: m[3], kind: m[1],
  }));
}

function targetFeaturesOf(file, sections) {
  if (!sections.includes('target_features')) return null;
  return [...details(file, 'target_features').matchAll(/^\s+- \[(.)\] (\S+)$/gm)].map((m) => m[1] + m[2]);
}

/** Decodes the producers section from wasm-objdump's hex dump (tool-conventions ProducersSection.md). */
function producersOf(file, sections) {
  if (!sections.includes('producers')) return null;
  const hex = [...objdump(file, '-s', '-j', 'producers').matchAll(/^[0-9a-f]+: ((?:[0-9a-f]{2,4} ?)+) /gm)]
    .map((m) => m[1].replace(/\s/g, '')).join('');
  const bytes = Buffer.from(hex, 'hex');
  let at = 0;
  const leb = () => {
    let value = 0, shift = 0, byte;
    do { byte = bytes[at++]; value |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
    return value >>> 0;
  };
  const name = () => { const length = leb(); const text = bytes.subarray(at, at + length).toString('utf8'); at += length; return text; };
  if (name() !== 'producers') throw new Error(`${file}: producers dump does not start with the section name`);
  const fields = {};
  for (let field = leb(); field > 0; field--) {
    const key = name();
    fields[key] = [];
    for (let value = leb(); value > 0; value--) fields[key].push({ name: name(), version: name() });
  }
  if (at !== bytes.length) throw new Error(`${file}: producers section has ${bytes.length - at} trailing bytes`);
  return fields;
}

/** Counts 0xFD-prefixed instructions per function (continuation lines of long immediates have no mnemonic). */
function simdOf(file, exports) {
  const exportNames = new Map(exports.filter((e) => e.kind === 'func').map((e) => [e.index, e.name]));
  const perFunction = new Map();
  let current;
  for (const line of objdump(file, '-d').split('\n')) {
    const header = /^[0-9a-f]+ func\[(\d+)\](?: <([^>]*)>)?:$/.exec(line);
    if (header) {
      current = exportNames.get(Number(header[1])) ?? header[2] ?? `func[${header[1]}]`;
      continue;
    }
    if (/^ [0-9a-f]+: fd [^|]*\| +\S/.test(line)) perFunction.set(current, (perFunction.get(current) ?? 0) + 1);
  }
  const count = [...perFunction.values()].reduce((a, b) => a + b, 0);
  return { count, functions: [...perFunction.keys()].sort() };
}

const files = [];
for (const line of readFileSync(variantsFile, 'utf8').split('\n').filter(Boolean)) {
  const variant = JSON.parse(line);
  const { file, intent } = variant;
  const bytes = readFileSync(join(out, file));
  const sections = customSections(file);
  const exports = exportsOf(file);
  const simd = simdOf(file, exports);
  const targetFeatures = targetFeaturesOf(file, sections);
  const producers = producersOf(file, sections);
  const debugSections = sections.filter((s) => s.startsWith('.debug_'));
  const imports = importsOf(file);
  const check = (ok, message) => { if (!ok) failures.push(`${file}: ${message}`); };
  check((simd.count > 0) === intent.simd, `expected ${intent.simd ? 'SIMD instructions' : 'no SIMD instructions'}, found ${simd.count}`);
  check(intent.stripSymbols ? targetFeatures === null : !intent.simd || (targetFeatures ?? []).includes('+simd128'),
    `unexpected target_features ${JSON.stringify(targetFeatures)}`);
  check((intent.producers ?? !intent.stripSymbols) ? producers !== null : producers === null, `unexpected producers ${JSON.stringify(producers)}`);
  check((debugSections.length > 0) === intent.debug, `unexpected debug sections ${JSON.stringify(debugSections)}`);
  check((imports.length > 0) === Boolean(intent.imports), `unexpected imports ${JSON.stringify(imports)}`);
  check(bytes.length <= 96 * 1024, `${bytes.length} bytes is too large for a committed fixture`);
  const { intent: _intent, ...build } = variant;
  const goldenCopies = copies.filter(([fixture]) => fixture === file).map(([, copy]) => copy);
  files.push({
    ...build,
    sourceSha256: sourceDigest(build.source, build.sources),
    size: bytes.length,
    sha256: sha256(bytes),
    ...(goldenCopies.length > 0 ? { goldenCopies } : {}),
    expect: {
      simd: simd.count > 0,
      simdInstructions: simd.count,
      simdFunctions: simd.functions,
      targetFeatures,
      producers,
      customSections: sections,
      debugSections,
      nameSection: sections.includes('name'),
      exports: exports.map(({ name, kind }) => ({ name, kind })),
      imports,
    },
  });
}

const total = readdirSync(out).filter((f) => f.endsWith('.wasm')).reduce((sum, f) => sum + readFileSync(join(out, f)).length, 0);
if (total > 1024 * 1024) failures.push(`fixtures total ${total} bytes, over the 1 MB budget`);
if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
const manifest = {
  description: 'Built by scripts/build-wasm-fixtures.sh; "expect" is what wabt\'s wasm-objdump reads back from each file.',
  toolchains: JSON.parse(toolchains),
  files,
};
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
JS
log "done: $(ls "$OUT"/*.wasm | wc -l) binaries in ${OUT#"$ROOT"/}"
