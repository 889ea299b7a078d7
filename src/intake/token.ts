import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time check of a presented token against the configured ones. Both sides are hashed first so
 * that the comparison does not leak the tokens' lengths, and every configured token is compared (no early
 * exit) so timing does not tell which one matched.
 */
export function makeTokenChecker(tokens: string[]): (presented: string) => boolean {
  const digests = tokens.map((t) => createHash('sha256').update(t, 'utf8').digest());
  return (presented) => {
    const candidate = createHash('sha256').update(presented, 'utf8').digest();
    let ok = false;
    for (const digest of digests) ok = timingSafeEqual(candidate, digest) || ok;
    return ok;
  };
}
