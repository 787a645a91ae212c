-- KEYS: roster, ops, slow, stream, seq, mutes. ARGV: how many recent messages.
-- One atomic read: the room as it is after the last entry, and the entries
-- from the oldest of those messages on (their events included).
local newest = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', 1)
local last = '0-0'
if #newest > 0 then last = newest[1][1] end
local seq = tonumber(redis.call('GET', KEYS[5]) or '0')
local recent = {}
local first = seq - tonumber(ARGV[1]) + 1
if first < 1 then first = 1 end
if tonumber(ARGV[1]) > 0 and seq > 0 then recent = redis.call('XRANGE', KEYS[4], first .. '-0', last) end
return {redis.call('HGETALL', KEYS[1]), redis.call('SMEMBERS', KEYS[2]), redis.call('GET', KEYS[3]) or '0', last,
        tostring(seq), recent, redis.call('HGETALL', KEYS[6])}
