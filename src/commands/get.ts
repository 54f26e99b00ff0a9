import { Args } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import type { OpResult } from '../wire/control-protocol.js';
import { request } from '../orchestrator/control/control-client.js';

export default class GetSetting extends BaseCommand {
  static override summary = 'Show one setting of the running profile';
  static override examples = ['<%= config.bin %> get agc.target_lufs'];
  static override args = { key: Args.string({ required: true, description: 'dotted key, e.g. agc.target_lufs' }) };

  async run(): Promise<OpResult<'setting.get'>> {
    const { args } = await this.parse(GetSetting);
    const row = await request('setting.get', { key: args.key });
    this.say(`${row.key} = ${String(row.value)}${row.overridden ? ` (yours; the profile says ${String(row.profileValue)})` : ''}`);
    return row;
  }
}
