import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { subscribe, type Subscription } from '../orchestrator/control/control-client.js';
import { badPattern, TOPICS } from '../wire/control-protocol.js';
import { HeadroomError } from '../errors.js';

export default class Monitor extends BaseCommand {
  static override description = "Watch headroom live: bus meters, loudness, streams and Layer A full-screen, or the daemon's events as NDJSON with --json";
  static override examples = ['<%= config.bin %> monitor', '<%= config.bin %> monitor meters/tick --json', '<%= config.bin %> monitor routing profile --json --count 5'];
  static override strict = false;
  static override args = { topics: Args.string({ description: `topics or groups to watch (default: all): ${TOPICS.join(', ')}; or a group: daemon, routing, meters, profile` }) };
  static override flags = { count: Flags.integer({ description: 'with --json: stop after this many events', min: 1 }) };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Monitor);
    const topics = argv.length > 0 ? argv.map(String) : ['*'];
    const bad = badPattern(topics);
    if (bad !== undefined) throw new HeadroomError('bad_setting', `unknown topic "${bad}"`, { hint: `Topics: ${TOPICS.join(', ')}, a group (meters, routing, profile, daemon) or "*"` });
    // connect, subscribe and read the first status and routes before the terminal is
    // touched: a daemon that is not there is one clean line on stderr
    const connectAll = async () => {
      const sub: Subscription = await subscribe(topics);
      try {
        const status = await sub.call('status');
        const { rules } = await sub.call('route.list');
        return { sub, status, rules };
      } catch (e) {
        sub.close();
        throw e;
      }
    };
    const first = await connectAll();
    if (!this.jsonEnabled()) {
      // ink draws nothing until it exits when it believes it runs under CI (CI=1 and the
      // like, read once when ink loads); a person at a terminal wants the live screen
      if (process.stdout.isTTY) for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) if (k in process.env) process.env[k] = 'false';
      const { runMonitorTui } = await import('../ui/run-monitor.js');
      await runMonitorTui({ first, topics, reconnect: connectAll, color: !process.env.NO_COLOR });
      return;
    }
    let n = 0;
    try {
      for await (const e of first.sub.events) {
        process.stdout.write(`${JSON.stringify(e)}\n`);
        if (flags.count !== undefined && ++n >= flags.count) break;
      }
    } finally {
      first.sub.close();
    }
  }
}
