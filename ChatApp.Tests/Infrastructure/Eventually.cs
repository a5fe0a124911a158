using System.Diagnostics;

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// Waits for something the server does in the background (a write reaching the database, a socket's close
/// reaching the roster), checking often and failing after <see cref="ChatServer.Timeout"/>. The one deadline
/// loop of the tests: it bounds a wait, and no test reads how long anything took.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMilliseconds(20);

    public static Task ThatAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        ThatAsync(() => Task.FromResult(condition()), what, within);

    public static async Task ThatAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var budget = within ?? ChatServer.Timeout;
        var waited = Stopwatch.StartNew();
        while (!await condition().WaitAsync(budget))
        {
            if (waited.Elapsed > budget) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(CheckEvery);
        }
    }
}
