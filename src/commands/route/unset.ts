import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import type { OpResult } from '../../wire/control-protocol.js';
import { request } from '../../orchestrator/control/control-client.js';

export default class RouteUnset extends BaseCommand {
  static override summary = "Remove an app's route rule: the profile decides again";
  static override args = { app: Args.string({ required: true, description: 'the app name the rule was set for' }) };

  async run(): Promise<OpResult<'route.unset'>> {
    const { args } = await this.parse(RouteUnset);
    const r = await request('route.unset', { app: args.app });
    this.say(`${args.app}: rule removed`);
    return r;
  }
}
