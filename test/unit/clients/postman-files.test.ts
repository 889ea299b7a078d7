import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
const read = (name: string) => JSON.parse(readFileSync(join(root, 'postman', name), 'utf8'));

interface Item {
  name: string;
  item?: Item[];
  request?: { method: string; url: { raw: string } };
  event?: { listen: string }[];
}
const leaves = (items: Item[]): Item[] => items.flatMap((i) => (i.item ? leaves(i.item) : [i]));

describe('postman/', () => {
  it('when postman/build.mjs is run with --check, then the committed JSON is what it writes', () => {
    expect(() =>
      execFileSync(process.execPath, [join(root, 'postman/build.mjs'), '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('when the collection is read, then it is v2.1 and every request has tests', () => {
    const collection = read('tradehook.postman_collection.json');
    expect(collection.info.schema).toBe(
      'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    );
    const requests = leaves(collection.item);
    expect(requests.length).toBeGreaterThan(10);
    for (const request of requests)
      expect({ name: request.name, tests: request.event?.some((e) => e.listen === 'test') }).toEqual({
        name: request.name,
        tests: true,
      });
    expect(requests.every((r) => r.request?.url.raw.startsWith('{{baseUrl}}'))).toBe(true);
  });

  it('when the environment is read, then it names every variable the collection needs, secrets as secret', () => {
    const environment = read('tradehook.postman_environment.json');
    const values = new Map<string, { type: string }>(
      environment.values.map((v: { key: string; type: string }) => [v.key, v]),
    );
    for (const key of ['baseUrl', 'webhookToken', 'webhookSecret', 'adminKey', 'account', 'symbol', 'price'])
      expect(values.has(key)).toBe(true);
    for (const key of ['webhookToken', 'webhookSecret', 'adminKey'])
      expect(values.get(key)?.type).toBe('secret');
  });
});
