import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const root = join(__dirname, '../../..');
const runtime = readFileSync(join(root, 'runtime.txt'), 'utf8').trim();
const engines: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;

/** Every Node major the engines range admits at least one version of. */
const admittedMajors = Array.from({ length: 100 }, (_, major) => major).filter((major) =>
  semver.intersects(`${major}.x`, engines),
);

describe('runtime.txt and package.json engines', () => {
  it('when runtime.txt is read, then it names a Node major as nodejs-<major>.x', () => {
    expect(runtime).toMatch(/^nodejs-\d+\.x$/);
  });

  it('when the engines range is read, then it is a valid semver range admitting some version', () => {
    expect(semver.validRange(engines)).not.toBeNull();
    expect(admittedMajors.length).toBeGreaterThan(0);
  });

  it('when runtime.txt names a major, then every version of it satisfies engines.node', () => {
    const range = runtime.replace(/^nodejs-/, '');
    expect(semver.subset(range, engines)).toBe(true);
  });

  it('when Heroku resolves engines.node to its newest match, then that is the major runtime.txt names', () => {
    const major = Number(/^nodejs-(\d+)\.x$/.exec(runtime)?.[1]);
    expect(major).toBe(Math.max(...admittedMajors));
  });

  it('when tests run on Node 20, then the engines range admits Node 20', () => {
    expect(admittedMajors).toContain(20);
  });

  it('when this suite runs, then the running Node satisfies engines.node', () => {
    expect(semver.satisfies(process.versions.node, engines)).toBe(true);
  });
});
