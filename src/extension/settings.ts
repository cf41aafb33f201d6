/**
 * `wasm-perf.*` configuration → the engine's `AnalyzerSettings`. Values are validated
 * here because settings.json is hand-edited: an unknown severity or a non-string glob is
 * dropped (and logged) instead of reaching the engine.
 */
import * as vscode from 'vscode';
import type { SeveritySetting } from '../core/model';
import type { AnalyzerSettings } from '../core/settings';

export const SECTION = 'wasm-perf';
const SEVERITIES: readonly SeveritySetting[] = ['off', 'info', 'warning', 'error'];
const BYTES_PER_MEGABYTE = 1024 * 1024;

/** Only these keys change what the analysis reports; benchmark settings do not. */
const ANALYSIS_KEYS = ['rules', 'exclude', 'analyzeBinaries', 'maxBinarySize', 'includeTests'] as const;

export interface SettingsRead {
  readonly settings: Partial<AnalyzerSettings>;
  /** Human-readable reasons for values that were ignored. */
  readonly problems: readonly string[];
}

export function readAnalyzerSettings(scope: vscode.Uri | undefined): SettingsRead {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  return toAnalyzerSettings({
    rules: config.get<unknown>('rules'),
    exclude: config.get<unknown>('exclude'),
    analyzeBinaries: config.get<unknown>('analyzeBinaries'),
    maxBinarySize: config.get<unknown>('maxBinarySize'),
    includeTests: config.get<unknown>('includeTests'),
  });
}

/** The pure mapping, separate from `getConfiguration` so it can be tested on raw values. */
export function toAnalyzerSettings(raw: Record<(typeof ANALYSIS_KEYS)[number], unknown>): SettingsRead {
  const problems: string[] = [];
  const settings: { -readonly [K in keyof AnalyzerSettings]?: AnalyzerSettings[K] } = {};

  if (raw.rules !== undefined && raw.rules !== null) {
    if (typeof raw.rules !== 'object' || Array.isArray(raw.rules)) {
      problems.push(`${SECTION}.rules must be an object of rule id to severity`);
    } else {
      const rules: Record<string, SeveritySetting> = {};
      for (const [id, value] of Object.entries(raw.rules as Record<string, unknown>)) {
        if (SEVERITIES.includes(value as SeveritySetting)) rules[id] = value as SeveritySetting;
        else problems.push(`${SECTION}.rules.${id}: "${String(value)}" is not one of ${SEVERITIES.join(', ')}`);
      }
      settings.rules = rules;
    }
  }
  if (raw.exclude !== undefined && raw.exclude !== null) {
    if (!Array.isArray(raw.exclude)) problems.push(`${SECTION}.exclude must be a list of globs`);
    else {
      // An unbalanced glob is reported by the engine as a notice (validating it here would put the
      // glob library into the activation bundle).
      settings.exclude = raw.exclude
        .filter((glob): glob is string => typeof glob === 'string' && glob.trim().length > 0)
        .map((glob) => glob.trim());
      if (settings.exclude.length !== raw.exclude.length)
        problems.push(`${SECTION}.exclude: entries that are not non-empty strings were ignored`);
    }
  }
  if (typeof raw.analyzeBinaries === 'boolean') settings.analyzeBinaries = raw.analyzeBinaries;
  if (typeof raw.includeTests === 'boolean') settings.includeTests = raw.includeTests;
  if (raw.maxBinarySize !== undefined && raw.maxBinarySize !== null) {
    if (typeof raw.maxBinarySize === 'number' && Number.isFinite(raw.maxBinarySize) && raw.maxBinarySize > 0) {
      settings.maxBinaryBytes = Math.round(raw.maxBinarySize * BYTES_PER_MEGABYTE);
    } else problems.push(`${SECTION}.maxBinarySize must be a positive number of megabytes`);
  }
  return { settings, problems };
}

export function affectsAnalysis(event: vscode.ConfigurationChangeEvent, scope?: vscode.Uri): boolean {
  return ANALYSIS_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`, scope));
}
