import { type Redis } from 'ioredis';
import { redisKeys } from '../src/redis/keys';

/** What the seeded history looks like (the benchmark's queries are built from the same numbers). */
export const SEED_SHAPE = {
  accounts: 5,
  symbols: 50,
  strategies: 10,
  /** Statuses by weight (out of 100). */
  statuses: [
    ['filled', 60],
    ['rejected', 10],
    ['placed', 5],
    ['done', 5],
    ['failed', 5],
    ['expired', 5],
    ['canceled', 5],
    ['queued', 5],
  ] as const,
  /** One signal every this many ms, the newest now. */
  spacingMs: 1000,
};

/**
 * Writes `count` records starting at index `from` in ONE server-side call, in the layout the status scripts
 * write (src/history/signal-scripts.ts): the hash fields the list reads (`status`, `account`, `symbolKey`,
 * `strategy`, `item`, `receivedAt`, `id`) and the global, status, account, symbol and strategy indexes.
 * A million records are a few dozen calls, not a million round trips.
 */
const SEED_LUA = `
local prefix, indexPrefix, globalIndex = ARGV[1], ARGV[2], ARGV[3]
local from, count, newest, spacing = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local nAccounts, nSymbols, nStrategies = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local statuses = cjson.decode(ARGV[11])
-- Index entries are gathered per key and added a thousand at a time: far fewer calls than one per entry.
local pending = {}
local function add(key, score, member)
  local args = pending[key]
  if not args then args = {} pending[key] = args end
  args[#args + 1] = score
  args[#args + 1] = member
end
for i = from, from + count - 1 do
  local id = string.format('sig_%024x', i)
  -- A multiplicative hash (a bijection mod 2^32) spreads the attributes independently of each other.
  local h = (i * 2654435761) % 4294967296
  local account = 'acct-' .. (h % nAccounts)
  local sym = 'SYM' .. (math.floor(h / nAccounts) % nSymbols) .. 'USDT'
  local strategy = ''
  local s = math.floor(h / (nAccounts * nSymbols)) % (nStrategies * 3 / 2)
  if s < nStrategies then strategy = 'strat-' .. s end
  local status = statuses[math.floor(h / (nAccounts * nSymbols * nStrategies * 2)) % #statuses + 1]
  local received = newest - i * spacing
  local item = string.format(
    '{"id":"%s","status":"%s","account":"%s","symbol":"BINANCE:%s","market":null,"action":"buy","side":"buy","strategy":%s,"receivedAt":"2026-11-30T00:00:00.000Z","finishedAt":null,"orders":1,"filled":{"amount":0.01,"average":65010.5,"cost":650.105},"slippageBps":1.6,"error":null}',
    id, status, account, sym, strategy == '' and 'null' or ('"' .. strategy .. '"'))
  redis.call('HSET', prefix .. ':signal:' .. id, 'id', id, 'status', status, 'account', account,
    'symbolKey', sym, 'strategy', strategy, 'receivedAt', received, 'item', item)
  add(globalIndex, received, id)
  add(indexPrefix .. ':st:' .. status, received, id)
  add(indexPrefix .. ':acct:' .. account, received, id)
  add(indexPrefix .. ':sym:' .. sym, received, id)
  if strategy ~= '' then add(indexPrefix .. ':strat:' .. strategy, received, id) end
end
for key, args in pairs(pending) do
  for j = 1, #args, 2000 do redis.call('ZADD', key, unpack(args, j, math.min(j + 1999, #args))) end
end
return count`;

/** Seeds `records` signals under `prefix`, newest at `newest`, in chunks; reports progress. */
export async function seedHistory(
  redis: Redis,
  options: { prefix: string; records: number; newest: number; progress: (line: string) => void },
): Promise<void> {
  const keys = redisKeys(options.prefix);
  const weighted: string[] = [];
  for (const [status, weight] of SEED_SHAPE.statuses) for (let w = 0; w < weight; w++) weighted.push(status);
  const chunk = 50_000;
  for (let from = 0; from < options.records; from += chunk) {
    await redis.eval(
      SEED_LUA,
      0,
      options.prefix,
      keys.signalIndexPrefix,
      keys.signalIndex,
      from,
      Math.min(chunk, options.records - from),
      options.newest,
      SEED_SHAPE.spacingMs,
      SEED_SHAPE.accounts,
      SEED_SHAPE.symbols,
      SEED_SHAPE.strategies,
      JSON.stringify(weighted),
    );
    if ((from / chunk) % 10 === 0) options.progress(`seeded ${from + chunk} / ${options.records}`);
  }
}
