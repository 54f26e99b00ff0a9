import { Args } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { progressBar, silentProgress } from '../cli/progress-bar.js';
import { analyzeFiles } from '../offline/analyze-files.js';
import { analyzeTable } from '../offline/report.js';
import type { CommandOutput } from '../wire/command-outputs.js';

export default class Analyze extends BaseCommand {
  static override summary = 'Measure loudness (EBU R128 / BS.1770-4) and peaks of audio files';
  static override examples = ['<%= config.bin %> analyze song.wav', '<%= config.bin %> analyze *.flac --json'];
  static override strict = false;
  static override args = { file: Args.string({ description: 'audio file (WAV; other formats through ffmpeg)', required: true }) };

  async run(): Promise<CommandOutput<'analyze'>> {
    const { argv } = await this.parse(Analyze);
    const bar = this.jsonEnabled() ? silentProgress : progressBar();
    const result = await analyzeFiles(argv.map(String), undefined, (file, done, total) => bar.update(file, done, total)).finally(() => bar.end());
    this.say(analyzeTable(result.files));
    return result;
  }
}
