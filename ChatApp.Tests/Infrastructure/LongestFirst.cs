using System.Text.RegularExpressions;
using ChatApp.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("ChatApp.Tests.Infrastructure.LongestFirst", "ChatApp.Tests")]

namespace ChatApp.Tests.Infrastructure;

/// <summary>
/// Starts the test collections that take longest first. xunit runs as many collections at once as there are cores,
/// each lane taking the next collection when it is free; the browser collection (a third of the suite's time, its
/// tests one after another) used to start halfway and run on alone at the end. Longest first, the lanes finish together.
/// </summary>
public sealed class LongestFirst : ITestCollectionOrderer
{
    // Longest first, from the test times of a whole run's TRX; collections not named keep xunit's order after them.
    private static readonly string[] Longest =
        [BrowserCollection.Name, "ScaledChatFaultTests", "ScaledChatTests", "KillDurabilityTests", "FuzzTests", "ReconnectStormTests"];

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(Rank); // a stable sort

    private static int Rank(ITestCollection collection)
    {
        // A class's own collection is named "Test collection for Namespace.Class" (xunit may add an id after it).
        var rank = Array.FindIndex(Longest, name =>
            collection.DisplayName == name || Regex.IsMatch(collection.DisplayName, $@"\.{name}(\s|$)"));
        return rank < 0 ? Longest.Length : rank;
    }
}
