-- KEYS: seq, epoch.
-- ARGV: the epoch this instance knows ('' before its first), the highest
-- message id it has delivered, a new epoch (used only if one is made here),
-- the margin: how far above the delivered ids the sequence goes on after a
-- rollback.
-- Returns {epoch before ('' for none), sequence before, epoch now}.
-- The check and the repair are one atomic step, so that instances finding
-- a rollback at once agree on one new epoch and the sequence only rises:
-- made when Redis has none (first start, or FLUSHALL), and made anew when
-- the sequence fell below what this instance delivered under the epoch it
-- knows (the others then see the epoch change and re-read too). Every
-- instance that finds it raises the sequence above its own delivered ids.
-- The one that makes the new epoch after a rollback raises it by the margin
-- more: another instance may have delivered ids above this one's (in a room
-- only it follows) and not have looked yet; they are below the margin. Only
-- the very first start (no epoch, no sequence, and this instance knew none)
-- starts from 1.
local before = redis.call('GET', KEYS[2]) or ''
local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = tonumber(ARGV[2])
local now = before
if before == '' or (before == ARGV[1] and seq < floor) then
  now = ARGV[3]
  redis.call('SET', KEYS[2], now)
  local firstStart = before == '' and ARGV[1] == '' and seq == 0
  if not firstStart then
    redis.call('SET', KEYS[1], string.format('%.0f', math.max(seq, floor) + tonumber(ARGV[4])))
    return {before, tostring(seq), now}
  end
end
if seq < floor then redis.call('SET', KEYS[1], floor) end
return {before, tostring(seq), now}
