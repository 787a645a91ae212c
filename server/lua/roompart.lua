-- KEYS: one room's members, where, stream (one hash slot).
-- ARGV: nick key, instance (the member must be this instance's), max length,
-- then the `left` entry's fields, or none: a user who left the server
-- leaves its rooms without an entry (its `left` without room says it).
-- Returns 1 when the member was removed.
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
if #ARGV > 3 then appendAfterNewest(nil, KEYS[3], ARGV[3], unpack(ARGV, 4)) end
return 1
