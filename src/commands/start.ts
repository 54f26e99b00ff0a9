import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { runDaemon } from '../orchestrator/daemon/daemon.js';
import { LOG_LEVELS } from '../orchestrator/process/log.js';

export default class Start extends BaseCommand {
  static override summary = 'Run headroom in the foreground: every app through the loudness bus (systemd runs this)';
  static override examples = ['<%= config.bin %> start', '<%= config.bin %> start --profile night --log-level debug'];
  static override flags = {
    profile: Flags.string({ char: 'p', description: 'profile to run (default: the one you chose last with `profile use`, else "default")' }),
    sink: Flags.string({ description: 'output device (node.name) to play to; default: your default output' }),
    'auto-promote': Flags.boolean({ description: 'make headroom-processed the default sink while running (new apps start in the bus, no blip); your choice comes back on stop' }),
    'log-level': Flags.option({ options: LOG_LEVELS, default: 'info' as const, description: 'least important log lines to print' })(),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Start);
    await runDaemon({ profile: flags.profile, sink: flags.sink, autoPromote: flags['auto-promote'], logLevel: flags['log-level'] });
  }
}
