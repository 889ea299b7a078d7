import { Redis } from 'ioredis';
import { EventLog, newEvent, xaddEventLua } from '../../../src/events/event-log';
import { signalEventType } from '../../../src/events/event-types';
import { REDIS_URL, dropPrefix, uniquePrefix } from '../../support/test-redis';

describe('event log', () => {
  const prefix = uniquePrefix('events');
  const redis = new Redis(REDIS_URL);
  const log = new EventLog({ redis, key: `${prefix}:events`, maxLength: 1000 });

  afterAll(async () => {
    await dropPrefix(prefix);
    redis.disconnect();
  });

  it('when events are appended, then readers get them in order after a position, each once', async () => {
    const start = await log.head();
    const a = newEvent('signal.queued', { signalId: 'sig_a' });
    const b = newEvent('signal.filled', { signalId: 'sig_a' });
    const posA = await log.append(a);
    await log.append(b);

    const all = await log.readAfter(start);
    expect(all.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(all[0]).toMatchObject({ type: 'signal.queued', data: { signalId: 'sig_a' }, position: posA });
    expect((await log.readAfter(posA)).map((e) => e.id)).toEqual([b.id]);
    expect(await log.head()).toBe(all[1].position);
  });

  it('when a Lua script writes a change, then its event is appended in the same step', async () => {
    const event = newEvent('account.paused', { account: 'main' });
    const before = await log.head();
    await redis.eval(
      `redis.call('SET', KEYS[1], '1')\n${xaddEventLua('KEYS[2]', 'ARGV[1]', 'ARGV[2]')}`,
      2,
      `${prefix}:flag`,
      log.key,
      log.maxLength,
      JSON.stringify(event),
    );
    expect((await log.readAfter(before)).map((e) => e.id)).toEqual([event.id]);
  });

  it('when an entry is malformed, then it is skipped and the entries behind it are still read', async () => {
    const before = await log.head();
    await redis.xadd(log.key, '*', 'e', '{not json');
    const good = newEvent('ping', {});
    await log.append(good);
    expect((await log.readAfter(before)).map((e) => e.id)).toEqual([good.id]);
  });

  it('when old events are trimmed by time, then only newer ones remain readable since a time', async () => {
    const key = `${prefix}:trim`;
    const trimmed = new EventLog({ redis, key });
    await redis.xadd(key, '1000-0', 'e', JSON.stringify(newEvent('ping', {}, 1000)));
    await redis.xadd(key, '5000-0', 'e', JSON.stringify(newEvent('ping', {}, 5000)));
    expect(await trimmed.readSince(2000)).toHaveLength(1);
    await trimmed.trimBefore(2000);
    expect(await redis.xlen(key)).toBe(1);
  });

  it('maps statuses to events: processing publishes none', () => {
    expect(signalEventType('filled')).toBe('signal.filled');
    expect(signalEventType('processing')).toBeUndefined();
  });
});
