import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { EventLog, newEvent } from '../../../src/events/event-log';
import { subscriptionParts } from '../../../src/notify/notify-parts';
import { redisKeys } from '../../../src/redis/keys';
import { dumpPrefix, issueKey } from '../../support/api-keys';
import { TEST_SECRETS_KEY } from '../../support/notify/notify-harness';
import { type Receiver, startReceiver } from '../../support/notify/receiver';
import { type TestApp, eventually, startTestApp } from '../../support/test-app';

const API = '/api/v1';
let app: TestApp;
let receiver: Receiver;
let trader: string;

beforeAll(async () => {
  receiver = await startReceiver();
  app = await startTestApp(
    'notify-integrity',
    { ALLOW_INSECURE_WEBHOOK_URLS: 'true', SUBSCRIPTION_SECRETS_KEY: TEST_SECRETS_KEY },
    { worker: true, tuning: { notify: { schedule: [0, 50], pollMs: 20, timeoutMs: 2000 } } },
  );
  trader = (await issueKey(app.redis, app.prefix, 'trader')).key;
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});

function call(method: 'post' | 'patch' | 'get', path: string, body?: object) {
  const agent = request(app.url);
  return agent[method](API + path)
    .set('authorization', `Bearer ${trader}`)
    .send(body);
}

const token = () => randomBytes(34).toString('base64url');
const uniquePath = () => `${receiver.url}/${randomBytes(6).toString('hex')}`;

/** Every line of the test's Redis keys but the secret store's (a key and its value per line). */
async function redisOutsideSecretStore(): Promise<string> {
  const store = redisKeys(app.prefix).subscriptionSecrets;
  return (await dumpPrefix(app.redis, app.prefix))
    .split('\n')
    .filter((line) => !line.startsWith(`${store} `))
    .join('\n');
}

describe('the same url with overlapping events (409)', () => {
  it('when 10 creates of one url race, then exactly one is created and nine are refused with 409', async () => {
    const url = uniquePath();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_v, i) =>
        call('post', '/subscriptions', { url, events: i % 2 ? ['*'] : ['signal.filled'] }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);
    expect(answers.find((a) => a.status === 409)!.body).toMatchObject({ error: 'conflict' });
  });

  it('when 10 creates of one url race on one Redis connection, then exactly one is saved', async () => {
    // Straight on the service: the ten checks reach Redis before any write, which HTTP's staggering may not do.
    const { service } = subscriptionParts(app.redis, redisKeys(app.prefix), TEST_SECRETS_KEY);
    const url = uniquePath();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => service.create({ url, events: ['signal.expired'] }, Date.now())),
    );
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(
      ['conflict', ...Array<string>(8).fill('conflict'), 'saved'].sort(),
    );
  });

  it('when 10 changes to one url race on one Redis connection, then exactly one is saved', async () => {
    const { service } = subscriptionParts(app.redis, redisKeys(app.prefix), TEST_SECRETS_KEY);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const saved = await service.create({ url: uniquePath(), events: ['signal.canceled'] }, Date.now());
      if (saved.outcome === 'saved') ids.push(saved.subscription.id);
    }
    const url = uniquePath();
    const outcomes = await Promise.all(ids.map((id) => service.change(id, { url }, Date.now())));
    expect(outcomes.map((o) => o.outcome).sort()).toEqual([...Array<string>(9).fill('conflict'), 'saved']);
  });

  it('when 10 changes to one url race, then exactly one is saved and nine are refused with 409', async () => {
    const created = await Promise.all(
      Array.from({ length: 10 }, () =>
        call('post', '/subscriptions', { url: uniquePath(), events: ['signal.failed'] }),
      ),
    );
    const url = uniquePath();
    const answers = await Promise.all(
      created.map((c) => call('patch', `/subscriptions/${c.body.id as string}`, { url })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array<number>(9).fill(409)]);
  });
});

