import { BaseCommand } from '../cli/base-command.js';
import { statusText } from '../cli/status-text.js';
import { queryStatus, statusExitCode } from '../cli/status-query.js';
import type { DaemonStatus } from '../wire/control-protocol.js';

// `headroom status` and `headroom status --json` are answered by src/cli/fast-status.ts
// (bin/run.js); this command serves every other spelling (-h, --help and the like).
export default class Status extends BaseCommand {
  static override summary = 'Show what the running headroom daemon is doing and whether sound can flow (exit 3 when none runs, 4 when sound cannot flow)';
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json'];

  async run(): Promise<DaemonStatus> {
    await this.parse(Status);
    const status = await queryStatus();
    this.say(statusText(status));
    return status;
  }

  protected override exitCodeOf(s: DaemonStatus | undefined): number {
    return s ? statusExitCode(s) : 0;
  }
}
