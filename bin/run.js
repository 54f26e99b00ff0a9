#!/usr/bin/env node
// `headroom status [--json]`, polled by scripts, skips loading oclif; everything else goes through it.
const args = process.argv.slice(2);
if (args[0] === 'status' && (args.length === 1 || (args.length === 2 && args[1] === '--json'))) {
  const { fastStatus } = await import('../dist/cli/fast-status.js');
  await fastStatus(args[1] === '--json');
} else {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
