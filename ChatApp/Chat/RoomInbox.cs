using System.Threading.Channels;

namespace ChatApp.Chat;

/// <summary>How a room log's answers reach the room: as commands queued for its loop, like everything else.</summary>
public sealed class RoomInbox
{
    private readonly ChannelWriter<RoomCommand> _commands;
    private readonly Func<CancellationToken> _stopping;

    internal RoomInbox(ChannelWriter<RoomCommand> commands, Func<CancellationToken> stopping)
    {
        _commands = commands;
        _stopping = stopping;
    }

    /// <summary>Events stored (<paramref name="ok"/>) or given up on, in id order; each carries the ticket it was appended with (0: not this node's).</summary>
    public ValueTask StoredAsync(List<ChatEvent> events, bool ok) => WriteAsync(new RoomCommand.Stored(events, ok));

    /// <summary>The event appended with <paramref name="ticket"/> was refused after <see cref="IRoomLog.Append"/> returned.</summary>
    public ValueTask RefusedAsync(long ticket, ChatError error) => WriteAsync(new RoomCommand.Refused(ticket, error));

    /// <summary>The event appended with <paramref name="ticket"/> repeated a clientId already stored as <paramref name="id"/> (<paramref name="stored"/> when known).</summary>
    public ValueTask RepeatedAsync(long ticket, long id, ChatEvent? stored) => WriteAsync(new RoomCommand.Repeated(ticket, id, stored));

    private async ValueTask WriteAsync(RoomCommand command)
    {
        try { await _commands.WriteAsync(command, _stopping()); }
        catch (OperationCanceledException) { } // the room has stopped: nobody is left to tell
        catch (ChannelClosedException) { }
    }
}
