/** Messages between the benchmark runner and its child process (over the IPC channel). */
import type {
  BenchFailure,
  BenchmarkResult,
  ComparisonResult,
  HarnessSettings,
  LoadResult,
  ModuleRef,
  ProgressEvent,
  TargetSpec,
} from './types';

export type ChildJob =
  | {
      readonly kind: 'export';
      readonly modules: readonly ModuleRef[];
      readonly target: TargetSpec;
      readonly settings: HarnessSettings;
      readonly stubImports: boolean;
    }
  | {
      readonly kind: 'load';
      readonly module: ModuleRef;
      readonly sequenceCount: number;
      readonly repetitions: number;
      readonly settings: HarnessSettings;
      readonly stubImports: boolean;
    };

export type ChildResult = BenchmarkResult | ComparisonResult | LoadResult;

export type ParentMessage = { readonly type: 'run'; readonly job: ChildJob };

export type ChildMessage =
  | { readonly type: 'progress'; readonly event: ProgressEvent }
  | { readonly type: 'result'; readonly result: ChildResult }
  | { readonly type: 'failure'; readonly failure: BenchFailure };
