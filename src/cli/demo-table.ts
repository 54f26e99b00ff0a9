// `headroom demo` for people: the before/after table, its columns fitted to what they hold.
import type { DemoPhase, DemoResult } from '../wire/command-outputs.js';

const n = (v: number | null | undefined, unit: string) => (v === null || v === undefined ? '—' : `${v.toFixed(1)} ${unit}`);

export function demoTable(r: DemoResult): string {
  const rows: [string, string, string][] = [
    ['integrated loudness at the speakers', 'before', 'after'],
    ...r.before.apps.map((a, i): [string, string, string] => [`${a.name} (${a.role})`, n(a.integratedLufs, 'LUFS'), n(r.after.apps[i]?.integratedLufs, 'LUFS')]),
    ...([
      ['spread between apps', (p: DemoPhase) => n(p.spreadLu, 'LU')],
      ['loudest start (momentary, first 1.5 s)', (p: DemoPhase) => n(p.worstOnsetLufs, 'LUFS')],
      ['highest true peak', (p: DemoPhase) => n(p.truePeakDbtp, 'dBTP')],
    ] as const)
      .map(([label, f]): [string, string, string] => [label, f(r.before), f(r.after)]),
  ];
  const w = [0, 1, 2].map((c) => Math.max(...rows.map((row) => [...row[c]!].length)));
  const line = ([a, b, c]: [string, string, string]) => `${a.padEnd(w[0]!)}  ${b.padStart(w[1]!)}  ${c.padStart(w[2]!)}`;
  return [
    line(rows[0]!),
    ...rows.slice(1, -3).map(line),
    '-'.repeat(w[0]! + w[1]! + w[2]! + 4),
    ...rows.slice(-3).map(line),
    '',
    `before: straight to the speakers · after: through headroom, default profile · ${r.seconds} s`,
  ].join('\n');
}
