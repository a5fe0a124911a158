namespace ChatApp.Scaleout;

/// <summary>
/// The Lua scripts through which every node changes the shared room. Each runs atomically in Redis, so an
/// event's id, its log entry and its publication happen together or not at all, whichever node asks.
/// Every script that appends has KEYS[1] = sequence, KEYS[2] = log, ARGV[1] = bus channel,
/// ARGV[2] = the caller's floor (its newest applied id), ARGV[3] = the log's approximate length.
/// </summary>
internal static class RedisScripts
{
    /// <summary>Appends one event JSON: an id above the sequence, the log's top and the floor, the entry, the publication.</summary>
    private const string AppendFunction = """
        local function append(json)
          local id = redis.call('INCR', KEYS[1])
          local top = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
          if #top > 0 then
            local topId = tonumber(string.match(top[1][1], '^(%d+)'))
            if id <= topId then id = topId + 1 end
          end
          local floor = tonumber(ARGV[2])
          if id <= floor then id = floor + 1 end
          local text = string.format('%d', id)
          redis.call('SET', KEYS[1], text)
          redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], text .. '-0', 'e', json)
          redis.call('PUBLISH', ARGV[1], text .. ' ' .. json)
          return id
        end
        """;

    /// <summary>
    /// A user's message or file. KEYS[3] = idempotency key, KEYS[4] = rate-limit bucket; ARGV[4] = event JSON,
    /// ARGV[5] = bucket capacity (0: no limit), ARGV[6] = refill per ms, ARGV[7] = now (ms), ARGV[8] = idempotency
    /// lifetime (s), ARGV[9] = '1' when the send has a clientId. Answers {1, id} stored, {2, id, json?} a repeat,
    /// {3} rate limited.
    /// </summary>
    public static readonly RedisScript Append = new(AppendFunction + """

        if ARGV[9] == '1' then
          local stored = redis.call('GET', KEYS[3])
          if stored then
            local entry = redis.call('XRANGE', KEYS[2], stored .. '-0', stored .. '-0')
            if #entry > 0 then return {2, tonumber(stored), entry[1][2][2]} end
            return {2, tonumber(stored)}
          end
        end
        local capacity = tonumber(ARGV[5])
        if capacity > 0 then
          local now = tonumber(ARGV[7])
          local refill = tonumber(ARGV[6])
          local bucket = redis.call('HMGET', KEYS[4], 't', 's')
          local tokens = capacity
          if bucket[1] then
            tokens = math.min(capacity, tonumber(bucket[1]) + math.max(0, now - tonumber(bucket[2])) * refill)
          end
          local full = math.ceil(capacity / refill) + 1000
          if tokens < 1 then
            redis.call('HSET', KEYS[4], 't', tostring(tokens), 's', ARGV[7])
            redis.call('PEXPIRE', KEYS[4], full)
            return {3}
          end
          redis.call('HSET', KEYS[4], 't', tostring(tokens - 1), 's', ARGV[7])
          redis.call('PEXPIRE', KEYS[4], full)
        end
        local id = append(ARGV[4])
        if ARGV[9] == '1' then redis.call('SET', KEYS[3], string.format('%d', id), 'EX', ARGV[8]) end
        return {1, id}
        """);

