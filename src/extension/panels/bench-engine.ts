/**
 * The benchmark panel's engine inside VS Code: the engine bundle's runs in a child process of
 * VS Code's own runtime (Electron as Node), and crate builds that
 * - build the crate's own wasm target, as the latest analysis found it (its config, toolchain
 *   file, build scripts, spin.toml, cargo-component), with the engine's reading of the config
 *   chain as the fallback before the first analysis;
 * - go to the extension's storage, not the crate's `target/`: `target/` is usually in
 *   .gitignore but still shown in the Explorer (and watched), so builds there would clutter
 *   the user's tree and retrigger analysis;
 * - stream cargo's output into the "wasm-perf build" channel, and fail with a short summary
 *   (or, for a missing standard library, the install command as a button).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { BenchFailure, BuildRequest } from '../../bench/types';
import type { LoadEngine } from '../engine-loader';
import { RunFailure, type BenchEngine, type EngineRunOptions } from './benchmark-runner';
import { summarizeBuildOutput } from './build-summary';

export interface BenchEngineDeps {
  readonly loadEngine: LoadEngine;
  readonly log: vscode.LogOutputChannel;
  /** cargo's whole output, shown by "Show build log". */
  readonly buildLog: vscode.OutputChannel;
  /** dist/bench-child.js. */
  readonly childScript: string;
  /** The extension's storage directory; variant builds go below it. */
  readonly storageDir: string;
  /** The wasm target the latest analysis found for the crate in this directory, if any. */
  readonly crateTarget: (crateDir: string) => string | undefined;
}

const SHOW_BUILD_LOG = () => vscode.l10n.t('Show build log');

/** One directory per crate, named so a person browsing the storage can tell them apart. */
export function crateBuildRoot(storageDir: string, crateDir: string): string {
  const hash = createHash('sha256').update(crateDir).digest('hex').slice(0, 12);
  return join(storageDir, 'builds', `${basename(crateDir) || 'crate'}-${hash}`);
}

/**
 * The rustc next to a cargo the user pointed the setting at: choosing a cargo means choosing
 * its toolchain, while cargo itself would run whatever `rustc` comes first on PATH.
 */
export function siblingRustc(cargoPath: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.RUSTC || !isAbsolute(cargoPath)) return undefined;
  const rustc = join(dirname(cargoPath), process.platform === 'win32' ? 'rustc.exe' : 'rustc');
  return existsSync(rustc) ? rustc : undefined;
}

export function createBenchEngine(deps: BenchEngineDeps): BenchEngine {
  const settings = () => vscode.workspace.getConfiguration('wasm-perf.benchmark');
  const runOptions = (options: EngineRunOptions) => {
    // The settings' wording: `timeLimitMs` is the measuring time per task, `budgetMs` bounds the whole run.
    const measuring = settings().get<number>('timeLimitMs');
    const whole = settings().get<number>('budgetMs');
    return {
      run: { signal: options.signal, onProgress: options.onProgress, executable: process.execPath, childScript: deps.childScript },
      harness: { ...(measuring ? { budgetMs: measuring } : {}), ...(whole ? { timeLimitMs: whole } : {}) },
    };
  };
  return {
    runBenchmark: async (request, options) => {
      const { run, harness } = runOptions(options);
      return (await deps.loadEngine()).runBenchmark({ ...request, options: { ...harness, ...request.options } }, run);
    },
    compareModules: async (request, options) => {
      const { run, harness } = runOptions(options);
      return (await deps.loadEngine()).compareModules({ ...request, options: { ...harness, ...request.options } }, run);
    },
    buildVariants: (request, options) => buildCrate(deps, settings().get<string>('cargoPath') || 'cargo', request, options),
    toFailure: async (error) => (await deps.loadEngine()).toFailure(error),
  };
}

async function buildCrate(deps: BenchEngineDeps, cargo: string, request: BuildRequest, options: EngineRunOptions) {
  const engine = await deps.loadEngine();
  const target = request.target ?? deps.crateTarget(request.crateDir);
  const rustc = siblingRustc(cargo, process.env);
  const full: BuildRequest = {
    ...request,
    ...(target ? { target } : {}),
    targetRoot: request.targetRoot ?? crateBuildRoot(deps.storageDir, request.crateDir),
  };
  deps.buildLog.appendLine(`[${new Date().toISOString()}] building ${request.crateDir}${target ? ` for ${target}` : ''}`);
  try {
    return await engine.buildVariants(full, {
      cargo,
      ...(rustc ? { rustc } : {}),
      signal: options.signal,
      onOutput: (line, _stream, variant) => {
        deps.buildLog.appendLine(line);
        options.onProgress({ phase: 'building', message: `Building ${variant}: ${line.slice(0, 160)}`, label: variant });
      },
    });
  } catch (error) {
    const failure = engine.toFailure(error);
    if (failure.code !== 'build-failed' && failure.code !== 'target-missing') throw error;
    if (failure.detail) deps.buildLog.appendLine(failure.detail);
    const message = failureSummary(failure, [...workspaceRoots(), request.crateDir]);
    deps.log.warn(`build of ${request.crateDir} failed: ${message.replace(/\n/g, ' | ')}`);
    void offerRemedy(failure, message, request.crateDir, deps.buildLog);
    throw new RunFailure(message, failure.code);
  }
}

function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
}

/** The first line of the engine's message, then the compiler's first errors. */
export function failureSummary(failure: BenchFailure, roots: readonly string[]): string {
  if (failure.code !== 'build-failed' || !failure.detail) return failure.message;
  const headline = failure.message.replace(/: error(\[E\d+\])?: .*$/, '').replace(/: .*$/, '');
  return [`${headline}:`, ...summarizeBuildOutput(failure.detail, roots)].join('\n');
}

/** A notification with what helps: the install command for a missing library, else the build log. */
async function offerRemedy(failure: BenchFailure, message: string, crateDir: string, buildLog: vscode.OutputChannel): Promise<void> {
  const remedy = failure.code === 'target-missing' ? failure.remedy : undefined;
  const install = remedy ? vscode.l10n.t('Run {0}', remedy.command) : undefined;
  const choice = await vscode.window.showErrorMessage(message, ...(install ? [install] : []), SHOW_BUILD_LOG());
  if (choice === SHOW_BUILD_LOG()) buildLog.show(true);
  else if (remedy && choice === install) {
    // A terminal, not a hidden process: the command may ask for a password (sudo) or a confirmation.
    const terminal = vscode.window.createTerminal({ name: 'wasm-perf', cwd: crateDir });
    terminal.show();
    terminal.sendText(remedy.command);
  }
}
