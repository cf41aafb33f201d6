import type { CrateCode } from '../cargo/crate-code';
import type { CargoModel } from '../cargo/model';
import type { HostCodeModel } from '../hostcode/model';
import type { FilePath } from '../model';
import type { BinaryModel } from '../wasm/model';
import type { DiscoveredFiles } from './discover';
import type { SourceFile } from './reader';

/** Everything the rules look at, built once per analysis. Rules only read it. */
export interface WorkspaceModel {
  readonly roots: readonly FilePath[];
  readonly files: DiscoveredFiles;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  /** Judge test, bench, fuzz and fixture code too (`AnalyzerSettings.includeTests`). */
  readonly includeTests: boolean;
  readonly cargo: CargoModel;
  /** What each wasm crate's Rust code does, by manifest path (wasm crates only). */
  readonly crateCode: ReadonlyMap<FilePath, CrateCode>;
  readonly hostCode: HostCodeModel;
  readonly binaries: BinaryModel;
  /** CI workflows, Makefiles, justfiles, package.json, shell scripts. */
  readonly scripts: readonly SourceFile[];
}
