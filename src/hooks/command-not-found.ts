// A command that does not exist: one line naming the nearest command (or topic) there is,
// the way to list them all, exit 2 like any usage error; with --json the error object. It
// never asks a question, so a script that mistypes gets an answer, not a prompt.
import type { Hook } from '@oclif/core';
import { HeadroomError } from '../errors.js';
import { reportError } from '../cli/error-output.js';
import { closest } from '../cli/closest.js';

const hook: Hook<'command_not_found'> = async function (opts) {
  const spaced = (id: string) => id.replaceAll(':', ' ');
  const known = [...opts.config.topics.map((t) => t.name), ...opts.config.commands.filter((c) => !c.hidden).map((c) => c.id)];
  const near = closest(opts.id, known);
  reportError(
    new HeadroomError('unknown_command', `"${spaced(opts.id)}" is not a headroom command${near ? `; did you mean "${spaced(near)}"?` : ''}`, { hint: 'Every command: headroom help' }),
    (opts.argv ?? []).includes('--json'),
  );
};

export default hook;
