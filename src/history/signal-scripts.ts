import { xaddEventLua } from '../events/event-log';
import { defineLuaScript } from '../redis/lua-script';
import { FINAL_STATUSES } from '../signals/signal-record';
import { STATS_LUA } from '../stats/stats-lua';
import { PROGRESS_FIELDS } from './progress-fields';
import { SIGNAL_LUA_PRELUDE } from './signal-lua';

/**
 * The Lua scripts behind {@link SignalStore}: each status change is one atomic compare-and-set, so the
 * intake, runs, the order watch and BullMQ's failure hook never overwrite each other's outcome. The same
 * step keeps the list item, the indexes and the dead-letter list in line and appends the change's event.
 */

const FINAL_TABLE = `{${[...FINAL_STATUSES].map((s) => `['${s}']=true`).join(',')}}`;
const PROGRESS_LIST = PROGRESS_FIELDS.map((f) => `'${f}'`).join(',');

/**
 * KEYS: record, global index, event stream. ARGV: retentionSeconds, receivedAt, signalId, indexPrefix,
 * eventId, event timestamp (ISO), event log length cap, then field/value pairs. Publishes `signal.queued`
 * only when it created the status (a fast worker may already have moved the record on).
 */
export const RECORD_QUEUED = defineLuaScript<number>(
  'thRecordQueued2',
  3,
  `${SIGNAL_LUA_PRELUDE}
redis.call('HSET', KEYS[1], unpack(ARGV, 8))
local created = redis.call('HSETNX', KEYS[1], 'status', 'queued')
redis.call('HSETNX', KEYS[1], 'attempts', '0')
redis.call('EXPIRE', KEYS[1], ARGV[1])
th_index_attributes(KEYS[1], ARGV[4], KEYS[2])
if created == 1 then
  th_index_status(KEYS[1], ARGV[4], nil, 'queued')
  th_publish(KEYS[1], 'signal.queued', ARGV[5], ARGV[6], KEYS[3], ARGV[7])
end
return 1`,
);

/**
 * Starts a run unless the record is final. KEYS: record, global index. ARGV: retentionSeconds, receivedAt,
 * signalId, startedAt, indexPrefix, run token, then base field/value pairs. Returns `{'final', status,
 * error}` or `{'started', attempts, <progress fields in PROGRESS_FIELDS order>}` (absent fields as nil).
 * The run token (fresh per start) makes a resend harmless: ioredis sends a command again when its connection
 * dropped before the answer, and the second run must not count the attempt twice.
 */
export const START_RUN = defineLuaScript<Array<string | number | null>>(
  'thSignalStart2',
  2,
  `${SIGNAL_LUA_PRELUDE}
local final = ${FINAL_TABLE}
local status = redis.call('HGET', KEYS[1], 'status')
if status and final[status] then
  return {'final', status, redis.call('HGET', KEYS[1], 'error')}
end
local progress = redis.call('HMGET', KEYS[1], ${PROGRESS_LIST})
local resend = redis.call('HGET', KEYS[1], 'runToken') == ARGV[6]
redis.call('HSET', KEYS[1], unpack(ARGV, 7))
redis.call('HSET', KEYS[1], 'status', 'processing', 'startedAt', ARGV[4], 'runToken', ARGV[6])
local attempts = resend and tonumber(redis.call('HGET', KEYS[1], 'attempts'))
  or redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('EXPIRE', KEYS[1], ARGV[1])
th_index_attributes(KEYS[1], ARGV[5], KEYS[2])
th_index_status(KEYS[1], ARGV[5], status, 'processing')
th_publish(KEYS[1], nil)
local result = {'started', attempts}
for i = 1, #progress do result[i + 2] = progress[i] end
return result`,
);

/** Writes progress while the run owns the record. KEYS: record. ARGV: field/value pairs. 1, or 0 if not processing. */
export const SAVE_PROGRESS = defineLuaScript<number>(
  'thSignalProgress',
  1,
  `
if redis.call('HGET', KEYS[1], 'status') ~= 'processing' then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`,
);

/**
 * THE status transition: compare-and-set of the status, its fields, and (optionally) handing the signal to
 * the order watch in the same step. KEYS: record, watch set, watch items, event stream, dead-letter list,
 * handled dead letters.
 * ARGV: allowed current statuses (comma-separated), new status, indexPrefix, event id, second event id
 * (for `order.state_unknown`), event timestamp (ISO and epoch ms), event log length cap, statistics key
 * prefix, now (epoch ms), history retention (ms), field count n, n field/value pairs, then either nothing
 * or watch score and watch item JSON. Returns 'ok' (`ok:<error>` if the statistics could not follow), or
 * the current status ('' when there is no record) when nothing changed.
 *
 * A change of status publishes `signal.<status>` (none for `processing`), and `order.state_unknown` too
 * when the record fails with that code. A `failed` record joins the dead-letter list (by time), any other
 * status leaves it. The statistics (src/stats/stats-lua.ts) follow in the same step.
 */
export const TRANSITION = defineLuaScript<string>(
  'thSignalTransition3',
  6,
  `${SIGNAL_LUA_PRELUDE}
${STATS_LUA}
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return '' end
if not string.find(',' .. ARGV[1] .. ',', ',' .. status .. ',', 1, true) then return status end
local to = ARGV[2]
local n = tonumber(ARGV[12])
redis.call('HSET', KEYS[1], 'status', to)
if n > 0 then redis.call('HSET', KEYS[1], unpack(ARGV, 13, 12 + 2 * n)) end
local id = redis.call('HGET', KEYS[1], 'id')
local watch = 13 + 2 * n
if ARGV[watch] then
  redis.call('ZADD', KEYS[2], ARGV[watch], id)
  redis.call('HSET', KEYS[3], id, ARGV[watch + 1])
end
th_index_status(KEYS[1], ARGV[3], status, to)
if to == 'failed' then
  if status ~= 'failed' then
    redis.call('ZADD', KEYS[5], ARGV[7], id)
    redis.call('ZREM', KEYS[6], id)
    redis.call('HDEL', KEYS[1], 'deadLetter')
  end
else
  redis.call('ZREM', KEYS[5], id)
  redis.call('ZREM', KEYS[6], id)
end
local eventType = nil
if status ~= to and to ~= 'processing' then eventType = 'signal.' .. to end
local item = th_publish(KEYS[1], eventType, ARGV[4], ARGV[6], KEYS[4], ARGV[8])
if eventType == 'signal.failed' and type(item.error) == 'table' and item.error.code == 'order_state_unknown' then
  local event = cjson.encode({ id = ARGV[5], type = 'order.state_unknown', timestamp = ARGV[6], data = item })
  ${xaddEventLua('KEYS[4]', 'ARGV[8]', 'event')}
end
local statsError = th_stats_record(KEYS[1], ARGV[9], ARGV[10], ARGV[11])
if statsError then return 'ok:' .. statsError end
return 'ok'`,
);
