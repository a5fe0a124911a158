using ChatApp.Chat;

namespace ChatApp.Stomp;

/// <summary>A STOMP connection as the room sees it, from CONNECT on (the user is known only then).</summary>
internal sealed class StompMember(ChatUser user, StompConnection connection) : RoomSubscriber(user)
{
    public override bool IsPresence => true;

    /// <summary>Replay and roster come per <c>SUBSCRIBE /topic/chat</c> (<see cref="ChatRoom.CatchUpAsync"/>), not on joining.</summary>
    public override bool WantsHistory => false;

    public override void Deliver(StoredEvent e, bool fromThisSubscriber) => connection.Deliver(e);

    public override bool DeliverRun(StoredRun run) => connection.DeliverRun(run);

    public override void Refuse(ChatError error, string? clientId) => connection.RefuseSend(error, clientId, receipt: null);
}