    /// <summary>
    /// Presence. KEYS[3] = connections, KEYS[4] = per-user counts, KEYS[5] = online names, KEYS[6] = parting,
    /// KEYS[7] = node heartbeats; ARGV[4] = now (ms), ARGV[5] = key prefix, ARGV[6] = presence grace (ms).
    /// A user joins when their count goes 0 → 1 (unless they come back within the grace) and parts when it
    /// reaches 0 (at once, or once the grace has run out, by <see cref="Sweep"/>).
    /// </summary>
    private const string PresenceFunctions = AppendFunction + """

        local function notice(kind, name, text)
          return cjson.encode({k = 'system', ts = tonumber(ARGV[4]), se = kind, u = name, tx = text})
        end
        local function part(userKey)
          local name = redis.call('HGET', KEYS[5], userKey)
          if not name then return 0 end
          redis.call('HDEL', KEYS[5], userKey)
          return append(notice('part', name, name .. ' left'))
        end
        local function leave(conn)
          local value = redis.call('HGET', KEYS[3], conn)
          if not value then return 0 end
          redis.call('HDEL', KEYS[3], conn)
          local bar = string.find(value, '|', 1, true)
          local userKey = string.sub(value, bar + 1)
          redis.call('SREM', ARGV[5] .. 'node:' .. string.sub(value, 1, bar - 1), conn)
          if redis.call('HINCRBY', KEYS[4], userKey, -1) > 0 then return 0 end
          redis.call('HDEL', KEYS[4], userKey)
          local grace = tonumber(ARGV[6])
          if grace > 0 then
            redis.call('ZADD', KEYS[6], tonumber(ARGV[4]) + grace, userKey)
            return 0
          end
          return part(userKey)
        end
        """;

    /// <summary>ARGV[7] = connection, ARGV[8] = node, ARGV[9] = user key, ARGV[10] = name. Answers the join's id, or 0.</summary>
    public static readonly RedisScript Connect = new(PresenceFunctions + """

        local conn, node, userKey, name = ARGV[7], ARGV[8], ARGV[9], ARGV[10]
        if redis.call('HSETNX', KEYS[3], conn, node .. '|' .. userKey) == 0 then return 0 end
        redis.call('SADD', ARGV[5] .. 'node:' .. node, conn)
        if redis.call('HINCRBY', KEYS[4], userKey, 1) > 1 then return 0 end
        local returning = redis.call('ZREM', KEYS[6], userKey) == 1
        if returning and redis.call('HEXISTS', KEYS[5], userKey) == 1 then return 0 end
        redis.call('HSET', KEYS[5], userKey, name)
        return append(notice('join', name, name .. ' joined'))
        """);

    /// <summary>ARGV[7] = connection. Answers the part's id, or 0.</summary>
    public static readonly RedisScript Disconnect = new(PresenceFunctions + """

        return leave(ARGV[7])
        """);

    /// <summary>ARGV[7] = node, ARGV[8] = when it is dead unless heard from again (ms). Answers 0 when the node was not registered (new, or swept as dead).
    /// Each beat also raises the sequence to the node's floor, so a Redis that lost its data is floored by every live node within one beat.</summary>
    public static readonly RedisScript Heartbeat = new("""
        local floor = tonumber(ARGV[2])
        if tonumber(redis.call('GET', KEYS[1]) or '0') < floor then redis.call('SET', KEYS[1], string.format('%d', floor)) end
        local known = redis.call('ZSCORE', KEYS[7], ARGV[7])
        redis.call('ZADD', KEYS[7], ARGV[8], ARGV[7])
        if known then return 1 end
        return 0
        """);

    /// <summary>
    /// Puts every connection of each node whose heartbeat ran out (and of ARGV[7], a node starting again, when
    /// not empty) through leave, then parts the users whose grace ran out. Atomic, so concurrent sweeps are safe.
    /// Answers the number of nodes dropped.
    /// </summary>
    public static readonly RedisScript Sweep = new(PresenceFunctions + """

        local now = tonumber(ARGV[4])
        local dead = redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', now)
        if ARGV[7] ~= '' then table.insert(dead, ARGV[7]) end
        for _, node in ipairs(dead) do
          local set = ARGV[5] .. 'node:' .. node
          for _, conn in ipairs(redis.call('SMEMBERS', set)) do leave(conn) end
          redis.call('DEL', set)
          redis.call('ZREM', KEYS[7], node)
        end
        for _, userKey in ipairs(redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', now)) do
          redis.call('ZREM', KEYS[6], userKey)
          if not redis.call('HGET', KEYS[4], userKey) then part(userKey) end
        end
        return #dead
        """);
}
