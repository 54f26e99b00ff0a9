import { BaseCommand } from '../cli/base-command.js';
import { runDoctor } from '../orchestrator/system/doctor.js';
import type { CommandOutput } from '../wire/command-outputs.js';

export default class Doctor extends BaseCommand {
  static override summary = 'Check what headroom needs (PipeWire, WirePlumber, tools, the engine) and what a killed run left behind, with the fix for each; exit 1 when something is broken';

  async run(): Promise<CommandOutput<'doctor'>> {
    await this.parse(Doctor);
    const checks = await runDoctor();
    const mark = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;
    this.say(checks.map((c) => `${mark[c.status]}  ${c.name.padEnd(18)} ${c.detail}${c.fix ? `\n      ${' '.repeat(18)} → ${c.fix}` : ''}`).join('\n'));
    return { checks, ok: checks.every((c) => c.status !== 'fail') };
  }

  protected override exitCodeOf(r: { ok: boolean } | undefined): number {
    return r && !r.ok ? 1 : 0;
  }
}
