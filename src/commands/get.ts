import { Args } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { notRunningNote } from '../cli/not-running-note.js';
import { requestOrOffline } from '../orchestrator/control/control-client.js';
import { savedGet } from '../orchestrator/profiles/saved-settings.js';
import type { OpResult } from '../wire/control-protocol.js';

export default class GetSetting extends BaseCommand {
  static override summary = "Show one setting of the running profile (or, with headroom stopped, of the one it starts with)";
  static override examples = ['<%= config.bin %> get agc.target_lufs'];
  static override args = { key: Args.string({ required: true, description: 'dotted key, e.g. agc.target_lufs (every key: headroom settings)' }) };

  async run(): Promise<OpResult<'setting.get'>> {
    const { args } = await this.parse(GetSetting);
    const { result: row, live } = await requestOrOffline('setting.get', { key: args.key }, () => savedGet(process.env, args.key));
    this.say(`${row.key} = ${String(row.value)}${row.unit ? ` ${row.unit}` : ''}${row.overridden ? ` (yours; the profile says ${String(row.profileValue)})` : ''}${notRunningNote(live, 'what the next start runs with')}`);
    return row;
  }
}
