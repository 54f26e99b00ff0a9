import { BaseCommand } from '../../cli/base-command.js';
import type { OpResult } from '../../wire/control-protocol.js';
import { request } from '../../orchestrator/control/control-client.js';

export default class RouteList extends BaseCommand {
  static override summary = 'List app streams with their route and why, and your route rules';

  async run(): Promise<OpResult<'route.list'>> {
    await this.parse(RouteList);
    const r = await request('route.list');
    const lines = r.streams.map((s) => `${s.app} (serial ${s.serial}): ${s.route}, by ${s.rule} rule`);
    if (lines.length === 0) lines.push('no app streams');
    lines.push(r.rules.length ? `rules: ${r.rules.map((x) => `${x.app} -> ${x.route}`).join(', ')}` : 'rules: none');
    this.say(lines.join('\n'));
    return r;
  }
}
