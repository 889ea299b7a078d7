import { type Redis } from 'ioredis';
import { defineLuaScript } from '../redis/lua-script';
import { claimValue } from './nonce-claim';

/**
 * Steps 2 and 6 of the intake in ONE round trip (issue 7: every Redis command of the web process was a
 * write and a read of its own): counts the client's request in its fixed rate-limit window and, unless the
 * client is over the limit, claims the alert's nonce (`SET NX` semantics) or only looks whether it was seen.
 *
 * KEYS: rate-limit counter, nonce. ARGV: window ms, limit, mode (`count` | `claim` | `probe`), claim value
 * (the claim time and a mark of this request, see `nonce-claim.ts`), nonce TTL ms. Returns
 * `{hits, ttl ms, verdict}`; verdict: `limited` (over the limit: nothing claimed), `counted`
 * (mode `count`), `claimed`, `free` (probe: not seen), `seen` (the nonce is held). A nonce that holds this very claim value is `claimed`: ioredis resends a command that was in
 * flight when the connection dropped, and a claim Redis executed before the drop must not answer its own
 * resend "seen" (a 200 duplicate for an alert nothing queued).
 */
const ADMIT = defineLuaScript<[number, number, string]>(
  'thAdmitAlert',
  2,
  `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
if hits > tonumber(ARGV[2]) then return {hits, ttl, 'limited'} end
if ARGV[3] == 'count' then return {hits, ttl, 'counted'} end
local existing = redis.call('GET', KEYS[2])
if existing == ARGV[4] and ARGV[3] == 'claim' then return {hits, ttl, 'claimed'} end
if existing then return {hits, ttl, 'seen'} end
if ARGV[3] == 'probe' then return {hits, ttl, 'free'} end
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5])
return {hits, ttl, 'claimed'}`,
);

export interface RateCount {
  /** Requests counted in the current window (0 when Redis could not count: fail open). */
  hits: number;
  /** Until the window resets, ms. */
  resetMs: number;
  /** Over the limit: answer 429, claim nothing. */
  limited: boolean;
}

export type NonceVerdict =
  /** The nonce is ours now (mode `claim`); `token` releases it. */
  | { state: 'claimed'; token: string }
  /** Not seen before (mode `probe`, nothing claimed). */
  | { state: 'free' }
  /** Held by an earlier request (whether its alert is queued yet is the intake's question). */
  | { state: 'seen' };

export interface AdmissionOptions {
  /** Rate-limit counter key of a client key (its IP, or its IPv6 /56). */
  rateKey: (clientKey: string) => string;
  nonceKey: (signalId: string) => string;
  limit: number;
  windowMs: number;
  nonceTtlMs: number;
  /** Called once when Redis stops counting (with the error) and once when it counts again. */
  onState?: (state: 'failing' | 'recovered', error?: Error) => void;
}

/**
 * The shared rate limit and the nonce claim of the webhook, against Redis. While Redis is down nothing is
 * counted and requests pass the limit (fail open: the intake answers 503 anyway, as it can neither claim
 * nor queue); that is said once when counting stops and once when it resumes.
 */
export class Admission {
  private failing = false;

  constructor(
    private readonly redis: Redis,
    private readonly options: AdmissionOptions,
  ) {
    ADMIT.install(redis);
  }

  get limit(): number {
    return this.options.limit;
  }

  get windowMs(): number {
    return this.options.windowMs;
  }

  /** Counts a request that is refused before its nonce matters. Never throws: fails open. */
  async count(clientKey: string): Promise<RateCount> {
    try {
      const [rate] = await this.run(clientKey, undefined, 'count', 0);
      return rate;
    } catch {
      return { hits: 0, resetMs: this.options.windowMs, limited: false };
    }
  }

  /**
   * Counts the request and, within the limit, claims (`claim`) or looks up (`probe`) the nonce of
   * `signalId`. Throws when Redis does not answer (the caller answers 503).
   */
  async admit(
    clientKey: string,
    signalId: string,
    mode: 'claim' | 'probe',
    now: number,
  ): Promise<[RateCount, NonceVerdict | undefined]> {
    return this.run(clientKey, signalId, mode, now);
  }

  private async run(
    clientKey: string,
    signalId: string | undefined,
    mode: 'count' | 'claim' | 'probe',
    now: number,
  ): Promise<[RateCount, NonceVerdict | undefined]> {
    const rateKey = this.options.rateKey(clientKey);
    // A refused request only counts: it claims nothing, so it needs no claim value.
    const value = mode === 'count' ? '' : claimValue(now);
    let answer: [number, number, string];
    try {
      answer = await ADMIT.run(
        this.redis,
        [rateKey, signalId === undefined ? rateKey : this.options.nonceKey(signalId)],
        [this.options.windowMs, this.options.limit, mode, value, this.options.nonceTtlMs],
      );
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.options.onState?.('failing', error as Error);
      }
      throw error;
    }
    if (this.failing) {
      this.failing = false;
      this.options.onState?.('recovered');
    }
    const [hits, resetMs, verdict] = answer;
    const rate = { hits, resetMs, limited: verdict === 'limited' };
    if (verdict === 'claimed') return [rate, { state: 'claimed', token: value }];
    if (verdict === 'free') return [rate, { state: 'free' }];
    if (verdict === 'seen') return [rate, { state: 'seen' }];
    return [rate, undefined];
  }
}
