import { newEvent } from '../../../src/events/event-log';
import { notifyHarness } from '../../support/notify/notify-harness';
import { startReceiver, type Receiver } from '../../support/notify/receiver';
import { dropPrefix, uniquePrefix } from '../../support/test-redis';

const prefix = uniquePrefix('notify-gap');
const h = notifyHarness(prefix);
let receiver: Receiver;
const LOST = 'notification events lost';

const paused = (n: number) => newEvent('account.paused', { account: `acct-${n}` }, h.clock.now);
const lostLines = () =>
  h.logs.lines.filter((l) => l.includes(LOST)).map((l) => JSON.parse(l) as Record<string, unknown>);

async function appendEvents(n: number): Promise<string[]> {
  const positions: string[] = [];
  for (let i = 0; i < n; i++) positions.push(await h.events.append(paused(i)));
  return positions;
}

beforeAll(async () => {
  receiver = await startReceiver();
  const saved = await h.service.create({ url: `${receiver.url}/all`, events: ['*'] }, h.clock.now);
  if (saved.outcome !== 'saved') throw new Error(saved.outcome);
  await h.fanOut.round(); // the cursor at the (empty) log's head
});
afterEach(async () => {
  await h.fanOut.round();
  h.logs.lines.length = 0;
  h.scheduled.length = 0;
});
afterAll(async () => {
  await receiver.close();
  await h.close();
  await dropPrefix(prefix);
});

describe('fan-out behind a trimmed event log', () => {
  it('when the log was trimmed past unread events, then they are counted and reported once with their window, and the rest is delivered', async () => {
    const positions = await appendEvents(5);
    // The worker was away: the log kept only its newest 2 events.
    await h.redis.xtrim(h.keys.events, 'MAXLEN', 2);
    await h.fanOut.round();
    expect(lostLines()).toEqual([expect.objectContaining({ level: 'error', lost: 3, before: positions[3] })]);
    expect(h.scheduled).toHaveLength(2);
    await h.fanOut.round();
    expect(lostLines()).toHaveLength(1);
    // The count stays right afterwards: more events, nothing lost, nothing reported.
    await appendEvents(3);
    await h.fanOut.round();
    expect(lostLines()).toHaveLength(1);
    expect(h.scheduled).toHaveLength(5);
  });

  it('when a quiet log was emptied by retention and a new event comes, then nothing is reported lost', async () => {
    await appendEvents(2);
    await h.fanOut.round();
    await h.events.trimBefore(Date.now() + 60_000);
    expect(await h.redis.xlen(h.keys.events)).toBe(0);
    await appendEvents(1);
    await h.fanOut.round();
    expect(lostLines()).toEqual([]);
    expect(h.scheduled).toHaveLength(3);
  });

  it('when the cursor has no count yet (an older version set it), then it gets one once caught up and gaps are found from then on', async () => {
    await h.redis.del(`${h.keys.notifyCursor}:seq`);
    await appendEvents(2);
    await h.fanOut.round();
    expect(await h.redis.get(`${h.keys.notifyCursor}:seq`)).toBeNull();
    await h.fanOut.round(); // caught up: the count is set
    expect(await h.redis.get(`${h.keys.notifyCursor}:seq`)).not.toBeNull();
    await appendEvents(4);
    await h.redis.xtrim(h.keys.events, 'MAXLEN', 1);
    await h.fanOut.round();
    expect(lostLines()).toEqual([expect.objectContaining({ lost: 3 })]);
  });

  it('when the log was deleted under the cursor and begun anew, then nothing is reported lost and the count starts again', async () => {
    await appendEvents(6);
    await h.fanOut.round();
    await h.redis.del(h.keys.events);
    await appendEvents(2);
    await h.fanOut.round();
    expect(lostLines()).toEqual([]);
    expect(h.scheduled).toHaveLength(8);
    await h.fanOut.round(); // caught up: counted again from the new log
    await appendEvents(3);
    await h.redis.xtrim(h.keys.events, 'MAXLEN', 1);
    await h.fanOut.round();
    expect(lostLines()).toEqual([expect.objectContaining({ lost: 2 })]);
  });
});
