import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSpecs } from '../../../src/config/env-specs';

const root = join(__dirname, '../../..');
const page = readFileSync(join(root, 'docs/configuration.md'), 'utf8');

/** Variables named in the first column of a table row: `| \`NAME\` | …`. */
const documented = new Set([...page.matchAll(/^\| `([A-Z][A-Z0-9_]+)` +\|/gm)].map((match) => match[1]));

describe('docs/configuration.md', () => {
  it('when compared with src/config/env-specs.ts, then it documents every variable, each in its own row', () => {
    const missing = Object.keys(envSpecs).filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it('when a row names a variable, then the process reads it (no stale rows)', () => {
    const unknown = [...documented].filter((name) => !(name in envSpecs));
    expect(unknown).toEqual([]);
  });
});
