import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { defaultUnitDir, serviceStatus } from '../../orchestrator/system/service.js';
import type { CommandOutput } from '../../wire/command-outputs.js';

export default class ServiceStatus extends BaseCommand {
  static override summary = 'Whether the headroom user service is installed, enabled and running';
  static override flags = { 'unit-dir': Flags.string({ description: 'where headroom.service is (default: ~/.config/systemd/user)' }) };

  async run(): Promise<CommandOutput<'service'>> {
    const { flags } = await this.parse(ServiceStatus);
    const s = await serviceStatus({ unitDir: flags['unit-dir'] ?? defaultUnitDir() });
    this.say(`${s.unitPath}: ${s.installed ? 'installed' : 'not installed'}, ${s.enabled}, ${s.active}${s.manager === 'offline' ? ' (no systemd user instance answers)' : ''}`);
    return s;
  }
}
