/**
 * The CLI's progress policy, shared by `check` and `bench`: one line, redrawn in place on an
 * interactive stderr and shown only once the work takes a while; nothing at all otherwise,
 * so logs and pipes get results and errors only.
 */
import type { CliIo } from './io';

const SHOW_AFTER_MS = 300;
const CLEAR_LINE = '\r\u001b[2K';

export interface Progress {
  readonly update: (phase: string) => void;
  /**
   * Writes text that is not progress (a tool's output the user asked for) to stderr, always,
   * lifting the progress line out of its way and redrawing it after.
   */
  readonly log: (text: string) => void;
  /** Erases the line; call before printing results. */
  readonly done: () => void;
}

export function createProgress(io: Pick<CliIo, 'stderr' | 'stderrIsTty'>, enabled: boolean): Progress {
  if (!enabled || !io.stderrIsTty) return { update: () => undefined, log: (text) => io.stderr(text), done: () => undefined };
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
    log: (text) => {
      if (!shown) return io.stderr(text);
      io.stderr(`${CLEAR_LINE}${text}`);
      draw();
    },
    done: () => {
      clearTimeout(timer);
      if (shown) io.stderr(CLEAR_LINE);
      shown = false;
    },
  };
}
