import { Args } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import type { OpResult } from '../wire/control-protocol.js';
import { request } from '../orchestrator/control/control-client.js';

export default class Bypass extends BaseCommand {
  static override summary = 'Bypass the bus processing (on) or process again (off); a 10 ms crossfade, no click';
  static override args = { state: Args.string({ options: ['on', 'off'], required: true, description: 'on or off' }) };

  async run(): Promise<OpResult<'bypass.set'>> {
    const { args } = await this.parse(Bypass);
    const r = await request('bypass.set', { on: args.state === 'on' });
    this.say(`bypass ${r.bypass ? 'on' : 'off'}`);
    return r;
  }
}
