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
    /** Secondary signal indexes (sorted sets by receipt time): `<this>:st|acct|sym|strat:<value>`. */
    signalIndexPrefix: `${prefix}:sx`,
    /** Signals that ended `failed`, not yet acknowledged: ids by the time they failed (epoch ms). */
    deadLetter: `${prefix}:dead-letter`,
    /** Acknowledged dead letters: ids by the time they were acknowledged. */
    deadLetterHandled: `${prefix}:dead-letter:handled`,
    /** A paper account's book: balances, positions, resting orders, last prices (JSON) and its version. */
    paperBook: (accountId: string) => `${prefix}:paper:${accountId}:book`,
    paperOrders: (accountId: string) => `${prefix}:paper:${accountId}:orders`,
    workerHeartbeat: `${prefix}:workers`,
    breakers: `${prefix}:breakers`,
    /** The event log (a stream): signal, order and account events, see src/events. */
    events: `${prefix}:events`,
    /** The kill switch: hash accountId (or `*` for every account) → pause state JSON (src/control). */
    pausedAccounts: `${prefix}:paused`,
    /** What each account holds as its worker last saw it: hash accountId → snapshot JSON (src/control). */
    accountSnapshots: `${prefix}:account-snapshots`,
    /** One management API key's record (hash); its hash, never the key itself. */
    apiKey: (keyId: string) => `${prefix}:apikey:${keyId}`,
    /** Every API key's record key starts with this (Lua scripts that visit several keys build names from it). */
    apiKeyRecordPrefix: `${prefix}:apikey:`,
    /** SHA-256 (hex) of an API key → its id. */
    apiKeyByHash: `${prefix}:apikeys:by-hash`,
    /** Every API key, ordered by creation: members `<createdAt, 13 digits>:<id>`, all scored 0 (lex order). */
    apiKeyIndex: `${prefix}:apikeys`,
    /** Ids of the keys with the admin role that are not revoked (expired ones included). */
    apiKeyAdmins: `${prefix}:apikeys:admins`,
    /** Per-key request counter of the current rate-limit window. */
    apiKeyRateLimit: (keyId: string) => `${prefix}:apikey-rl:${keyId}`,
    /** A dashboard session, by the SHA-256 (hex) of its cookie value. */
    session: (sessionHash: string) => `${prefix}:session:${sessionHash}`,
    /** The session hashes of one key, so revoking the key ends them at once. */
    keySessions: (keyId: string) => `${prefix}:apikey-sessions:${keyId}`,
    /** Append-only audit stream of every write through the management API. */
    audit: `${prefix}:audit`,
    /** Worker processes' metric snapshots: workerId → JSON, aggregated by the web's `/metrics`. */
    workerMetrics: `${prefix}:worker-metrics`,
    /** The order watch: signal ids by next check time (epoch ms) … */
    watch: `${prefix}:watch`,
    /** … and what to check, by signal id (JSON). */
    watchItems: `${prefix}:watch:items`,
    /** Outbound notifications (src/notify): one subscription (JSON), never a secret … */
    subscription: (id: string) => `${prefix}:sub:${id}`,
    /** … every subscription: members `<createdAt, 13 digits>:<id>`, all scored 0 (lex order) … */
    subscriptionIndex: `${prefix}:subs`,
    /** … per url (SHA-256 of it), the subscriptions sending there: id → events (JSON), for the 409 rule … */
    subscriptionsByUrl: (urlHash: string) => `${prefix}:subs-url:${urlHash}`,
    /** … the secret store: subscription id → its sealed secrets (AES-256-GCM with SUBSCRIPTION_SECRETS_KEY) … */
    subscriptionSecrets: `${prefix}:sub-secrets`,
    /** … one delivery with its attempts (JSON) … */
    delivery: (id: string) => `${prefix}:dlv:${id}`,
    /** … every delivery, scored by creation (epoch ms), for listing and retention … */
    deliveryIndex: `${prefix}:dlvs`,
    /** … and the fan-out's position in the event log, with the lease of its single active consumer. */
    notifyCursor: `${prefix}:notify:cursor`,
    notifyLease: `${prefix}:notify:lease`,
    /** Execution statistics (src/stats): bucket hashes `<this>:<m|h|d>:<start>:<dimension>` and contributions. */
    stats: `${prefix}:stats`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
