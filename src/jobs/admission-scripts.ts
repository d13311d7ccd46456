/**
 * The Lua behind RedisAdmission. Each operation is one script, so Redis runs it whole with no
 * other command in between: two gateway processes admitting at the same instant are serialised
 * and can never both pass a limit.
 *
 * Keys, all under ARGV[1] = "<prefix>:admission", are named inside the scripts (so an ioredis
 * keyPrefix does not apply, and it is single Redis or Sentinel, not Cluster):
 *   :seq            INCR counter: admission order (TIME alone can tie within a microsecond)
 *   :job:<id>       hash id, guildId, userId, state (waiting|running), seq, admittedAt, startedAt (ms)
 *   :users          hash userId -> id of that user's one active job
 *   :running        set of running ids (the fleet's running count is its SCARD)
 *   :guild-running  hash guildId -> running count in that guild
 *   :wait:<guild>   zset id by seq: that guild's line
 *   :waiting        zset id by seq: every waiting job (counts)
 *   :heads          zset guildId by seq of its oldest waiting job, for every guild with a line
 *   :ready          the part of :heads whose guild runs fewer than perGuildRunning: promotion
 *                   takes its first member, O(log guilds) however many lines are at their limit
 *   :per-guild      the perGuildRunning :ready was built for; a caller with another value
 *                   rebuilds :ready from :heads first (limits changed: rare, O(guilds))
 *   :guild-max      hash guildId -> that server's own running limit (its maxRunning, set by each
 *                   admission that carries one), when lower than perGuildRunning
 *   :q:...          quotas and the daily budget: quota-scripts.ts
 */
import { quotaLua } from './quota-scripts.js';

/** Shared helpers, prepended to every script. */
const common = `
local base = ARGV[1]
local function k(...) return table.concat({base, ...}, ':') end

local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function runningIn(guild)
  return tonumber(redis.call('HGET', k('guild-running'), guild) or '0')
end

-- A server's running limit: its own maxRunning when lower than the bot's.
local function limitOf(guild, perGuild)
  local own = tonumber(redis.call('HGET', k('guild-max'), guild) or '0')
  if own >= 1 and own < perGuild then return own end
  return perGuild
end

-- Keep :heads and :ready in step with a guild's line and running count; call after any change to either.
local function syncGuild(guild, perGuild)
  local first = redis.call('ZRANGE', k('wait', guild), 0, 0, 'WITHSCORES')
  if first[1] then
    redis.call('ZADD', k('heads'), first[2], guild)
    if runningIn(guild) < limitOf(guild, perGuild) then
      redis.call('ZADD', k('ready'), first[2], guild)
    else
      redis.call('ZREM', k('ready'), guild)
    end
  else
    redis.call('ZREM', k('heads'), guild)
    redis.call('ZREM', k('ready'), guild)
  end
end

-- Every write script starts here: :ready is only right for the perGuild it was built with.
local function useLimit(perGuild)
  local built = redis.call('GET', k('per-guild'))
  if built and tonumber(built) == perGuild then return end
  redis.call('SET', k('per-guild'), perGuild)
  redis.call('DEL', k('ready'))
  local from = 0
  repeat
    local heads = redis.call('ZRANGE', k('heads'), from, from + 999, 'WITHSCORES')
    for i = 1, #heads, 2 do
      if runningIn(heads[i]) < limitOf(heads[i], perGuild) then redis.call('ZADD', k('ready'), heads[i + 1], heads[i]) end
    end
    from = from + 1000
  until #heads < 2000
end

-- Forget a job entirely: its line, its slots, its user. Returns its guild and former state (or nil).
local function drop(id, perGuild)
  local jobKey = k('job', id)
  local fields = redis.call('HMGET', jobKey, 'guildId', 'userId', 'state')
  local guild, user, state = fields[1], fields[2], fields[3]
  if not guild then return nil end
  if state == 'running' then
    redis.call('SREM', k('running'), id)
    if redis.call('HINCRBY', k('guild-running'), guild, -1) <= 0 then
      redis.call('HDEL', k('guild-running'), guild)
    end
  else
    redis.call('ZREM', k('wait', guild), id)
    redis.call('ZREM', k('waiting'), id)
  end
  syncGuild(guild, perGuild)
  if redis.call('HGET', k('users'), user) == id then redis.call('HDEL', k('users'), user) end
  redis.call('DEL', jobKey)
  return guild, state
end

-- Start waiting jobs while the fleet has room: each time, the first of :ready, i.e. the guild
-- whose oldest waiting job is the oldest of all such heads among the guilds under their running
-- limit. Re-reading :ready after each start keeps that order exact when a guild may run several.
local function promote(perGuild, globalRunning, changed)
  local promoted = {}
  local running = redis.call('SCARD', k('running'))
  while running < globalRunning do
    local guild = redis.call('ZRANGE', k('ready'), 0, 0)[1]
    if not guild then break end
    local id = redis.call('ZRANGE', k('wait', guild), 0, 0)[1]
    redis.call('ZREM', k('wait', guild), id)
    redis.call('ZREM', k('waiting'), id)
    local jobKey = k('job', id)
    redis.call('HSET', jobKey, 'state', 'running', 'startedAt', nowMs())
    redis.call('SADD', k('running'), id)
    redis.call('HINCRBY', k('guild-running'), guild, 1)
    syncGuild(guild, perGuild)
    running = running + 1
    promoted[#promoted + 1] = { id = id, guildId = guild, userId = redis.call('HGET', jobKey, 'userId') }
    changed[guild] = true
  end
  return promoted
end

local function promoteResult(promoted, changed)
  local guilds = {}
  for g in pairs(changed) do guilds[#guilds + 1] = g end
  return cjson.encode({ promoted = promoted, changedGuilds = guilds })
end
`;

