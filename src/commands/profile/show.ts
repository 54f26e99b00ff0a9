import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { requestOrOffline } from '../../orchestrator/control/control-client.js';
import { offlineProfile } from '../../orchestrator/profiles/profile-catalogue.js';
import type { ShownProfile } from '../../wire/control-protocol.js';

export default class ProfileShow extends BaseCommand {
  static override summary = 'Show a profile: every setting, its routing rules and the outputs it is bound to (default: the running one; with no daemon, the one `headroom start` would run)';
  static override args = { name: Args.string({ description: 'profile name' }) };

  async run(): Promise<ShownProfile> {
    const { args } = await this.parse(ProfileShow);
    const { result: p } = await requestOrOffline('profile.show', args.name ? { name: args.name } : {}, () => offlineProfile(process.env, args.name));
    const lines = [`${p.name}${p.active ? ' (running)' : ''}: ${p.description}`, `  from ${p.source}`];
    for (const [k, v] of Object.entries(p.settings)) lines.push(`  ${k} = ${String(v)}`);
    for (const r of p.rules) lines.push(`  rule: ${r.field ?? 'application.name'} = ${r.match} -> ${r.route}`);
    if (p.devices.length) lines.push(`  outputs: ${p.devices.join(', ')}`);
    this.say(lines.join('\n'));
    return p;
  }
}
