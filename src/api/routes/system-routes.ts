import { type Redis } from 'ioredis';
import { z } from 'zod';
import { type ReadinessProbe } from '../../http/health-routes';
import { userAgent } from '../../notify/user-agent';
import { type QueueCatalog } from '../../queue/queue-catalog';
import { type RedisKeys } from '../../redis/keys';
import { type ApiRoute, defineRoute } from '../route';

export interface SystemRoutesOptions {
  redis: Redis;
  keys: RedisKeys;
  catalog: QueueCatalog;
  readiness: ReadinessProbe;
  /**
   * How long one read may take before the answer goes without it (BullMQ waits for a lost connection to come
   * back rather than failing). @defaultValue 2000
   */
  readTimeoutMs?: number;
}

const unread = (what: string) =>
  `${what}; \`null\` when Redis could not be read during this request (then \`redis.ok\` is false).`;

const queueCountsSchema = z.object({
  name: z.string(),
  waiting: z.number().int(),
  active: z.number().int(),
  delayed: z.number().int(),
  failed: z.number().int(),
});

const systemSchema = z
  .object({
    version: z.string(),
    redis: z.object({ ok: z.boolean(), maxmemoryPolicy: z.string().nullable() }),
    workers: z
      .array(z.object({ id: z.string(), lastHeartbeatAt: z.iso.datetime() }))
      .nullable()
      .meta({ description: unread('Workers by last heartbeat') }),
    queues: z
      .array(queueCountsSchema)
      .nullable()
      .meta({ description: unread('Depth per partition') }),
    breakers: z
      .record(z.string(), z.string())
      .nullable()
      .meta({ description: unread('As the workers last reported them') }),
    paused: z
      .array(z.string())
      .nullable()
      .meta({ description: unread('Paused account ids (the kill switch)') }),
    checks: z.array(
      z.object({ name: z.string(), ok: z.boolean(), critical: z.boolean(), detail: z.string().optional() }),
    ),
  })
  .meta({ id: 'System' });

/** A read's value, or `null` if it failed or took over `ms`: the answer says what it knows, never fails whole. */
async function orNull<T>(read: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([read.catch(() => null), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /system` (viewer): what `/ready` checks, in detail. Never a 500 when Redis fails mid-request: each
 * read that failed or hung answers `null` and `redis.ok` is false.
 */
export function systemRoutes(options: SystemRoutesOptions): ApiRoute[] {
  const { redis, keys } = options;
  const bounded = <T>(read: Promise<T>) => orNull(read, options.readTimeoutMs ?? 2000);
  const system = defineRoute({
    method: 'get',
    path: '/system',
    operationId: 'getSystem',
    summary: 'Health in detail: Redis, workers, queue depth per partition, breakers, paused accounts',
    description:
      'If Redis fails during the request, the parts that could not be read are `null` and `redis.ok` is false.',
    tags: ['system'],
    access: 'viewer',
    responses: { 200: { description: 'The system as this web process sees it.', schema: systemSchema } },
    async handler() {
      const [checks, beats, breakers, paused, info, queues] = await Promise.all([
        options
          .readiness()
          .catch((error: Error) => [
            { name: 'redis', ok: false, critical: true, detail: `readiness not read: ${error.message}` },
          ]),
        bounded(redis.hgetall(keys.workerHeartbeat)),
        bounded(redis.hgetall(keys.breakers)),
        bounded(redis.hkeys(keys.pausedAccounts)),
        bounded(redis.info('memory')),
        bounded(
          Promise.all(
            options.catalog.list().map(async ({ queue }) => {
              const c = await queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'failed');
              return {
                name: queue.name,
                waiting: (c.wait ?? 0) + (c.prioritized ?? 0),
                active: c.active ?? 0,
                delayed: c.delayed ?? 0,
                failed: c.failed ?? 0,
              };
            }),
          ),
        ),
      ]);
      const readsOk = [beats, breakers, paused, info, queues].every((read) => read !== null);
      const { updatedAt: _updatedAt, ...breakerStates } = breakers ?? {};
      return {
        status: 200,
        body: {
          version: userAgent().replace(/^tradehook\/?/, '') || 'unknown',
          redis: {
            ok: readsOk && checks.some((c) => c.name === 'redis' && c.ok),
            maxmemoryPolicy: /^maxmemory_policy:(\S+)/m.exec(info ?? '')?.[1] ?? null,
          },
          workers:
            beats &&
            Object.entries(beats).map(([id, at]) => ({
              id,
              lastHeartbeatAt: new Date(Number(at)).toISOString(),
            })),
          queues,
          breakers: breakers && breakerStates,
          paused,
          checks,
        },
      };
    },
  });
  return [system];
}
