-- Appends a batch of events to the shared log, atomically: one run of consecutive seqs, in the order given.
-- KEYS[1] the meta hash (fields epoch, seq), KEYS[2] the stream; both share a hash tag, so one Cluster slot.
-- ARGV[1] an epoch to start if the log has none, ARGV[2] the history size (approximate MAXLEN),
-- then four arguments per event: kind, channel, timestamp, event JSON.
-- Returns "<first seq> <epoch>".
local meta, stream = KEYS[1], KEYS[2]
local epoch = redis.call('HGET', meta, 'epoch')
if not epoch then
  -- No meta: the history was lost (or never existed). A new epoch starts, and seqs restart at 1; a stream left
  -- without its meta belongs to no known epoch and would refuse the restarted ids, so it goes.
  epoch = ARGV[1]
  redis.call('DEL', stream)
  redis.call('HSET', meta, 'epoch', epoch, 'seq', 0)
end
local count = (#ARGV - 2) / 4
local last = redis.call('HINCRBY', meta, 'seq', count)
local first = last - count + 1
for i = 0, count - 1 do
  local at = 3 + i * 4
  -- The seq is the entry id, so the stream's order is the seq order, whichever instance appended.
  redis.call('XADD', stream, 'MAXLEN', '~', ARGV[2], string.format('%d-0', first + i),
    'k', ARGV[at], 'c', ARGV[at + 1], 't', ARGV[at + 2], 'e', ARGV[at + 3], 'ep', epoch)
end
return string.format('%d', first) .. ' ' .. epoch
