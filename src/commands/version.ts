import { BaseCommand } from '../cli/base-command.js';
import { VERSION } from '../version.js';
import type { CommandOutput } from '../wire/command-outputs.js';

export default class Version extends BaseCommand {
  static override summary = "Show headroom's version (also: headroom --version, -v)";

  async run(): Promise<CommandOutput<'version'>> {
    await this.parse(Version);
    const r = { version: VERSION, node: process.version, platform: `${process.platform}-${process.arch}` };
    this.say(`headroom ${r.version} (node ${r.node}, ${r.platform})`);
    return r;
  }
}
