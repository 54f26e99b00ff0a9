import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { DEFAULT_LOG_LEVEL, START_FLAGS } from '../cli/start-flags.js';
import { runDaemon } from '../orchestrator/daemon/daemon.js';
import { LOG_LEVELS } from '../orchestrator/process/log.js';

export default class Start extends BaseCommand {
  static override summary = 'Run headroom in the foreground: every app through the loudness bus (systemd runs this)';
  static override examples = ['<%= config.bin %> start', '<%= config.bin %> start --profile night --log-level debug'];
  // declared in start-flags.ts, which bin/run.js parses itself for a daemon without oclif
  static override flags = {
    profile: Flags.string({ char: START_FLAGS.profile.short, description: START_FLAGS.profile.description }),
    sink: Flags.string({ description: START_FLAGS.sink.description }),
    'auto-promote': Flags.boolean({ description: START_FLAGS['auto-promote'].description }),
    'log-level': Flags.option({ options: LOG_LEVELS, default: DEFAULT_LOG_LEVEL, description: START_FLAGS['log-level'].description })(),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Start);
    await runDaemon({ profile: flags.profile, sink: flags.sink, autoPromote: flags['auto-promote'], logLevel: flags['log-level'] });
  }
}
