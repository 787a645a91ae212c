-- KEYS: one room's record, members, where, stream (one hash slot).
-- ARGV: nick key, nick, instance, the room's name as created, max length,
-- then the `joined` entry's fields, or none.
-- Puts back a member of this instance that Redis no longer has (lost with a
-- rollback, or removed by another instance that reaped this one while it
-- lived; ClusterRooms::restore). The room's record gets its name back if it
-- lost it (not its topic: that is lost). A nickname another instance's user
-- holds in the room now is left alone. The `joined` entry is appended only
-- when given: after a reap the others were told the user left; after a
-- rollback nobody was. Returns 1 when the member was added, 0 when it was
-- there, -1 when another instance's user holds the nickname in the room.
local where = redis.call('HGET', KEYS[3], ARGV[1])
if where and where ~= ARGV[3] then return -1 end
if not redis.call('HGET', KEYS[1], 'name') then redis.call('HSET', KEYS[1], 'name', ARGV[4]) end
local new = redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
if new == 1 and #ARGV > 5 then appendAfterNewest(nil, KEYS[4], ARGV[5], unpack(ARGV, 6)) end
return new
