import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Lowers this process's CPU priority to the nice value `nice` (0-19), never raising it. On Linux a nice
 * value belongs to a thread, not to the process: `setpriority` on the process id changes only the main
 * thread, and V8's and libuv's threads started before it keep theirs. So every thread listed in
 * `/proc/self/task` is lowered; threads started later inherit the value of the thread that starts them.
 * Elsewhere (macOS) the call applies to the whole process. Returns the threads changed (0 when `nice` is
 * 0 or when they already ran at least that low).
 */
export function lowerCpuPriority(nice: number): number {
  if (nice <= 0) return 0;
  const threads = process.platform === 'linux' ? linuxThreads() : [0];
  let changed = 0;
  for (const id of threads) {
    try {
      if (getPriority(id) >= nice) continue;
      setPriority(id, nice);
      changed += 1;
    } catch {
      // A thread that ended between the listing and the call: nothing to lower.
    }
  }
  return changed;
}

function linuxThreads(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [0];
  }
}
