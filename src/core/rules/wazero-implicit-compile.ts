import {
  runsRepeatedly,
  type HostFileFacts,
  type InstantiateRewrite,
  type WazeroInstantiateFact,
  type WazeroRuntimeFact,
} from '../hostcode/model';
import { at, describeRepetition, versionEvidence, versionsOf } from '../hostcode/rule-support';
import type { Fix } from '../model';
import { dirname } from '../text/paths';
import type { Rule } from './rule';
import docs from './wazero-implicit-compile.md';

export const wazeroImplicitCompile: Rule = {
  meta: {
    id: 'wazero-implicit-compile',
    title: 'wazero Instantiate evicts the compilation cache',
    category: 'host',
    defaultSeverity: 'warning',
    summary:
      'A wazero runtime with a compilation cache instantiates through `Instantiate`/`InstantiateWithConfig`, which evicts the compiled module when the instance closes, so every load recompiles.',
    docs,
    sources: [
      'https://github.com/wazero/wazero/blob/236c2458ed22010150de76c5397eca2c89af3b4f/runtime.go',
      'https://github.com/wazero/wazero/blob/236c2458ed22010150de76c5397eca2c89af3b4f/cache.go',
      'https://github.com/wazero/wazero/issues/2197',
      'https://github.com/wazero/wazero/issues/2191',
      'https://github.com/wazero/wazero/issues/2336',
    ],
    fix: 'display-only',
    measurable: false,
  },
  check(context) {
    const { workspace } = context;
    const goFiles = workspace.hostCode.files.filter((f) => f.language === 'go');
    for (const file of goFiles) {
      if (file.instantiations.length === 0) continue;
      const packageRuntimes = goFiles
        .filter((f) => dirname(f.path) === dirname(file.path))
        .flatMap((f) => f.wazeroRuntimes.map((runtime) => ({ file: f, runtime })));
      for (const call of file.instantiations) {
        const owner = runtimeFor(call, file, packageRuntimes);
        if (!owner?.runtime.cache) continue;
        const cache = owner.runtime.cache;
        const directory = cache.kind === 'directory';
        const fix = call.rewrite ? rewriteFix(file, call.rewrite) : undefined;
        const repeated = runsRepeatedly(call.context) ? ` ${describeRepetition(call.context)}` : '';
        context.report({
          ...(directory ? { severity: 'info' as const } : {}),
          message: directory
            ? `\`${call.method}\`${repeated} evicts the compiled module when the instance closes, so each instantiation reloads it from the cache directory`
            : `\`${call.method}\`${repeated} evicts the compiled module when the instance closes, so every instantiation recompiles`,
          location: at(file, call.span),
          detail: [`Call \`CompileModule\` once, outside any loop, and \`InstantiateModule\` for each instance.`].filter(Boolean).join(' '),
          evidence: [
            {
              message: directory ? 'directory compilation cache set here' : 'compilation cache set here',
              location: at(owner.file, cache.span),
            },
            ...versionEvidence(versionsOf(workspace, file, 'wazero')),
          ],
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};

/** The runtime a call's receiver is: a runtime variable of the same file, else the package's runtimes with a cache. */
function runtimeFor(
  call: WazeroInstantiateFact,
  file: HostFileFacts,
  runtimes: readonly { file: HostFileFacts; runtime: WazeroRuntimeFact }[],
): { file: HostFileFacts; runtime: WazeroRuntimeFact } | undefined {
  const named = runtimes.filter((r) => r.file === file && r.runtime.variable === call.receiver && r.runtime.span.start < call.span.start);
  if (named.length > 0) return named[named.length - 1];
  return runtimes.find((r) => r.runtime.cache);
}

function freshName(base: string, used: readonly string[]): string {
  if (!used.includes(base)) return base;
  for (let i = 2; ; i++) if (!used.includes(`${base}${i}`)) return `${base}${i}`;
}

function rewriteFix(file: HostFileFacts, rewrite: InstantiateRewrite): Fix | undefined {
  // `InstantiateWithConfig(ctx, bin, nil)` meant the default config; say so explicitly.
  const given = rewrite.configArgument !== undefined && rewrite.configArgument !== 'nil' ? rewrite.configArgument : undefined;
  const moduleConfig = given ?? (file.imports.wazeroName ? `${file.imports.wazeroName}.NewModuleConfig()` : undefined);
  if (!moduleConfig) return undefined;
  const [target, errorName] = rewrite.targets as [string, string];
  const compiled = freshName('compiled', rewrite.usedNames);
  const { indent, eol, receiver } = rewrite;
  const compile = `${compiled}, ${errorName} := ${receiver}.CompileModule(${rewrite.contextArgument}, ${rewrite.sourceArgument})`;
  const instantiate = (operator: string) =>
    `${target}, ${errorName} ${operator} ${receiver}.InstantiateModule(${rewrite.contextArgument}, ${compiled}, ${moduleConfig})`;
  if (rewrite.hoist) {
    // The compile goes before the loop, with the error check moved out one level; the statement keeps its `:=` or `=`.
    const outer = rewrite.hoist.indent;
    const check = rewrite.errorCheckText
      .split(/\r?\n/)
      .map((line, i) => (i === 0 ? line : line.startsWith(indent) ? outer + line.slice(indent.length) : line))
      .join(eol);
    return {
      title: `Compile once before the loop with ${receiver}.CompileModule, then ${receiver}.InstantiateModule`,
      preferred: true,
      applicability: 'display-only',
      changes: [
        {
          file: file.path,
          edits: [
            { start: rewrite.hoist.offset, end: rewrite.hoist.offset, newText: `${outer}${compile}${eol}${outer}${check}${eol}` },
            { start: rewrite.statement.start, end: rewrite.statement.end, newText: instantiate(rewrite.defines ? ':=' : '=') },
          ],
        },
      ],
    };
  }
  // After the compile line declares the error variable, `_, err :=` would declare nothing new.
  const operator = rewrite.defines && target !== '_' ? ':=' : '=';
  const newText = [compile, `${indent}${rewrite.errorCheckText}`, `${indent}${instantiate(operator)}`].join(eol);
  return {
    title: `Compile once with ${receiver}.CompileModule, then ${receiver}.InstantiateModule`,
    preferred: true,
    applicability: 'display-only',
    changes: [{ file: file.path, edits: [{ start: rewrite.statement.start, end: rewrite.statement.end, newText }] }],
  };
}
