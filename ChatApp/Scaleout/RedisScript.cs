using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// A Lua script always run by its SHA1 (EVALSHA), so a call sends the hash, not the text. The first call on a
/// connection (and the first after it failed: Redis may come back without its script cache) pipelines one SCRIPT
/// LOAD just before its EVALSHA; every later call is queued behind that load on the same connection, so calls
/// never meet NOSCRIPT and keep the order they were made in (a user's sends stay in order). A NOSCRIPT all the same (SCRIPT FLUSH) loads the script and repeats the call once; that
/// is safe because NOSCRIPT means the call never ran.
/// </summary>
public sealed class RedisScript(string text)
{
    /// <summary>The scripts whose load each connection has queued since it last failed.</summary>
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, LoadedScripts> Loaded = new();

    public string Text { get; } = text;

    /// <summary>The SHA1 Redis knows the script by, computed here so no round trip is needed to learn it.</summary>
    public byte[] Hash { get; } = SHA1.HashData(Encoding.UTF8.GetBytes(text));

    public async Task<RedisResult> EvaluateAsync(IDatabase database, RedisKey[] keys, RedisValue[]? values = null)
    {
        LoadIfNeeded(database);
        try { return await database.ScriptEvaluateAsync(Hash, keys, values); }
        catch (RedisServerException e) when (IsNoScript(e))
        {
            await database.ExecuteAsync("SCRIPT", "LOAD", Text);
            return await database.ScriptEvaluateAsync(Hash, keys, values);
        }
    }

    /// <summary>Queues SCRIPT LOAD ahead of the coming EVALSHA when no load of this script is queued on this connection since it last failed.</summary>
    private void LoadIfNeeded(IDatabase database)
    {
        if (Loaded.GetValue(database.Multiplexer, redis => new LoadedScripts(redis)).TryAdd(this))
            database.Execute("SCRIPT", ["LOAD", Text], CommandFlags.FireAndForget);
    }

    private static bool IsNoScript(RedisServerException e) => e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);

    private sealed class LoadedScripts
    {
        private readonly ConcurrentDictionary<RedisScript, bool> _scripts = new();

        public LoadedScripts(IConnectionMultiplexer redis) =>
            redis.ConnectionFailed += (_, _) => _scripts.Clear(); // Redis may come back without its script cache

        /// <summary>True for the first caller since the connection last failed: it queues the load.</summary>
        public bool TryAdd(RedisScript script) => _scripts.TryAdd(script, true);
    }
}
