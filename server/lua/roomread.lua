-- KEYS: one room's record, members (one hash slot).
-- Returns {name, topic, by, ts, members (nick key, nick, ...)}; '' for what the record lacks.
local record = redis.call('HMGET', KEYS[1], 'name', 'topic', 'by', 'ts')
return {record[1] or '', record[2] or '', record[3] or '', record[4] or '', redis.call('HGETALL', KEYS[2])}
