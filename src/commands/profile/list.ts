import { BaseCommand } from '../../cli/base-command.js';
import { request } from '../../orchestrator/control-client.js';

interface ProfileList {
  active: string;
  profiles: { name: string; builtin: boolean; user: boolean; active: boolean; description: string | null }[];
}

export default class ProfileList_ extends BaseCommand {
  static override description = 'List the profiles (built-in and yours) and which one runs';

  async run(): Promise<ProfileList> {
    await this.parse(ProfileList_);
    const r = (await request('profile.list')) as ProfileList;
    this.say(r.profiles.map((p) => `${p.active ? '*' : ' '} ${p.name}${p.user ? ' (yours)' : ''}${p.description ? ` — ${p.description}` : ''}`).join('\n'));
    return r;
  }
}