/**
 * ARGV: base, id, guildId, userId, perGuildRunning, perGuildWaiting, globalRunning, then the
 * server's memberDaily, cooldownMinutes, maxRunning (0: none), the fleet's daily caps
 * (stories, narration characters, images) and the job's cost (the same three).
 * Returns JSON {ok:true, position}, {ok:false, reason} or {ok:false, reason, limit, resetsAt}.
 */
export const admitScript =
  common +
  quotaLua +
  `
local id, guild, user = ARGV[2], ARGV[3], ARGV[4]
local perGuild, perGuildWaiting, globalRunning = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local g = { memberDaily = tonumber(ARGV[8]), cooldownMinutes = tonumber(ARGV[9]) }
local maxRunning = tonumber(ARGV[10])
local caps = { tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13]) }
local cost = { tonumber(ARGV[14]), tonumber(ARGV[15]), tonumber(ARGV[16]) }
local jobKey = k('job', id)
useLimit(perGuild)
-- The server's own running limit, as its latest admission says (its /settings).
if maxRunning >= 1 then
  redis.call('HSET', k('guild-max'), guild, maxRunning)
else
  redis.call('HDEL', k('guild-max'), guild)
end
syncGuild(guild, perGuild)

-- The same id again (a retried call whose reply was lost): report where it stands.
local existing = redis.call('HMGET', jobKey, 'guildId', 'state', 'seq')
if existing[1] then
  if existing[2] == 'running' then return cjson.encode({ ok = true, position = 0 }) end
  return cjson.encode({ ok = true, position = redis.call('ZRANK', k('wait', existing[1]), id) + 1 })
end

if redis.call('HEXISTS', k('users'), user) == 1 then return cjson.encode({ ok = false, reason = 'user-busy' }) end

local waitingHere = redis.call('ZCARD', k('wait', guild))
-- A guild with a line keeps its order: a newcomer never overtakes it, even with a slot free.
local mustWait = waitingHere > 0 or runningIn(guild) >= limitOf(guild, perGuild) or redis.call('SCARD', k('running')) >= globalRunning
if mustWait and waitingHere >= perGuildWaiting then return cjson.encode({ ok = false, reason = 'queue-full' }) end

local now = nowMs()
-- A job admitted before (resumed after a restart) has its reservation: neither charged twice nor refused.
if redis.call('EXISTS', qk('job', id)) == 0 then
  local refused = quotaRefusal(guild, user, g, caps, cost, now)
  if refused then return cjson.encode({ ok = false, reason = refused[1], limit = refused[2], resetsAt = refused[3] }) end
  quotaReserve(id, guild, user, cost, now)
end

local seq = redis.call('INCR', k('seq'))
redis.call('HSET', jobKey, 'id', id, 'guildId', guild, 'userId', user, 'seq', seq, 'admittedAt', now)
redis.call('HSET', k('users'), user, id)
if mustWait then
  redis.call('HSET', jobKey, 'state', 'waiting')
  redis.call('ZADD', k('wait', guild), seq, id)
  redis.call('ZADD', k('waiting'), seq, id)
  syncGuild(guild, perGuild)
  return cjson.encode({ ok = true, position = waitingHere + 1 })
end
redis.call('HSET', jobKey, 'state', 'running', 'startedAt', now)
redis.call('SADD', k('running'), id)
redis.call('HINCRBY', k('guild-running'), guild, 1)
syncGuild(guild, perGuild)
return cjson.encode({ ok = true, position = 0 })
`;

/** ARGV: base, id ('' = none), perGuildRunning, globalRunning. Returns JSON {promoted, changedGuilds}. */
export const releaseScript =
  common +
  `
local perGuild = tonumber(ARGV[3])
useLimit(perGuild)
local changed = {}
if ARGV[2] ~= '' then
  local guild, state = drop(ARGV[2], perGuild)
  -- A job leaving the line moves the places of those behind it.
  if guild and state == 'waiting' then changed[guild] = true end
end
return promoteResult(promote(perGuild, tonumber(ARGV[4]), changed), changed)
`;

/** ARGV: base, id, perGuildRunning. Returns 'waiting' (removed), 'running' (left alone) or 'unknown'. */
export const cancelWaitingScript =
  common +
  `
useLimit(tonumber(ARGV[3]))
local state = redis.call('HGET', k('job', ARGV[2]), 'state')
if not state then return 'unknown' end
if state == 'running' then return 'running' end
drop(ARGV[2], tonumber(ARGV[3]))
return 'waiting'
`;

/** ARGV: base, id. Returns 0 running, 1.. place in its guild's line, -1 unknown. */
export const positionScript =
  common +
  `
local f = redis.call('HMGET', k('job', ARGV[2]), 'guildId', 'state')
if not f[1] then return -1 end
if f[2] == 'running' then return 0 end
local rank = redis.call('ZRANK', k('wait', f[1]), ARGV[2])
if not rank then return -1 end
return rank + 1
`;

/** ARGV: base, guildId. Returns the ids of that guild's line, first first. */
export const lineScript =
  common +
  `
return redis.call('ZRANGE', k('wait', ARGV[2]), 0, -1)
`;

/** ARGV: base, id. Returns the job's hash as a flat field/value array (empty when unknown). */
export const entryScript =
  common +
  `
return redis.call('HGETALL', k('job', ARGV[2]))
`;

/** ARGV: base. Returns every running job's hash as flat field/value arrays. */
export const runningEntriesScript =
  common +
  `
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', k('running'))) do
  out[#out + 1] = redis.call('HGETALL', k('job', id))
end
return out
`;

/** ARGV: base. Returns {waiting, running}. */
export const countsScript =
  common +
  `
return { redis.call('ZCARD', k('waiting')), redis.call('SCARD', k('running')) }
`;
