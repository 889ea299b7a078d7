import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
const page = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
const section = page.slice(page.indexOf('## Where each capability lives'), page.indexOf('## Layers'));

describe('docs/architecture.md "Where each capability lives"', () => {
  it('when compared with src/, then every capability folder has its row', () => {
    const folders = readdirSync(join(root, 'src'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `src/${entry.name}`);
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((folder) => !section.includes(`\`${folder}\``))).toEqual([]);
  });

  it('when the dashboard is looked for, then its folder is named', () => {
    expect(section).toContain('`dashboard/`');
  });
});
