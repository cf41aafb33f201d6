/**
 * The analysis engine: every area (cargo, the crates' code, host code, binaries) and every rule,
 * over the pipeline of analyzer.ts. It never imports `vscode` and never writes a file.
 */
import { AreaAnalyzer, type AreaLoaders } from './analyzer';
import { loadCrateCode } from './cargo/crate-code';
import { loadCargo } from './cargo/load';
import type { Assets, Host } from './host';
import { loadHostCode } from './hostcode/load';
import { RULES } from './rules';
import type { Rule } from './rules/rule';
import type { AnalyzerSettings } from './settings';

export { compareFindings, type AnalysisResult, type AnalyzeOptions } from './analyzer';

const EVERY_AREA: AreaLoaders = { cargo: loadCargo, crateCode: loadCrateCode, hostCode: loadHostCode };

export class Analyzer extends AreaAnalyzer {
  constructor(host: Host, settings: Partial<AnalyzerSettings> | undefined, assets: Assets, rules: readonly Rule[] = RULES) {
    super(host, settings, assets, rules, EVERY_AREA);
  }
}
