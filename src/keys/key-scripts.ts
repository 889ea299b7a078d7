import { defineLuaScript } from '../redis/lua-script';

/**
 * Stores a new key unless its hash is already known (then answers the existing id, storing nothing): a key
 * hash maps to exactly one record even when two web processes install the same `ADMIN_API_KEY` at once.
 * KEYS: byHash, record, index, admins. ARGV: hash, id, indexMember, role, then the record's field/value pairs.
 */
export const CREATE_KEY = defineLuaScript<string>(
  'thApiKeyCreate',
  4,
  `
local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return existing end
redis.call('HSET', KEYS[2], unpack(ARGV, 5))
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], 0, ARGV[3])
if ARGV[4] == 'admin' then redis.call('SADD', KEYS[4], ARGV[2]) end
return ARGV[2]`,
);

/**
 * One round trip per authenticated request: reads the key's record and, when the key is active, counts the
 * request in its fixed one-minute window and writes last-used at most once per `lastUsedEveryMs`.
 * KEYS: record, rateCounter. ARGV: now, windowMs, lastUsedEveryMs.
 * Returns [hash, name, role, expiresAt, revokedAt, rateLimit, hits, ttlMs] ('' for unset), or nil.
 */
export const CHECK_KEY = defineLuaScript<string[] | null>(
  'thApiKeyCheck',
  2,
  `
local f = redis.call('HMGET', KEYS[1], 'hash', 'name', 'role', 'expiresAt', 'revokedAt', 'rateLimit', 'lastUsedAt')
if not f[1] then return nil end
local now = tonumber(ARGV[1])
local active = (not f[5]) and ((not f[4]) or tonumber(f[4]) > now)
local hits, ttl = 0, 0
if active then
  hits = redis.call('INCR', KEYS[2])
  if hits == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
  ttl = redis.call('PTTL', KEYS[2])
  if ttl < 0 then redis.call('PEXPIRE', KEYS[2], ARGV[2]); ttl = tonumber(ARGV[2]) end
  if (not f[7]) or now - tonumber(f[7]) >= tonumber(ARGV[3]) then
    redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[1])
  end
end
return {f[1], f[2], f[3], f[4] or '', f[5] or '', f[6] or '', tostring(hits), tostring(ttl)}`,
);

/**
 * Revokes a key and deletes its sessions, atomically. With ARGV[2] = '1' it refuses to revoke the last
 * active admin key (so two admins revoking each other at once cannot lock everyone out). The other admin
 * records are visited by name (ARGV[3] .. id): undeclared keys, as BullMQ's own scripts use, which is fine
 * on the single Redis (or primary) tradehook requires.
 * KEYS: record, admins, keySessions. ARGV: now, guardLastAdmin, recordPrefix, sessionPrefix, id.
 * Returns {'not_found'} | {'last_admin'} | {'already', revokedAt} | {'revoked', revokedAt}.
 */
export const REVOKE_KEY = defineLuaScript<string[]>(
  'thApiKeyRevoke',
  3,
  `
local f = redis.call('HMGET', KEYS[1], 'role', 'revokedAt')
if not f[1] then return {'not_found'} end
if f[2] then return {'already', f[2]} end
local now = tonumber(ARGV[1])
if ARGV[2] == '1' and f[1] == 'admin' then
  local others = 0
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    if id ~= ARGV[5] then
      local g = redis.call('HMGET', ARGV[3] .. id, 'revokedAt', 'expiresAt')
      if (not g[1]) and ((not g[2]) or tonumber(g[2]) > now) then others = others + 1 end
    end
  end
  if others == 0 then return {'last_admin'} end
end
redis.call('HSET', KEYS[1], 'revokedAt', ARGV[1])
redis.call('SREM', KEYS[2], ARGV[5])
for _, s in ipairs(redis.call('SMEMBERS', KEYS[3])) do redis.call('DEL', ARGV[4] .. s) end
redis.call('DEL', KEYS[3])
return {'revoked', ARGV[1]}`,
);
