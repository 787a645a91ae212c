-- KEYS: one room's members, where (one hash slot).
-- ARGV: old nick key, new nick key, new nick, instance.
-- The member follows the rename, if it is still this instance's.
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[4] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
return 1
