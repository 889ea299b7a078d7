import { randomBytes } from 'node:crypto';
import { type Redis } from 'ioredis';
import { type RedisKeys } from '../redis/keys';
import { isLegacy, upgradeLegacy } from './legacy-subscription';
import { type SecretStore } from './secret-store';
import { type Subscription } from './subscription';

export type SaveOutcome =
  | { outcome: 'saved'; subscription: Subscription }
  | { outcome: 'conflict'; with: string }
  /** The record changed since it was read (or, for a new one, exists): read it again and redo the change. */
  | { outcome: 'changed' };

/** A subscription with the stored JSON it was read from: the version a change is saved against. */
export interface StoredSubscription {
  subscription: Subscription;
  version: string;
}

/**
 * How a write treats the url index: `check` refuses a conflict (API create and change), `keep` writes
 * without the check (state changes of the delivery side, upgrades), `deleted` leaves the index.
 */
type WriteMode = 'check' | 'keep' | 'deleted';

// One script, so that the uniqueness check and the write are one step whatever runs concurrently (several
// requests on one connection, several processes). KEYS: record, url index of the new url, url index of
// the url it had, subscription index. ARGV: id, events (JSON), record (JSON), the stored JSON it was read
// from ('' for a new one, which must not exist), index member ('' if listed already), write mode.
const WRITE_LUA = `
local current = redis.call('GET', KEYS[1])
if ARGV[4] == '' then
  if current then return {'changed'} end
elseif current ~= ARGV[4] then
  return {'changed'}
end
if ARGV[6] == 'check' then
  local mine = cjson.decode(ARGV[2])
  local mineAll, set = false, {}
  for _, e in ipairs(mine) do set[e] = true; if e == '*' then mineAll = true end end
  local others = redis.call('HGETALL', KEYS[2])
  for i = 1, #others, 2 do
    if others[i] ~= ARGV[1] then
      for _, e in ipairs(cjson.decode(others[i + 1])) do
        if mineAll or e == '*' or set[e] then return {'conflict', others[i]} end
      end
    end
  end
end
redis.call('SET', KEYS[1], ARGV[3])
if KEYS[3] ~= KEYS[2] then redis.call('HDEL', KEYS[3], ARGV[1]) end
if ARGV[6] == 'deleted' then
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
end
if ARGV[5] ~= '' then redis.call('ZADD', KEYS[4], 0, ARGV[5]) end
return {'saved'}`;

/**
 * Subscriptions in Redis: JSON per subscription, a lex-ordered index, and per url (by hash) the events of
 * the subscriptions sending there, which the uniqueness rule reads. A deleted subscription is kept (soft
 * delete, `deletedAt`) so its deliveries still name it, but it is listed and delivered to no more. A
 * record written before urls were hashed is upgraded when it is read (its credential url moved to the
 * secret store). There are few subscriptions per deployment: lists read them all.
 */
export class SubscriptionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Pick<RedisKeys, 'subscription' | 'subscriptionIndex' | 'subscriptionsByUrl'>,
    private readonly secrets: SecretStore,
  ) {}

  static newId(): string {
    return `sub_${randomBytes(8).toString('hex')}`;
  }

  async get(id: string): Promise<Subscription | undefined> {
    return (await this.read(id))?.subscription;
  }

  async read(id: string): Promise<StoredSubscription | undefined> {
    if (!/^sub_[0-9a-f]{16}$/.test(id)) return undefined;
    const json = await this.redis.get(this.keys.subscription(id));
    return json === null ? undefined : this.parse(json);
  }

  /** Every subscription not deleted, newest first. */
  async all(): Promise<Subscription[]> {
    const members = await this.redis.zrevrangebylex(this.keys.subscriptionIndex, '+', '-');
    if (members.length === 0) return [];
    const ids = members.map((m) => m.slice(m.indexOf(':') + 1));
    const values = await this.redis.mget(ids.map((id) => this.keys.subscription(id)));
    const found: Subscription[] = [];
    // Deleted ones are parsed too: an old deleted record is upgraded like any other (its url may be a credential).
    for (const value of values) if (value !== null) found.push((await this.parse(value)).subscription);
    return found.filter((s) => s.deletedAt === null);
  }

  /** Saves a new subscription unless another one (not deleted) sends an overlapping set of events to its url. */
  async create(subscription: Subscription): Promise<SaveOutcome> {
    return this.write(subscription, { version: '', urlHashBefore: subscription.urlHash, mode: 'check' });
  }

  /**
   * Saves a change read at `read.version` (else `changed`), with the same conflict rule as {@link create};
   * a deleted subscription leaves the url index.
   */
  async replace(next: Subscription, read: StoredSubscription): Promise<SaveOutcome> {
    return this.write(next, {
      version: read.version,
      urlHashBefore: read.subscription.urlHash,
      mode: next.deletedAt === null ? 'check' : 'deleted',
    });
  }

  /** Changes fields of a subscription without the conflict check (state changes made by the delivery side). */
  async update(
    id: string,
    change: (s: Subscription) => Subscription | undefined,
  ): Promise<Subscription | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const read = await this.read(id);
      const next = read && change(read.subscription);
      if (!read || !next) return read?.subscription;
      const saved = await this.write(next, {
        version: read.version,
        urlHashBefore: read.subscription.urlHash,
        mode: next.deletedAt === null ? 'keep' : 'deleted',
      });
      if (saved.outcome === 'saved') return next;
    }
    throw new Error('subscription not updated: too many concurrent changes');
  }

  private async parse(json: string): Promise<StoredSubscription> {
    const subscription = JSON.parse(json) as Subscription;
    if (!isLegacy(subscription)) return { subscription, version: json };
    const upgraded = await upgradeLegacy(subscription, this.secrets);
    const saved = await this.write(upgraded, {
      version: json,
      urlHashBefore: upgraded.urlHash,
      mode: upgraded.deletedAt === null ? 'keep' : 'deleted',
    });
    if (saved.outcome === 'saved') return { subscription: upgraded, version: JSON.stringify(upgraded) };
    // Upgraded meanwhile by another reader (or changed): the stored record is the one to go on with.
    const again = await this.redis.get(this.keys.subscription(subscription.id));
    if (again === null) throw new Error(`subscription ${subscription.id} vanished during its upgrade`);
    return this.parse(again);
  }

  private async write(
    subscription: Subscription,
    options: { version: string; urlHashBefore: string; mode: WriteMode },
  ): Promise<SaveOutcome> {
    const member =
      options.version === '' ? `${String(subscription.createdAt).padStart(13, '0')}:${subscription.id}` : '';
    const [outcome, other] = (await this.redis.eval(
      WRITE_LUA,
      4,
      this.keys.subscription(subscription.id),
      this.keys.subscriptionsByUrl(subscription.urlHash),
      this.keys.subscriptionsByUrl(options.urlHashBefore),
      this.keys.subscriptionIndex,
      subscription.id,
      JSON.stringify(subscription.events),
      JSON.stringify(subscription),
      options.version,
      member,
      options.mode,
    )) as [string, string?];
    if (outcome === 'conflict') return { outcome: 'conflict', with: other! };
    if (outcome === 'changed') return { outcome: 'changed' };
    return { outcome: 'saved', subscription };
  }
}
