import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/config';
import { envSpecs } from '../../../src/config/env-specs';

interface Assignment {
  name: string;
  value: string;
  commented: boolean;
  /** The line just above the assignment. */
  comment: string;
}

const lines = readFileSync(join(__dirname, '../../../.env.example'), 'utf8').split('\n');

const assignments: Assignment[] = lines.flatMap((line, index) => {
  const match = /^(#\s?)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
  if (!match) return [];
  return [
    { name: match[2], value: match[3], commented: match[1] !== undefined, comment: lines[index - 1] ?? '' },
  ];
});

const envOf = (list: Assignment[]) => Object.fromEntries(list.map((a) => [a.name, a.value]));
const uncommented = assignments.filter((a) => !a.commented);
const commented = assignments.filter((a) => a.commented);
const specs = envSpecs as Record<string, { desc?: string }>;

describe('.env.example', () => {
  it('when its variable names are collected, then they are exactly the names of envSpecs', () => {
    expect(assignments.map((a) => a.name).sort()).toEqual(Object.keys(envSpecs).sort());
  });

  it('when its variable names are collected, then none appears twice', () => {
    const names = assignments.map((a) => a.name);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  it.each(Object.keys(envSpecs))(
    'when %s is documented, then the line above it is its description',
    (name) => {
      const assignment = assignments.find((a) => a.name === name);
      expect(assignment?.comment).toBe(`# ${specs[name].desc}`);
    },
  );

  it('when the uncommented values are loaded, then loadConfig accepts them', () => {
    expect(uncommented.length).toBeGreaterThan(0);
    expect(() => loadConfig(envOf(uncommented))).not.toThrow();
  });

  it('when a user must set a value, then the example holds an obvious placeholder', () => {
    expect(envOf(uncommented)).toEqual({ WEBHOOK_TOKENS: 'change-me' });
  });

  it('when the commented-out values are uncommented too, then the configuration is the same (they are the defaults)', () => {
    const defaults = loadConfig(envOf(uncommented));
    expect(loadConfig({ ...envOf(commented), ...envOf(uncommented) })).toEqual(defaults);
  });

  it.each(commented.map((a) => [a.name, a.value]))(
    'when %s=%j is set alone, then it changes nothing (the shown value is the default)',
    (name, value) => {
      const base = envOf(uncommented);
      expect(loadConfig({ ...base, [name]: value })).toEqual(loadConfig(base));
    },
  );
});
