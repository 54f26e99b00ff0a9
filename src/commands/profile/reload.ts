import { BaseCommand } from '../../cli/base-command.js';
import { request } from '../../orchestrator/control/control-client.js';

export default class ProfileReload extends BaseCommand {
  static override description = "Read the running profile's file again (headroom also does this by itself when the file changes)";

  async run(): Promise<{ profile: string; source: string }> {
    await this.parse(ProfileReload);
    const r = (await request('profile.reload')) as { profile: string; source: string };
    this.say(`profile ${r.profile} reloaded from ${r.source}`);
    return r;
  }
}