describe('chat webhook urls are credentials', () => {
  it('when Discord and Slack urls are subscribed and delivered to, then their tokens are only in the encrypted secret store', async () => {
    const discordToken = token();
    const slackToken = token();
    const discordUrl = `${receiver.url}/api/webhooks/123456789/${discordToken}`;
    const slackUrl = `${receiver.url}/services/T000/B000/${slackToken}`;
    const discord = await call('post', '/subscriptions', {
      url: discordUrl,
      format: 'discord',
      events: ['account.paused'],
    }).expect(201);
    const slack = await call('post', '/subscriptions', {
      url: slackUrl,
      format: 'slack',
      events: ['account.paused'],
    }).expect(201);
    expect(discord.body.url).toBe(`${receiver.url}/api/webhooks/123456789/…${discordToken.slice(-4)}`);
    const pings = [
      await call('post', `/subscriptions/${discord.body.id as string}/test`).expect(200),
      await call('post', `/subscriptions/${slack.body.id as string}/test`).expect(200),
    ];
    expect(pings.map((p) => p.body.status)).toEqual(['succeeded', 'succeeded']);
    await new EventLog({ redis: app.redis, key: redisKeys(app.prefix).events }).append(
      newEvent('account.paused', { account: 'default', reason: 'test' }),
    );
    const paths = [new URL(discordUrl).pathname, new URL(slackUrl).pathname];
    // The ping and the event reached each whole url: it is rebuilt from the secret store at sending time.
    await eventually(async () =>
      paths.every((p) => receiver.received.filter((r) => r.path === p).length === 2) ? true : undefined,
    );

    const outside = await redisOutsideSecretStore();
    const store = JSON.stringify(await app.redis.hgetall(redisKeys(app.prefix).subscriptionSecrets));
    const answers = JSON.stringify([
      (await call('get', '/subscriptions?limit=200')).body,
      (await call('get', '/deliveries?limit=200')).body,
      pings.map((p) => p.body as unknown),
      [discord.body, slack.body],
    ]);
    for (const secret of [discordToken, slackToken]) {
      expect(outside).not.toContain(secret);
      expect(store).not.toContain(secret); // encrypted
      expect(answers).not.toContain(secret);
      expect(app.logs.text()).not.toContain(secret);
    }
  });

  it('when a record of an older version holds a whole Discord url, then it is moved to the secret store on first read', async () => {
    const discordToken = token();
    const url = `${receiver.url}/api/webhooks/42/${discordToken}`;
    const keys = redisKeys(app.prefix);
    const { service, secrets } = subscriptionParts(app.redis, keys, TEST_SECRETS_KEY);
    const saved = await service.create({ url, format: 'discord', events: ['signal.done'] }, Date.now());
    if (saved.outcome !== 'saved') throw new Error(saved.outcome);
    const id = saved.subscription.id;
    // As older versions stored it: the whole url in the record, no hash, nothing in the secret store, no url index.
    const { urlHash, urlSecret, ...legacy } = saved.subscription;
    await app.redis.set(keys.subscription(id), JSON.stringify({ ...legacy, url }));
    await app.redis.del(keys.subscriptionsByUrl(urlHash));
    await secrets.pruneUrls(id, undefined);
    expect(urlSecret).toBe(true);
    expect(await redisOutsideSecretStore()).toContain(discordToken);

    const got = await call('get', `/subscriptions/${id}`).expect(200);
    expect(got.body.url).toBe(`${receiver.url}/api/webhooks/42/…${discordToken.slice(-4)}`);
    expect(await redisOutsideSecretStore()).not.toContain(discordToken);
    const ping = await call('post', `/subscriptions/${id}/test`).expect(200);
    expect(ping.body.status).toBe('succeeded');
    expect(receiver.received.some((r) => r.path === new URL(url).pathname)).toBe(true);
    // The upgraded record is in the url index: the same url with the same event is a conflict again.
    await call('post', '/subscriptions', { url, format: 'discord', events: ['signal.done'] }).expect(409);
  });
});

describe("a receiver's token in the url's query is a credential", () => {
  it('when a standard url carries ?token=…, then it is answered as …?…, stored only encrypted, and delivered to whole', async () => {
    const secret = token();
    const url = `${uniquePath()}/hook?token=${secret}&v=2`;
    const created = await call('post', '/subscriptions', { url, events: ['account.paused'] }).expect(201);
    expect(created.body.url).toBe(`${url.slice(0, url.indexOf('?'))}?…`);

    const ping = await call('post', `/subscriptions/${created.body.id as string}/test`).expect(200);
    expect(ping.body.status).toBe('succeeded');
    expect(receiver.received.some((r) => r.path === new URL(url).pathname + new URL(url).search)).toBe(true);

    const store = JSON.stringify(await app.redis.hgetall(redisKeys(app.prefix).subscriptionSecrets));
    const answers = JSON.stringify([
      created.body,
      ping.body,
      (await call('get', `/subscriptions/${created.body.id as string}`)).body,
      (await call('get', '/deliveries?limit=200')).body,
    ]);
    expect(await redisOutsideSecretStore()).not.toContain(secret);
    expect(store).not.toContain(secret); // encrypted
    expect(answers).not.toContain(secret);
    expect(app.logs.text()).not.toContain(secret);
  });

  it('when a record of an older version holds such a url whole, then it is moved to the secret store on first read', async () => {
    const secret = token();
    const url = `${uniquePath()}/hook?token=${secret}`;
    const keys = redisKeys(app.prefix);
    const { service, secrets } = subscriptionParts(app.redis, keys, TEST_SECRETS_KEY);
    const saved = await service.create({ url, format: 'standard', events: ['signal.done'] }, Date.now());
    if (saved.outcome !== 'saved') throw new Error(saved.outcome);
    const id = saved.subscription.id;
    // As the version before stored it: hashed, but the whole url in the record and not marked a credential.
    await app.redis.set(
      keys.subscription(id),
      JSON.stringify({ ...saved.subscription, url, urlSecret: false }),
    );
    await secrets.pruneUrls(id, undefined);
    expect(await redisOutsideSecretStore()).toContain(secret);

    const got = await call('get', `/subscriptions/${id}`).expect(200);

    expect(got.body.url).toBe(`${url.slice(0, url.indexOf('?'))}?…`);
    expect(await redisOutsideSecretStore()).not.toContain(secret);
    const ping = await call('post', `/subscriptions/${id}/test`).expect(200);
    expect(ping.body.status).toBe('succeeded');
  });
});
