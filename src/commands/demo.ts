import { BaseCommand } from '../cli/base-command.js';
import { abortOnSignals } from '../cli/abort-on-signals.js';
import { demoTable } from '../cli/demo-table.js';
import { runDemo } from '../orchestrator/sandbox/demo.js';
import type { CommandOutput } from '../wire/command-outputs.js';

export default class Demo extends BaseCommand {
  static override summary = 'Hear what headroom does, with no desktop needed: three apps (a quiet voice, a loud ad, a notification) on a private PipeWire, first straight to the speakers, then through headroom; prints the loudness of each app both times';
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --json'];

  async run(): Promise<CommandOutput<'demo'>> {
    await this.parse(Demo);
    const r = await abortOnSignals((signal) => runDemo({ say: (l) => this.jsonEnabled() || process.stderr.write(`${l}\n`), signal }));
    this.say(`\n${demoTable(r)}`);
    return r;
  }
}
