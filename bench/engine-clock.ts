import { readFileSync } from 'node:fs';

/**
 * Milliseconds on the process-wide monotonic clock (CLOCK_MONOTONIC through `process.hrtime`), with µs
 * resolution. Unlike `performance.now()`, whose origin differs per thread, every thread of the process reads
 * the same clock, so times taken in the sender, fake-exchange and main threads compare directly.
 */
export function clockMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Linux reports /proc times in USER_HZ, 100 per second on every mainstream architecture. */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system, 10 ms ticks) used so far by the calling thread, from /proc/thread-self (Linux;
 * `NaN` elsewhere). Works in worker threads, where `thread-cpu.ts`'s main-thread reading does not apply.
 */
export function currentThreadCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the parenthesised command name start at field 3 (state); utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** CPU seconds of the whole process, every thread (µs resolution). */
export function processCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
