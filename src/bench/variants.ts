/**
 * "What if" builds of a crate: the crate as configured plus candidate variants (opt-level,
 * LTO, codegen units, target features, extra rustflags), each into its own target dir.
 * Nothing the user owns is edited: profile settings go through cargo's `--config`
 * overrides, and extra rustflags are appended to whichever rustflags source cargo would use
 * anyway, because the sources are exclusive (facts §7.1: setting a higher-ranked source
 * silently drops the user's own flags).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { BenchError } from './errors';
import { crateWasmTarget, DEFAULT_WASM_TARGET, effectiveRustflags } from './rustflags-source';
import { ensureTargetStd } from './target-std';
import type { BuildOutputStream, BuildRequest, BuiltVariant, VariantSpec } from './types';

export interface BuildOptions {
  /** Cargo executable (default `cargo`; tests use /usr/bin/cargo, whose toolchain has the wasm32 std). */
  readonly cargo?: string;
  /** rustc for cargo to use (sets RUSTC); default: whatever cargo finds. */
  readonly rustc?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  /** Cargo's human-readable output, line by line. */
  readonly onOutput?: (line: string, stream: BuildOutputStream, variant: string) => void;
}

const OPT_LEVELS = new Set(['0', '1', '2', '3', 's', 'z']);
const LTO = new Map<string, VariantSpec['lto']>([
  ['true', 'fat'],
  ['fat', 'fat'],
  ['thin', 'thin'],
  ['false', 'off'],
  ['off', 'off'],
]);

/**
 * Parses the compact form used by the CLI and bench files: comma-separated settings such as
 * `opt-level=3,+simd128,lto=fat,codegen-units=1,-Ctarget-cpu=mvp`.
 */
export function parseVariant(text: string): VariantSpec {
  const tokens = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (tokens.length === 0) throw BenchError.of('bad-request', `Empty variant "${text}": use settings like opt-level=3,+simd128,lto`);
  let optLevel: VariantSpec['optLevel'];
  let lto: VariantSpec['lto'];
  let codegenUnits: number | undefined;
  const targetFeatures: string[] = [];
  const rustflags: string[] = [];
  for (const token of tokens) {
    const [key, value] = token.includes('=')
      ? [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)]
      : [token, undefined];
    if (token.startsWith('+')) {
      if (!/^\+[a-z0-9_-]+$/.test(token)) throw BenchError.of('bad-request', `Bad target feature "${token}" in variant "${text}"`);
      targetFeatures.push(token.slice(1));
    } else if (token.startsWith('-C') || token.startsWith('-Z')) {
      rustflags.push(token);
    } else if (key === 'opt-level') {
      const level = (value ?? '').replace(/^"|"$/g, '');
      if (!OPT_LEVELS.has(level))
        throw BenchError.of('bad-request', `opt-level must be 0, 1, 2, 3, s or z (got "${value ?? ''}") in variant "${text}"`);
      optLevel = level as VariantSpec['optLevel'];
    } else if (key === 'lto') {
      lto = value === undefined ? 'fat' : LTO.get(value);
      if (lto === undefined)
        throw BenchError.of('bad-request', `lto must be fat, thin, off, true or false (got "${value}") in variant "${text}"`);
    } else if (key === 'codegen-units') {
      const units = Number(value);
      if (!Number.isInteger(units) || units < 1)
        throw BenchError.of('bad-request', `codegen-units must be a positive integer (got "${value ?? ''}") in variant "${text}"`);
      codegenUnits = units;
    } else {
      throw BenchError.of(
        'bad-request',
        `Unknown variant setting "${token}" in "${text}": use opt-level=…, lto[=…], codegen-units=…, +feature or -C… flags`,
      );
    }
  }
  return {
    name: tokens.join(','),
    ...(optLevel !== undefined ? { optLevel } : {}),
    ...(lto !== undefined ? { lto } : {}),
    ...(codegenUnits !== undefined ? { codegenUnits } : {}),
    ...(targetFeatures.length > 0 ? { targetFeatures } : {}),
    ...(rustflags.length > 0 ? { rustflags } : {}),
  };
}

