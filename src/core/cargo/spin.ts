/** The crates a `spin.toml` builds: `[component.<id>.build]` (manifest v2) or `[[component]] build` (v1). */
import type { FilePath } from '../model';
import { dirname, join } from '../text/paths';
import type { TomlDocument } from './toml-document';
import type { SpinBuild } from './wasm-detect';

export function readSpinBuilds(spinPath: FilePath, document: TomlDocument): SpinBuild[] {
  const out: SpinBuild[] = [];
  for (const id of document.childKeys(['component'])) {
    const commandEntry = document.get(['component', id, 'build', 'command']);
    const command = document.value(['component', id, 'build', 'command']);
    if (!commandEntry || typeof command !== 'string' || !/\bcargo\b/.test(command)) continue;
    const workdir = document.value(['component', id, 'build', 'workdir']);
    const target = /--target[=\s]+([^\s"']+)/.exec(command)?.[1];
    out.push({
      spinPath,
      dir: typeof workdir === 'string' ? join(dirname(spinPath), workdir) : dirname(spinPath),
      ...(target ? { target } : {}),
      cargoComponent: /\bcargo\s+component\b/.test(command),
      span: commandEntry.valueSpan,
    });
  }
  return out;
}
