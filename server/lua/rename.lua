-- KEYS: claims, roster, users of this instance, ops, seq, stream, mutes, away, resume.
-- ARGV: old key, new key, new nick, instance, max length, entry fields...
-- A mute follows the new name, never shortening one that name already had
-- (as Moderation::renamed does in every instance).
local function add(...) return appendAfterNewest(KEYS[5], KEYS[6], ARGV[5], ...) end
if ARGV[1] ~= ARGV[2] then
  if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[4]) == 0 then return 0 end
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[1])
  redis.call('SADD', KEYS[3], ARGV[2])
  if redis.call('SREM', KEYS[4], ARGV[1]) == 1 then redis.call('SADD', KEYS[4], ARGV[2]) end
  -- The resume token belongs to the user: it takes back the new name.
  local token = redis.call('HGET', KEYS[9], ARGV[1])
  if token then
    redis.call('HDEL', KEYS[9], ARGV[1])
    redis.call('HSET', KEYS[9], ARGV[2], token)
  end
  local away = redis.call('HGET', KEYS[8], ARGV[1])
  if away then
    redis.call('HDEL', KEYS[8], ARGV[1])
    redis.call('HSET', KEYS[8], ARGV[2], away)
  end
  local muteEnd = redis.call('HGET', KEYS[7], ARGV[1])
  if muteEnd then
    redis.call('HDEL', KEYS[7], ARGV[1])
    local had = redis.call('HGET', KEYS[7], ARGV[2])
    if not had or tonumber(had) < tonumber(muteEnd) then redis.call('HSET', KEYS[7], ARGV[2], muteEnd) end
  end
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
add(unpack(ARGV, 6))
return 1
