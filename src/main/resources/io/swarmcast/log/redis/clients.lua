-- Publishes one instance's count of connected clients and answers the sum over every instance still alive.
-- KEYS[1] the hash {prefix}:clients (same hash tag as the log's keys): one field per running instance, its value
-- "<count> <time in ms>". ARGV[1] this instance's field, ARGV[2] its count, ARGV[3] how long (ms) a count stays
-- valid without being refreshed. Hash fields have no expiry of their own (before Redis 7.4), so the time written with
-- each count stands for one: a count older than ARGV[3] belongs to an instance that stopped refreshing it (killed,
-- cut off), is dropped and is not counted. Times are Redis's own clock, so the instances' clocks need not agree.
-- Returns the sum.
local key, ttl = KEYS[1], tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', key, ARGV[1], ARGV[2] .. ' ' .. now)
local total = 0
local entries = redis.call('HGETALL', key)
for i = 1, #entries, 2 do
  local value = entries[i + 1]
  local space = string.find(value, ' ', 1, true)
  local count = space and tonumber(string.sub(value, 1, space - 1))
  local seen = space and tonumber(string.sub(value, space + 1))
  if count and seen and now - seen <= ttl then
    total = total + count
  else
    redis.call('HDEL', key, entries[i])
  end
end
-- The whole hash goes once no instance has refreshed it for a while.
redis.call('PEXPIRE', key, ttl * 2)
return total
