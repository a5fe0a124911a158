using System.Data.Common;
using ChatApp.Chat;
using ChatApp.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ChatApp.Tests.Storage;

/// <summary>
/// Archive reads answer replays and requests, so every read must walk the primary key or an index, never the
/// whole table or a sort: checked with SQLite's own query plan of the SQL EF sends (and the count's own SQL).
/// </summary>
public sealed class EventStoreQueryPlanTests
{
    [Fact]
    public async Task EveryArchiveReadWalksTheKeyOrAnIndexAndNeverSorts()
    {
        var file = SqliteFile.CopyOfReleaseV2();
        file.Migrate();
        var recorder = new CommandRecorder();
        var options = new DbContextOptionsBuilder<ChatDbContext>()
            .UseSqlite($"Data Source={file.Path};Pooling=False").AddInterceptors(recorder).Options;
        var store = new EventStore(new Contexts(options));
        var ann = new ChatUser("ann");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var ct = timeout.Token;
        Assert.Equal("just for ann", (await store.FindAsync(4, ct))!.Text);
        Assert.Equal(12, store.Newest(5).Last().Id);
        Assert.Equal([3, 4, 5], (await store.VisibleAsync(ann, 0, 6, 3, newest: true, conversationOnly: true, ct)).Select(e => e.Id));
        Assert.Equal([1, 2, 3], (await store.VisibleAsync(ann, 0, 100, 3, newest: false, conversationOnly: false, ct)).Select(e => e.Id));
        Assert.Equal(3, await store.PublicMessageCountAsync("ann", 0, ct));
        Assert.NotEmpty(store.NewestPublicTalk(100, 3));
        Assert.NotEmpty(store.PrivateConversation(0, 100, 1).NewestPerName);
        // A count asked from another id (a name claimed since) is moved there by counting the rows between, by the key.
        Assert.Equal(2, await store.PublicMessageCountAsync("ann", 5, ct));

        foreach (var command in recorder.Commands)
        {
            var plan = string.Join("\n", file.QueryPlan(command));
            Assert.DoesNotContain("TEMP B-TREE", plan);
            if (command.Sql.Contains("WHERE")) Assert.True(plan.StartsWith("SEARCH") && !plan.Contains("SCAN"), $"{command.Sql}\n{plan}");
        }
        // The paging and replay read runs on SQLite's own reader (not through EF's interceptor): its plan, every variant.
        foreach (var newest in new[] { false, true })
            foreach (var conversationOnly in new[] { false, true })
            {
                var visible = new RecordedCommand(EventStore.VisibleSql(newest, conversationOnly),
                    [("$after", 0L), ("$before", 100L), ("$name", "ann"), ("$visibleFrom", 0L), ("$limit", 3)]);
                var plan = file.QueryPlan(visible);
                Assert.Equal("SEARCH e USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)", plan[0]);
                Assert.Contains(plan, step => step.StartsWith("SEARCH s USING INTEGER PRIMARY KEY (rowid=?)"));
                Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE") || step.Contains("SCAN"));
            }
        // The start-up reads of the talk archive walk the key down, never the addressees' index and a sort.
        foreach (var talk in new[]
                 {
                     new RecordedCommand(EventStore.PublicTalkSql, [("$before", 100L), ("$limit", 3)]),
                     new RecordedCommand(EventStore.PrivateTalkSql, [("$from", 2L), ("$before", 100L)]),
                 })
        {
            var plan = file.QueryPlan(talk);
            Assert.StartsWith("SEARCH e USING INTEGER PRIMARY KEY (rowid", plan[0]);
            Assert.Contains(plan, step => step.StartsWith("SEARCH s USING INTEGER PRIMARY KEY (rowid=?)"));
            Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE") || step.Contains("SCAN"));
        }
        // Every row's sender is found by its number, never by scanning the senders.
        foreach (var read in recorder.Commands.Where(c => c.Sql.Contains("LEFT JOIN")))
            Assert.Contains(file.QueryPlan(read), step => step.StartsWith("SEARCH s USING INTEGER PRIMARY KEY (rowid=?)"));
        // The profile's count is one row of Senders, found by name, however many messages a user sent.
        var count = recorder.Commands.First(c => c.Sql.Contains("FROM \"Senders\""));
        Assert.Equal(["SEARCH s USING INDEX IX_Senders_Name (Name=?)"], file.QueryPlan(count));
        var range = recorder.Commands.Single(c => c.Sql.Contains("count(*)"));
        Assert.Equal(["SEARCH Events USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)"], file.QueryPlan(range));
    }

    private sealed class Contexts(DbContextOptions<ChatDbContext> options) : IDbContextFactory<ChatDbContext>
    {
        public ChatDbContext CreateDbContext() => new(options);
    }

    public sealed record RecordedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);

    private sealed class CommandRecorder : DbCommandInterceptor
    {
        public List<RecordedCommand> Commands { get; } = [];

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Record(command);
            return result;
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        private void Record(DbCommand command) => Commands.Add(new(command.CommandText,
            command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList()));
    }
}
