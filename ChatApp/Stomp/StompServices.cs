using ChatApp.Accounts;
using ChatApp.Chat;
using ChatApp.Diagnostics;
using Microsoft.Extensions.Options;

namespace ChatApp.Stomp;

/// <summary>What every STOMP connection shares: the room, accounts, message rules, settings, clock, log and metrics.</summary>
public sealed class StompServices(ChatRoom room, AccountStore accounts, DraftBuilder drafts, IOptions<ChatOptions> chat, IOptions<StompOptions> stomp,
    TimeProvider clock, ILogger<StompConnection> log, IHostApplicationLifetime lifetime, SignInRateLimit signIns, ChatMetrics metrics)
{
    public ChatRoom Room { get; } = room;
    public AccountStore Accounts { get; } = accounts;
    public SignInRateLimit SignIns { get; } = signIns;
    public DraftBuilder Drafts { get; } = drafts;
    public ChatOptions Chat { get; } = chat.Value;
    public StompOptions Stomp { get; } = stomp.Value;
    public TimeProvider Clock { get; } = clock;
    public ILogger Log { get; } = log;
    public CancellationToken Stopping { get; } = lifetime.ApplicationStopping;
    public ChatMetrics Metrics { get; } = metrics;
}
