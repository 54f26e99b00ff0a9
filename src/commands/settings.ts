import { BaseCommand } from '../cli/base-command.js';
import { notRunningNote } from '../cli/not-running-note.js';
import { requestOrOffline } from '../orchestrator/control/control-client.js';
import { savedList } from '../orchestrator/profiles/saved-settings.js';
import type { OpResult } from '../wire/control-protocol.js';

export default class Settings extends BaseCommand {
  static override summary = 'List every setting with its unit and range, marking the ones you changed (headroom reset undoes them)';

  async run(): Promise<OpResult<'setting.list'>> {
    await this.parse(Settings);
    const { result: r, live } = await requestOrOffline('setting.list', {}, () => savedList(process.env));
    const width = Math.max(...r.settings.map((s) => s.key.length));
    const valueWidth = Math.max(...r.settings.map((s) => `${String(s.value)}${s.unit ? ` ${s.unit}` : ''}`.length));
    const line = (s: (typeof r.settings)[number]) =>
      `${s.key.padEnd(width)}  ${`${String(s.value)}${s.unit ? ` ${s.unit}` : ''}`.padEnd(valueWidth)}  ${s.range}${s.overridden ? `  (yours; profile: ${String(s.profileValue)})` : ''}`;
    this.say([`profile ${r.profile}${notRunningNote(live, 'the one it starts with')}`, ...r.settings.map(line)].join('\n'));
    return r;
  }
}
