import { xaddEventLua } from '../events/event-log';

/**
 * Lua shared by every script that changes a signal's status (signal-scripts.ts): the list item, the
 * secondary indexes and the event, so that a status, its index entries and its event are written in the
 * same atomic step and can never diverge.
 *
 * Index keys are `<indexPrefix>:<dimension>:<value>` with dimensions `st` (status), `acct`, `sym`
 * (symbol key), `strat` (strategy) — SignalQuery and the retention sweep build the same names, each a sorted set of signal ids scored by receipt time (epoch ms).
 */

export const SIGNAL_LUA_PRELUDE = `
local function th_iso(ms)
  ms = tonumber(ms)
  if not ms then return cjson.null end
  local s = math.floor(ms / 1000)
  local milli = ms - s * 1000
  local days = math.floor(s / 86400)
  local secs = s - days * 86400
  local z = days + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return string.format('%04d-%02d-%02dT%02d:%02d:%02d.%03dZ', y, m, d,
    math.floor(secs / 3600), math.floor((secs % 3600) / 60), secs % 60, milli)
end

local function th_json(value)
  if value and value ~= '' then return cjson.decode(value) end
  return nil
end

local function th_round(x, digits)
  local f = 10 ^ digits
  return math.floor(x * f + 0.5) / f
end

-- The signal's list item (docs/api.md "Signals"), built from its record; also the data of its events.
local function th_item(key)
  local h = redis.call('HMGET', key, 'id', 'status', 'account', 'symbol', 'strategy', 'action',
    'receivedAt', 'finishedAt', 'orders', 'error')
  local orders = th_json(h[9]) or {}
  local market, side = nil, nil
  local filled, cost, slipWeighted = 0, 0, 0
  local slipFilled = 0
  for _, o in ipairs(orders) do
    if o.leg ~= 'tp' and o.leg ~= 'sl' then
      market = market or o.symbol
      side = side or o.side
      local f = tonumber(o.filled) or 0
      if f > 0 then
        filled = filled + f
        local c = tonumber(o.cost) or (f * (tonumber(o.average) or 0))
        cost = cost + c
        if type(o.slippage) == 'number' then
          slipWeighted = slipWeighted + o.slippage * 100 * f
          slipFilled = slipFilled + f
        end
      end
    end
  end
  local action = h[6]
  if not side then
    if action == 'buy' or action == 'long' then side = 'buy'
    elseif action == 'sell' or action == 'short' then side = 'sell' end
  end
  local item = {
    id = h[1], status = h[2], account = h[3], symbol = h[4],
    market = market or cjson.null,
    action = (action and action ~= '') and action or cjson.null,
    side = side or cjson.null,
    strategy = (h[5] and h[5] ~= '') and h[5] or cjson.null,
    receivedAt = th_iso(h[7]),
    finishedAt = (h[8] and h[8] ~= '') and th_iso(h[8]) or cjson.null,
    orders = #orders,
    filled = cjson.null,
    slippageBps = cjson.null,
    error = th_json(h[10]) or cjson.null,
  }
  if filled > 0 then
    item.filled = { amount = filled, average = cost / filled, cost = cost }
  end
  if slipFilled > 0 then item.slippageBps = th_round(slipWeighted / slipFilled, 2) end
  return item
end

-- Adds the record to its account/symbol/strategy indexes and the global one (idempotent).
local function th_index_attributes(key, indexPrefix, globalIndex)
  local h = redis.call('HMGET', key, 'id', 'receivedAt', 'account', 'symbolKey', 'strategy')
  local id, score = h[1], tonumber(h[2])
  if not id or not score then return end
  redis.call('ZADD', globalIndex, score, id)
  if h[3] and h[3] ~= '' then redis.call('ZADD', indexPrefix .. ':acct:' .. h[3], score, id) end
  if h[4] and h[4] ~= '' then redis.call('ZADD', indexPrefix .. ':sym:' .. h[4], score, id) end
  if h[5] and h[5] ~= '' then redis.call('ZADD', indexPrefix .. ':strat:' .. h[5], score, id) end
end

-- Moves the record from its old status index to the new one.
local function th_index_status(key, indexPrefix, old, new)
  local h = redis.call('HMGET', key, 'id', 'receivedAt')
  local id, score = h[1], tonumber(h[2])
  if not id or not score then return end
  if old and old ~= new then redis.call('ZREM', indexPrefix .. ':st:' .. old, id) end
  redis.call('ZADD', indexPrefix .. ':st:' .. new, score, id)
end

-- Stores the list item in the record and, if eventType is set, appends its event to the log.
local function th_publish(key, eventType, eventId, timestamp, streamKey, maxLength)
  local item = th_item(key)
  redis.call('HSET', key, 'item', cjson.encode(item))
  if eventType then
    local event = cjson.encode({ id = eventId, type = eventType, timestamp = timestamp, data = item })
    ${xaddEventLua('streamKey', 'maxLength', 'event')}
  end
  return item
end
`;
