import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { liveMonitor } from '../cli/live-monitor.js';
import { checkTopics, connectMonitor, streamEvents } from '../cli/monitor-feed.js';
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
    if (this.jsonEnabled()) return streamEvents(await connectMonitor(topics), flags.count, (l) => process.stdout.write(l));
    await liveMonitor(topics);
  }
}
