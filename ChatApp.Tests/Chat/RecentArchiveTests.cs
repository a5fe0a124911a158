using ChatApp.Chat;

namespace ChatApp.Tests.Chat;

/// <summary>
/// The archive's conversation: public talk and private conversation are held apart, so private traffic between others
/// cannot push the public talk out of memory, and what the private list lets go is remembered per name.
/// </summary>
public sealed class RecentArchiveTests
{
    private static readonly ChatUser Ann = new("ann"), Bob = new("bob"), Carl = new("carl");
    private long _id;

    private StoredEvent Public(string text) => new(new ChatEvent { Id = ++_id, Kind = ChatEventKind.Message, From = "ann", Text = text });

    private StoredEvent Private(string from, string to) => new(new ChatEvent { Id = ++_id, Kind = ChatEventKind.Message, From = from, To = to, Text = "psst" });

    private StoredEvent Notice(string to) => new(new ChatEvent { Id = ++_id, Kind = ChatEventKind.System, To = to, Text = "someone looked at your profile" });

    private StoredEvent Join(string user) => new(new ChatEvent { Id = ++_id, Kind = ChatEventKind.System, Text = $"{user} joined" });

    [Fact]
    public void PrivateNoticesForOthersDoNotPushThePublicTalkOutOfMemory()
    {
        var archive = new RecentArchive(capacity: 10, talkCapacity: 4);
        var talk = Enumerable.Range(1, 4).Select(i => Public($"t{i}")).ToList();
        talk.ForEach(archive.Add);
        for (var i = 0; i < 50; i++) archive.Add(i % 2 == 0 ? Notice("bob") : Join($"passer{i}"));

        var replay = archive.Visible(Carl, 0, 3, newest: true, conversationOnly: true);

        Assert.Equal(talk.Skip(1).Select(e => e.Id), replay.Select(e => e.Id));
        // Carl had nothing private among what the private list let go: memory is sure.
        Assert.True(archive.HoldsConversationFrom(Carl, replay[0].Id));
        Assert.True(archive.HoldsConversationFrom(Ann, replay[0].Id)); // a name is one user whatever its case
        // Bob had: notices of his went, so below the ones held memory cannot answer him.
        var bobs = archive.Visible(Bob, 0, 3, newest: true, conversationOnly: true);
        Assert.All(bobs, e => Assert.Equal("bob", e.Event.To));
        Assert.True(archive.HoldsConversationFrom(Bob, bobs[0].Id));
        Assert.False(archive.HoldsConversationFrom(Bob, talk[1].Id));
        Assert.False(archive.HoldsConversationFrom(new ChatUser("BOB"), talk[1].Id));
    }

    [Fact]
    public void APrivateMessageLetGoCountsForItsSenderAndItsAddressee()
    {
        var archive = new RecentArchive(capacity: 10, talkCapacity: 2);
        var talk = Public("hello");
        archive.Add(talk);
        archive.Add(Private("ann", "bob"));
        for (var i = 0; i < 3; i++) archive.Add(Private("dan", "eve"));

        Assert.False(archive.HoldsConversationFrom(Ann, talk.Id));
        Assert.False(archive.HoldsConversationFrom(Bob, talk.Id));
        Assert.True(archive.HoldsConversationFrom(Carl, talk.Id));
        // An archive that started empty has seen every event there is: what it let go is all it needs to know.
        Assert.True(archive.HoldsConversationFrom(Carl, 0));
    }

    [Fact]
    public void PublicAndPrivateConversationAreMergedInIdOrderBothWays()
    {
        var archive = new RecentArchive(capacity: 100, talkCapacity: 100);
        var events = new List<StoredEvent> { Public("a"), Private("ann", "bob"), Public("b"), Notice("bob"), Private("carl", "dan"), Public("c") };
        events.ForEach(archive.Add);

        Assert.Equal([1, 2, 3, 4, 6], archive.Visible(Bob, 0, 10, newest: true, conversationOnly: true).Select(e => e.Id));
        Assert.Equal([3, 4, 6], archive.Visible(Bob, 0, 3, newest: true, conversationOnly: true).Select(e => e.Id));
        Assert.Equal([2, 3, 4], archive.Visible(Bob, 1, 3, newest: false, conversationOnly: true).Select(e => e.Id));
        Assert.Equal([1, 3, 6], archive.Visible(Carl, 0, 10, newest: false, conversationOnly: false).Where(e => e.Event.To is null).Select(e => e.Id));
        Assert.Equal([1, 3, 5], archive.Visible(Carl, 0, 3, newest: false, conversationOnly: true).Select(e => e.Id));
        Assert.True(archive.HoldsConversationFrom(Bob, 0)); // nothing was ever let go
    }

