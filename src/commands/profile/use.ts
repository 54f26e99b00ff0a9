import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import type { OpResult } from '../../wire/control-protocol.js';
import { request } from '../../orchestrator/control/control-client.js';

export default class ProfileUse extends BaseCommand {
  static override summary = 'Switch the running daemon to a profile, live; it is also the one the next start runs';
  static override args = { name: Args.string({ required: true, description: 'profile name (see: headroom profile list)' }) };

  async run(): Promise<OpResult<'profile.use'>> {
    const { args } = await this.parse(ProfileUse);
    const r = await request('profile.use', { name: args.name });
    this.say(`profile ${r.profile}`);
    return r;
  }
}
