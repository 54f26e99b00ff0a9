import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseDefaultNodes, parseKeyFile, parseRestoreStream, parseStreamProperties, readSavedDefaults, readSavedStreams, streamStateKey,
} from '../../../src/orchestrator/pipewire/wireplumber-state.js';

// as WirePlumber 0.4.13 wrote it after a headroom run (Debian 12), plus a remembered target
const RESTORE_STREAM = `[restore-stream]
Audio/Sink:node.name:speakers:channelVolumes=1.0;1.0;
Audio/Sink:node.name:speakers:volume=1.0
Output/Audio:media.role:role-la-loud:channelMap=FL;FR;
Output/Audio:media.role:role-la-loud:channelVolumes=0.125;0.25;
Output/Audio:media.role:role-la-loud:mute=false
Output/Audio:media.role:role-la-loud:volume=0.5
Output/Audio:application.name:My\\sApp\\e\\o1\\c:target=headroom-processed
`;
// as WirePlumber 0.5.8 wrote it (Debian 13), plus a remembered target
const STREAM_PROPERTIES = `[stream-properties]
Audio/Sink:node.name:speakers={"channelVolumes":[1.000000, 1.000000], "channelMap":["FL", "FR"], "mute":false, "volume":1.000000}
Output/Audio:media.role:role-la-loud={"volume":0.500000, "channelMap":["FL", "FR"], "mute":true, "channelVolumes":[0.125000, 0.250000]}
Output/Audio:application.name:My\\sApp\\e\\o1\\c={"target":"headroom-processed"}
Output/Audio:media.role:broken={not json
`;

describe("WirePlumber's saved state", () => {
  it('reads GKeyFile lines with their escapes, skipping the group and comments', () => {
    const e = parseKeyFile('[restore-stream]\n# a comment\na\\sb\\e\\\\c=\\sx\\ty\nno-equals\n');
    expect([...e]).toEqual([['a b=\\c', ' x\ty']]);
  });

  it("reads 0.4's restore-stream, one line per field", () => {
    const s = parseRestoreStream(parseKeyFile(RESTORE_STREAM));
    expect(s).toEqual([
      { key: 'Audio/Sink:node.name:speakers', channelVolumes: [1, 1], volume: 1 },
      { key: 'Output/Audio:media.role:role-la-loud', channelVolumes: [0.125, 0.25], mute: false, volume: 0.5 },
      { key: 'Output/Audio:application.name:My App=[1]', target: 'headroom-processed' },
    ]);
  });

  it("reads 0.5's stream-properties, one JSON object per stream", () => {
    const s = parseStreamProperties(parseKeyFile(STREAM_PROPERTIES));
    expect(s).toEqual([
      { key: 'Audio/Sink:node.name:speakers', channelVolumes: [1, 1], mute: false, volume: 1 },
      { key: 'Output/Audio:media.role:role-la-loud', volume: 0.5, mute: true, channelVolumes: [0.125, 0.25] },
      { key: 'Output/Audio:application.name:My App=[1]', target: 'headroom-processed' },
      { key: 'Output/Audio:media.role:broken' },
    ]);
  });

  it('reads default-nodes: the configured sink, then the earlier ones newest first', () => {
    const d = parseDefaultNodes(parseKeyFile('[default-nodes]\ndefault.configured.audio.sink.1=old\ndefault.configured.audio.sink=speakers\ndefault.configured.audio.sink.0=headroom-processed\ndefault.configured.audio.source=mic\n'));
    expect(d).toEqual({ sink: 'speakers', earlierSinks: ['headroom-processed', 'old'] });
    expect(parseDefaultNodes(new Map())).toEqual({ earlierSinks: [] });
  });

  it('forms the key WirePlumber saves a stream under', () => {
    expect(streamStateKey({ 'media.class': 'Stream/Output/Audio', 'media.role': 'Music', 'application.name': 'mpv', 'node.name': 'n' })).toBe('Output/Audio:media.role:Music');
    expect(streamStateKey({ 'media.class': 'Stream/Output/Audio', 'application.name': 'mpv', 'node.name': 'n' })).toBe('Output/Audio:application.name:mpv');
    expect(streamStateKey({ 'media.class': 'Audio/Sink', 'node.name': 'speakers' })).toBe('Audio/Sink:node.name:speakers');
    expect(streamStateKey({ 'node.name': 'no class' })).toBeUndefined();
  });

  describe('on disk', () => {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'headroom-wpstate-'));
      env = { XDG_STATE_HOME: dir };
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('finds whichever stream-state file there is, both after an upgrade, none when WirePlumber saved nothing', async () => {
      expect(await readSavedStreams(env)).toEqual([]);
      expect(await readSavedDefaults(env)).toEqual({ file: path.join(dir, 'wireplumber', 'default-nodes'), earlierSinks: [] });
      await mkdir(path.join(dir, 'wireplumber'));
      await writeFile(path.join(dir, 'wireplumber', 'stream-properties'), STREAM_PROPERTIES);
      expect((await readSavedStreams(env)).map((f) => [path.basename(f.file), f.streams.filter((s) => s.target).length])).toEqual([['stream-properties', 1]]);
      await writeFile(path.join(dir, 'wireplumber', 'restore-stream'), RESTORE_STREAM);
      expect((await readSavedStreams(env)).map((f) => path.basename(f.file))).toEqual(['restore-stream', 'stream-properties']);
      expect((await readSavedStreams({ HOME: dir })).length).toBe(0); // ~/.local/state when XDG_STATE_HOME is unset
    });
  });
});
