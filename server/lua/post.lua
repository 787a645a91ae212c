-- KEYS: sequence, stream. ARGV: max length, then the entry's fields.
-- The id and the entry are made in one step, so no two instances can take
-- the same number and no number is taken without its message.
local id = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], id .. '-0', unpack(ARGV, 2))
return id
