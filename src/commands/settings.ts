import { BaseCommand } from '../cli/base-command.js';
import { request } from '../orchestrator/control/control-client.js';
import type { SettingRow } from '../orchestrator/profiles/active-profile.js';

export default class Settings extends BaseCommand {
  static override description = 'List every setting of the running profile, marking the ones you changed';

  async run(): Promise<{ profile: string; settings: SettingRow[] }> {
    await this.parse(Settings);
    const r = (await request('setting.list')) as { profile: string; settings: SettingRow[] };
    const width = Math.max(...r.settings.map((s) => s.key.length));
    this.say([`profile ${r.profile}`, ...r.settings.map((s) => `${s.key.padEnd(width)}  ${String(s.value)}${s.overridden ? `  (yours; profile: ${String(s.profileValue)})` : ''}`)].join('\n'));
    return r;
  }
}
