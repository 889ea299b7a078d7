import { Writable } from 'node:stream';
import { type Logger, createLogger } from '../../src/observability/logger';

/** A JSON logger whose lines are kept in memory, so tests can search what was logged. */
export function captureLogs(options: { secrets?: string[]; level?: string } = {}): {
  logger: Logger;
  lines: string[];
  text: () => string;
  /** The first line (logged already or to come) that `matches`: await a log event instead of sleeping. */
  waitFor: (matches: (line: string) => boolean, timeoutMs?: number) => Promise<string>;
} {
  const lines: string[] = [];
  const waiters: Array<{ matches: (line: string) => boolean; resolve: (line: string) => void }> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        for (const waiter of waiters.filter((w) => w.matches(line))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
      done();
    },
  });
  const logger = createLogger({
    level: options.level ?? 'debug',
    json: true,
    secrets: options.secrets,
    stream,
  });
  // Bounded, so that a line that never comes fails with what was awaited instead of the test's timeout.
  const waitFor = (matches: (line: string) => boolean, timeoutMs = 10_000) => {
    const seen = lines.find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const waiter = {
        matches,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error(`no log line matched ${String(matches)} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(waiter);
    });
  };
  return { logger, lines, text: () => lines.join('\n'), waitFor };
}
