import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/cli/progress-bar.js';

function terminal(isTTY = true) {
  const written: string[] = [];
  return { out: { isTTY, columns: 80, write: (t: string) => written.push(t) }, written };
}

describe('progressBar', () => {
  it('silent for the first second, then a line at most ten times a second, cleared at the end', () => {
    let t = 0;
    const { out, written } = terminal();
    const bar = progressBar(out, () => t);
    bar.update('rendering', 1, 60);
    t = 900;
    bar.update('rendering', 20, 60);
    expect(written).toEqual([]); // a short job shows nothing
    t = 1000;
    bar.update('rendering', 30, 60);
    t = 1050;
    bar.update('rendering', 31, 60); // too soon after the last
    t = 1100;
    bar.update('measuring', 12.34, undefined); // a decoded stream: no total
    bar.end();
    expect(written).toEqual([`\r\x1b[Krendering [${'#'.repeat(20)}${'.'.repeat(20)}] 50% 30.0 s / 60.0 s`, '\r\x1b[Kmeasuring 12.3 s', '\r\x1b[K']);
  });

  it('nothing at all when stderr is not a terminal', () => {
    let t = 0;
    const { out, written } = terminal(false);
    const bar = progressBar(out, () => t);
    t = 5000;
    bar.update('x', 1, 2);
    bar.end();
    expect(written).toEqual([]);
  });
});
