// Checks output against the published JSON Schema (docs/schema/control.json), as a script
// author's own validator would.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { ROOT } from './cli.js';

const doc = JSON.parse(readFileSync(path.join(ROOT, 'docs', 'schema', 'control.json'), 'utf8')) as { $defs: Record<string, object> };
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(doc, 'control');

/** The errors of `value` against `$defs[name]` ("status.result", "event.meters.tick"), none when it fits. */
export function schemaErrors(name: string, value: unknown): string[] {
  if (!doc.$defs[name]) return [`no schema named ${name}`];
  const validate = ajv.getSchema(`control#/$defs/${name}`);
  if (!validate) return [`cannot compile ${name}`];
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
