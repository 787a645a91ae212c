-- Put before the scripts that read a stream's newest messages.
-- The newest `want` message entries (kind 'm') of a stream, oldest first;
-- message ids have gaps (the sequence is shared by every room), so they are
-- counted, not computed.
local function recentMessages(streamKey, want)
  local found = {}
  if want <= 0 then return found end
  local batch = 256
  local upper = '+'
  while #found < want do
    local items = redis.call('XREVRANGE', streamKey, upper, '-', 'COUNT', batch)
    for _, item in ipairs(items) do
      local f = item[2]
      for i = 1, #f, 2 do
        if f[i] == 'k' then
          if f[i + 1] == 'm' then table.insert(found, item) end
          break
        end
      end
      if #found >= want then break end
    end
    if #items < batch then break end
    upper = '(' .. items[#items][1]
  end
  local ordered = {}
  for i = #found, 1, -1 do table.insert(ordered, found[i]) end
  return ordered
end
