using System.Text.Encodings.Web;
using ChatApp.Chat;

namespace ChatApp.Pages.Components;

/// <summary>
/// One name of the Online list (<see cref="OnlineList"/>): a button that starts a private message and a link to the
/// profile; the reader's own entry only links. wwwroot/js/roster.js draws the same markup as people come and go, and
/// chat.css draws the link's person icon (in each entry it was half the page's weight in a big room).
/// </summary>
/// <remarks>
/// Written as HTML text rather than Razor markup, and kept per roster: the page draws every online name, and drawn
/// by Razor each entry cost about 5 µs, so that a room of 510 took the chat page's first paint from 1.4 ms to 4.2
/// (p50; 6.1 ms at p99). The room hands out one list per change of presence (<see cref="IRoomPresence.OnlineNames"/>),
/// so every page drawn until the next join or part takes its entries from the last drawing, and a change redraws
/// only the names that came.
/// </remarks>
public static class OnlineEntry
{
    private sealed record Drawing(IReadOnlyList<string> Users, string[] Entries);

    private static Drawing _last = new([], []);

    /// <summary>The entry for <paramref name="name"/>; <paramref name="self"/> for the reader's own.</summary>
    public static string Markup(string name, bool self)
    {
        var text = HtmlEncoder.Default.Encode(name);
        var profile = $"""<a class="profile-link" href="{HtmlEncoder.Default.Encode(ProfileLink.For(name))}" title="{text}’s profile" aria-label="{text}’s profile"></a>""";
        return self
            ? $"""<li aria-label="{text}" data-user="{text}" class="me"><button type="button" class="user" disabled title="You">{text}</button>{profile}</li>"""
            : $"""<li aria-label="{text}" data-user="{text}"><button type="button" class="user" title="Private message to {text}">{text}</button>{profile}</li>""";
    }

    /// <summary>
    /// Every name's entry as others see it, in the order of <paramref name="users"/>, which must not change
    /// afterwards (the room's lists never do): the last list's entries when it is the same list, and otherwise
    /// theirs for every name it shares with it.
    /// </summary>
    public static IReadOnlyList<string> Of(IReadOnlyList<string> users)
    {
        var last = Volatile.Read(ref _last);
        if (ReferenceEquals(last.Users, users)) return last.Entries;
        var entries = new string[users.Count];
        var (before, drawn) = last;
        var j = 0;
        for (var i = 0; i < users.Count; i++)
        {
            // Both lists are sorted alike (case ignored), so one pass over the last finds each name still listed.
            while (j < before.Count && Names.Comparer.Compare(before[j], users[i]) < 0) j++;
            entries[i] = j < before.Count && string.Equals(before[j], users[i], StringComparison.Ordinal) ? drawn[j] : Markup(users[i], self: false);
        }
        Volatile.Write(ref _last, new Drawing(users, entries));
        return entries;
    }
}
