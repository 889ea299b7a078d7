import { FINAL_STATUSES } from '../signals/signal-record';
import { HISTOGRAM_FLOOR, HISTOGRAM_RATIO } from './histogram';
import { DAY_MS, DIMENSIONS, GRANULARITIES, MAX_GROUP_LENGTH, MINUTE_RETENTION_MS } from './stats-dimensions';

/**
 * The statistics' Lua (docs: src/stats/stats-dimensions.ts for the layout), run by the signal store's
 * transition script so that a status change and its statistics are one atomic step and one round trip.
 *
 * A signal's contribution is what it adds to the bucket hashes in its current state: its measures, each
 * added to its group in every dimension. It is kept per signal (`<stats>:c:<day>` hash, JSON
 * `{"g":[groups by dimension],"m":[[measure, amount, fractional]…]}`; the JavaScript recorder kept the
 * expanded increments `[[dimension index, field, amount, fractional]…]`, still read) and
 * replaced as a whole on every change: the old one subtracted, the new one added, to every bucket size at
 * once. So a signal counts once whatever happens to it — `placed` then `filled`, `failed` then retried and
 * `filled`, or the same change recorded twice — and counters that fall to zero are removed.
 *
 * What counts (th_stats_contribution): only a status a run ends with (`placed` too: it moves on later); per
 * signal its status, alert → first order sent (histogram), alert → last fill (`filled` only), fill-weighted
 * slippage against the alert's `price` (histogram, bps, positive is worse), fills, fees by currency and
 * filled cost by quote currency. Latencies count from the alert's `timestamp`, or its receipt if later.
 * A signal without a strategy belongs to no strategy group (it still counts in `all`).
 *
 * Numbers are the same doubles JavaScript computes: + − × ÷ are IEEE in both; the log's ratio is passed
 * as its JavaScript value; a contribution is stored with 17 significant digits (cjson's 14 would leave
 * residues when it is subtracted later).
 */
