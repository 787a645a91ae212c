-- KEYS: claims, roster, users of this instance, ops, seq, stream, away, resume.
-- ARGV: instance, max length, timestamp, then (key, nick, joined entry
-- frame) for each user served here. Releases this instance's claims that
-- have no user here any more, claims again those that were lost (reaped
-- while Redis was out of reach) and returns the keys another instance took.
local function add(...) return appendAfterNewest(KEYS[5], KEYS[6], ARGV[2], ...) end
local here = {}
for i = 4, #ARGV, 3 do here[ARGV[i]] = i end
for _, key in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if not here[key] then
    redis.call('SREM', KEYS[3], key)
    if redis.call('HGET', KEYS[1], key) == ARGV[1] then
      local nick = redis.call('HGET', KEYS[2], key) or key
      redis.call('HDEL', KEYS[1], key)
      redis.call('HDEL', KEYS[2], key)
      redis.call('SREM', KEYS[4], key)
      redis.call('HDEL', KEYS[7], key)
      redis.call('HDEL', KEYS[8], key)
      add('k', 'e', 'f', cjson.encode({type = 'left', nick = nick, reason = 'disconnected', ts = ARGV[3]}),
          'i', ARGV[1], 'c', '0', 't', '')
    end
  end
end
local lost = {}
for key, i in pairs(here) do
  local holder = redis.call('HGET', KEYS[1], key)
  if not holder then
    redis.call('HSET', KEYS[1], key, ARGV[1])
    redis.call('HSET', KEYS[2], key, ARGV[i + 1])
    redis.call('SADD', KEYS[3], key)
    add('k', 'e', 'f', ARGV[i + 2], 'i', ARGV[1], 'c', '0', 't', '')
  elseif holder ~= ARGV[1] then
    table.insert(lost, key)
  else
    redis.call('SADD', KEYS[3], key)
  end
end
return lost
