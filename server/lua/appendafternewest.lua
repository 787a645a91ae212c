-- Put before the scripts that append an entry to a stream (#lobby's, or a
-- room's). Every entry goes after the stream's newest entry: "<ms>-*" with
-- the newest entry's first part lets Redis number the events that follow
-- message <ms> (7.0 and newer), so message ids stay plain integers and every
-- event has one place in the order. The stream's own newest entry, not the
-- global sequence: rooms take numbers from that sequence too, and an event
-- at "<seq>-0" would look like a message id. `seqKey` is kept for the
-- scripts' KEYS lists and not read.
local function appendAfterNewest(seqKey, streamKey, maxLen, ...)
  local newest = redis.call('XREVRANGE', streamKey, '+', '-', 'COUNT', 1)
  local after = '0'
  if #newest > 0 then after = string.match(newest[1][1], '^(%d+)') end
  return redis.call('XADD', streamKey, 'MAXLEN', '~', maxLen, after .. '-*', ...)
end
