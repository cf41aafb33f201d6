#!/usr/bin/env bash
# Builds src/core/wasm/walker/walk.wasm from walk.c with Debian's clang 14 and records the
# hashes of walk.c, this script and walk.wasm, the flags and the compiler in walk.build.json, which test/wasm/walker-build.test.ts
# checks so a stale binary fails CI without clang there. The engine and CI never need clang.
#
#   scripts/build-walker.sh            rebuild in place
#   scripts/build-walker.sh OUT_DIR    build into OUT_DIR (the test compares bytes this way)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
walker="$root/src/core/wasm/walker"
out="${1:-$walker}"
mkdir -p "$out"

if ! command -v clang >/dev/null || ! command -v wasm-ld >/dev/null; then
  apt-get install -y --no-install-recommends clang lld >/dev/null
fi

# Deterministic: no debug info, no paths, no names; walk.c names its exports (export_name).
flags=(--target=wasm32 -O3 -std=c11 -nostdlib -ffreestanding -fno-builtin -mbulk-memory -Wall -Wextra -Werror
  -Wl,--no-entry -Wl,--strip-all)

(cd "$walker" && clang "${flags[@]}" -o "$out/walk.wasm" walk.c)

source_sha=$(sha256sum "$walker/walk.c" | cut -d' ' -f1)
script_sha=$(sha256sum "$root/scripts/build-walker.sh" | cut -d' ' -f1)
wasm_sha=$(sha256sum "$out/walk.wasm" | cut -d' ' -f1)
compiler=$(clang --version | head -n1)
flags_json=$(printf '"%s",' "${flags[@]}")
cat > "$out/walk.build.json" <<JSON
{
  "source": "walk.c",
  "sourceSha256": "$source_sha",
  "buildScriptSha256": "$script_sha",
  "wasmSha256": "$wasm_sha",
  "compiler": "$compiler",
  "flags": [${flags_json%,}]
}
JSON
echo "walk.wasm: $(stat -c %s "$out/walk.wasm") bytes, source sha256 $source_sha"
