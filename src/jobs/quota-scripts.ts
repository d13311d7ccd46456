/**
 * The quota rules of quota-rules.ts in Lua, for the Redis admit script (admission-scripts.ts), and
 * the scripts that give a reservation back and read a day's counts. Every key lives under
 * "<prefix>:admission:q" and expires on its own; days are UTC days since the epoch, from Redis'
 * TIME (one clock for every gateway):
 *   :q:<day>:fleet          hash stories, chars, images: the fleet's totals that day
 *   :q:<day>:guild:<g>      hash stories, chars, images: one server's totals that day
 *   :q:<day>:members:<g>    zset userId by stories that day in that server
 *   :q:last:<g>:<u>         when the member's last story in that server was admitted (ms)
 *   :q:job:<id>             what one job reserved, to give it back if it is abandoned
 */

const DAY_MS = 86_400_000;
const KEEP_LAST_MS = 8 * DAY_MS;

/** Lua helpers for the admit script (needs `k` and `nowMs` from the common part). */
export const quotaLua = `
local DAY_MS = ${DAY_MS}
local function qk(...) return k('q', ...) end

-- The quota rules (quota-rules.ts decideQuota): nil when allowed, else {reason, limit, resetsAt}.
local function quotaRefusal(guild, user, g, caps, cost, now)
  local day = math.floor(now / DAY_MS)
  local midnight = (day + 1) * DAY_MS
  if g.memberDaily > 0 then
    local n = tonumber(redis.call('ZSCORE', qk(day, 'members', guild), user) or '0')
    if n >= g.memberDaily then return { 'member-daily', g.memberDaily, midnight } end
  end
  if g.cooldownMinutes > 0 then
    local last = redis.call('GET', qk('last', guild, user))
    if last then
      local free = tonumber(last) + g.cooldownMinutes * 60000
      if now < free then return { 'cooldown', g.cooldownMinutes, free } end
    end
  end
  local fleet = redis.call('HMGET', qk(day, 'fleet'), 'stories', 'chars', 'images')
  local reasons = { 'daily-stories', 'daily-narration', 'daily-images' }
  for i = 1, 3 do
    if caps[i] > 0 and tonumber(fleet[i] or '0') + cost[i] > caps[i] then return { reasons[i], caps[i], midnight } end
  end
  return nil
end

-- Reserve an admitted job's cost: the day's counts (keys expire a day after the day ends), the
-- member's last admission, and what was reserved (to give back if the job is abandoned).
local function quotaReserve(id, guild, user, cost, now)
  local day = math.floor(now / DAY_MS)
  local expires = (day + 2) * DAY_MS
  local fields = { 'stories', 'chars', 'images' }
  for _, key in ipairs({ qk(day, 'fleet'), qk(day, 'guild', guild) }) do
    for i = 1, 3 do redis.call('HINCRBY', key, fields[i], cost[i]) end
    redis.call('PEXPIREAT', key, expires)
  end
  redis.call('ZINCRBY', qk(day, 'members', guild), cost[1], user)
  redis.call('PEXPIREAT', qk(day, 'members', guild), expires)
  local lastKey = qk('last', guild, user)
  local previous = redis.call('GET', lastKey) or ''
  redis.call('SET', lastKey, string.format('%d', now), 'PX', ${KEEP_LAST_MS})
  local jobKey = qk('job', id)
  redis.call('HSET', jobKey, 'day', day, 'guild', guild, 'user', user, 'stories', cost[1], 'chars', cost[2], 'images', cost[3],
    'at', string.format('%d', now), 'previous', previous)
  redis.call('PEXPIREAT', jobKey, expires)
end
`;

/** ARGV: base, id. Gives back what an abandoned job reserved; returns 1, or 0 when nothing was reserved. */
export const refundLua = `
local base = ARGV[1]
local function k(...) return table.concat({base, ...}, ':') end
local function qk(...) return k('q', ...) end
local jobKey = qk('job', ARGV[2])
local r = redis.call('HGETALL', jobKey)
if #r == 0 then return 0 end
local f = {}
for i = 1, #r, 2 do f[r[i]] = r[i + 1] end
for _, key in ipairs({ qk(f.day, 'fleet'), qk(f.day, 'guild', f.guild) }) do
  if redis.call('EXISTS', key) == 1 then
    for _, field in ipairs({ 'stories', 'chars', 'images' }) do redis.call('HINCRBY', key, field, 0 - tonumber(f[field])) end
  end
end
local members = qk(f.day, 'members', f.guild)
if redis.call('EXISTS', members) == 1 then
  if tonumber(redis.call('ZINCRBY', members, 0 - tonumber(f.stories), f.user)) <= 0 then redis.call('ZREM', members, f.user) end
end
-- The member's cooldown goes back to their previous story, unless a later one was admitted since.
local lastKey = qk('last', f.guild, f.user)
if redis.call('GET', lastKey) == f.at then
  if f.previous ~= '' then redis.call('SET', lastKey, f.previous, 'KEEPTTL') else redis.call('DEL', lastKey) end
end
redis.call('DEL', jobKey)
return 1
`;

/** ARGV: base, guildId ('' = the fleet only), top. Returns JSON {day, resetsAt, fleet: [s,c,i], guild: [s,c,i], top: [user, n, ...]}. */
export const usageLua = `
local base = ARGV[1]
local function k(...) return table.concat({base, ...}, ':') end
local function qk(...) return k('q', ...) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local day = math.floor(now / ${DAY_MS})
local function totals(key)
  local v = redis.call('HMGET', key, 'stories', 'chars', 'images')
  return { tonumber(v[1] or '0'), tonumber(v[2] or '0'), tonumber(v[3] or '0') }
end
local out = { day = day, resetsAt = (day + 1) * ${DAY_MS}, fleet = totals(qk(day, 'fleet')), guild = { 0, 0, 0 }, top = {} }
if ARGV[2] ~= '' then
  out.guild = totals(qk(day, 'guild', ARGV[2]))
  out.top = redis.call('ZREVRANGEBYSCORE', qk(day, 'members', ARGV[2]), '+inf', '(0', 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
end
return cjson.encode(out)
`;
