import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { HeadroomError } from '../errors.js';
import { request } from '../orchestrator/control/control-client.js';
import { restoreWithoutDaemon } from '../orchestrator/daemon/session-restore.js';
import type { CommandOutput } from '../wire/command-outputs.js';


export default class Stop extends BaseCommand {
  static override summary = 'Stop the running headroom daemon; it hands every stream back as it found it';
  static override flags = {
    restore: Flags.boolean({ description: 'with no daemon running: undo what a killed one left (stream targets, volumes, the default sink, the headroom-processed sink, its socket)' }),
  };

  async run(): Promise<CommandOutput<'stop'>> {
    const { flags } = await this.parse(Stop);
    try {
      const r = await request('shutdown');
      this.say('headroom is stopping');
      return r;
    } catch (e) {
      if (!(flags.restore && e instanceof HeadroomError && e.code === 'not_running')) throw e;
    }
    const r = await restoreWithoutDaemon();
    this.say(
      r.journalFound || r.sinkRemoved || r.staleSocketRemoved
        ? `restored: ${r.targetsCleared} stream target(s) cleared${r.defaultRestored ? ', your default sink given back' : ''}${r.sinkRemoved ? ', headroom-processed removed' : ''}${r.staleSocketRemoved ? ', the stale socket removed' : ''}`
        : 'nothing to restore',
    );
    if (r.rememberedTargets.length > 0) this.say(`WirePlumber remembers headroom-processed as the output of ${r.rememberedTargets.length} app(s) not playing now (${r.rememberedTargets.join(', ')}): see headroom doctor`);
    return { stopping: false, ...r };
  }
}
