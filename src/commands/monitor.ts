import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { checkTopics, connectMonitor, streamEvents } from '../cli/monitor-feed.js';
import { HeadroomError } from '../errors.js';
import { TOPICS } from '../wire/control-protocol.js';

export default class Monitor extends BaseCommand {
  static override summary = "Watch headroom live: bus meters, loudness, streams and Layer A full-screen, or the daemon's events as NDJSON with --json";
  static override examples = ['<%= config.bin %> monitor', '<%= config.bin %> monitor meters/tick --json', '<%= config.bin %> monitor routing profile --json --count 5'];
  static override strict = false;
  static override args = { topics: Args.string({ description: `topics or groups to watch (default: all): ${TOPICS.join(', ')}; or a group: daemon, routing, meters, profile` }) };
  static override flags = { count: Flags.integer({ description: 'with --json: stop after this many events', min: 1 }) };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Monitor);
    const topics = argv.length > 0 ? argv.map(String) : ['*'];
    checkTopics(topics);
    const first = await connectMonitor(topics);
    if (this.jsonEnabled()) return streamEvents(first, flags.count, (l) => process.stdout.write(l));
    if (!(process.stdout.isTTY && process.stdin.isTTY)) {
      first.sub.close();
      throw new HeadroomError('usage', 'the live view needs a terminal, and this is not one', { hint: 'In a pipe or a script: headroom monitor --json (the events as NDJSON)' });
    }
    // ink draws nothing until it exits when it believes it runs under CI (CI=1 and the
    // like, read once when ink loads); a person at a terminal wants the live screen
    if (process.stdout.isTTY) for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) if (k in process.env) process.env[k] = 'false';
    const { runMonitorTui } = await import('../ui/run-monitor.js');
    await runMonitorTui({ first, topics, reconnect: () => connectMonitor(topics), color: !process.env.NO_COLOR });
  }
}
