import { BaseCommand } from '../cli/base-command.js';
import { request } from '../orchestrator/control-client.js';

export default class Stop extends BaseCommand {
  static override description = 'Stop the running headroom daemon; it hands every stream back as it found it';

  async run(): Promise<{ stopping: boolean }> {
    await this.parse(Stop);
    const r = (await request('shutdown')) as { stopping: boolean };
    this.say('headroom is stopping');
    return r;
  }
}
