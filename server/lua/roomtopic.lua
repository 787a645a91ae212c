-- KEYS: one room's record, stream (one hash slot; #lobby's record and stream too).
-- ARGV: name (kept when the record has none), topic, by, ts, max length,
-- then the `topic` entry's fields.
if not redis.call('HGET', KEYS[1], 'name') then redis.call('HSET', KEYS[1], 'name', ARGV[1]) end
redis.call('HSET', KEYS[1], 'topic', ARGV[2], 'by', ARGV[3], 'ts', ARGV[4])
appendAfterNewest(nil, KEYS[2], ARGV[5], unpack(ARGV, 6))
return 1
