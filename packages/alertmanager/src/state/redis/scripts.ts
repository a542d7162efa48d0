// The Lua scripts that make the Redis state's writes atomic (see the package README, "Replicas share state through Redis"). A stored
// value starts with 20 decimal digits of its version, so versions compare as strings.

/** Stores ARGV[i+1] under field ARGV[i] unless a newer version is stored; logs each write to the change stream. */
const PUT_FUNCTION = `
local function put(hash, rev, stream, origin, kind, maxlen, field, value)
  local current = redis.call('HGET', hash, field)
  if current and string.sub(current, 1, 20) > string.sub(value, 1, 20) then return 0 end
  redis.call('HSET', hash, field, value)
  local n = redis.call('INCR', rev)
  redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'rev', n, 'origin', origin, 'kind', kind, 'key', field, 'value', value)
  return 1
end
`;

/** KEYS: hash, rev, stream. ARGV: origin, kind, maxlen, then field/value pairs. Returns how many were written. */
export const PUT = `${PUT_FUNCTION}
local written = 0
for i = 4, #ARGV, 2 do
  written = written + put(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[i], ARGV[i + 1])
end
return written`;

/** KEYS: hash. ARGV: field/version pairs. Deletes each field whose stored version is not newer. */
export const DELETE = `
local deleted = 0
for i = 1, #ARGV, 2 do
  local current = redis.call('HGET', KEYS[1], ARGV[i])
  if current and string.sub(current, 1, 20) <= ARGV[i + 1] then
    redis.call('HDEL', KEYS[1], ARGV[i])
    deleted = deleted + 1
  end
end
return deleted`;

/**
 * KEYS: hash, claim. ARGV: field, the value the decision was made on ('' = none), token, ttl ms.
 * Returns 1 when the claim was taken, 0 when another token holds it, -1 when the value changed
 * since it was read (decide again).
 */
export const CLAIM = `
local current = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if current ~= ARGV[2] then return -1 end
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
return 1`;

/** KEYS: claim. ARGV: token, ttl ms. Extends the claim if the token still holds it; 1 or 0. */
export const RENEW = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/** KEYS: claim. ARGV: token. Releases the claim if the token still holds it; 1 or 0. */
export const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

/**
 * KEYS: hash, rev, stream, claim. ARGV: origin, kind, maxlen, field, value, token. Writes the
 * value (as PUT) and releases the claim; returns 1 if the token still held it, else 0.
 */
export const COMMIT = `${PUT_FUNCTION}
put(KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])
if redis.call('GET', KEYS[4]) ~= ARGV[6] then return 0 end
redis.call('DEL', KEYS[4])
return 1`;
