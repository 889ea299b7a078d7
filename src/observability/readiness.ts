import { type Redis } from 'ioredis';
import { type ReadinessCheck, type ReadinessProbe } from '../http/health-routes';
import { type RedisKeys } from '../redis/keys';

export interface ReadinessOptions {
  redis: Redis;
  keys: RedisKeys;
  /** @defaultValue Date.now */
  now?: () => number;
  /** A worker heartbeat older than this does not count. @defaultValue 30000 */
  heartbeatFreshMs?: number;
  /** Redis's eviction policy is read at most this often, not per probe. @defaultValue 60000 */
  policyEveryMs?: number;
}

/**
 * `/ready`'s checks. Only Redis is critical — without it no alert can be queued, so the load balancer should
 * send alerts elsewhere (503). A missing worker, open circuit breakers or an evicting Redis leave alerts
 * queueing safely; they are reported (the answer says `degraded`) but answer 200, since taking this web
 * process out of rotation would lose alerts instead of delaying them.
 */
export function createReadinessProbe(options: ReadinessOptions): ReadinessProbe {
  const now = options.now ?? Date.now;
  const freshMs = options.heartbeatFreshMs ?? 30_000;
  const policyEveryMs = options.policyEveryMs ?? 60_000;
  let policy: { readAt: number; value: string | undefined } | undefined;

  const evictionPolicy = async (): Promise<string | undefined> => {
    if (policy && now() - policy.readAt < policyEveryMs) return policy.value;
    // INFO, not CONFIG GET: managed Redis (Heroku) disables CONFIG.
    const info = await options.redis.info('memory');
    policy = { readAt: now(), value: /^maxmemory_policy:(\S+)/m.exec(info)?.[1] };
    return policy.value;
  };

  return async () => {
    const { redis, keys } = options;
    let beats: Record<string, string>;
    let breakers: Record<string, string>;
    try {
      [, beats, breakers] = await Promise.all([
        redis.ping(),
        redis.hgetall(keys.workerHeartbeat),
        redis.hgetall(keys.breakers),
      ]);
    } catch (error) {
      return [
        {
          name: 'redis',
          ok: false,
          critical: true,
          detail: `Redis unreachable: ${(error as Error).message}`,
        },
      ];
    }
    const newest = Math.max(0, ...Object.values(beats).map(Number));
    const workerOk = now() - newest < freshMs;
    const checks: ReadinessCheck[] = [
      { name: 'redis', ok: true, critical: true },
      {
        name: 'worker',
        ok: workerOk,
        critical: false,
        ...(workerOk
          ? {}
          : {
              detail: `no worker heartbeat in the last ${freshMs / 1000} s: alerts queue but do not execute`,
            }),
      },
      await policyCheck(evictionPolicy),
      breakerCheck(breakers),
    ];
    return checks;
  };
}

async function policyCheck(read: () => Promise<string | undefined>): Promise<ReadinessCheck> {
  try {
    const value = await read();
    if (value === 'noeviction') return { name: 'redis_eviction_policy', ok: true, critical: false };
    return {
      name: 'redis_eviction_policy',
      ok: false,
      critical: false,
      detail: `maxmemory-policy is ${value ?? 'unknown'}: Redis may evict queued alerts; set it to noeviction`,
    };
  } catch (error) {
    return {
      name: 'redis_eviction_policy',
      ok: false,
      critical: false,
      detail: `could not read maxmemory-policy: ${(error as Error).message}`,
    };
  }
}

/** Exchange circuit breakers as the workers last reported them: open ones are named. */
function breakerCheck(reported: Record<string, string>): ReadinessCheck {
  const open = Object.entries(reported)
    .filter(([id, state]) => id !== 'updatedAt' && (state === 'open' || state === 'isolated'))
    .map(([id]) => id);
  return {
    name: 'exchanges',
    ok: open.length === 0,
    critical: false,
    ...(open.length > 0 ? { detail: `circuit open (exchange calls paused): ${open.join(', ')}` } : {}),
  };
}
