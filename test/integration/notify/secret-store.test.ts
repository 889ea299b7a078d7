import { Redis } from 'ioredis';
import { SecretCipher } from '../../../src/notify/secret-cipher';
import { SecretStore } from '../../../src/notify/secret-store';
import { TEST_SECRETS_KEY } from '../../support/notify/notify-harness';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

/** Changes of one subscription's secrets at the same time (a rotation, a header change, a url change) all land. */
describe.each([
  ['encrypted', TEST_SECRETS_KEY],
  ['without a key', ''],
])('secret store (%s)', (_name, key) => {
  const prefix = uniquePrefix('secret-store');
  const redis = new Redis(REDIS_URL);
  const store = new SecretStore(redis, `${prefix}:secrets`, new SecretCipher(key));
  const now = Date.now();
  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('when rotations, header and url changes of one subscription race, then every one of them is kept', async () => {
    await store.put('sub_1', { keys: [{ secret: 'whsec_first', expiresAt: null }] });

    // Issued together on one connection: every read is answered before any write, so each write but the
    // first finds the value changed under it.
    await Promise.all([
      store.rotate('sub_1', 'whsec_second', now),
      store.setHeaders('sub_1', { authorization: 'Bearer receiver' }, now),
      store.addUrl('sub_1', 'hash-a', 'https://discord.com/api/webhooks/1/a'),
      store.addUrl('sub_1', 'hash-b', 'https://discord.com/api/webhooks/1/b'),
      store.rotate('sub_1', 'whsec_third', now),
    ]);

    const material = await store.get('sub_1', now);
    expect(material?.headers).toEqual({ authorization: 'Bearer receiver' });
    expect(material?.urls).toEqual({
      'hash-a': 'https://discord.com/api/webhooks/1/a',
      'hash-b': 'https://discord.com/api/webhooks/1/b',
    });
    expect(material?.keys.map((k) => k.secret).sort()).toEqual([
      'whsec_first',
      'whsec_second',
      'whsec_third',
    ]);
    expect(material?.keys.filter((k) => k.expiresAt === null)).toHaveLength(1);
  });

  it('when a url is pruned while another is added, then the kept one and the added one remain', async () => {
    await store.put('sub_2', {
      keys: [{ secret: 'whsec_x', expiresAt: null }],
      urls: {
        old: 'https://discord.com/api/webhooks/2/old',
        kept: 'https://discord.com/api/webhooks/2/kept',
      },
    });

    await Promise.all([
      store.pruneUrls('sub_2', 'kept'),
      store.addUrl('sub_2', 'new', 'https://discord.com/api/webhooks/2/new'),
    ]);

    const urls = (await store.get('sub_2', now))?.urls ?? {};
    // Added after the prune ({kept, new}) or before it and pruned ({kept}): either order is consistent. A lost
    // update would bring back the pruned url (the add writing what it read before the prune).
    expect(urls.kept).toBe('https://discord.com/api/webhooks/2/kept');
    expect(urls.old).toBeUndefined();
  });
});
