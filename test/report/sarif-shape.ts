/**
 * Structural checks for what GitHub code scanning requires of a SARIF upload (there is no
 * network here to fetch the JSON schema): version, one run, a named driver with rule
 * descriptors, and results whose rule, level, message and locations are well-formed.
 */
import assert from 'node:assert/strict';
import type * as Sarif from 'sarif';

const LEVELS = new Set(['none', 'note', 'warning', 'error']);

function assertRegion(region: Sarif.Region, where: string): void {
  const text = region.startLine !== undefined;
  const binary = region.byteOffset !== undefined;
  assert.ok(text || binary, `${where}: region needs startLine or byteOffset`);
  if (text) {
    assert.ok(Number.isInteger(region.startLine) && region.startLine! >= 1, `${where}: startLine`);
    for (const key of ['startColumn', 'endLine', 'endColumn'] as const) {
      if (region[key] !== undefined) assert.ok(Number.isInteger(region[key]) && region[key] >= 1, `${where}: ${key}`);
    }
    if (region.endLine !== undefined) assert.ok(region.endLine >= region.startLine!, `${where}: endLine before startLine`);
  }
  if (binary) {
    assert.ok(Number.isInteger(region.byteOffset) && region.byteOffset! >= 0, `${where}: byteOffset`);
    assert.ok(Number.isInteger(region.byteLength) && region.byteLength! >= 0, `${where}: byteLength`);
  }
}

function assertPhysical(location: Sarif.PhysicalLocation | undefined, baseIds: readonly string[], where: string): void {
  assert.ok(location?.artifactLocation?.uri, `${where}: artifactLocation.uri`);
  const { uri, uriBaseId } = location.artifactLocation;
  if (uriBaseId !== undefined) {
    assert.ok(baseIds.includes(uriBaseId), `${where}: unknown uriBaseId ${uriBaseId}`);
    assert.ok(!uri.startsWith('/') && !/^[a-z]+:/i.test(uri), `${where}: a uri with a base id must be relative (${uri})`);
  } else {
    assert.match(uri, /^file:\/\//, `${where}: a uri without base id must be absolute`);
  }
  assert.doesNotThrow(() => new URL(uri, 'file:///base/'), `${where}: not a valid URI reference: ${uri}`);
  if (location.region) assertRegion(location.region, where);
}

export function assertGithubSarif(log: Sarif.Log): void {
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema ?? '', /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  const driver = run.tool.driver;
  assert.equal(driver.name, 'wasm-perf');
  assert.match(driver.version ?? '', /^\d+\.\d+\.\d+/);
  assert.equal(driver.informationUri, undefined, 'we have no website: informationUri must be absent');
  const rules = driver.rules ?? [];
  const ids = new Set<string>();
  for (const rule of rules) {
    assert.ok(rule.id && !ids.has(rule.id), `rule id missing or repeated: ${rule.id}`);
    ids.add(rule.id);
    assert.match(rule.name ?? '', /^[A-Z][A-Za-z0-9]*$/, `${rule.id}: name`);
    assert.ok(rule.shortDescription?.text, `${rule.id}: shortDescription`);
    assert.ok(rule.fullDescription?.text, `${rule.id}: fullDescription`);
    assert.ok(rule.help?.text && rule.help.markdown, `${rule.id}: help text and markdown`);
    assert.ok(LEVELS.has(rule.defaultConfiguration?.level ?? ''), `${rule.id}: defaultConfiguration.level`);
  }
  const baseIds = Object.keys(run.originalUriBaseIds ?? {});
  for (const id of baseIds)
    assert.match(run.originalUriBaseIds![id]!.uri ?? '', /^file:\/\/.*\/$/, `${id} must be an absolute directory URI`);
  for (const [i, result] of (run.results ?? []).entries()) {
    const where = `results[${i}]`;
    assert.ok(result.ruleId && ids.has(result.ruleId), `${where}: ruleId must name a rule descriptor`);
    assert.equal(rules[result.ruleIndex!]?.id, result.ruleId, `${where}: ruleIndex must point at the rule`);
    assert.ok(LEVELS.has(result.level ?? ''), `${where}: level`);
    assert.ok(result.message.text, `${where}: message.text`);
    assert.equal(result.locations?.length, 1, `${where}: exactly one location`);
    assertPhysical(result.locations[0]!.physicalLocation, baseIds, `${where}.locations[0]`);
    for (const [k, related] of (result.relatedLocations ?? []).entries()) {
      assert.ok(related.message?.text, `${where}.relatedLocations[${k}]: message`);
      assertPhysical(related.physicalLocation, baseIds, `${where}.relatedLocations[${k}]`);
    }
    for (const fix of result.fixes ?? []) {
      assert.ok(fix.description?.text, `${where}: fix description`);
      for (const change of fix.artifactChanges) {
        assert.ok(change.artifactLocation.uri, `${where}: fix artifact`);
        for (const replacement of change.replacements) {
          assert.ok(replacement.deletedRegion, `${where}: deletedRegion`);
          assert.equal(typeof replacement.insertedContent?.text, 'string', `${where}: insertedContent.text`);
        }
      }
    }
    const fingerprint = result.partialFingerprints?.primaryLocationLineHash;
    assert.match(fingerprint ?? '', /^[0-9a-f]{16}:\d+$/, `${where}: primaryLocationLineHash`);
  }
}
