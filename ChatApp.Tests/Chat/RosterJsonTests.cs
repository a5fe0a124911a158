using ChatApp.Chat;
using ChatApp.Connections;

namespace ChatApp.Tests.Chat;

public sealed class RosterJsonTests
{
    private static readonly string[] Names = ["ann", "Bob \"the\" <b>&", "é", "😀", "back\\slash", "tab\tname", "zoë", "ünïcödé", "a/b"];

    [Fact]
    public void TheRoomsRosterIsByteForByteWhatTheJsonWriterMakes()
    {
        var view = new RosterView([.. Names]);
        Assert.Equal(ChatEventJson.Roster(Names), ChatEventJson.Roster(view)); // an array goes through the writer
        Assert.Equal(ChatEventJson.Roster(Names, type: null), ChatEventJson.Roster(view, type: null));
        Assert.Equal(ChatEventJson.Roster(Names, finish: WebSocketFrames.Text), ChatEventJson.Roster(view, finish: WebSocketFrames.Text));
        Assert.Equal(ChatEventJson.Roster(Array.Empty<string>()), ChatEventJson.Roster(new RosterView([])));
    }

    [Fact]
    public void ANameThatLeavesAndComesBackAndARosterLargerThanTheKeptBufferStayExact()
    {
        var presence = new DefaultRoomPresence();
        foreach (var name in Names) presence.Add(name);
        presence.Remove("ann");
        presence.Drop("ann");
        Assert.Equal(ChatEventJson.Roster(presence.SortedNames.ToArray()), ChatEventJson.Roster(presence.SortedNames));
        presence.Add("ann");
        Assert.Equal(ChatEventJson.Roster(presence.SortedNames.ToArray()), ChatEventJson.Roster(presence.SortedNames));

        var crowd = new DefaultRoomPresence();
        for (var i = 0; i < 30_000; i++) crowd.Add($"user-{i:D6}"); // about 400 KiB of JSON
        var framed = ChatEventJson.Roster(crowd.SortedNames, finish: WebSocketFrames.Text);
        Assert.Equal(ChatEventJson.Roster(crowd.SortedNames.ToArray(), finish: WebSocketFrames.Text), framed);
        Assert.Equal(ChatEventJson.Roster(Names), ChatEventJson.Roster(new RosterView([.. Names]))); // the thread's buffer after it
    }

    [Fact]
    public void TheListKeptInPlaceStaysExactThroughComingsAndGoingsAtEveryPlace()
    {
        var presence = new DefaultRoomPresence();
        var random = new Random(11);
        var online = new List<string>();
        for (var step = 0; step < 2_000; step++)
        {
            // Mostly joins at first, then as many parts: names land first, last and between, and the list empties again.
            if (online.Count > 0 && random.Next(2_000) < step)
            {
                var name = online[random.Next(online.Count)];
                online.Remove(name);
                presence.Remove(name);
                Assert.True(presence.Drop(name));
            }
            else
            {
                var name = Names[random.Next(Names.Length)] + random.Next(300);
                if (online.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
                Assert.True(presence.Add(name));
                online.Add(name);
            }
            if (step % 97 == 0 || online.Count <= 1)
            {
                Assert.Equal(ChatEventJson.Roster(presence.SortedNames.ToArray()), ChatEventJson.Roster(presence.SortedNames));
                Assert.Equal(online.Order(StringComparer.OrdinalIgnoreCase), presence.SortedNames);
            }
        }
        while (online.Count > 0)
        {
            presence.Remove(online[^1]);
            presence.Drop(online[^1]);
            online.RemoveAt(online.Count - 1);
        }
        Assert.Equal(ChatEventJson.Roster(Array.Empty<string>()), ChatEventJson.Roster(presence.SortedNames));
    }
}
