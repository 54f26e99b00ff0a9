import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { request } from '../../orchestrator/control/control-client.js';

export default class RouteSet extends BaseCommand {
  static override description = "Route an app's sound through the bus (processed) or straight to your output (direct); replaces its earlier rule, kept across restarts";
  static override examples = ['<%= config.bin %> route set Firefox direct', '<%= config.bin %> route set spotify processed'];
  static override args = {
    app: Args.string({ required: true, description: 'application name, process binary or application id (case-insensitive)' }),
    route: Args.string({ required: true, options: ['processed', 'direct'], description: 'processed or direct' }),
  };

  async run(): Promise<{ rules: { app: string; route: string }[] }> {
    const { args } = await this.parse(RouteSet);
    const r = (await request('route.set', { app: args.app, route: args.route })) as { rules: { app: string; route: string }[] };
    this.say(`${args.app}: ${args.route}`);
    return r;
  }
}
