/** The process's streams as the commands see them; tests and the bench command share the shape. */
/** What every command writes to and where it runs. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  readonly isTty: boolean;
}

export interface CliIo extends CommandIo {
  /** Progress lines are drawn only on an interactive stderr. */
  readonly stderrIsTty: boolean;
  /** ANSI colour on stdout: a TTY and `NO_COLOR` unset or empty (no-color.org). */
  readonly color: boolean;
  /**
   * Settles once stdout has taken what was written (at once when it has): a pipe whose reader is
   * slower than the writer otherwise queues the whole output in memory.
   */
  readonly stdoutDrained?: () => Promise<void>;
}

/**
 * Stdout that goes quiet when the reader closes the pipe (`wasm-perf check | head`):
 * EPIPE is not an error worth a stack trace, and later writes are dropped.
 */
export function processIo(): CliIo {
  let stdoutClosed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') stdoutClosed = true;
    else process.stderr.write(`wasm-perf: error: cannot write to stdout: ${error.message}\n`);
  });
  process.stderr.on('error', () => {
    // Nowhere left to report to.
  });
  const noColor = (process.env.NO_COLOR ?? '') !== '';
  return {
    stdout: (text) => {
      if (!stdoutClosed) process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    stdoutDrained: () => {
      if (stdoutClosed || !process.stdout.writableNeedDrain) return Promise.resolve();
      // A reader that goes away never drains the pipe: its close or error ends the wait too.
      return new Promise((resolve) => {
        const done = () => {
          process.stdout.off('drain', done).off('close', done).off('error', done);
          resolve();
        };
        process.stdout.on('drain', done).on('close', done).on('error', done);
      });
    },
    cwd: process.cwd(),
    isTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    color: process.stdout.isTTY === true && !noColor,
  };
}
