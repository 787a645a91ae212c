-- KEYS: claims, roster, users of this instance, ops, seq, stream, away, resume.
-- ARGV: key, nick, instance, max length, the presented token's hash, the
-- new token's hash, key prefix, number of kick fields, number of left
-- fields, then the kick entry's fields, the left entry's and the joined's.
-- A nickname held by another instance (alive, or dead and not reaped yet)
-- moves to this one when the presented token's hash is the one kept with
-- the claim: the kick tells the old instance (if alive) to close its
-- connection with `bye resumed`, the `left` and `joined` tell everyone, in
-- the one order. Returns 1 when it moved, 0 otherwise (nick-taken).
local function add(...) return appendAfterNewest(KEYS[5], KEYS[6], ARGV[4], ...) end
local holder = redis.call('HGET', KEYS[1], ARGV[1])
if not holder or holder == ARGV[3] then return 0 end
local stored = redis.call('HGET', KEYS[8], ARGV[1])
if not stored or stored ~= ARGV[5] then return 0 end
redis.call('SREM', ARGV[7] .. 'users:' .. holder, ARGV[1])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[3], ARGV[1])
-- Operator status and away end with the old connection, as on one server.
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('HDEL', KEYS[7], ARGV[1])
redis.call('HSET', KEYS[8], ARGV[1], ARGV[6])
local kick, left = tonumber(ARGV[8]), tonumber(ARGV[9])
local first = 10
add(unpack(ARGV, first, first + kick - 1))
add(unpack(ARGV, first + kick, first + kick + left - 1))
add(unpack(ARGV, first + kick + left))
return 1
