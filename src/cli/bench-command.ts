/** `wasm-perf bench …` — placeholder until the benchmark engine lands. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly isTty: boolean;
}

export async function runBenchCommand(_args: readonly string[], io: CommandIo): Promise<number> {
  io.stderr('wasm-perf bench: not available in this build\n');
  return 2;
}