export function variantName(spec: VariantSpec): string {
  if (spec.name) return spec.name;
  const parts = [
    spec.optLevel !== undefined ? `opt-level=${spec.optLevel}` : '',
    spec.lto !== undefined ? `lto=${spec.lto}` : '',
    spec.codegenUnits !== undefined ? `codegen-units=${spec.codegenUnits}` : '',
    ...(spec.targetFeatures ?? []).map((f) => `+${f}`),
    ...(spec.rustflags ?? []),
  ].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(',') : 'as configured';
}

function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'variant';
}

function tomlString(value: string): string {
  return JSON.stringify(value);
}

interface CargoInvocation {
  readonly args: string[];
  readonly env: Record<string, string>;
}

/** The cargo arguments and environment that apply one variant on top of the crate's own settings. */
export async function variantInvocation(
  spec: VariantSpec | null,
  request: BuildRequest,
  targetDir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<CargoInvocation> {
  const target = request.target ?? DEFAULT_WASM_TARGET;
  const profile = request.profile ?? 'release';
  const args = [
    'build',
    ...(profile === 'release' ? ['--release'] : ['--profile', profile]),
    '--target',
    target,
    '--target-dir',
    targetDir,
    '--message-format=json-render-diagnostics',
  ];
  if (request.package) args.push('-p', request.package);
  const extraEnv: Record<string, string> = {};
  if (!spec) return { args, env: extraEnv };
  const config = (key: string, value: string) => args.push('--config', `profile.${profile}.${key}=${value}`);
  if (spec.optLevel !== undefined) config('opt-level', /^\d$/.test(spec.optLevel) ? spec.optLevel : tomlString(spec.optLevel));
  if (spec.lto !== undefined) config('lto', spec.lto === 'off' ? 'false' : tomlString(spec.lto));
  if (spec.codegenUnits !== undefined) config('codegen-units', String(spec.codegenUnits));

  const added = [
    ...(spec.targetFeatures?.length ? [`-Ctarget-feature=${spec.targetFeatures.map((f) => `+${f}`).join(',')}`] : []),
    ...(spec.rustflags ?? []),
  ];
  if (added.length === 0) return { args, env: extraEnv };
  const effective = await effectiveRustflags(request.crateDir, target, env);
  const tomlArray = `[${added.map(tomlString).join(', ')}]`;
  const targetEnvName = `CARGO_TARGET_${target.toUpperCase().replace(/[-.]/g, '_')}_RUSTFLAGS`;
  switch (effective.winner) {
    case 'CARGO_ENCODED_RUSTFLAGS':
    case 'RUSTFLAGS':
      // The winning environment variable is replaced by the encoded form of its flags plus ours.
      extraEnv.CARGO_ENCODED_RUSTFLAGS = [...effective.flags, ...added].join('\x1f');
      break;
    case 'target':
      if (env[targetEnvName] !== undefined) extraEnv[targetEnvName] = [env[targetEnvName], ...added].join(' ');
      else args.push('--config', `target.${target}.rustflags=${tomlArray}`);
      break;
    case 'build':
      if (env.CARGO_BUILD_RUSTFLAGS !== undefined) extraEnv.CARGO_BUILD_RUSTFLAGS = [env.CARGO_BUILD_RUSTFLAGS, ...added].join(' ');
      else args.push('--config', `build.rustflags=${tomlArray}`);
      break;
    case 'none':
      args.push('--config', `target.${target}.rustflags=${tomlArray}`);
      break;
  }
  return { args, env: extraEnv };
}

interface CargoArtifact {
  reason?: string;
  filenames?: string[];
  target?: { kind?: string[] };
  message?: { rendered?: string };
}

function runCargo(
  cargo: string,
  invocation: CargoInvocation,
  cwd: string,
  baseEnv: Readonly<Record<string, string | undefined>>,
  name: string,
  options: BuildOptions,
): Promise<string> {
  return new Promise((resolvePath, reject) => {
    // Its own process group on POSIX, so cancelling stops the rustc processes cargo started too.
    const ownGroup = process.platform !== 'win32';
    const child = spawn(cargo, invocation.args, {
      cwd,
      env: { ...baseEnv, ...invocation.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      detached: ownGroup,
    });
    const wasmFiles: string[] = [];
    const errorLines: string[] = [];
    let stdoutRest = '';
    let stderrRest = '';
    const onAbort = () => {
      try {
        if (ownGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const lines = (chunk: string, rest: string, each: (line: string) => void): string => {
      const parts = (rest + chunk).split('\n');
      const last = parts.pop() ?? '';
      parts.forEach(each);
      return last;
    };
    const onStdoutLine = (line: string) => {
      if (!line.startsWith('{')) return options.onOutput?.(line, 'stdout', name);
      let message: CargoArtifact;
      try {
        message = JSON.parse(line) as CargoArtifact;
      } catch {
        return options.onOutput?.(line, 'stdout', name);
      }
      if (message.reason === 'compiler-artifact') wasmFiles.push(...(message.filenames ?? []).filter((f) => f.endsWith('.wasm')));
    };
    const onStderrLine = (line: string) => {
      errorLines.push(line);
      if (errorLines.length > 400) errorLines.shift();
      options.onOutput?.(line, 'stderr', name);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdoutRest = lines(chunk, stdoutRest, onStdoutLine)));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderrRest = lines(chunk, stderrRest, onStderrLine)));
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(BenchError.of('build-failed', `Cannot run cargo (${cargo}): ${error.message}`));
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (stdoutRest) onStdoutLine(stdoutRest);
      if (stderrRest) onStderrLine(stderrRest);
      if (options.signal?.aborted) return reject(BenchError.of('cancelled', `The build of "${name}" was cancelled`));
      const output = errorLines.join('\n');
      if (code !== 0) {
        const firstError = errorLines.find((l) => /^error(\[|:)/.test(l)) ?? `cargo exited with code ${code}`;
        const hint = /can't find crate for `(std|core)`|target may not be installed/.test(output)
          ? ' (the toolchain that cargo uses has no standard library for this target: install it, e.g. `rustup target add`, or point the cargo setting at a toolchain that has it)'
          : '';
        return reject(BenchError.of('build-failed', `Building "${name}" failed: ${firstError}${hint}`, { detail: output }));
      }
      const wasm = wasmFiles[wasmFiles.length - 1];
      if (!wasm) {
        return reject(
          BenchError.of(
            'build-failed',
            `Building "${name}" produced no .wasm file: the crate needs a cdylib (crate-type = ["cdylib"]) or bin target`,
            { detail: output },
          ),
        );
      }
      resolvePath(wasm);
    });
  });
}

/** Builds the crate as configured (unless excluded) and every variant, one after another. */
export async function buildVariants(request: BuildRequest, options: BuildOptions = {}): Promise<BuiltVariant[]> {
  if (typeof request.crateDir !== 'string' || request.crateDir === '')
    throw BenchError.of('bad-request', 'Name the crate directory to build');
  const crateDir = resolve(request.crateDir);
  const env = { ...(options.env ?? process.env), ...(options.rustc !== undefined ? { RUSTC: options.rustc } : {}) };
  const cargo = options.cargo ?? 'cargo';
  const target = request.target ?? (await crateWasmTarget(crateDir, env)).triple;
  const targetRoot = resolve(request.targetRoot ?? join(crateDir, 'target', 'wasm-perf'));
  const plan: { name: string; spec: VariantSpec | null }[] = [
    ...(request.includeConfigured === false ? [] : [{ name: 'as configured', spec: null }]),
    ...request.variants.map((spec) => ({ name: variantName(spec), spec })),
  ];
  if (plan.length === 0) throw BenchError.of('bad-request', 'Nothing to build: no variants and the configured build excluded');
  const names = new Set<string>();
  for (const { name } of plan) {
    if (names.has(name)) throw BenchError.of('bad-request', `Two variants are both named "${name}"`);
    names.add(name);
  }
  await ensureTargetStd({ triple: target, rustc: env.RUSTC ?? 'rustc', cwd: crateDir, env });
  const built: BuiltVariant[] = [];
  for (const { name, spec } of plan) {
    if (options.signal?.aborted) throw BenchError.of('cancelled', 'The builds were cancelled');
    const targetDir = join(targetRoot, slug(name));
    const invocation = await variantInvocation(spec, { ...request, crateDir, target }, targetDir, env);
    options.onOutput?.(`$ ${[cargo, ...invocation.args].join(' ')}`, 'stderr', name);
    const started = performance.now();
    const wasmPath = await runCargo(cargo, invocation, crateDir, env, name, options);
    built.push({
      name,
      spec,
      wasmPath,
      target,
      targetDir,
      command: [cargo, ...invocation.args],
      env: invocation.env,
      durationMs: performance.now() - started,
    });
  }
  return built;
}
