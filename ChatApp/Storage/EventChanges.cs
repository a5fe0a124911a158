using ChatApp.Chat;
using Microsoft.EntityFrameworkCore;

namespace ChatApp.Storage;

/// <summary>
/// What a stored edit or deletion does to its target's row (PROTOCOL.md §2.4): the archive keeps current state, not
/// history, and the same state the room's memory shows (<see cref="ChatEventChanges"/>).
/// </summary>
internal static class EventChanges
{
    public static async Task ApplyAsync(ChatDbContext db, ChatEvent change)
    {
        var target = change.Target;
        if (change.Kind == ChatEventKind.Edit)
        {
            // A deleted message takes no more edits.
            if (await db.Events.AsNoTracking().FirstOrDefaultAsync(t => t.Id == target && t.Text != null) is { } message)
                await UpdateAsync(db, message.Changed(m => m.EditedBy(change)));
            return;
        }
        // Nothing of a deleted message or file is kept: not its text, not its name, not the texts of its edits.
        if (await db.Events.AsNoTracking().FirstOrDefaultAsync(t => t.Id == target) is { } deleted)
            await UpdateAsync(db, deleted.Changed(ChatEventChanges.AsDeleted));
        foreach (var edit in await db.Events.AsNoTracking().Where(t => t.Target == target && t.Kind == ChatEventKind.Edit).ToListAsync())
            await UpdateAsync(db, edit.Changed(ChatEventChanges.AsSuperseded));
    }

    /// <summary>Writes what a change can change (the search index's triggers see its text and file name go).</summary>
    private static Task UpdateAsync(ChatDbContext db, StoredEvent row) =>
        db.Events.Where(t => t.Id == row.Id).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Text, row.Text)
            .SetProperty(t => t.ClientId, row.ClientId)
            .SetProperty(t => t.Extra, row.Extra));
}
