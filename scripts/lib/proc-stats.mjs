// What a benchmark reads of a running process: CPU time and memory from /proc.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time of all threads of a process, in ns, from /proc/<pid>/task/<tid>/schedstat
 * (exact run time; utime/stime in /proc/<pid>/stat are only sampled at the tick). */
export function cpuNs(pid) {
  let sum = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) sum += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  return sum;
}

/** CPU time of one thread, in ns (the main thread's id is the process's). */
export function threadCpuNs(pid, tid) {
  return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
}

/** A field of /proc/<pid>/status in KiB (VmRSS, VmHWM). */
export function statusKib(pid, key) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${key}:`));
  return Number(line?.match(/(\d+)/)?.[1] ?? NaN);
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
export const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
