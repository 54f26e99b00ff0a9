import { Flags } from '@oclif/core';
import { unlink } from 'node:fs/promises';
import { BaseCommand } from '../cli/base-command.js';
import { HeadroomError } from '../errors.js';
import { GraphModel } from '../graph/model.js';
import { request } from '../orchestrator/control/control-client.js';
import { socketPath } from '../orchestrator/control/control-paths.js';
import { run } from '../orchestrator/process/exec.js';
import { createLogger } from '../orchestrator/process/log.js';
import { restoreSession, type RestoreResult } from '../orchestrator/daemon/session-restore.js';
import { parseDumpOnce } from '../wire/pw-dump-stream.js';

type StopResult = { stopping: boolean } | ({ stopping: false; staleSocketRemoved: boolean } & RestoreResult);

export default class Stop extends BaseCommand {
  static override description = 'Stop the running headroom daemon; it hands every stream back as it found it';
  static override flags = {
    restore: Flags.boolean({ description: 'with no daemon running: undo what a killed one left (stream targets, volumes, the default sink, the headroom-processed sink, its socket)' }),
  };

  async run(): Promise<StopResult> {
    const { flags } = await this.parse(Stop);
    try {
      const r = (await request('shutdown')) as { stopping: boolean };
      this.say('headroom is stopping');
      return r;
    } catch (e) {
      if (!(flags.restore && e instanceof HeadroomError && e.code === 'not_running')) throw e;
    }
    const model = new GraphModel();
    model.apply(parseDumpOnce(await run(['pw-dump'], { timeoutMs: 5000 })));
    const r = await restoreSession({ model, tool: (argv) => run(argv, { timeoutMs: 5000 }), env: process.env, log: createLogger('warn'), removeSink: true });
    // nobody answered on it: a killed daemon's socket
    const staleSocketRemoved = await unlink(socketPath()).then(() => true, () => false);
    this.say(
      r.journalFound || r.sinkRemoved || staleSocketRemoved
        ? `restored: ${r.targetsCleared} stream target(s) cleared${r.defaultRestored ? ', your default sink given back' : ''}${r.sinkRemoved ? ', headroom-processed removed' : ''}${staleSocketRemoved ? ', the stale socket removed' : ''}`
        : 'nothing to restore',
    );
    if (r.rememberedTargets.length > 0) this.say(`WirePlumber remembers headroom-processed as the output of ${r.rememberedTargets.length} app(s) not playing now (${r.rememberedTargets.join(', ')}): see headroom doctor`);
    return { stopping: false, ...r, staleSocketRemoved };
  }
}