export const STATS_LUA = `
local TH_STATS_FINAL = {${[...FINAL_STATUSES].map((s) => `['${s}']=true`).join(',')}}
local TH_STATS_DIMS = {${DIMENSIONS.map((d) => `'${d}'`).join(',')}}
local TH_STATS_GRANS = {${GRANULARITIES.map((g) => `{'${g.name}', ${g.ms}}`).join(',')}}
local TH_STATS_LOG_RATIO = ${Math.log(HISTOGRAM_RATIO)}

local function th_num(x)
  if type(x) == 'number' then return x end
  return nil
end

local function th_int(x) return string.format('%.0f', x) end

-- encodeURIComponent of the first ${MAX_GROUP_LENGTH} UTF-16 units of a UTF-8 string. A character that would
-- be cut in half (a surrogate pair on the border) is left out whole.
local function th_group(s)
  -- The common case: nothing to encode, nothing to cut.
  if #s <= ${MAX_GROUP_LENGTH} and not string.find(s, "[^A-Za-z0-9%-_%.!~%*'%(%)]") then return s end
  local out, units, i, n = {}, 0, 1, #s
  while i <= n do
    local b = string.byte(s, i)
    local len = (b >= 240 and 4) or (b >= 224 and 3) or (b >= 192 and 2) or 1
    local width = len == 4 and 2 or 1
    if units + width > ${MAX_GROUP_LENGTH} then break end
    units = units + width
    local ch = string.sub(s, i, i + len - 1)
    if len == 1 and string.find(ch, "^[A-Za-z0-9%-_%.!~%*'%(%)]$") then
      out[#out + 1] = ch
    else
      out[#out + 1] = (string.gsub(ch, '.', function(c) return string.format('%%%02X', string.byte(c)) end))
    end
    i = i + len
  end
  return table.concat(out)
end

-- histogram.ts bucketIndex.
local function th_bucket(value, floor)
  local m = math.abs(value)
  if not (m >= floor) then return 0 end
  local k = 1 + math.floor(math.log(m / floor) / TH_STATS_LOG_RATIO + 1e-9)
  if value < 0 then return -k end
  return k
end

-- The quote currency of a ccxt market symbol: BTC/USDT and BTC/USDT:USDT give USDT.
local function th_quote(symbol)
  local quote = string.match(symbol, '^[^/]*/([^/]*)') or ''
  quote = string.match(quote, '^[^:]*')
  if quote == '' then return symbol end
  return quote
end

local function th_trim(s)
  if type(s) ~= 'string' then return nil end
  return (string.gsub(s, '^%s*(.-)%s*$', '%1'))
end

-- Sums by key in first-seen order (as a JavaScript Map adds them up).
local function th_sum_into(sums, key, x)
  if not sums.value[key] then sums.order[#sums.order + 1] = key end
  sums.value[key] = (sums.value[key] or 0) + x
end

-- The measures of the signal in its current state: {measure, amount, fractional}.
local function th_stats_measures(status, alert, receivedAt, orders)
  local out = {{'n:' .. status, 1, 0}}
  local origin = receivedAt
  local at = th_num(alert.timestamp)
  if at and at < receivedAt then origin = at end
  local own = {}
  for _, o in ipairs(orders) do
    if o.leg ~= 'tp' and o.leg ~= 'sl' then own[#own + 1] = o end
  end
  local sentAt, filledAt = math.huge, -math.huge
  for _, o in ipairs(own) do
    sentAt = math.min(sentAt, th_num(o.sentAt) or math.huge)
    filledAt = math.max(filledAt, th_num(o.filledAt) or -math.huge)
  end
  if sentAt < math.huge then
    out[#out + 1] = {'ls:' .. th_bucket(sentAt - origin, ${HISTOGRAM_FLOOR.latencyMs}), 1, 0}
  end
  if status == 'filled' and filledAt > -math.huge then
    out[#out + 1] = {'lf:' .. th_bucket(filledAt - origin, ${HISTOGRAM_FLOOR.latencyMs}), 1, 0}
  end
  local reference = th_num(alert.price)
  if reference and reference > 0 then
    local weighted, filled = 0, 0
    for _, o in ipairs(own) do
      local f, average = th_num(o.filled), th_num(o.average)
      if f and f > 0 and average and average > 0 then
        local diff = reference - average
        if o.side == 'buy' then diff = average - reference end
        weighted = weighted + (diff / reference) * 10000 * f
        filled = filled + f
      end
    end
    if filled > 0 then
      out[#out + 1] = {'sl:' .. th_bucket(weighted / filled, ${HISTOGRAM_FLOOR.slippageBps}), 1, 0}
    end
  end
  local fills, fees, volume = 0, {order = {}, value = {}}, {order = {}, value = {}}
  for _, o in ipairs(orders) do
    local f = th_num(o.filled)
    if f and f > 0 then
      fills = fills + 1
      local fee = o.fee
      if type(fee) == 'table' and th_num(fee.cost) and fee.cost ~= 0 then
        th_sum_into(fees, tostring(fee.currency), fee.cost)
      end
      th_sum_into(volume, th_quote(tostring(o.symbol)), th_num(o.cost) or f * (th_num(o.average) or 0))
    end
  end
  if fills > 0 then out[#out + 1] = {'fills', fills, 0} end
  for _, c in ipairs(fees.order) do out[#out + 1] = {'fee:' .. c, fees.value[c], 1} end
  for _, c in ipairs(volume.order) do
    if volume.value[c] ~= 0 then out[#out + 1] = {'vol:' .. c, volume.value[c], 1} end
  end
  return out
end

-- The signal's contribution in its current state, from its record's hash fields: its groups (encoded, by
-- dimension) and its measures, or nil when it adds nothing.
local function th_stats_contribution(h)
  if not TH_STATS_FINAL[h.status] then return nil end
  local alert = cjson.decode(h.alert)
  local strategy = h.strategy
  if not strategy then
    local meta = type(alert.meta) == 'table' and th_trim(alert.meta.strategy) or ''
    strategy = meta ~= '' and meta or (th_trim(alert.comment) or '')
  end
  local orders = {}
  if h.orders and h.orders ~= '' then orders = cjson.decode(h.orders) end
  return {
    g = {'', th_group(h.account or ''), th_group(h.symbol or ''), th_group(strategy)},
    m = th_stats_measures(h.status, alert, tonumber(h.receivedAt), orders),
  }
end

-- The increments {dimension index, field, amount, fractional} of a contribution. A stored one may also be
-- such a list already (as the JavaScript recorder kept them).
local function th_stats_increments(c)
  if not c.m then return c end
  local out = {}
  for _, m in ipairs(c.m) do
    for d = 1, #c.g do
      if d ~= 4 or c.g[4] ~= '' then
        out[#out + 1] = {d - 1, c.g[d] .. '|' .. m[1], m[2], m[3]}
      end
    end
  end
  return out
end

local function th_json_string(s)
  -- Groups are URI-encoded already; only a currency in a measure can bring a character to escape.
  if string.find(s, '[^ !#-Z%[%]^-~]') then return cjson.encode(s) end
  return '"' .. s .. '"'
end

-- Amounts with 17 significant digits: cjson's 14 would leave residues when they are subtracted later.
local function th_stats_encode(c)
  local groups, measures = {}, {}
  for i, g in ipairs(c.g) do groups[i] = th_json_string(g) end
  for i, m in ipairs(c.m) do
    measures[i] = string.format('[%s,%.17g,%d]', th_json_string(m[1]), m[2], m[3])
  end
  return '{"g":[' .. table.concat(groups, ',') .. '],"m":[' .. table.concat(measures, ',') .. ']}'
end

-- Replaces the signal's contribution (see above). Bucket sizes past their retention (at now) are left alone:
-- a late change (an old placed signal that fills) does not bring them back.
local function th_stats_apply(prefix, id, receivedAt, new, now, retentionMs)
  local dims, keys, expiries = #TH_STATS_DIMS, {}, {}
  for g, gran in ipairs(TH_STATS_GRANS) do
    local start = math.floor(receivedAt / gran[2]) * gran[2]
    local keep = retentionMs
    if gran[1] == 'm' then keep = ${MINUTE_RETENTION_MS} end
    local expiresAt = start + gran[2] + keep
    expiries[g] = 0
    if expiresAt > now then expiries[g] = expiresAt end
    for d, dim in ipairs(TH_STATS_DIMS) do
      keys[(g - 1) * dims + d] = prefix .. ':' .. gran[1] .. ':' .. th_int(start) .. ':' .. dim
    end
  end
  local function apply(list, sign)
    for _, inc in ipairs(list) do
      local field, amount = inc[2], inc[3] * sign
      for g = 1, #TH_STATS_GRANS do
        if expiries[g] > 0 then
          local key = keys[(g - 1) * dims + inc[1] + 1]
          if inc[4] == 1 then
            local v = tonumber(redis.call('HINCRBYFLOAT', key, field, amount))
            if math.abs(v) < 1e-12 then redis.call('HDEL', key, field) end
          elseif redis.call('HINCRBY', key, field, amount) == 0 then
            redis.call('HDEL', key, field)
          end
        end
      end
    end
  end
  local day = math.floor(receivedAt / ${DAY_MS}) * ${DAY_MS}
  local contributions = prefix .. ':c:' .. th_int(day)
  local old = redis.call('HGET', contributions, id)
  if old then apply(th_stats_increments(cjson.decode(old)), -1) end
  if new then
    apply(th_stats_increments(new), 1)
    redis.call('HSET', contributions, id, th_stats_encode(new))
  else
    redis.call('HDEL', contributions, id)
  end
  redis.call('PEXPIREAT', contributions, th_int(day + ${DAY_MS} + retentionMs))
  for g = 1, #TH_STATS_GRANS do
    if expiries[g] > 0 then
      -- PEXPIREAT leaves a missing key missing: no EXISTS needed.
      for d = 1, dims do redis.call('PEXPIREAT', keys[(g - 1) * dims + d], th_int(expiries[g])) end
    end
  end
end

-- Brings the statistics in line with the record as it is now. Statistics are secondary: an error is
-- returned (for the caller to log), never raised, so that it cannot undo or fail the status change.
local function th_stats_record(recordKey, prefix, now, retentionMs)
  local ok, err = pcall(function()
    local v = redis.call('HMGET', recordKey, 'id', 'status', 'account', 'symbol', 'strategy', 'receivedAt',
      'alert', 'orders')
    local h = { id = v[1], status = v[2], account = v[3] or nil, symbol = v[4] or nil, strategy = v[5] or nil,
      receivedAt = v[6], alert = v[7], orders = v[8] or nil }
    if not h.id or not h.status or not h.receivedAt or not h.alert then return end
    th_stats_apply(prefix, h.id, tonumber(h.receivedAt), th_stats_contribution(h), tonumber(now),
      tonumber(retentionMs))
  end)
  if ok then return nil end
  if type(err) == 'table' and err.err then return err.err end
  return tostring(err)
end
`;
