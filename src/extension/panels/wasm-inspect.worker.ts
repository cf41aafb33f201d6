/**
 * Worker thread for the .wasm report: inspects a module and builds the report view, or
 * renders one function as text (the reduction to a one-function module walks the whole
 * file; wabt then runs in its own worker). The extension host only waits for the answer.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { inspectWasm } from '../../core/wasm/inspect';
import { plainBytes } from '../../node/node-host';
import { functionText } from '../../core/wasm/wabt-client';
import { buildReportView } from './wasm-report-view';
import type { InspectOutcome, TextOutcome, WorkerJob } from './wasm-inspect-job';

parentPort?.once('message', (job: WorkerJob) => {
  void run(job).then((outcome) => parentPort?.postMessage(outcome));
});

async function run(job: WorkerJob): Promise<InspectOutcome | TextOutcome> {
  try {
    const bytes = job.bytes ?? plainBytes(await readFile(job.path));
    if (job.kind === 'functionText') return { ok: true, text: await functionText(bytes, job.index, { dir: job.distDir }) };
    const started = performance.now();
    const report = inspectWasm(bytes);
    return { ok: true, view: buildReportView(job.fileName, report, performance.now() - started) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
