-- KEYS: roster, ops, slow, stream, seq, mutes, away. ARGV: how many recent messages.
-- One atomic read: the room as it is after the last entry, and its newest
-- messages.
local newest = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', 1)
local last = '0-0'
if #newest > 0 then last = newest[1][1] end
local seq = tonumber(redis.call('GET', KEYS[5]) or '0')
local recent = recentMessages(KEYS[4], tonumber(ARGV[1]))
return {redis.call('HGETALL', KEYS[1]), redis.call('SMEMBERS', KEYS[2]), redis.call('GET', KEYS[3]) or '0', last,
        tostring(seq), recent, redis.call('HGETALL', KEYS[6]), redis.call('HGETALL', KEYS[7])}
