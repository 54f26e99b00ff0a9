import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { request } from '../../orchestrator/control/control-client.js';

export default class RouteUnset extends BaseCommand {
  static override description = "Remove an app's route rule: the profile decides again";
  static override args = { app: Args.string({ required: true, description: 'the app name the rule was set for' }) };

  async run(): Promise<{ rules: { app: string; route: string }[] }> {
    const { args } = await this.parse(RouteUnset);
    const r = (await request('route.unset', { app: args.app })) as { rules: { app: string; route: string }[] };
    this.say(`${args.app}: rule removed`);
    return r;
  }
}
