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
    paperBalances: (accountId: string) => `${prefix}:paper:${accountId}:balances`,
    paperOrders: (accountId: string) => `${prefix}:paper:${accountId}:orders`,
    workerHeartbeat: `${prefix}:workers`,
    breakers: `${prefix}:breakers`,
    /** The order watch: signal ids by next check time (epoch ms) … */
    watch: `${prefix}:watch`,
    /** … and what to check, by signal id (JSON). */
    watchItems: `${prefix}:watch:items`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
