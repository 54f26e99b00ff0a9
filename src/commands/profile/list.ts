import { BaseCommand } from '../../cli/base-command.js';
import { requestOrOffline } from '../../orchestrator/control/control-client.js';
import { offlineListing } from '../../orchestrator/profiles/profile-catalogue.js';
import type { ProfileListing } from '../../wire/control-protocol.js';

export default class ProfileList_ extends BaseCommand {
  static override summary = 'List the profiles (built-in and yours) and which one runs (with no daemon: which one `headroom start` would run)';

  async run(): Promise<ProfileListing> {
    await this.parse(ProfileList_);
    const { result: r } = await requestOrOffline('profile.list', {}, () => offlineListing(process.env));
    const lines = r.profiles.map((p) => `${p.active ? '*' : ' '} ${p.name}${p.user ? ' (yours)' : ''}${p.description ? ` — ${p.description}` : ''}`);
    if (r.next !== undefined) lines.push(`headroom is not running; \`headroom start\` runs ${r.next}`);
    this.say(lines.join('\n'));
    return r;
  }
}
