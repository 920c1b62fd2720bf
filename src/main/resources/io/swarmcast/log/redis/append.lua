-- Appends a batch of events to the shared log, atomically: one run of consecutive seqs, in the order given.
-- KEYS[1] the meta hash (fields epoch, seq), KEYS[2] the stream; both share a hash tag, so one Cluster slot.
-- ARGV[1] an epoch to start if the log has none, ARGV[2] the history size (approximate MAXLEN), ARGV[3] the notice
-- channel (same hash tag; a channel is not a key, so it comes as an argument), ARGV[4] the append's origin
-- ("<instance>:<append number>", stored with each entry so that the instance knows its own entries when its tail reads
-- them before this script's answer reached it), then four arguments per event: kind, channel, timestamp, event JSON.
-- Returns "<first seq> <epoch>".
local meta, stream, notices, origin = KEYS[1], KEYS[2], ARGV[3], ARGV[4]
local epoch = redis.call('HGET', meta, 'epoch')
if not epoch then
  -- No meta: the history was lost (or never existed). A new epoch starts, and seqs restart at 1; a stream left
  -- without its meta belongs to no known epoch and would refuse the restarted ids, so it goes.
  epoch = ARGV[1]
  redis.call('DEL', stream)
  redis.call('HSET', meta, 'epoch', epoch, 'seq', 0)
end
local count = (#ARGV - 4) / 4
local last = redis.call('HINCRBY', meta, 'seq', count)
local first = last - count + 1
for i = 0, count - 1 do
  local at = 5 + i * 4
  -- The seq is the entry id, so the stream's order is the seq order, whichever instance appended.
  redis.call('XADD', stream, 'MAXLEN', '~', ARGV[2], string.format('%d-0', first + i),
    'k', ARGV[at], 'c', ARGV[at + 1], 't', ARGV[at + 2], 'e', ARGV[at + 3], 'ep', epoch, 'o', origin)
end
-- One notice per batch, "<epoch>:<newest seq>", for whoever watches the log from outside (redis-cli SUBSCRIBE, a
-- monitor): the instances' tails block on the stream itself and do not subscribe. Published inside the script, so
-- a notice is never seen before its entries can be read.
redis.call('PUBLISH', notices, epoch .. ':' .. string.format('%d', last))
return string.format('%d', first) .. ' ' .. epoch
