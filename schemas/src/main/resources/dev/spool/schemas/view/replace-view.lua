-- Replaces a job's live view with the last of one or more changes and appends every change to its feed, in one
-- atomic step, only if the stored view is still the one the writer folded from (compare-and-set on the exact JSON;
-- '' means "no view"). Readers take the channel as a wake-up and read the feed from their last entry, so one
-- message covers all the changes. A 'deleted' change first removes the feed's earlier entries: they describe the job,
-- and nothing of a deleted job may stay readable.
-- KEYS[1] view key, KEYS[2] feed key
-- ARGV[1] expected JSON, ARGV[2] time to live (ms), ARGV[3] approximate feed cap, ARGV[4] wake-up channel,
-- ARGV[5] job id, then per change in order: its feed entry kind and the view's JSON after it
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then
  return 0
end
for i = 6, #ARGV, 2 do
  if ARGV[i] == 'deleted' then
    redis.call('DEL', KEYS[2])
  end
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'kind', ARGV[i], 'view', ARGV[i + 1])
end
redis.call('SET', KEYS[1], ARGV[#ARGV], 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
