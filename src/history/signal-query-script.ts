import { defineLuaScript } from '../redis/lua-script';

/**
 * One page of the signal list in ONE round trip (see SignalQuery). ARGV: filters (JSON list of key lists: a
 * signal must be in one key of each), the global index (walked when there is no filter), min and max score,
 * cursor score and id ('' for none), limit, scan budget, batch size, record key prefix.
 *
 * Plans first: counts each filter's entries in the window (ZCOUNT, O(log n) per key); a filter with none
 * ends the page at once; the smallest drives the walk and the others are checked most selective first.
 * Walks the driver keys newest first, merged (equal times ordered by id, as Redis orders them), skipping
 * what the cursor already passed, examining at most the scan budget.
 * Returns: last examined score, last examined id, '1' if more may follow, examined count, then the items.
 *
 * Key names are built from arguments: tradehook runs on one Redis (not a cluster), as everywhere else.
 */
export const LIST_SIGNALS = defineLuaScript<string[]>(
  'thListSignals2',
  0,
  `
local filters = cjson.decode(ARGV[1])
local min, max = ARGV[3], ARGV[4]
local sized = {}
for i, keys in ipairs(filters) do
  local count = 0
  for _, key in ipairs(keys) do count = count + redis.call('ZCOUNT', key, min, max) end
  if count == 0 then return { '', '', '0', '0' } end
  sized[i] = { keys = keys, count = count }
end
table.sort(sized, function(a, b) return a.count < b.count end)
local drivers = { ARGV[2] }
local groups = {}
for i, d in ipairs(sized) do
  if i == 1 then drivers = d.keys else groups[#groups + 1] = d.keys end
end
local hasAfter = ARGV[5] ~= ''
local afterScore, afterId = tonumber(ARGV[5]), ARGV[6]
local limit, budget, batch = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local recordPrefix = ARGV[10]

local walkers = {}
for i, key in ipairs(drivers) do walkers[i] = { key = key, offset = 0, entries = {}, pos = 1, done = false } end
local function head(w)
  if w.pos > #w.entries then
    if w.done then return nil end
    local r = redis.call('ZREVRANGEBYSCORE', w.key, max, min, 'WITHSCORES', 'LIMIT', w.offset, batch)
    w.entries, w.pos = {}, 1
    for j = 1, #r, 2 do w.entries[#w.entries + 1] = { r[j], tonumber(r[j + 1]) } end
    w.offset = w.offset + #w.entries
    if #w.entries < batch then w.done = true end
    if #w.entries == 0 then return nil end
  end
  return w.entries[w.pos]
end
local function nextEntry()
  local best, bestWalker = nil, nil
  for _, w in ipairs(walkers) do
    local h = head(w)
    if h and (not best or h[2] > best[2] or (h[2] == best[2] and h[1] > best[1])) then best, bestWalker = h, w end
  end
  if bestWalker then bestWalker.pos = bestWalker.pos + 1 end
  return best
end

local items, examined = {}, 0
local lastScore, lastId = '', ''
while #items < limit and examined < budget do
  local entry = nextEntry()
  if not entry then break end
  local id, score = entry[1], entry[2]
  if not (hasAfter and score == afterScore and id >= afterId) then
    examined = examined + 1
    lastScore, lastId = string.format('%d', score), id
    local ok = true
    for _, group in ipairs(groups) do
      local found = false
      for _, key in ipairs(group) do
        if redis.call('ZSCORE', key, id) then found = true break end
      end
      if not found then ok = false break end
    end
    if ok then
      local item = redis.call('HGET', recordPrefix .. id, 'item')
      if item then items[#items + 1] = item end
    end
  end
end
local more = '0'
for _, w in ipairs(walkers) do if head(w) then more = '1' end end
local result = { lastScore, lastId, more, tostring(examined) }
for _, item in ipairs(items) do result[#result + 1] = item end
return result`,
);
