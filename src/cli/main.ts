/** `wasm-perf` entry point (bundled to dist/cli.js). */
import { processIo } from './io';
import { runCli } from './run';

const crash = (error: unknown) => {
  process.stderr.write(`wasm-perf: error: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

runCli(process.argv.slice(2), processIo()).then((code) => {
  // exitCode instead of exit(): a large report still being flushed to a pipe is not cut off.
  process.exitCode = code;
}, crash);
