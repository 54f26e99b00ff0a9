// The demo's before/after table: columns aligned whatever the names and values.
import { describe, expect, it } from 'vitest';
import { demoTable } from '../../src/cli/demo-table.js';

const phase = (podcast: number | null, ad: number, spread: number, peak: number) => ({
  apps: [
    { name: 'Podcast', role: 'a quiet spoken-word video', integratedLufs: podcast, onsetLufs: null, truePeakDbtp: -3 },
    { name: 'AdBlaster', role: 'a loud ad', integratedLufs: ad, onsetLufs: ad + 2, truePeakDbtp: -1 },
  ],
  spreadLu: spread,
  worstOnsetLufs: ad + 2,
  truePeakDbtp: peak,
});

describe('demo table', () => {
  it('aligns the label, before and after columns', () => {
    const t = demoTable({ before: phase(-29.4, -9, 20.4, -0.3), after: phase(null, -17.1, 6.5, -1.5), seconds: 40 });
    const lines = t.split('\n');
    expect(lines[0]).toMatch(/^integrated loudness at the speakers\s+before\s+after$/);
    expect(lines[1]).toMatch(/^Podcast \(a quiet spoken-word video\)\s+-29\.4 LUFS\s+—$/);
    expect(lines[4]).toMatch(/^spread between apps\s+20\.4 LU\s+6\.5 LU$/);
    expect(lines[5]).toMatch(/^loudest start \(momentary, first 1\.5 s\)\s+-7\.0 LUFS\s+-15\.1 LUFS$/);
    expect(lines[6]).toMatch(/^highest true peak\s+-0\.3 dBTP\s+-1\.5 dBTP$/);
    // each column ends where the others of its kind end: the label, before and after
    const table = lines.filter((l, i) => i < 7 && !/^-+$/.test(l));
    const ends = (l: string) => {
      const [label, before, after] = l.split(/\s{2,}/) as [string, string, string];
      const b = l.indexOf(before, label.length) + [...before].length;
      return [b, l.indexOf(after, b) + [...after].length];
    };
    expect(new Set(table.map((l) => ends(l).join()))).toEqual(new Set([ends(table[0]!).join()]));
    expect(t).toContain('40 s');
  });
});
