using ChatApp.Chat;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Storage;

/// <summary>What a stored edit or deletion does to its target's row (PROTOCOL.md §2.4): the archive keeps current state, not history.</summary>
internal static class EventChanges
{
    public static async Task ApplyAsync(ChatDbContext db, ChatEvent change)
    {
        var target = change.Target;
        if (change.Kind == ChatEventKind.Edit)
        {
            var html = StoredHtml.Compact(change.Text, change.Html);
            await db.Events.Where(t => t.Id == target && !t.Deleted).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Text, change.Text)
                .SetProperty(t => t.Html, html)
                .SetProperty(t => t.Mentions, change.Mentions)
                .SetProperty(t => t.Edited, change.Ts));
            return;
        }
        // Nothing of a deleted message or file is kept: not its text, not its name, not the texts of its edits.
        await db.Events.Where(t => t.Id == target).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Deleted, true)
            .SetProperty(t => t.Text, "")
            .SetProperty(t => t.Html, (string?)null)
            .SetProperty(t => t.Mentions, (string[]?)null)
            .SetProperty(t => t.FileName, (string?)null)
            .SetProperty(t => t.ContentType, (string?)null)
            .SetProperty(t => t.FileKey, (string?)null)
            .SetProperty(t => t.FileSize, 0));
        await db.Events.Where(t => t.Target == target && t.Kind == ChatEventKind.Edit).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Deleted, true)
            .SetProperty(t => t.Text, "")
            .SetProperty(t => t.Html, (string?)null)
            .SetProperty(t => t.Mentions, (string[]?)null));
    }
}
