-- Appends one or more changes of an owner's jobs to the owner's feed, renews its time to live and wakes its readers,
-- in one call. Only one key, so that it runs on a Redis Cluster too; see OwnerFeedAppend for why it is not part of
-- replace-view.lua.
-- KEYS[1] owner feed key
-- ARGV[1] approximate feed cap, ARGV[2] time to live (ms), ARGV[3] wake-up channel, ARGV[4] owner id,
-- then per change in order: its feed entry kind and the view's JSON after it
for i = 5, #ARGV, 2 do
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'kind', ARGV[i], 'view', ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
