using System.Globalization;
using System.Threading.RateLimiting;
using ChatApp.Chat;
using ChatApp.Profiles;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChatApp.Accounts;

/// <summary>
/// Name claims and sign-ins per client address (PROTOCOL.md §1, <c>Chat:SignInLimit</c>): a fixed window per address,
/// counted by the <see cref="IWindowCounter"/> (with Chat:Redis, one count across every node). Over it:
/// <c>429 {"error":"rate_limited"}</c> with <c>Retry-After</c>. The HTTP ones (<c>POST /api/session</c>, the join
/// form) pass the framework's middleware; other transports ask <see cref="TryAcquireAsync"/> and share the same count.
/// </summary>
public sealed class SignInRateLimit : IDisposable
{
    private const string Unlimited = WindowRateLimiter.Unlimited; // the partition of every request that is not a sign-in

    private readonly PartitionedRateLimiter<string> _byAddress;

    public SignInRateLimit(IOptions<ChatOptions> options, IWindowCounter counter)
    {
        var limit = options.Value.SignInLimit;
        _byAddress = new WindowRateLimiter(counter, "signin:", Math.Max(1, limit.Requests), TimeSpan.FromSeconds(limit.PerSeconds));
    }

    /// <summary>A permit for one sign-in from <paramref name="address"/> (as <see cref="VisitorAddress.Format"/> writes it), or the time to wait.</summary>
    public async ValueTask<TimeSpan?> TryAcquireAsync(string address, CancellationToken cancellationToken = default)
    {
        using var lease = await _byAddress.AcquireAsync(address, cancellationToken: cancellationToken);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    /// <summary>The framework's middleware, limiting the HTTP sign-ins and passing everything else.</summary>
    public void Configure(RateLimiterOptions options)
    {
        options.GlobalLimiter = _byAddress.WithTranslatedKey<HttpContext>(
            http => IsSignIn(http.Request) ? VisitorAddress.Of(http) : Unlimited, leaveOpen: true);
        options.OnRejected = (context, cancellationToken) =>
        {
            var http = context.HttpContext;
            var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
            SetRetryAfter(http.Response, wait);
            return new ValueTask(ApiError.WriteAsync(http, StatusCodes.Status429TooManyRequests, "rate_limited",
                "Too many sign-ins from this address; try again later."));
        };
    }

    public static void SetRetryAfter(HttpResponse response, TimeSpan wait) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary><c>POST /api/session</c> and the join form's post (<c>POST /?handler=Join</c>).</summary>
    private static bool IsSignIn(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals("/api/session", StringComparison.OrdinalIgnoreCase)
            || ((request.Path == "/" || request.Path.Equals("/Index", StringComparison.OrdinalIgnoreCase))
                && string.Equals(request.Query["handler"], "Join", StringComparison.OrdinalIgnoreCase)));

    public void Dispose() => _byAddress.Dispose();
}
