import { BaseCommand } from '../cli/base-command.js';
import { statusText } from '../cli/status-text.js';
import { request } from '../orchestrator/control-client.js';
import type { DaemonStatus } from '../orchestrator/daemon-status.js';

// `headroom status` and `headroom status --json` are answered by src/cli/fast-status.ts
// (bin/run.js); this command serves every other spelling (-h, --help and the like).
export default class Status extends BaseCommand {
  static override description = 'Show what the running headroom daemon is doing (exit 3 when none runs)';
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json'];

  async run(): Promise<DaemonStatus> {
    await this.parse(Status);
    const s = (await request('status')) as DaemonStatus;
    this.say(statusText(s));
    return s;
  }
}
