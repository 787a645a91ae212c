-- KEYS: claims, ops, slow, seq, stream, mutes.
-- ARGV: target key (must be claimed when not empty), new op key or '',
-- slow seconds or '', max length, muted or unmuted key or '', mute end
-- (ms since the epoch; '' to unmute), now (ms since the epoch), entry fields...
-- Mutes that ran out are dropped whenever one is given, so the hash holds
-- only the mutes still running (and the ones ended since the last).
local function add(...) return appendAfterNewest(KEYS[4], KEYS[5], ARGV[4], ...) end
if ARGV[1] ~= '' and redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[2] ~= '' then redis.call('SADD', KEYS[2], ARGV[2]) end
if ARGV[3] ~= '' then redis.call('SET', KEYS[3], ARGV[3]) end
if ARGV[5] ~= '' then
  if ARGV[6] == '' then
    redis.call('HDEL', KEYS[6], ARGV[5])
  else
    local mutes = redis.call('HGETALL', KEYS[6])
    for i = 1, #mutes, 2 do
      if tonumber(mutes[i + 1]) <= tonumber(ARGV[7]) then redis.call('HDEL', KEYS[6], mutes[i]) end
    end
    redis.call('HSET', KEYS[6], ARGV[5], ARGV[6])
  end
end
add(unpack(ARGV, 8))
return 1
