-- Replaces a job's live view and appends the change to its feed, in one atomic step, only if the stored view is
-- still the one the writer folded from (compare-and-set on the exact JSON; '' means "no view").
-- KEYS[1] view key, KEYS[2] feed key
-- ARGV[1] expected JSON, ARGV[2] new JSON, ARGV[3] feed entry kind, ARGV[4] time to live (ms),
-- ARGV[5] approximate feed cap, ARGV[6] wake-up channel, ARGV[7] job id
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[4])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'kind', ARGV[3], 'view', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('PUBLISH', ARGV[6], ARGV[7])
return 1
