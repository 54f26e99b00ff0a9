import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { defaultUnitDir, installService } from '../../orchestrator/system/service.js';
import type { CommandOutput } from '../../wire/command-outputs.js';

export default class ServiceInstall extends BaseCommand {
  static override summary = 'Install headroom as a systemd user service (runs with PipeWire, restarts on failure), enable and start it';
  static override flags = {
    'unit-dir': Flags.string({ description: 'where to write headroom.service (default: ~/.config/systemd/user)' }),
    'no-start': Flags.boolean({ description: 'only write the unit; do not call systemctl' }),
    profile: Flags.string({ char: 'p', description: 'the service runs this profile (default: the one you chose last with `profile use`)' }),
    sink: Flags.string({ description: 'the service plays to this output (node.name; default: your default output)' }),
    'auto-promote': Flags.boolean({ description: 'the service makes headroom-processed the default sink while it runs' }),
  };
  static override examples = ['<%= config.bin %> service install', '<%= config.bin %> service install --profile night --auto-promote'];

  async run(): Promise<CommandOutput<'service'>> {
    const { flags } = await this.parse(ServiceInstall);
    const s = await installService({
      unitDir: flags['unit-dir'] ?? defaultUnitDir(),
      start: !flags['no-start'],
      flags: { profile: flags.profile, sink: flags.sink, autoPromote: flags['auto-promote'] },
    });
    this.say(`wrote ${s.unitPath}${flags['no-start'] ? '' : `; ${s.enabled}, ${s.active}`}`);
    return s;
  }
}
