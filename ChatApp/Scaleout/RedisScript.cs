using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace ChatApp.Scaleout;

/// <summary>
/// A Lua script always run by its SHA1 (EVALSHA), so each call sends the hash, not the text. When Redis answers
/// NOSCRIPT (restarted without its data, or SCRIPT FLUSH) the script is loaded again (SCRIPT LOAD) and the call
/// repeated once; scripts are idempotent to that only because NOSCRIPT means the first call never ran.
/// </summary>
public sealed class RedisScript(string text)
{
    public string Text { get; } = text;

    /// <summary>The SHA1 Redis knows the script by, computed here so no round trip is needed to learn it.</summary>
    public byte[] Hash { get; } = SHA1.HashData(Encoding.UTF8.GetBytes(text));

    public async Task<RedisResult> EvaluateAsync(IDatabase database, RedisKey[] keys, RedisValue[]? values = null)
    {
        try { return await database.ScriptEvaluateAsync(Hash, keys, values); }
        catch (RedisServerException e) when (IsNoScript(e))
        {
            await database.ExecuteAsync("SCRIPT", "LOAD", Text);
            return await database.ScriptEvaluateAsync(Hash, keys, values);
        }
    }

    /// <summary>The same, blocking: for the synchronous account and limit stores that sit under request handlers.</summary>
    public RedisResult Evaluate(IDatabase database, RedisKey[] keys, RedisValue[]? values = null)
    {
        try { return database.ScriptEvaluate(Hash, keys, values); }
        catch (RedisServerException e) when (IsNoScript(e))
        {
            database.Execute("SCRIPT", "LOAD", Text);
            return database.ScriptEvaluate(Hash, keys, values);
        }
    }

    private static bool IsNoScript(RedisServerException e) => e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal);
}
