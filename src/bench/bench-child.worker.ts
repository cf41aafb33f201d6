/**
 * Entry of the benchmark child process (bundled to dist/bench-child.js). Receives one job over
 * the IPC channel, streams progress, sends the result or the failure, and exits. User wasm
 * runs only here, so a hang, a crash or runaway memory never touches the calling process.
 */
import { toFailure } from './errors';
import { runExportJob } from './export-job';
import { runLoadJob } from './load-job';
import type { ChildMessage, ParentMessage } from './protocol';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

async function handle(message: ParentMessage): Promise<void> {
  let lastProgress = 0;
  const report = (event: ChildMessage & { type: 'progress' }) => {
    // The measuring loop is synchronous: messages queue up and leave when it yields, so
    // keep them few.
    const now = Date.now();
    if (now - lastProgress < 50 && event.event.phase === 'measuring' && event.event.sampleNs !== undefined) return;
    lastProgress = now;
    void send(event);
  };
  try {
    const job = message.job;
    const result =
      job.kind === 'export'
        ? runExportJob(job, (event) => report({ type: 'progress', event }))
        : runLoadJob(job, (event) => report({ type: 'progress', event }));
    await send({ type: 'result', result });
  } catch (error) {
    await send({ type: 'failure', failure: toFailure(error) });
  }
  process.disconnect?.();
  process.exit(0);
}

if (!process.send) {
  process.stderr.write('bench-child: must be started by the wasm-perf benchmark runner (no IPC channel)\n');
  process.exit(2);
}
process.once('message', (message: ParentMessage) => void handle(message));
