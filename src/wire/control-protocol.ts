// The control socket's messages (docs/architecture.md §4): newline-delimited JSON. The server speaks
// first (hello); requests carry an id and an op; responses carry ok with a result or a
// typed error. What each op takes and answers, and what each event carries, is declared
// once in control-messages.ts and checked here on both sides. Pure: parsing and encoding.
import * as v from 'valibot';
import { EVENT_SCHEMAS, firstProblem, OP_SCHEMAS, type EventMessage, type Op, type OpParams, type OpResult, type Topic } from './control-messages.js';

export * from './control-messages.js';

export const CONTROL_PROTOCOL = 1;
/** A request line longer than this is refused and the connection closed. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** The ops this daemon serves. */
export const OPS = Object.keys(OP_SCHEMAS) as Op[];
/** Every event topic the daemon publishes. */
export const TOPICS = Object.keys(EVENT_SCHEMAS) as Topic[];

/** A subscription pattern: a whole topic ("meters/tick"), a group ("meters") or everything ("*"). */
export function topicMatches(pattern: string, topic: string): boolean {
  return pattern === '*' || pattern === topic || topic.startsWith(`${pattern}/`);
}

/** Checks subscription patterns; returns the bad one, if any. */
export function badPattern(patterns: readonly string[]): string | undefined {
  return patterns.find((p) => !TOPICS.some((t) => topicMatches(p, t)));
}

export type ControlErrorCode = 'bad_json' | 'bad_request' | 'unknown_op' | 'bad_params' | 'not_found' | 'unavailable' | 'internal';

export interface Hello {
  type: 'hello';
  protocol: number;
  version: string;
  pid: number;
  profile: string;
}

type Id = string | number;
/** A checked request: its op tells its params' type. */
export type Request = { [O in Op]: { id: Id; op: O; params: OpParams<O> } }[Op];

export type Response =
  | { type: 'response'; id: Id; ok: true; result: unknown }
  | { type: 'response'; id: Id | null; ok: false; error: { code: ControlErrorCode; message: string } };

export type ParseResult = { ok: true; request: Request } | { ok: false; id: Id | null; code: ControlErrorCode; message: string };

const isOp = (o: unknown): o is Op => typeof o === 'string' && Object.hasOwn(OP_SCHEMAS, o);

/** Parses and checks one request line. Never throws; prototype keys in the input stay inert. */
export function parseRequest(line: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, id: null, code: 'bad_json', message: 'the line is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, id: null, code: 'bad_request', message: 'a request is a JSON object' };
  const o = value as Record<string, unknown>;
  const id = typeof o.id === 'string' || (typeof o.id === 'number' && Number.isFinite(o.id)) ? o.id : null;
  if (id === null) return { ok: false, id: null, code: 'bad_request', message: 'a request needs an "id" (string or number)' };
  if (!isOp(o.op)) return { ok: false, id, code: 'unknown_op', message: `unknown op ${JSON.stringify(String(o.op)).slice(0, 80)}; ops: ${OPS.join(', ')}` };
  const raw = o.params ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, id, code: 'bad_params', message: '"params" must be an object' };
  const params = v.safeParse(OP_SCHEMAS[o.op].params, raw);
  if (!params.success) return { ok: false, id, code: 'bad_params', message: `${o.op}: ${firstProblem(params.issues)}` };
  return { ok: true, request: { id, op: o.op, params: params.output } as Request };
}

/** Checks an op's result as the client receives it; a daemon that answers otherwise is an error. */
export function checkResult<O extends Op>(op: O, result: unknown): OpResult<O> {
  const r = v.safeParse(OP_SCHEMAS[op].result, result);
  if (!r.success) throw new Error(`the daemon's answer to ${op} is not what this headroom expects (${firstProblem(r.issues)}); is it another version?`);
  return r.output as OpResult<O>;
}

/** An event line's message, checked against its topic's schema; undefined if it is not one. */
export function checkEvent(message: unknown): EventMessage | undefined {
  const m = message as { type?: unknown; topic?: unknown; data?: unknown } | null;
  if (m?.type !== 'event' || typeof m.topic !== 'string' || !Object.hasOwn(EVENT_SCHEMAS, m.topic)) return undefined;
  const topic = m.topic as Topic;
  const r = v.safeParse(EVENT_SCHEMAS[topic], m.data);
  return r.success ? ({ type: 'event', topic, data: r.output } as EventMessage) : undefined;
}

type Outgoing = Hello | Response | { id: Id; op: Op; params: unknown } | EventMessage;

export function encodeLine(message: Outgoing): string {
  return `${JSON.stringify(message)}\n`;
}

/** Splits a byte stream into lines, refusing lines over MAX_LINE_BYTES. */
export class LineSplitter {
  private buf = '';

  /** Returns complete lines, or 'too-large' once a line has grown past the limit. */
  push(chunk: string): string[] | 'too-large' {
    this.buf += chunk;
    const lines = this.buf.split('\n');
    this.buf = lines.pop() ?? '';
    if (Buffer.byteLength(this.buf) > MAX_LINE_BYTES || lines.some((l) => Buffer.byteLength(l) > MAX_LINE_BYTES)) return 'too-large';
    return lines.filter((l) => l.trim() !== '');
  }
}
