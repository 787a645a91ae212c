-- KEYS: claims, roster, users of this instance, ops, seq, stream, away, resume.
-- ARGV: key, instance, max length, entry fields...
-- Only the holder's instance releases a claim (another may hold it by now).
local function add(...) return appendAfterNewest(KEYS[5], KEYS[6], ARGV[3], ...) end
redis.call('SREM', KEYS[3], ARGV[1])
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[7], ARGV[1])
redis.call('HDEL', KEYS[8], ARGV[1])
add(unpack(ARGV, 4))
return 1
