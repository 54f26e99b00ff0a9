import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import type { OpResult } from '../../wire/control-protocol.js';
import { isRoute, ROUTES, type Route } from '../../profile/schema.js';
import { request } from '../../orchestrator/control/control-client.js';

const routeArg = Args.custom<Route>({
  options: [...ROUTES],
  parse: async (s) => {
    if (!isRoute(s)) throw new Error(`Expected one of: ${ROUTES.join(', ')}`);
    return s;
  },
});

export default class RouteSet extends BaseCommand {
  static override summary = "Route an app's sound through the bus (processed) or straight to your output (direct); replaces its earlier rule, kept across restarts";
  static override examples = ['<%= config.bin %> route set Firefox direct', '<%= config.bin %> route set spotify processed'];
  static override args = {
    app: Args.string({ required: true, description: 'application name, process binary or application id (case-insensitive)' }),
    route: routeArg({ required: true, description: 'processed or direct' }),
  };

  async run(): Promise<OpResult<'route.set'>> {
    const { args } = await this.parse(RouteSet);
    const r = await request('route.set', { app: args.app, route: args.route });
    this.say(`${args.app}: ${args.route}`);
    return r;
  }
}
