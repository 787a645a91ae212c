-- KEYS: one room's record, members, where, stream (one hash slot).
-- ARGV: nick key, nick, instance, name as asked, max length, how many recent
-- messages ('' when this instance follows the room already: no snapshot),
-- ts, connection.
-- Makes the room if it has no record, adds the member and appends its
-- `joined` entry. Returns {new member (1/0), name as created, topic, by, ts,
-- the id of the entry before `joined`, members, recent messages}: with a
-- snapshot, the room exactly as it was before the `joined` entry, so an
-- instance that follows the stream from that id misses nothing and reads
-- nothing twice.
local name = redis.call('HGET', KEYS[1], 'name')
if not name then
  name = ARGV[4]
  redis.call('HSET', KEYS[1], 'name', name)
end
local record = redis.call('HMGET', KEYS[1], 'topic', 'by', 'ts')
local before = '0-0'
local newest = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', 1)
if #newest > 0 then before = newest[1][1] end
local members = {}
local recent = {}
if ARGV[6] ~= '' then
  members = redis.call('HGETALL', KEYS[2])
  recent = recentMessages(KEYS[4], tonumber(ARGV[6]))
end
local new = redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
local frame = cjson.encode({type = 'joined', nick = ARGV[2], ts = ARGV[7], room = name})
appendAfterNewest(nil, KEYS[4], ARGV[5], 'k', 'e', 'f', frame, 'i', ARGV[3], 'c', ARGV[8], 't', '')
return {new, name, record[1] or '', record[2] or '', record[3] or '', before, members, recent}
