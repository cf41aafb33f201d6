/**
 * SARIF 2.1.0 for GitHub code scanning: one run, rule descriptors from the rule docs,
 * artifact URIs relative to `%SRCROOT%` (the directory the check ran in), text regions in
 * UTF-16 columns, byte regions for binaries, evidence as related locations, fixes as
 * replacements, and a line-hash fingerprint so alerts survive unrelated edits.
 */
import type * as Sarif from 'sarif';
import type { Evidence, FileChange, Finding, FilePath, Location, Notice, RuleMeta, Severity } from '../model';
import { isInside, relative } from '../text/paths';
import type { ReportInput } from './json';
import { changeBase, spanRange, textRange } from './locate';
import { fingerprint } from './fingerprint';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = { error: 'error', warning: 'warning', info: 'note' };

export function buildSarifLog(input: ReportInput): Sarif.Log {
  const ruleIndex = new Map(input.rules.map((rule, index) => [rule.id, index]));
  const occurrences = new Map<string, number>();
  const artifact = (file: FilePath) => artifactLocation(file, input.cwd);
  const physical = (location: Location): Sarif.PhysicalLocation => {
    const region = regionOf(location, input);
    return { artifactLocation: artifact(location.file), ...(region ? { region } : {}) };
  };

  const result = (finding: Finding): Sarif.Result => {
    const index = ruleIndex.get(finding.ruleId);
    const lineHash = fingerprint([finding.ruleId, relative(input.cwd, finding.location.file), anchorText(finding, input)]);
    const occurrence = (occurrences.get(lineHash) ?? 0) + 1;
    occurrences.set(lineHash, occurrence);
    const applicable = finding.fixes.filter((fix) => fix.applicability !== 'display-only');
    const related = finding.evidence.filter((e): e is Evidence & { location: Location } => e.location !== undefined);
    return {
      ruleId: finding.ruleId,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: LEVEL[finding.severity],
      message: { text: messageText(finding) },
      locations: [{ physicalLocation: physical(finding.location) }],
      ...(related.length > 0
        ? { relatedLocations: related.map((e, i) => ({ id: i + 1, message: { text: e.message }, physicalLocation: physical(e.location) })) }
        : {}),
      // SARIF fixes are meant to be applied by a tool, so suggestions (display-only) stay out.
      ...(applicable.length > 0
        ? {
            fixes: applicable
              .sort((a, b) => Number(b.preferred === true) - Number(a.preferred === true))
              .map((fix) => ({
                description: { text: fix.title },
                artifactChanges: fix.changes.map((change) => artifactChange(change, input)),
                properties: { applicability: fix.applicability },
              })),
          }
        : {}),
      partialFingerprints: { primaryLocationLineHash: `${lineHash}:${occurrence}` },
    };
  };

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: input.tool.name,
        version: input.tool.version,
        semanticVersion: input.tool.version,
        rules: input.rules.map(ruleDescriptor),
      },
    },
    originalUriBaseIds: { [SRCROOT]: { uri: fileUri(input.cwd, true) } },
    columnKind: 'utf16CodeUnits',
    invocations: [invocation(input.notices, artifact)],
    results: input.findings.map(result),
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

const APPLICABILITY: Record<RuleMeta['fix'], string | undefined> = {
  safe: 'safe: `wasm-perf check --fix` and fix-all apply it.',
  unsafe: 'unsafe (a trade-off, or a feature a host may lack): applied only with `--fix --unsafe-fixes`, or one at a time in the editor.',
  'display-only': 'a suggestion that no tool applies automatically.',
  none: undefined,
};

/** The rule docs, ending with the applicability of the rule's fixes, which code scanning shows nowhere else. */
function helpText(meta: RuleMeta): string {
  const applicability = APPLICABILITY[meta.fix];
  return applicability ? `${meta.docs.trimEnd()}\n\n**Fix applicability:** ${applicability}` : meta.docs;
}

function ruleDescriptor(meta: RuleMeta): Sarif.ReportingDescriptor {
  return {
    id: meta.id,
    name: meta.id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase()),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.summary },
    help: { text: helpText(meta), markdown: helpText(meta) },
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: { tags: ['performance', meta.category] },
  };
}

/** Findings outside the checked directory get an absolute `file:` URI instead of `%SRCROOT%`. */
function artifactLocation(file: FilePath, cwd: FilePath): Sarif.ArtifactLocation {
  if (!isInside(file, cwd)) return { uri: fileUri(file, false) };
  return { uri: relative(cwd, file).split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function fileUri(path: FilePath, directory: boolean): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `file://${encoded}${directory && !encoded.endsWith('/') ? '/' : ''}`;
}

function regionOf(location: Location, input: ReportInput): Sarif.Region | undefined {
  if (location.binary) return { byteOffset: location.span.start, byteLength: location.span.end - location.span.start };
  const range = textRange(location, input.sources);
  if (!range) return undefined;
  return {
    startLine: range.start.line,
    startColumn: range.start.column,
    endLine: range.end.line,
    endColumn: range.end.column,
    charOffset: location.span.start,
    charLength: location.span.end - location.span.start,
  };
}

function artifactChange(change: FileChange, input: ReportInput): Sarif.ArtifactChange {
  const source = changeBase(change, input.sources);
  return {
    artifactLocation: artifactLocation(change.file, input.cwd),
    replacements: change.edits.map((edit) => {
      const range = source ? spanRange(source, edit) : undefined;
      return {
        deletedRegion: {
          ...(range
            ? { startLine: range.start.line, startColumn: range.start.column, endLine: range.end.line, endColumn: range.end.column }
            : {}),
          charOffset: edit.start,
          charLength: edit.end - edit.start,
        },
        insertedContent: { text: edit.newText },
      };
    }),
  };
}

/** The message, then the detail and any evidence that has no location of its own. */
function messageText(finding: Finding): string {
  const parts = [finding.message];
  if (finding.detail) parts.push(finding.detail);
  for (const evidence of finding.evidence) if (!evidence.location) parts.push(`Note: ${evidence.message}`);
  return parts.join('\n\n');
}

/** What the fingerprint follows: the text of the finding's line, so line-number shifts keep the alert. */
function anchorText(finding: Finding, input: ReportInput): string {
  if (finding.location.binary) return finding.message;
  const source = input.sources.get(finding.location.file);
  if (!source) return finding.message;
  return source.lines.lineText(source.lines.positionAt(finding.location.span.start).line).trim();
}

function invocation(notices: readonly Notice[], artifact: (file: FilePath) => Sarif.ArtifactLocation): Sarif.Invocation {
  return {
    executionSuccessful: !notices.some((notice) => notice.kind === 'internal'),
    toolExecutionNotifications: notices.map((notice) => ({
      level: notice.kind === 'internal' ? 'error' : 'warning',
      message: { text: notice.message },
      locations: [{ physicalLocation: { artifactLocation: artifact(notice.file) } }],
    })),
  };
}
