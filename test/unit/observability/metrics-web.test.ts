import { Redis } from 'ioredis';
import { WebMetrics } from '../../../src/observability/metrics-web';
import { QueueCatalog } from '../../../src/queue/queue-catalog';
import { redisKeys } from '../../../src/redis/keys';

describe('alert metrics', () => {
  // No Redis is touched by counting; the client is never connected.
  const redis = new Redis({ lazyConnect: true });
  const metrics = new WebMetrics({
    redis,
    keys: redisKeys('unit'),
    catalog: new QueueCatalog(),
    accounts: [],
    processMetrics: false,
  });
  afterAll(() => redis.disconnect());

  it.each([
    [{ outcome: 'unauthorized', reason: 'bad_signature' }, 'bad_signature'],
    [{ outcome: 'invalid_signal', reason: 'qty,__proto__' }, ''],
    [{ outcome: 'unsupported_media_type', reason: 'text/evil; x=1' }, ''],
    [
      { outcome: 'unavailable', reason: 'queue_unavailable: Connection is closed. host 10.0.0.1' },
      'queue_unavailable',
    ],
    [{ outcome: 'unauthorized', reason: 'Something With Spaces' }, 'other'],
    [{ outcome: 'queued' }, ''],
  ])('when %j is observed, then its reason label is %j', async (observation, reason) => {
    metrics.observeAlert(observation);
    const text = await metrics.registry.metrics();
    expect(text).toContain(`tradehook_alerts_total{outcome="${observation.outcome}",reason="${reason}"}`);
  });
});
