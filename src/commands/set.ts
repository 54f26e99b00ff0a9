import { Args } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { settingArgv } from '../cli/setting-argv.js';
import type { OpResult } from '../wire/control-protocol.js';
import { request } from '../orchestrator/control/control-client.js';

export default class SetSetting extends BaseCommand {
  static override summary = 'Change a setting of the running profile, live; kept across restarts (a negative number is a value: set agc.target_lufs -16)';
  static override examples = ['<%= config.bin %> set agc.target_lufs -16', '<%= config.bin %> set layer_a.enabled false', '<%= config.bin %> set agc.target_lufs=-16'];
  static override args = {
    key: Args.string({ required: true, description: 'dotted key, e.g. agc.target_lufs (see: headroom settings)' }),
    value: Args.string({ required: true, description: 'the new value' }),
  };

  async run(): Promise<OpResult<'setting.set'>> {
    const { args } = await this.parse(SetSetting, settingArgv(this.argv));
    const row = await request('setting.set', { key: args.key, value: args.value });
    this.say(`${row.key} = ${String(row.value)}`);
    return row;
  }
}
