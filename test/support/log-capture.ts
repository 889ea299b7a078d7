import { Writable } from 'node:stream';
import { type Logger, createLogger } from '../../src/observability/logger';

/** A JSON logger whose lines are kept in memory, so tests can search what was logged. */
export function captureLogs(options: { secrets?: string[]; level?: string } = {}): {
  logger: Logger;
  lines: string[];
  text: () => string;
} {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({
    level: options.level ?? 'debug',
    json: true,
    secrets: options.secrets,
    stream,
  });
  return { logger, lines, text: () => lines.join('\n') };
}
