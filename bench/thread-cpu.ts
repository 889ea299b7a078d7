import { readFileSync } from 'node:fs';

/** Linux reports /proc times in USER_HZ, 100 per second on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

/**
 * User + system CPU seconds in a /proc `stat` file (a process's or one thread's: `/proc/<pid>/task/<tid>/stat`);
 * `NaN` when it cannot be read (not Linux, or the process or thread is gone).
 */
export function statCpuSeconds(path: string): number {
  try {
    const stat = readFileSync(path, 'utf8');
    // Fields after the parenthesised command name start at field 3 (state); utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds (user + system) used so far by the main thread, from /proc (Linux; `NaN` elsewhere). Unlike
 * event-loop utilisation, it does not count time the thread lost to other processes on a busy machine.
 */
export function mainThreadCpuSeconds(): number {
  return statCpuSeconds(`/proc/self/task/${process.pid}/stat`);
}
