#!/usr/bin/env bash
# Installs code-server for the end-to-end tests, idempotently, into .cache/ of the repo
# (scripts/test-setup.sh installs the Debian packages it needs: chromium, ripgrep, libkrb5-dev):
#   - code-server 4.100.3 (VS Code 1.100.3 served over HTTP; the newest release that runs on Node 20).
# Only the npm registry and Debian mirrors are reachable here, so nothing is downloaded from GitHub:
# code-server's @vscode/ripgrep would fetch rg from GitHub in its postinstall, but it first looks in
# a cache folder, so we put Debian's rg there as the archive it expects.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
RIPGREP_CACHE_NAME=vscode-ripgrep-cache-1.15.11
RIPGREP_ARCHIVE=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="$repo/.cache/code-server"
bin="$cache/node_modules/.bin/code-server"

if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION"; then
  echo "e2e-setup: code-server $CODE_SERVER_VERSION already installed in $cache"
  exit 0
fi

ripgrep_cache="$(node -p 'require("os").tmpdir()')/$RIPGREP_CACHE_NAME"
if [ ! -f "$ripgrep_cache/$RIPGREP_ARCHIVE" ]; then
  pack="$(mktemp -d)"
  mkdir -p "$ripgrep_cache"
  cp "$(command -v rg)" "$pack/rg"
  tar czf "$ripgrep_cache/$RIPGREP_ARCHIVE" -C "$pack" rg
  rm -rf "$pack"
fi

echo "e2e-setup: installing code-server $CODE_SERVER_VERSION into $cache (a few minutes)"
mkdir -p "$cache"
# The repo's .npmrc sets ignore-scripts=true; code-server needs its postinstall, so
# scripts are enabled explicitly, and run as root (unsafe-perm) with npx allowed (yes).
cd "$cache"
npm_config_yes=true npm_config_unsafe_perm=true npm install --no-save --no-audit --no-fund \
  --ignore-scripts=false --unsafe-perm=true --prefix . "code-server@$CODE_SERVER_VERSION"
"$bin" --version
