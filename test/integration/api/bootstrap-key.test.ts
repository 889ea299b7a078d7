import request from 'supertest';
import { API_BASE_PATH } from '../../../src/api/registry';
import { loadConfig } from '../../../src/config/config';
import { type WebProcess, startWeb } from '../../../src/main/web-process';
import { captureLogs } from '../../support/log-capture';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

const KEY_A = `th_${'firstBootstrapKey-0123456'.repeat(2)}`;
const KEY_B = `th_${'secondBootstrapKey_987654'.repeat(2)}`;

describe('ADMIN_API_KEY', () => {
  const prefix = uniquePrefix('bootstrap');
  const logs = captureLogs();
  const started: WebProcess[] = [];
  const start = async (adminKey: string) => {
    const config = loadConfig({
      REDIS_URL,
      WEBHOOK_TOKENS: 'boot-token',
      PORT: '0',
      QUEUE_PREFIX: prefix,
      ADMIN_API_KEY: adminKey,
    });
    const web = await startWeb(config, logs.logger);
    started.push(web);
    await web.core.bootstrapped;
    return (key: string) =>
      request(`http://127.0.0.1:${web.port}`)
        .get(`${API_BASE_PATH}/session`)
        .set('authorization', `Bearer ${key}`);
  };
  afterAll(async () => {
    for (const web of started) await web.close(500);
    await dropPrefix(prefix);
  });

  it('when web processes start with a key, then it is one admin key named bootstrap; a new value replaces it; a revoked one stays revoked', async () => {
    const first = await start(KEY_A);
    const again = await start(KEY_A); // a second dyno, or a restart: still one key
    expect((await first(KEY_A)).body).toMatchObject({ keyName: 'bootstrap', role: 'admin' });
    const list = await request(`http://127.0.0.1:${started[1].port}`)
      .get(`${API_BASE_PATH}/keys`)
      .set('authorization', `Bearer ${KEY_A}`);
    expect(list.body.items.filter((k: { bootstrap: boolean }) => k.bootstrap)).toHaveLength(1);

    const replaced = await start(KEY_B);
    expect((await replaced(KEY_B)).status).toBe(200);
    expect((await again(KEY_A)).status).toBe(401);

    // Revoked through the API (another admin exists) — a restart with the same value does not bring it back.
    const created = await request(`http://127.0.0.1:${started[2].port}`)
      .post(`${API_BASE_PATH}/keys`)
      .set('authorization', `Bearer ${KEY_B}`)
      .send({ name: 'ops', role: 'admin' });
    const me = (await replaced(KEY_B)).body.keyId as string;
    await request(`http://127.0.0.1:${started[2].port}`)
      .delete(`${API_BASE_PATH}/keys/${me}`)
      .set('authorization', `Bearer ${created.body.apiKey}`)
      .expect(200);
    const restarted = await start(KEY_B);
    expect((await restarted(KEY_B)).status).toBe(401);
    expect(logs.text()).toContain('ADMIN_API_KEY was revoked');
    for (const key of [KEY_A, KEY_B, created.body.apiKey as string]) expect(logs.text()).not.toContain(key);
  });
});
