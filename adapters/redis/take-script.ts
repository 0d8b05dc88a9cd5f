/** How long past its window a bucket is kept, for clocks that disagree (as the SQL limiter's pruning). @internal */
export const CLOCK_SKEW_GRACE_MS = 60_000;

/**
 * The Lua script of one `take`, run atomically by Redis over every bucket of the take: the
 * arithmetic of `src/request-controls/token-bucket.ts`, operation for operation (doubles in both),
 * so that Redis and the other limiters answer the same takes the same way.
 *
 * - `KEYS[i]`: the hash of bucket `i` (fields `tokens` and `updatedAt`, numbers as text).
 * - `ARGV[1]`: the caller's `now` (epoch ms; Redis `TIME` is never read). Then, for bucket `i`,
 *   `ARGV[3i-1]`, `ARGV[3i]`, `ARGV[3i+1]`: its `limit`, `windowMs` and `cost`.
 * - Reply: `{ allowed (1 or 0), refusedBy (0-based, -1), retryAfterMs, then remaining and
 *   resetMs of each bucket }`, every one a whole number.
 *
 * Writes only when every bucket holds its cost: each bucket's new state, with `PEXPIRE` of its
 * window plus {@link CLOCK_SKEW_GRACE_MS} (a bucket idle a whole window is full, the same as a
 * missing one; the grace keeps it while the clocks of the instances sharing it disagree: Redis
 * counts the expiry on its own clock, the bucket's `updatedAt` is the caller's, and a bucket
 * deleted early by a clock ahead would refill early).
 *
 * @internal
 */
export const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
local count = #KEYS
local limits, windows, costs = {}, {}, {}
local before, after, updated = {}, {}, {}
local refusedBy, retryAfter = -1, 0
for i = 1, count do
  local limit = tonumber(ARGV[3 * i - 1])
  local windowMs = tonumber(ARGV[3 * i])
  local cost = tonumber(ARGV[3 * i + 1])
  limits[i], windows[i], costs[i] = limit, windowMs, cost
  local earlier = 0
  for j = i - 1, 1, -1 do
    if KEYS[j] == KEYS[i] then
      earlier = j
      break
    end
  end
  local tokens, updatedAt
  if earlier > 0 then
    tokens = math.min(limit, after[earlier])
    updatedAt = updated[earlier]
  else
    local stored = redis.call('HMGET', KEYS[i], 'tokens', 'updatedAt')
    if stored[1] and stored[2] then
      local storedAt = tonumber(stored[2])
      local elapsed = 0
      if now > storedAt then elapsed = now - storedAt end
      tokens = tonumber(stored[1]) + (elapsed * limit) / windowMs
      if not (tokens < limit) then tokens = limit end
      updatedAt = math.max(storedAt, now)
    else
      tokens = limit
      updatedAt = now
    end
  end
  before[i], updated[i] = tokens, updatedAt
  if tokens >= cost then
    after[i] = tokens - cost
  else
    after[i] = tokens
    if refusedBy < 0 then refusedBy = i - 1 end
    local wait = windowMs
    if cost <= limit then
      wait = math.ceil(((cost - tokens) * windowMs) / limit)
      if wait < 1 then wait = 1 end
    end
    if wait > retryAfter then retryAfter = wait end
  end
end
local reply = { 1, -1, 0 }
if refusedBy >= 0 then reply = { 0, refusedBy, retryAfter } end
for i = 1, count do
  local limit, windowMs = limits[i], windows[i]
  local tokens, remaining = after[i], 0
  if refusedBy < 0 then
    remaining = math.floor(tokens)
    redis.call('HSET', KEYS[i], 'tokens', string.format('%.17g', tokens), 'updatedAt', string.format('%.17g', updated[i]))
    redis.call('PEXPIRE', KEYS[i], math.ceil(windowMs) + ${CLOCK_SKEW_GRACE_MS})
  else
    tokens = before[i]
    if tokens >= costs[i] then remaining = math.floor(tokens) end
  end
  reply[2 * i + 2] = remaining
  reply[2 * i + 3] = math.ceil(((limit - tokens) * windowMs) / limit)
end
return reply
`;
