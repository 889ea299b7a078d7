import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

/** Every file git tracks (or would: untracked but not ignored), so new files are checked before commit. */
function projectFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  return out
    .split('\n')
    .filter((f) => f && !f.endsWith('package-lock.json') && !/\.(png|ico|woff2?)$/.test(f));
}

describe('the project documents itself', () => {
  it('when any file is read, then none refers to a design document outside the repository', () => {
    const outside = /(\.\.\/shared\/|DESIGN\.md)/;
    const offenders = projectFiles().filter((file) => {
      // This test names the pattern it looks for.
      if (file === 'test/unit/repo/self-documenting.test.ts') return false;
      return outside.test(readFileSync(join(root, file), 'utf8'));
    });
    expect(offenders).toEqual([]);
  });
});
