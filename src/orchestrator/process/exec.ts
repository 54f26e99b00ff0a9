// The one way headroom runs another program: argv arrays (never a shell), a timeout or
// AbortSignal, SIGTERM then SIGKILL, and failures described in words.
import { execa, type ResultPromise } from 'execa';
import { constants as fsConstants } from 'node:fs';
import { access } from 'node:fs/promises';
import { constants } from 'node:os';
import path from 'node:path';
import { HeadroomError } from '../../errors.js';

export interface ExecOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const signalNames = new Map<number, string>(
  Object.entries(constants.signals).map(([name, num]) => [num as number, name]),
);

const signalMeaning: Record<string, string> = {
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGINT: 'interrupted',
  SIGBUS: 'bus error',
  SIGFPE: 'floating-point exception',
  SIGILL: 'illegal instruction',
  SIGPIPE: 'broken pipe',
};

/** "139 (segmentation fault)", "1", "SIGKILL (killed)": an exit status in words. */
export function describeExit(exitCode: number | undefined, signal: string | undefined): string {
  if (signal) return `${signal} (${signalMeaning[signal] ?? 'signal'})`;
  if (exitCode === undefined) return 'no exit status';
  if (exitCode > 128) {
    const name = signalNames.get(exitCode - 128);
    if (name) return `${exitCode} (${signalMeaning[name] ?? name})`;
  }
  return String(exitCode);
}

/** The last lines of a program's output, for an error message. */
export function tail(text: string, lines = 5): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** What every child gets: no shell, no rejection (callers read the exit), SIGKILL 2 s
 * after a SIGTERM that was not obeyed, the caller's env and cancel signal. */
function common(opts: ExecOptions) {
  return { cancelSignal: opts.signal, timeout: opts.timeoutMs, forceKillAfterDelay: 2000, env: opts.env, reject: false } as const;
}

/** How long a child is remembered after it exits: PipeWire reports its client late. */
const OWN_PID_MEMORY_MS = 10_000;
const ownPids = new Map<number, number>(); // pid -> when it exited (0: running)

/** Remembers a child's pid until a while after it exits. */
function own<P extends { pid?: number; then: Promise<unknown>['then'] }>(proc: P): P {
  const now = Date.now();
  for (const [pid, gone] of ownPids) if (gone && now - gone > OWN_PID_MEMORY_MS) ownPids.delete(pid);
  const pid = proc.pid;
  if (pid !== undefined) {
    ownPids.set(pid, 0);
    void proc.then(() => ownPids.set(pid, Date.now()), () => ownPids.set(pid, Date.now()));
  }
  return proc;
}

/** Whether headroom started that process (running, or gone in the last 10 s): the
 * PipeWire clients of its own pw-metadata, pw-link and pw-cli runs are told apart by it. */
export function startedByUs(pid: number): boolean {
  return ownPids.has(pid);
}

function split(argv: readonly string[], what: string): [string, string[]] {
  const [file, ...args] = argv;
  if (!file) throw new Error(`${what}: empty argv`);
  return [file, args];
}

/** Start a program whose stdout is consumed as a stream. */
export function spawnStream(argv: readonly string[], opts: ExecOptions = {}) {
  const [file, args] = split(argv, 'spawnStream');
  const options = { ...common(opts), buffer: false, stdin: 'ignore', stderr: 'pipe' } as const;
  const proc: ResultPromise<typeof options> = execa(file, args, options);
  return own(proc);
}

/** Start a long-running program (a daemon) whose stderr goes to a log file, not a pipe
 * that nobody reads. stdout is ignored. */
export function spawnDaemon(argv: readonly string[], logFile: string, opts: ExecOptions = {}) {
  const [file, args] = split(argv, 'spawnDaemon');
  const options = { ...common(opts), stdin: 'ignore', stdout: 'ignore', stderr: { file: logFile, append: true } } as const;
  const proc: ResultPromise<typeof options> = execa(file, args, options);
  return own(proc);
}

/** Start a program that speaks a binary protocol on stdin/stdout; stderr is piped. */
export function spawnPiped(argv: readonly string[], opts: ExecOptions = {}) {
  const [file, args] = split(argv, 'spawnPiped');
  const options = { ...common(opts), buffer: false, encoding: 'buffer', stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' } as const;
  const proc: ResultPromise<typeof options> = execa(file, args, options);
  return own(proc);
}

/** Run to completion; throws a HeadroomError carrying argv, exit status and stderr tail. */
export async function run(argv: readonly string[], opts: ExecOptions = {}): Promise<string> {
  const [file, args] = split(argv, 'run');
  const r = await own(execa(file, args, { ...common(opts), stdin: 'ignore' }));
  if (r.failed) {
    const status = describeExit(r.exitCode, r.signal);
    throw new HeadroomError('command_failed', `${argv.join(' ')} failed: ${status}${r.stderr ? `: ${tail(String(r.stderr))}` : ''}`, {
      exitCode: 1,
      cause: r,
    });
  }
  return String(r.stdout);
}

/** Whether an executable of that name is on PATH. */
export async function onPath(program: string, pathVar = process.env.PATH ?? ''): Promise<boolean> {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    try {
      await access(path.join(dir, program), fsConstants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}
