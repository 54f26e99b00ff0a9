import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { notRunningNote } from '../cli/not-running-note.js';
import { HeadroomError } from '../errors.js';
import { requestOrOffline } from '../orchestrator/control/control-client.js';
import { savedReset } from '../orchestrator/profiles/saved-settings.js';
import type { OpResult } from '../wire/control-protocol.js';

export default class ResetSetting extends BaseCommand {
  static override summary = "Undo your change of a setting (or --all of them): the profile's own value again";
  static override examples = ['<%= config.bin %> reset agc.target_lufs', '<%= config.bin %> reset --all'];
  static override args = { key: Args.string({ description: 'dotted key, e.g. agc.target_lufs' }) };
  static override flags = { all: Flags.boolean({ description: 'every setting you changed in this profile' }) };

  async run(): Promise<OpResult<'setting.reset'>> {
    const { args, flags } = await this.parse(ResetSetting);
    if ((args.key === undefined) === !flags.all)
      throw new HeadroomError('bad_setting', args.key ? 'give a key or --all, not both' : 'which setting? give a key, or --all', { hint: 'Example: headroom reset agc.target_lufs' });
    const key = flags.all ? undefined : args.key;
    const { result: r, live } = await requestOrOffline('setting.reset', key === undefined ? {} : { key }, () => savedReset(process.env, key));
    this.say(`${r.reset.length > 0 ? `${r.reset.join(', ')}: the profile's value again` : 'nothing of yours to reset'} (profile ${r.profile})${notRunningNote(live)}`);
    return r;
  }
}
