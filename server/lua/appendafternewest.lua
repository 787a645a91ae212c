-- Put before the scripts that append an entry to the room's stream.
-- Every entry goes after the newest message: "<seq>-*" lets Redis number the
-- events that follow message <seq> (7.0 and newer), so message ids stay
-- plain integers and every event has one place in the order.
local function appendAfterNewest(seqKey, streamKey, maxLen, ...)
  return redis.call('XADD', streamKey, 'MAXLEN', '~', maxLen, (redis.call('GET', seqKey) or '0') .. '-*', ...)
end
