import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { progressBar, silentProgress } from '../cli/progress-bar.js';
import { loadProfile } from '../orchestrator/profiles/profile-files.js';
import { renderFile } from '../offline/render-file.js';
import type { CommandOutput } from '../wire/command-outputs.js';
import { analyzeTable } from '../offline/report.js';
import { OUTPUT_FORMATS } from '../offline/encoded-output.js';
import { parseOverrides } from '../profile/overrides.js';

export default class Render extends BaseCommand {
  static override summary = 'Run a file through the bus chain (exactly what the live bus does once it has settled on the programme) and write the result: float32 WAV, or FLAC, MP3, Ogg, Opus, M4A by the extension (through ffmpeg)';
  static override examples = [
    '<%= config.bin %> render in.wav out.wav',
    '<%= config.bin %> render in.wav out.wav --profile night --set agc.target_lufs=-20',
    '<%= config.bin %> render episode.mp3 levelled.flac',
  ];
  static override args = {
    input: Args.string({ description: 'audio file to process', required: true }),
    output: Args.string({ description: `file to write, same rate and channels; its extension picks the format: ${OUTPUT_FORMATS.join(' ')}`, required: true }),
  };
  static override flags = {
    profile: Flags.string({ char: 'p', description: 'profile whose parameters to use', default: 'default' }),
    set: Flags.string({ char: 's', description: 'override a setting: key=value (repeatable)', multiple: true }),
    'cold-start': Flags.boolean({ description: 'start the AGC at 0 dB, as a freshly started engine (default: at the gain it settles at on this file, found by a measuring pre-pass)' }),
  };

  async run(): Promise<CommandOutput<'render'>> {
    const { args, flags } = await this.parse(Render);
    const profile = await loadProfile(flags.profile);
    const settings = { ...profile.settings, ...parseOverrides(flags.set ?? []) };
    const bar = this.jsonEnabled() ? silentProgress : progressBar();
    const result = await renderFile(args.input, args.output, settings, { coldStart: flags['cold-start'], onProgress: (what, done, total) => bar.update(what, done, total) }).finally(() => bar.end());
    this.say(analyzeTable([result.input, result.output]));
    this.say(`gain ${result.gainDb.min.toFixed(1)} .. ${result.gainDb.max.toFixed(1)} dB (started at ${result.initialGainDb.toFixed(1)} dB${flags['cold-start'] ? ', cold' : ', settled on the file'}), limiter at most -${result.limiterMaxReductionDb.toFixed(1)} dB`);
    return result;
  }
}
