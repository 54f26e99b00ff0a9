import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { notRunningNote } from '../../cli/not-running-note.js';
import { requestOrOffline } from '../../orchestrator/control/control-client.js';
import { savedUse } from '../../orchestrator/profiles/saved-settings.js';
import type { OpResult } from '../../wire/control-protocol.js';

export default class ProfileUse extends BaseCommand {
  static override summary = 'Switch to a profile, live; it is also the one the next start runs (with headroom stopped: only that)';
  static override args = { name: Args.string({ required: true, description: 'profile name (see: headroom profile list)' }) };

  async run(): Promise<OpResult<'profile.use'>> {
    const { args } = await this.parse(ProfileUse);
    const { result: r, live } = await requestOrOffline('profile.use', { name: args.name }, () => savedUse(process.env, args.name));
    this.say(`profile ${r.profile}${notRunningNote(live, 'the next start runs it')}`);
    return r;
  }
}
