-- Reads the shared log's epoch and newest seq, starting a new epoch when the log has none (so every instance
-- learns of a lost history at once, not at the next append). Same keys and rules as append.lua.
-- KEYS[1] the meta hash, KEYS[2] the stream; ARGV[1] an epoch to start if the log has none.
-- Returns "<newest seq> <epoch>".
local meta, stream = KEYS[1], KEYS[2]
local epoch = redis.call('HGET', meta, 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', stream)
  redis.call('HSET', meta, 'epoch', epoch, 'seq', 0)
end
return redis.call('HGET', meta, 'seq') .. ' ' .. epoch
