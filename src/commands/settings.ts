import { BaseCommand } from '../cli/base-command.js';
import type { OpResult } from '../wire/control-protocol.js';
import { request } from '../orchestrator/control/control-client.js';

export default class Settings extends BaseCommand {
  static override summary = 'List every setting of the running profile, marking the ones you changed';

  async run(): Promise<OpResult<'setting.list'>> {
    await this.parse(Settings);
    const r = await request('setting.list');
    const width = Math.max(...r.settings.map((s) => s.key.length));
    this.say([`profile ${r.profile}`, ...r.settings.map((s) => `${s.key.padEnd(width)}  ${String(s.value)}${s.overridden ? `  (yours; profile: ${String(s.profileValue)})` : ''}`)].join('\n'));
    return r;
  }
}
