import { defineLuaScript } from '../redis/lua-script';
import { FINAL_STATUSES } from '../signals/signal-record';
import { PROGRESS_FIELDS } from './progress-fields';

/**
 * The Lua scripts behind {@link SignalStore}: each status change is one atomic compare-and-set, so the
 * intake, runs, the order watch and BullMQ's failure hook never overwrite each other's outcome.
 */

const FINAL_TABLE = `{${[...FINAL_STATUSES].map((s) => `['${s}']=true`).join(',')}}`;
const PROGRESS_LIST = PROGRESS_FIELDS.map((f) => `'${f}'`).join(',');

/** KEYS: record, index. ARGV: retentionSeconds, receivedAt, signalId, then field/value pairs. */
export const RECORD_QUEUED = defineLuaScript<number>(
  'thRecordQueued',
  2,
  `
redis.call('HSET', KEYS[1], unpack(ARGV, 4))
redis.call('HSETNX', KEYS[1], 'status', 'queued')
redis.call('HSETNX', KEYS[1], 'attempts', '0')
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1`,
);

/**
 * Starts a run unless the record is final. KEYS: record, index. ARGV: retentionSeconds, receivedAt,
 * signalId, startedAt, then base field/value pairs. Returns `{'final', status, error}` or
 * `{'started', attempts, <progress fields in PROGRESS_FIELDS order>}` (absent fields as nil).
 */
export const START_RUN = defineLuaScript<Array<string | number | null>>(
  'thSignalStart',
  2,
  `
local final = ${FINAL_TABLE}
local status = redis.call('HGET', KEYS[1], 'status')
if status and final[status] then
  return {'final', status, redis.call('HGET', KEYS[1], 'error')}
end
local progress = redis.call('HMGET', KEYS[1], ${PROGRESS_LIST})
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('HSET', KEYS[1], 'status', 'processing', 'startedAt', ARGV[4])
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
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
 * the order watch in the same step. KEYS: record, watch set, watch items. ARGV: allowed current statuses
 * (comma-separated), new status, field count n, n field/value pairs, then either nothing or watch score and
 * watch item JSON. Returns 'ok', or the current status ('' when there is no record) when nothing changed.
 */
export const TRANSITION = defineLuaScript<string>(
  'thSignalTransition',
  3,
  `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return '' end
if not string.find(',' .. ARGV[1] .. ',', ',' .. status .. ',', 1, true) then return status end
local n = tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'status', ARGV[2])
if n > 0 then redis.call('HSET', KEYS[1], unpack(ARGV, 4, 3 + 2 * n)) end
local watch = 4 + 2 * n
if ARGV[watch] then
  local id = redis.call('HGET', KEYS[1], 'id')
  redis.call('ZADD', KEYS[2], ARGV[watch], id)
  redis.call('HSET', KEYS[3], id, ARGV[watch + 1])
end
return 'ok'`,
);
