import { BaseCommand } from '../../cli/base-command.js';
import type { OpResult } from '../../wire/control-protocol.js';
import { request } from '../../orchestrator/control/control-client.js';

export default class ProfileReload extends BaseCommand {
  static override summary = "Read the running profile's file again (headroom also does this by itself when the file changes)";

  async run(): Promise<OpResult<'profile.reload'>> {
    await this.parse(ProfileReload);
    const r = await request('profile.reload');
    this.say(`profile ${r.profile} reloaded from ${r.source}`);
    return r;
  }
}
