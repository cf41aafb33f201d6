/**
 * Before building for a wasm target: is that target's standard library installed for the
 * rustc cargo will run? cargo's own answer is a wall of "can't find crate for `std`" after
 * it has compiled half the dependencies. The sysroot is asked in the crate's directory so a
 * rustup `rust-toolchain.toml` there picks the same toolchain cargo will.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BenchError } from './errors';
import type { InstallRemedy } from './types';

export interface TargetStdQuery {
  readonly triple: string;
  /** The rustc cargo uses (RUSTC, else `rustc` on PATH). */
  readonly rustc: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Debian ships the wasm standard libraries in one package, for these triples only (1.63 and later). */
const DEBIAN_WASM_PACKAGE = 'libstd-rust-dev-wasm32';
const DEBIAN_WASM_TRIPLES = new Set(['wasm32-unknown-unknown', 'wasm32-wasi']);
const RUSTC_TIMEOUT_MS = 30_000;

function run(command: string, args: readonly string[], query: TargetStdQuery): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd: query.cwd, env: { ...query.env }, timeout: RUSTC_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error) reject(new Error(String(stderr).trim().split('\n')[0] || error.message));
      else resolve(String(stdout).trim());
    });
  });
}

/** Where the sysroot says the toolchain came from, and what installs the missing library. */
export function installRemedy(triple: string, sysroot: string, version: string): { remedy?: InstallRemedy; advice: string } {
  const rustup = /[\\/]\.?rustup[\\/]toolchains[\\/]([^\\/]+)$/.exec(sysroot);
  if (rustup) {
    const command = `rustup target add ${triple} --toolchain ${rustup[1]}`;
    return { remedy: { kind: 'rustup', command }, advice: `install it with \`${command}\`` };
  }
  if (sysroot === '/usr' && existsSync('/etc/debian_version')) {
    if (DEBIAN_WASM_TRIPLES.has(triple)) {
      const command = `sudo apt-get install ${DEBIAN_WASM_PACKAGE}`;
      return {
        remedy: { kind: 'debian', command, package: DEBIAN_WASM_PACKAGE },
        advice: `Debian's rustc gets it from the ${DEBIAN_WASM_PACKAGE} package: \`${command}\``,
      };
    }
    const renamed = triple === 'wasm32-wasip1' ? '; wasm32-wasi is its name before Rust 1.78' : '';
    return {
      advice: `Debian's ${version || 'rustc'} has no package for it (${DEBIAN_WASM_PACKAGE} covers ${[...DEBIAN_WASM_TRIPLES].join(' and ')}${renamed}): install Rust with rustup, or point the cargo setting at a toolchain that has it`,
    };
  }
  return { advice: `install the standard library for ${triple} into the toolchain at ${sysroot}` };
}

/** Throws a `target-missing` BenchError, with the install command when one is known, if the library is absent. */
export async function ensureTargetStd(query: TargetStdQuery): Promise<void> {
  let sysroot: string;
  let version = '';
  try {
    [sysroot, version] = await Promise.all([
      run(query.rustc, ['--print', 'sysroot'], query),
      run(query.rustc, ['--version'], query).catch(() => ''),
    ]);
  } catch (error) {
    // Cargo will say the same, in its own words; the check only spares a doomed build.
    throw BenchError.of('build-failed', `Cannot run rustc (${query.rustc}): ${(error as Error).message}`);
  }
  if (existsSync(join(sysroot, 'lib', 'rustlib', query.triple, 'lib'))) return;
  const { remedy, advice } = installRemedy(query.triple, sysroot, version);
  throw BenchError.of('target-missing', `The Rust standard library for ${query.triple} is not installed: ${advice}`, {
    detail: `rustc: ${query.rustc}${version ? ` (${version})` : ''}\nsysroot: ${sysroot}\nmissing: ${join(sysroot, 'lib', 'rustlib', query.triple, 'lib')}`,
    target: query.triple,
    ...(remedy ? { remedy } : {}),
  });
}
