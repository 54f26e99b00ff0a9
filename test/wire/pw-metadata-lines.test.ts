import { describe, expect, it } from 'vitest';
import { defaultNodeName, parseMetadataLine } from '../../src/wire/pw-metadata-lines.js';

describe('parseMetadataLine (pw-metadata --monitor, PipeWire 0.3.65)', () => {
  it('reads updates, with quotes inside the value', () => {
    expect(parseMetadataLine(`update: id:0 key:'default.audio.sink' value:'{"name":"speakers"}' type:'Spa:String:JSON'`)).toEqual({
      kind: 'update', subject: 0, key: 'default.audio.sink', value: '{"name":"speakers"}', type: 'Spa:String:JSON',
    });
    expect(parseMetadataLine(`update: id:0 key:'test.key' value:'it's 'quoted'' type:'(null)'`)).toEqual({ kind: 'update', subject: 0, key: 'test.key', value: "it's 'quoted'", type: null });
  });

  it('reads removals and ignores anything else', () => {
    expect(parseMetadataLine(`remove: id:57 key:'target.object'`)).toEqual({ kind: 'remove', subject: 57, key: 'target.object' });
    expect(parseMetadataLine('remove: id:57')).toEqual({ kind: 'remove', subject: 57, key: null });
    expect(parseMetadataLine('Found "default" metadata 33')).toBeUndefined();
  });

  it('takes the node name out of a default-sink value', () => {
    expect(defaultNodeName('{"name":"alsa_output.usb"}')).toBe('alsa_output.usb');
    expect(defaultNodeName('not json')).toBeUndefined();
    expect(defaultNodeName('{"name":3}')).toBeUndefined();
  });
});
