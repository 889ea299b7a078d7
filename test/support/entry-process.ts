import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REDIS_URL } from './test-redis';

/** The repository's root. */
export const ROOT = join(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

/** A process entry (`src/main/*.ts`) started under tsx, its output collected. */
export interface EntryRun {
  exitCode: Promise<number | null>;
  output: () => string;
  kill: (signal: NodeJS.Signals) => void;
  /** Resolves with the first match of `text` in the output so far; rejects after `timeoutMs`. */
  waitFor: (text: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
}

/** Starts `entry` with `env` over a minimal environment (PATH, REDIS_URL, NODE_ENV=production). */
export function runEntry(entry: string, env: Record<string, string>): EntryRun {
  const child = spawn(TSX, [join(ROOT, entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', REDIS_URL, NODE_ENV: 'production', ...env },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return {
    exitCode: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    output: () => out,
    kill: (signal) => child.kill(signal),
    waitFor: async (text, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = out.match(text);
        if (match) return match;
        if (Date.now() > deadline) throw new Error(`no ${text} in output:\n${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
