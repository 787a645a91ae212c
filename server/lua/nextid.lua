-- KEYS: seq, epoch. ARGV: the epoch the instance knows ('' : not checked).
-- The next message id, unless the sequence's epoch is no longer the one
-- the instance knows (Redis was rolled back: the id might be one it
-- delivered already); then an error, and the instance repairs first
-- (epoch.lua).
if ARGV[1] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[1] then
  return redis.error_reply('EPOCH the message sequence was rolled back')
end
return redis.call('INCR', KEYS[1])
