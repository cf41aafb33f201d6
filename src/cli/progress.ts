/** A one-line progress display on an interactive stderr, shown only once a scan takes a while. */
import type { CliIo } from './io';

const SHOW_AFTER_MS = 300;
const CLEAR_LINE = '\r\u001b[2K';

export interface Progress {
  readonly update: (phase: string) => void;
  /** Erases the line; call before printing results. */
  readonly done: () => void;
}

export function createProgress(io: CliIo, enabled: boolean): Progress {
  if (!enabled || !io.stderrIsTty) return { update: () => undefined, done: () => undefined };
  let phase = '';
  let shown = false;
  const draw = () => {
    shown = true;
    io.stderr(`${CLEAR_LINE}wasm-perf: ${phase}…`);
  };
  const timer = setTimeout(draw, SHOW_AFTER_MS);
  timer.unref();
  return {
    update: (next) => {
      phase = next;
      if (shown) draw();
    },
    done: () => {
      clearTimeout(timer);
      if (shown) io.stderr(CLEAR_LINE);
      shown = false;
    },
  };
}
