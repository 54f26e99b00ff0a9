import { BaseCommand } from '../cli/base-command.js';
import { runDemo, type DemoPhase, type DemoResult } from '../orchestrator/demo.js';

const n = (v: number | null, unit: string) => (v === null ? '—' : `${v.toFixed(1)} ${unit}`);

export default class Demo extends BaseCommand {
  static override description = 'Hear what headroom does, with no desktop needed: three apps (a quiet voice, a loud ad, a notification) on a private PipeWire, first straight to the speakers, then through headroom; prints the loudness of each app both times';
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --json'];

  async run(): Promise<DemoResult> {
    await this.parse(Demo);
    const ac = new AbortController();
    const stop = () => ac.abort();
    // `on`, not `once`: execa's exit hook re-raises a signal nobody else listens to
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      const r = await runDemo({ say: (l) => this.jsonEnabled() || process.stderr.write(`${l}\n`), signal: ac.signal });
      this.say(table(r));
      return r;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }
}

function table(r: DemoResult): string {
  const rows = r.before.apps.map((a, i) => {
    const after = r.after.apps[i];
    return `${`${a.name} (${a.role})`.padEnd(34)} ${n(a.integratedLufs, 'LUFS').padStart(11)} ${n(after?.integratedLufs ?? null, 'LUFS').padStart(11)}`;
  });
  const line = (label: string, f: (p: DemoPhase) => string) => `${label.padEnd(34)} ${f(r.before).padStart(11)} ${f(r.after).padStart(11)}`;
  return [
    '',
    `${'app (integrated loudness at the speakers)'.padEnd(34)} ${'before'.padStart(11)} ${'after'.padStart(11)}`,
    ...rows,
    line('spread between apps', (p) => n(p.spreadLu, 'LU')),
    line('highest true peak', (p) => n(p.truePeakDbtp, 'dBTP')),
    '',
    `(${r.seconds} s; before = straight to the speakers, after = through headroom with the default profile)`,
  ].join('\n');
}