    [Fact]
    public void WhatTheLoadRemembersPerNameCountsLikeWhatTheListLetGo()
    {
        var archive = new RecentArchive(capacity: 10, talkCapacity: 10);
        // On disk: public talk from id 1 on (all there is below the newest events), private conversation from 5 on,
        // and below that, from 1, one event of bob's (id 3).
        var olderTalk = new List<StoredEvent> { new(new ChatEvent { Id = 1, Kind = ChatEventKind.Message, From = "ann", Text = "t1" }) };
        var olderPrivate = new List<StoredEvent> { new(new ChatEvent { Id = 5, Kind = ChatEventKind.Message, From = "ann", To = "eve", Text = "p" }) };
        archive.Load([new(new ChatEvent { Id = 6, Kind = ChatEventKind.Message, From = "ann", Text = "t6" })],
            new TalkLoad(olderTalk, 0, olderPrivate, PrivateFrom: 5, PrivateKnownFrom: 1, new Dictionary<string, long> { ["bob"] = 3 }));

        Assert.True(archive.HoldsConversationFrom(Carl, 1));
        Assert.False(archive.HoldsConversationFrom(Bob, 3));
        Assert.True(archive.HoldsConversationFrom(Bob, 4));
        Assert.Equal([1, 5, 6], archive.Visible(new ChatUser("eve"), 0, 10, newest: true, conversationOnly: true).Select(e => e.Id));
    }

    [Fact]
    public void PastTheNamesItMayRememberTheArchiveForgetsAndTheDiskAnswers()
    {
        var archive = new RecentArchive(capacity: 10, talkCapacity: 4);
        var talk = Public("hello");
        archive.Add(talk);
        for (var i = 0; i <= RecentArchive.MaxNamesRemembered + 5; i++) archive.Add(Notice($"user{i}"));

        Assert.False(archive.HoldsConversationFrom(Carl, talk.Id));
        Assert.Equal([talk.Id], archive.Visible(Carl, 0, 3, newest: true, conversationOnly: true).Select(e => e.Id));
    }

    [Fact]
    public void EventsFarBehindTheNewestLetTheirLiveFramesGoAndBuildTheSameBytesWhenAskedAgain()
    {
        var archive = new RecentArchive(capacity: 5000, talkCapacity: 2000);
        var builds = 0;
        byte[] Build(ChatEvent e) { builds++; return System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{e.Id}}}"); }
        var events = Enumerable.Range(0, RecentArchive.LiveFramesKept + 2).Select(i => Public($"m{i}")).ToList();
        foreach (var e in events)
        {
            archive.Add(e);
            e.Frame(EventFrame.Live, Build); // its fan-out
            e.Frame(EventFrame.Replay, Build); // and a replay of it
        }
        Assert.Equal(2 * events.Count, builds);

        // The newest LiveFramesKept events still share the frame built for their fan-out.
        var newest = events[^RecentArchive.LiveFramesKept];
        var frame = newest.Frame(EventFrame.Live, Build);
        Assert.Same(frame, newest.Frame(EventFrame.Live, Build));
        Assert.Equal(2 * events.Count, builds);

        // The two behind them gave their live frames up, not their replay frames; asked again, they build the same bytes.
        foreach (var old in events.Take(2))
        {
            Assert.Equal(System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{old.Id}}}"), old.Frame(EventFrame.Live, Build));
            old.Frame(EventFrame.Replay, Build);
        }
        Assert.Equal(2 * events.Count + 2, builds);
        Assert.Same(events[0], archive.Find(events[0].Id));
    }
}
