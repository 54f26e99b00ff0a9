#!/usr/bin/env node
// `headroom status [--json]`, polled by scripts, skips loading oclif; everything else goes through it.
const args = process.argv.slice(2);
// a user's program, not a development build: React (the monitor) runs its production build
// (a tenth of the CPU and memory of the development one) and oclif its quiet mode
process.env.NODE_ENV ??= 'production';
// a reader that went away (`| head -n 1`, `| true`) ends a client quietly, as any writer to
// a pipe ends; the daemon (`start`) handles its own streams and hands everything back first
if (args[0] !== 'start')
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
if (args[0] === 'status' && (args.length === 1 || (args.length === 2 && args[1] === '--json'))) {
  const { fastStatus } = await import('../dist/cli/fast-status.js');
  await fastStatus(args[1] === '--json');
} else {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
