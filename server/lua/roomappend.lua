-- KEYS: a room's stream[, cid] (one slot). ARGV: max length, the id
-- (nextid.lua took it), the cid's lifetime in seconds, the message's ts,
-- then the entry's fields.
-- The message's entry and its cid in one step, as post.lua does for
-- #lobby: a cid its author posted before is not posted again, and the
-- answer is {id, ts} of that post; the id taken for this one stays unused
-- (ids may have gaps). An id not above the stream's newest is refused by
-- XADD ("equal or smaller"): the caller takes another.
if KEYS[2] then
  local seen = redis.call('GET', KEYS[2])
  if seen then
    local id, ts = string.match(seen, '^(%d+) (.*)$')
    return {tonumber(id), ts}
  end
end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], ARGV[2] .. '-0', unpack(ARGV, 5))
if KEYS[2] then
  redis.call('SET', KEYS[2], ARGV[2] .. ' ' .. ARGV[4], 'EX', ARGV[3])
end
return tonumber(ARGV[2])
