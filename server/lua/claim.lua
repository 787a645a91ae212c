-- KEYS: claims, roster, users of this instance, seq, stream.
-- ARGV: key, nick, instance, max length, entry fields...
local function add(...) return appendAfterNewest(KEYS[4], KEYS[5], ARGV[4], ...) end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
add(unpack(ARGV, 5))
return 1
