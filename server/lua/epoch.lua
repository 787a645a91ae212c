-- KEYS: seq, epoch.
-- ARGV: the epoch this instance knows ('' before its first), the highest
-- message id it has delivered, a new epoch (used only if one is made here).
-- Returns {epoch before ('' for none), sequence before, epoch now}.
-- The check and the repair are one atomic step, so that instances finding
-- a rollback at once agree on one new epoch and the sequence only rises:
-- made when Redis has none (first start, or FLUSHALL), and made anew when
-- the sequence fell below what this instance delivered under the epoch it
-- knows (the others then see the epoch change and re-read too). Every
-- instance that finds it raises the sequence above its own delivered ids.
local before = redis.call('GET', KEYS[2]) or ''
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = tonumber(ARGV[2])
local now = before
if before == '' or (before == ARGV[1] and seq < floor) then
  now = ARGV[3]
  redis.call('SET', KEYS[2], now)
end
if seq < floor then redis.call('SET', KEYS[1], floor) end
return {before, tostring(seq), now}
