using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// A Lua script always run by its SHA1 (EVALSHA), so a call sends the hash, not the text. Until a connection has
/// run it (and again after the connection failed: Redis may come back without its script cache) a SCRIPT LOAD is
/// pipelined just before the EVALSHA, so calls never meet NOSCRIPT and keep the order they were made in (a user's
/// sends stay in order). A NOSCRIPT all the same (SCRIPT FLUSH) loads the script and repeats the call once; that
/// is safe because NOSCRIPT means the call never ran.
/// </summary>
public sealed class RedisScript(string text)
{
    /// <summary>The scripts each connection has run since it last failed.</summary>
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, LoadedScripts> Loaded = new();

    public string Text { get; } = text;

    /// <summary>The SHA1 Redis knows the script by, computed here so no round trip is needed to learn it.</summary>
    public byte[] Hash { get; } = SHA1.HashData(Encoding.UTF8.GetBytes(text));

    public async Task<RedisResult> EvaluateAsync(IDatabase database, RedisKey[] keys, RedisValue[]? values = null)
    {
        var loaded = LoadIfNeeded(database);
        try
        {
            var result = await database.ScriptEvaluateAsync(Hash, keys, values);
            loaded.Add(this);
            return result;
        }
        catch (RedisServerException e) when (IsNoScript(e))
        {
            await database.ExecuteAsync("SCRIPT", "LOAD", Text);
            return await database.ScriptEvaluateAsync(Hash, keys, values);
        }
    }

    /// <summary>The same, blocking: for the synchronous account and limit stores that sit under request handlers.</summary>
    public RedisResult Evaluate(IDatabase database, RedisKey[] keys, RedisValue[]? values = null)
    {
        var loaded = LoadIfNeeded(database);
        try
        {
            var result = database.ScriptEvaluate(Hash, keys, values);
            loaded.Add(this);
            return result;
        }
        catch (RedisServerException e) when (IsNoScript(e))
        {
            database.Execute("SCRIPT", "LOAD", Text);
            return database.ScriptEvaluate(Hash, keys, values);
        }
    }

    /// <summary>Queues SCRIPT LOAD ahead of the coming EVALSHA on the same connection when this one may not know the script.</summary>
    private LoadedScripts LoadIfNeeded(IDatabase database)
    {
        var loaded = Loaded.GetValue(database.Multiplexer, redis => new LoadedScripts(redis));
        if (!loaded.Contains(this)) database.Execute("SCRIPT", ["LOAD", Text], CommandFlags.FireAndForget);
        return loaded;
    }

    private static bool IsNoScript(RedisServerException e) => e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);

    private sealed class LoadedScripts
    {
        private readonly ConcurrentDictionary<RedisScript, bool> _scripts = new();

        public LoadedScripts(IConnectionMultiplexer redis) =>
            redis.ConnectionFailed += (_, _) => _scripts.Clear(); // Redis may come back without its script cache

        public bool Contains(RedisScript script) => _scripts.ContainsKey(script);

        public void Add(RedisScript script) => _scripts.TryAdd(script, true);
    }
}
