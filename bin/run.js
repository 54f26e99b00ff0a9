#!/usr/bin/env -S node --max-semi-space-size=4 --v8-pool-size=1
// Node's flags above (also in src/node-flags.ts, for the systemd unit): semi-spaces of 4 MiB
// and one V8 worker thread, not 16 MiB and four. A monitor left open for hours weighs about
// 45 MiB less, the daemon about 15 MiB less (2 MiB cost the idle daemon 1 % of a core more).
// `headroom status [--json]`, polled by scripts, a bare `headroom monitor` and `headroom start`
// with the flags it parses itself (src/cli/start-flags.ts), both left running for hours, skip
// loading oclif; everything else goes through it.
const args = process.argv.slice(2);
// a user's program, not a development build: oclif runs its quiet mode (the monitor's React
// is bundled in its production build: scripts/bundle.mjs)
process.env.NODE_ENV ??= 'production';
// a reader that went away (`| head -n 1`, `| true`) ends a client quietly, as any writer to
// a pipe ends; the daemon (`start`) handles its own streams and hands everything back first
if (args[0] !== 'start') {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
  // whatever no command caught: one line and what to do, never a stack trace (the daemon has
  // its own handler, which hands everything back first)
  const last = (e) => {
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    const hint = 'This is a bug in headroom: please report it with the command you ran (HEADROOM_DEBUG=1 prints where it happened)';
    if (args.includes('--json')) process.stdout.write(`${JSON.stringify({ error: { code: 'internal', message, hint } })}\n`);
    else process.stderr.write(`headroom: ${message}\n  ${hint}\n`);
    if (process.env.HEADROOM_DEBUG) console.error(e);
    process.exit(1);
  };
  process.on('uncaughtException', last);
  process.on('unhandledRejection', last);
}
let startOptions;
if (args[0] === 'status' && (args.length === 1 || (args.length === 2 && args[1] === '--json'))) {
  const { fastStatus } = await import('../dist/cli/fast-status.js');
  await fastStatus(args[1] === '--json');
} else if (args.length === 1 && args[0] === 'monitor') {
  const { fastMonitor } = await import('../dist/cli/live-monitor.js');
  await fastMonitor();
} else if (args[0] === 'start' && (startOptions = (await import('../dist/cli/start-flags.js')).parseStartArgv(args.slice(1)))) {
  const { fastStart } = await import('../dist/cli/fast-start.js');
  await fastStart(startOptions);
} else {
  const { execute } = await import('@oclif/core');
  await execute({ dir: import.meta.url });
}
