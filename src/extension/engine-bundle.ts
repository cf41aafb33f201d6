/**
 * The engine as its own bundle (dist/engine.js, an entry in esbuild.mjs). The extension
 * loads it on the first analysis, so activation parses only the extension's own code;
 * everything the extension needs from the engine goes through here.
 */
export { Analyzer } from '../core/engine';
export { buildSarifLog, SARIF_SCHEMA } from '../core/report/sarif';
export { RULES, ruleById } from '../core/rules';
