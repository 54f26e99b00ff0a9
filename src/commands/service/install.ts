import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { defaultUnitDir, installService, type ServiceState } from '../../orchestrator/system/service.js';

export default class ServiceInstall extends BaseCommand {
  static override summary = 'Install headroom as a systemd user service (runs with PipeWire, restarts on failure), enable and start it';
  static override flags = {
    'unit-dir': Flags.string({ description: 'where to write headroom.service (default: ~/.config/systemd/user)' }),
    'no-start': Flags.boolean({ description: 'only write the unit; do not call systemctl' }),
  };

  async run(): Promise<ServiceState> {
    const { flags } = await this.parse(ServiceInstall);
    const s = await installService({ unitDir: flags['unit-dir'] ?? defaultUnitDir(), start: !flags['no-start'] });
    this.say(`wrote ${s.unitPath}${flags['no-start'] ? '' : `; ${s.enabled}, ${s.active}`}`);
    return s;
  }
}
