-- KEYS: sequence, stream, epoch[, cid]. ARGV: max length, the epoch the
-- instance knows ('': not checked), the cid's lifetime in seconds, the
-- message's ts, then the entry's fields.
-- The id and the entry are made in one step, so no two instances can take
-- the same number and no number is taken without its message. An epoch
-- that is no longer the instance's means Redis was rolled back: no id is
-- taken until the instance repaired the sequence (epoch.lua).
-- With a cid key: a cid its author posted before is not posted again; the
-- answer is then {id, ts} of that post (docs/protocol.md, "Posting again
-- safely"). The cid is written in the same step as the message.
if ARGV[2] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[2] then
  return redis.error_reply('EPOCH the message sequence was rolled back')
end
if KEYS[4] then
  local seen = redis.call('GET', KEYS[4])
  if seen then
    local id, ts = string.match(seen, '^(%d+) (.*)$')
    return {tonumber(id), ts}
  end
end
local id = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], id .. '-0', unpack(ARGV, 5))
if KEYS[4] then
  redis.call('SET', KEYS[4], id .. ' ' .. ARGV[4], 'EX', ARGV[3])
end
return id
