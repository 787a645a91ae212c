-- KEYS: the index of rooms with members (room key -> members counted).
-- ARGV: room key, '+' or '-', the most rooms with members ('+' only).
-- '+' counts a member in (refused with 0 when the room has none counted and
-- the index holds the most rooms already); '-' counts one out, and the room
-- leaves the index at 0. The counts commute, so joins and parts of several
-- instances, in any order, leave the count of the members they made.
if ARGV[2] == '+' then
  if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
    return 0
  end
  redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
  return 1
end
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return 1
