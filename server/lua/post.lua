-- KEYS: sequence, stream, epoch. ARGV: max length, the epoch the instance
-- knows ('': not checked), then the entry's fields.
-- The id and the entry are made in one step, so no two instances can take
-- the same number and no number is taken without its message. An epoch
-- that is no longer the instance's means Redis was rolled back: no id is
-- taken until the instance repaired the sequence (epoch.lua).
if ARGV[2] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[2] then
  return redis.error_reply('EPOCH the message sequence was rolled back')
end
local id = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], id .. '-0', unpack(ARGV, 3))
return id
