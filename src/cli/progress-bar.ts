// A progress line on stderr for long offline jobs: only on a terminal, only once a job has
// run a second (short jobs stay silent), redrawn at most ten times a second, and cleared when
// the job ends so the result is all that stays on the screen.
export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressBar {
  /** `done` and `total` in seconds of audio; total unknown for a decoded stream */
  update(label: string, done: number, total?: number): void;
  end(): void;
}

const FIRST_AFTER_MS = 1000;
const EVERY_MS = 100;

export function progressBar(out: ProgressSink = process.stderr, now: () => number = Date.now): ProgressBar {
  const started = now();
  let last = 0;
  let drawn = false;
  return {
    update(label, done, total) {
      const t = now();
      if (!out.isTTY || t - started < FIRST_AFTER_MS || t - last < EVERY_MS) return;
      last = t;
      const width = Math.max(10, Math.min(40, (out.columns ?? 80) - label.length - 30));
      const tail = total ? `${Math.floor((100 * done) / total)}% ${done.toFixed(1)} s / ${total.toFixed(1)} s` : `${done.toFixed(1)} s`;
      const bar = total ? `[${'#'.repeat(Math.round((width * Math.min(done, total)) / total)).padEnd(width, '.')}] ` : '';
      out.write(`\r\x1b[K${label} ${bar}${tail}`);
      drawn = true;
    },
    end() {
      if (drawn) out.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/** No progress at all (--json, or a caller that does not show it). */
export const silentProgress: ProgressBar = { update: () => undefined, end: () => undefined };
