/**
 * Worker thread for the .wasm report: reads and inspects a module (tens of MB take far
 * longer than the extension host should block for) and builds the report view there, so
 * the extension host only slices pages out of the finished tables.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { inspectWasm } from '../../core/wasm/inspect';
import { buildReportView } from './wasm-report-view';
import type { InspectJob, InspectOutcome } from './wasm-inspect-job';

parentPort?.once('message', (job: InspectJob) => {
  void run(job).then((outcome) => parentPort?.postMessage(outcome));
});

async function run(job: InspectJob): Promise<InspectOutcome> {
  try {
    const bytes = job.bytes ?? (await readFile(job.path));
    const started = performance.now();
    const report = inspectWasm(bytes);
    return { ok: true, view: buildReportView(job.fileName, report, performance.now() - started) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
