import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { defaultUnitDir, uninstallService } from '../../orchestrator/system/service.js';
import type { CommandOutput } from '../../wire/command-outputs.js';

export default class ServiceUninstall extends BaseCommand {
  static override summary = 'Stop and disable the headroom user service and remove its unit';
  static override flags = {
    'unit-dir': Flags.string({ description: 'where headroom.service is (default: ~/.config/systemd/user)' }),
    'no-stop': Flags.boolean({ description: 'only remove the unit; do not call systemctl' }),
  };

  async run(): Promise<CommandOutput<'service'>> {
    const { flags } = await this.parse(ServiceUninstall);
    const s = await uninstallService({ unitDir: flags['unit-dir'] ?? defaultUnitDir(), stop: !flags['no-stop'] });
    this.say(`removed ${s.unitPath}`);
    return s;
  }
}
