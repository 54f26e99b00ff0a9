import { Args } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { notRunningNote } from '../cli/not-running-note.js';
import { settingArgv } from '../cli/setting-argv.js';
import { requestOrOffline } from '../orchestrator/control/control-client.js';
import { savedSet } from '../orchestrator/profiles/saved-settings.js';
import type { OpResult } from '../wire/control-protocol.js';

export default class SetSetting extends BaseCommand {
  static override summary = 'Change a setting of the running profile, live, kept across restarts (with headroom stopped: for its next start); headroom reset undoes it';
  static override examples = ['<%= config.bin %> set agc.target_lufs -16', '<%= config.bin %> set agc.target_lufs=-16', '<%= config.bin %> set layer_a.enabled false'];
  static override args = {
    key: Args.string({ required: true, description: 'dotted key, e.g. agc.target_lufs (every key with its range: headroom settings)' }),
    value: Args.string({ required: true, description: 'the new value (a negative number is a value: set agc.target_lufs -16)' }),
  };

  async run(): Promise<OpResult<'setting.set'>> {
    const { args } = await this.parse(SetSetting, settingArgv(this.argv));
    const { result: row, live } = await requestOrOffline('setting.set', { key: args.key, value: args.value }, () => savedSet(process.env, args.key, args.value));
    this.say(`${row.key} = ${String(row.value)}${row.unit ? ` ${row.unit}` : ''}${row.overridden ? '' : ' (the profile\'s own value: nothing of yours kept)'}${notRunningNote(live)}`);
    return row;
  }
}
