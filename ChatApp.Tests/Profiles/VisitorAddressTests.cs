using System.Net;
using ChatApp.Profiles;

namespace ChatApp.Tests.Profiles;

public sealed class VisitorAddressTests
{
    [Theory]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    public void AnIPv4VisitorOnADualStackSocketIsShownAsIPv4(string address, string shown) =>
        Assert.Equal(shown, VisitorAddress.Format(IPAddress.Parse(address)));
}
