import { existsSync } from 'node:fs';

/**
 * Loads `.env` from the working directory when there is one, with Node's own parser, as `.env.example`
 * promises. Variables already set in the environment win: a deployment's settings are never overridden
 * by a file left in the checkout. Every entry point calls this before reading any variable.
 */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
