-- KEYS: claims, roster, users of this instance, seq, stream, resume.
-- ARGV: key, nick, instance, max length, resume token hash ('' for none),
-- entry fields...
-- The token's hash is written with the claim, so no instance can see one
-- without the other.
local function add(...) return appendAfterNewest(KEYS[4], KEYS[5], ARGV[4], ...) end
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[3]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
if ARGV[5] == '' then
  redis.call('HDEL', KEYS[6], ARGV[1])
else
  redis.call('HSET', KEYS[6], ARGV[1], ARGV[5])
end
add(unpack(ARGV, 6))
return 1
