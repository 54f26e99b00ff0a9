import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { request } from '../../orchestrator/control-client.js';

interface Shown {
  name: string;
  description: string;
  source: string;
  active: boolean;
  settings: Record<string, unknown>;
  rules: { match: string; route: string; field?: string }[];
  devices: string[];
}

export default class ProfileShow extends BaseCommand {
  static override description = 'Show a profile: every setting, its routing rules and the outputs it is bound to (default: the running one)';
  static override args = { name: Args.string({ description: 'profile name' }) };

  async run(): Promise<Shown> {
    const { args } = await this.parse(ProfileShow);
    const p = (await request('profile.show', args.name ? { name: args.name } : {})) as Shown;
    const lines = [`${p.name}${p.active ? ' (running)' : ''}: ${p.description}`, `  from ${p.source}`];
    for (const [k, v] of Object.entries(p.settings)) lines.push(`  ${k} = ${String(v)}`);
    for (const r of p.rules) lines.push(`  rule: ${r.field ?? 'application.name'} = ${r.match} -> ${r.route}`);
    if (p.devices.length) lines.push(`  outputs: ${p.devices.join(', ')}`);
    this.say(lines.join('\n'));
    return p;
  }
}
