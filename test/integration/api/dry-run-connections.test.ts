import request from 'supertest';
import { issueKey } from '../../support/api-keys';
import { type TestApp, startTestApp } from '../../support/test-app';

/**
 * Heroku caps Redis connections: the dry run costs the worker one (its BullMQ worker's blocking read) and
 * the web one (BullMQ QueueEvents), opened on the first dry run only. Counted by BullMQ's client names.
 */
describe('dry run Redis connections', () => {
  let app: TestApp;
  const named = async (suffix: string) => {
    const name = `${app.prefix}:${Buffer.from('dry-run').toString('base64')}${suffix}`;
    const list = (await app.redis.client('LIST')) as string;
    return list.split('\n').filter((line) => line.includes(` name=${name} `)).length;
  };

  beforeAll(async () => {
    app = await startTestApp('dry-run-connections', {}, { worker: true });
  });
  afterAll(() => app.close());

  it('when dry runs are served, then the worker holds one connection for them and the web one, opened on first use', async () => {
    expect(await named('')).toBe(1);
    expect(await named(':qe')).toBe(0);
    const trader = (await issueKey(app.redis, app.prefix, 'trader')).key;
    for (let i = 0; i < 3; i++) {
      await request(app.url)
        .post('/api/v1/signals?dryRun=true')
        .set('authorization', `Bearer ${trader}`)
        .send({ symbol: 'BTCUSDT', action: 'buy', quantity: 0.001, price: 60000 })
        .expect(200);
    }
    expect(await named('')).toBe(1);
    expect(await named(':qe')).toBe(1);
  });
});
