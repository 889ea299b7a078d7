import { type Redis } from 'ioredis';
import { newEvent, xaddEventLua } from '../events/event-log';
import { type RedisKeys } from '../redis/keys';
import { defineLuaScript } from '../redis/lua-script';
import {
  ALL_ACCOUNTS,
  type EffectivePause,
  type PauseState,
  effectivePause,
  parsePause,
} from './pause-state';

/**
 * Sets the pause unless the same pause (same `hold`) is already in place, and appends `account.paused` in
 * the same step. Answers the pause in force afterwards (the earlier one when nothing changed).
 * KEYS: pause hash, event stream. ARGV: field, state JSON, hold ('1'|'0'), stream cap, event JSON.
 */
const PAUSE = defineLuaScript<string>(
  'thPause',
  2,
  `local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
  local ok, decoded = pcall(cjson.decode, old)
  if ok and type(decoded) == 'table' and ((decoded.hold == true) == (ARGV[3] == '1')) then return old end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
${xaddEventLua('KEYS[2]', 'ARGV[4]', 'ARGV[5]')}
return ARGV[2]`,
);

/**
 * Lifts the pause, if any, and appends `account.resumed` in the same step. Answers the lifted pause, or
 * nil when there was none (nothing is written then).
 * KEYS: pause hash, event stream. ARGV: field, stream cap, event JSON.
 */
const RESUME = defineLuaScript<string | null>(
  'thResume',
  2,
  `local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
${xaddEventLua('KEYS[2]', 'ARGV[2]', 'ARGV[3]')}
return old`,
);

export interface PauseStoreOptions {
  /** Cap of the event stream (the event log's `maxLength`). @defaultValue 200000 */
  eventsMaxLength?: number;
}

/** Who flips the switch, for `by` and the events. */
export interface PauseActor {
  name: string;
  keyId?: string | null;
}

/**
 * The kill switch in Redis: one hash (`keys.pausedAccounts`), a field per paused account and
 * {@link ALL_ACCOUNTS} for the global pause, each holding a {@link PauseState}. Every change appends its
 * `account.paused` / `account.resumed` event atomically with it. Read by the worker before every signal
 * starts and before every order it sends.
 */
export class PauseStore {
  private readonly maxLength: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    options: PauseStoreOptions = {},
  ) {
    this.maxLength = options.eventsMaxLength ?? 200_000;
  }

  /** Pauses one account, or every account with `accountId` {@link ALL_ACCOUNTS}. Idempotent. */
  async pause(
    accountId: string,
    input: { hold: boolean; actor: PauseActor; now: number },
  ): Promise<{ state: PauseState; changed: boolean }> {
    const state: PauseState = { since: input.now, by: input.actor.name, hold: input.hold };
    const event = newEvent(
      'account.paused',
      { ...scopeOf(accountId), ...view(state), ...actorOf(input.actor) },
      input.now,
    );
    const json = JSON.stringify(state);
    const stored = await PAUSE.run(
      this.redis,
      [this.keys.pausedAccounts, this.keys.events],
      [accountId, json, input.hold ? '1' : '0', this.maxLength, JSON.stringify(event)],
    );
    return { state: parsePause(stored) ?? state, changed: stored === json };
  }

  /** Lifts one account's own pause (or the global one). Answers the lifted pause, if there was one. */
  async resume(
    accountId: string,
    input: { actor: PauseActor; now: number },
  ): Promise<PauseState | undefined> {
    const event = newEvent('account.resumed', { ...scopeOf(accountId), ...actorOf(input.actor) }, input.now);
    const old = await RESUME.run(
      this.redis,
      [this.keys.pausedAccounts, this.keys.events],
      [accountId, this.maxLength, JSON.stringify(event)],
    );
    return parsePause(old);
  }

  /** The pause an account is under (its own, else the global one), in one round trip. */
  async pauseOf(accountId: string): Promise<EffectivePause | undefined> {
    const [own, global] = await this.redis.hmget(this.keys.pausedAccounts, accountId, ALL_ACCOUNTS);
    return effectivePause(parsePause(own), parsePause(global));
  }

  /** Every pause: the global one and each account's own. */
  async all(): Promise<{ global?: PauseState; accounts: Record<string, PauseState> }> {
    const fields = await this.redis.hgetall(this.keys.pausedAccounts);
    const accounts: Record<string, PauseState> = {};
    for (const [field, json] of Object.entries(fields)) {
      if (field === ALL_ACCOUNTS) continue;
      const state = parsePause(json);
      if (state) accounts[field] = state;
    }
    return { global: parsePause(fields[ALL_ACCOUNTS]), accounts };
  }
}

/** A pause as answered and published: times as ISO-8601. */
export function view(state: PauseState): { since: string; by: string; hold: boolean } {
  return { since: new Date(state.since).toISOString(), by: state.by, hold: state.hold };
}

function scopeOf(accountId: string): { account: string | null; scope: 'account' | 'all' } {
  return accountId === ALL_ACCOUNTS
    ? { account: null, scope: 'all' }
    : { account: accountId, scope: 'account' };
}

function actorOf(actor: PauseActor): { keyId?: string } {
  return actor.keyId ? { keyId: actor.keyId } : {};
}
