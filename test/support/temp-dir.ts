import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * For a describe block: a fresh directory under the system's temporary one, made before its tests and removed
 * with everything in it after them. `path(name)` names a file in it.
 */
export function tempDir(prefix: string): { path: (name: string) => string } {
  let dir: string | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    path(name) {
      if (!dir) throw new Error('tempDir: path() is for tests, after beforeAll made the directory');
      return join(dir, name);
    },
  };
}
