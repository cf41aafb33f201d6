#!/usr/bin/env bash
# Installs, once, the Debian packages the test suites use (nothing happens when all are present):
#   chromium                            headless browser for the webview and end-to-end tests
#   rustc cargo libstd-rust-dev-wasm32  the benchmark tests build a real crate to wasm with cargo
#   clang lld                           a test rebuilds the committed instruction walker (walk.c) and compares bytes
#   ripgrep libkrb5-dev                 code-server's install (see scripts/e2e-setup.sh)
set -euo pipefail

packages=(chromium rustc cargo libstd-rust-dev-wasm32 clang lld ripgrep libkrb5-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "test-setup: missing ${missing[*]}, and there is no apt-get to install them (Debian or Ubuntu needed)" >&2
  exit 1
fi
echo "test-setup: installing Debian packages: ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
