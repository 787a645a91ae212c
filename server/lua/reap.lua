-- KEYS: instances, claims, roster, ops, seq, stream, away, beats, resume.
-- ARGV: this instance, key prefix, timestamp, max length, then pairs of
-- (instance, beat counter as seen, '' for none) that this instance saw
-- silent (LivenessTracker).
-- Each of them whose counter is still the one seen loses its users, each
-- with a `left` entry; the script is atomic, so only one instance does it,
-- and one that beat meanwhile is spared. Their
-- rooms were cleaned before (ClusterRooms::startReap, one room's keys at a time),
-- so the `left` comes after they left every room.
local function add(...) return appendAfterNewest(KEYS[5], KEYS[6], ARGV[4], ...) end
local reaped = 0
for i = 5, #ARGV - 1, 2 do
  local inst = ARGV[i]
  local counter = redis.call('HGET', KEYS[8], inst) or ''
  if inst ~= ARGV[1] and counter == ARGV[i + 1] and redis.call('SISMEMBER', KEYS[1], inst) == 1 then
    local users = ARGV[2] .. 'users:' .. inst
    for _, key in ipairs(redis.call('SMEMBERS', users)) do
      if redis.call('HGET', KEYS[2], key) == inst then
        local nick = redis.call('HGET', KEYS[3], key) or key
        redis.call('HDEL', KEYS[2], key)
        redis.call('HDEL', KEYS[3], key)
        redis.call('SREM', KEYS[4], key)
        redis.call('HDEL', KEYS[7], key)
        redis.call('HDEL', KEYS[9], key)
        add('k', 'e', 'f', cjson.encode({type = 'left', nick = nick, reason = 'disconnected', ts = ARGV[3]}),
            'i', inst, 'c', '0', 't', '')
        reaped = reaped + 1
      end
    end
    redis.call('DEL', users)
    redis.call('DEL', ARGV[2] .. 'memberships:' .. inst)
    redis.call('SREM', KEYS[1], inst)
    redis.call('HDEL', KEYS[8], inst)
  end
end
return reaped
