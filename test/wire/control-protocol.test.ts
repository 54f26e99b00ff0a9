import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE_BYTES, parseRequest } from '../../src/wire/control-protocol.js';

describe('parseRequest', () => {
  it('accepts a well-formed request', () => {
    expect(parseRequest('{"id":1,"op":"status"}')).toEqual({ ok: true, request: { id: 1, op: 'status', params: {} } });
  });

  it.each([
    ['not json', 'bad_json', null],
    ['[1,2]', 'bad_request', null],
    ['{"op":"status"}', 'bad_request', null],
    ['{"id":{},"op":"status"}', 'bad_request', null],
    ['{"id":"a","op":"rm -rf"}', 'unknown_op', 'a'],
    ['{"id":"a","op":"__proto__"}', 'unknown_op', 'a'],
    ['{"id":2,"op":"bypass.set","params":[true]}', 'bad_params', 2],
  ])('%s -> %s', (line, code, id) => {
    expect(parseRequest(line)).toMatchObject({ ok: false, code, id });
  });

  it('keeps __proto__ in params as plain data', () => {
    const r = parseRequest('{"id":1,"op":"bypass.set","params":{"__proto__":{"polluted":true},"on":true}}');
    expect(r.ok && Object.getPrototypeOf(r.request.params)).toBe(null);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('LineSplitter', () => {
  it('returns complete lines across chunks', () => {
    const s = new LineSplitter();
    expect(s.push('{"a"')).toEqual([]);
    expect(s.push(':1}\n{"b":2}\n\n{"c"')).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('refuses a line over 1 MiB, even before its newline', () => {
    const s = new LineSplitter();
    expect(s.push('x'.repeat(MAX_LINE_BYTES))).toEqual([]);
    expect(s.push('yy')).toBe('too-large');
  });
});
