/**
 * Every Redis key tradehook writes outside BullMQ, in one place, under `QUEUE_PREFIX` so that several
 * deployments (and test files) share one Redis without meeting.
 */
export function redisKeys(prefix: string) {
  return {
    nonce: (signalId: string) => `${prefix}:nonce:${signalId}`,
    rateLimit: `${prefix}:rl:`,
    signal: (signalId: string) => `${prefix}:signal:${signalId}`,
    signalIndex: `${prefix}:signals`,
    /** A paper account's book: balances, positions, resting orders, last prices (JSON) and its version. */
    paperBook: (accountId: string) => `${prefix}:paper:${accountId}:book`,
    paperOrders: (accountId: string) => `${prefix}:paper:${accountId}:orders`,
    workerHeartbeat: `${prefix}:workers`,
    breakers: `${prefix}:breakers`,
    /** The event log (a stream): signal, order and account events, see src/events. */
    events: `${prefix}:events`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
