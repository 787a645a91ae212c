-- KEYS: claims, away, seq, stream.
-- ARGV: key, '1' (away) or '0' (back), away message, max length, entry fields...
-- Only a claimed nickname can be away; the away hash loses a key with its
-- claim (release, reap, resync), and rename moves it.
local function add(...) return appendAfterNewest(KEYS[3], KEYS[4], ARGV[4], ...) end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if ARGV[2] == '1' then
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
else
  redis.call('HDEL', KEYS[2], ARGV[1])
end
add(unpack(ARGV, 5))
return 1
