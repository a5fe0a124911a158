namespace ChatApp.Pages;

/// <summary>Where a name links to: its profile page (PROTOCOL.md §3); wwwroot/js/render.js profileUrl() is its twin.</summary>
public static class ProfileLink
{
    public static string For(string name) => "/profile/" + Uri.EscapeDataString(name);
}
