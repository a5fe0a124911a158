using System.Text.Json;
using ChatApp.Chat;
using ChatApp.Pages.Components;
using ChatApp.Tests.Infrastructure;
using Microsoft.Playwright;

namespace ChatApp.Tests.Pages;

/// <summary>
/// The Online list reads the same whether the server drew it (the first paint, <see cref="OnlineEntry"/>) or the
/// browser keeps it (roster.js, one entry per join or part): the same order and the same entries.
/// </summary>
[Collection(ReadingBrowserCollection.Name)]
public sealed class RosterScriptTests(BrowserFixture browser)
{
    // Valid names (letters, digits, '_', '-', '.') whose case-insensitive order is easy to get wrong: on the server '_'
    // sorts after 'Z' (names are compared upper-cased), digits and '-' and '.' before 'A', and the letters beyond ASCII
    // after all of ASCII.
    private static readonly string[] Tricky =
        ["ann", "Bob", "_x", "Zed", "zoe", "1st", "-dash", ".dot", "Émile", "emile", "ω", "Ωmega", "ÿ", "ß", "a_b", "A.b", "ab"];

    [Fact]
    public async Task TheBrowserSortsNamesAsTheServerDoes()
    {
        await using var server = await ChatServer.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        var page = await ScriptFreePageAsync(context);
        var sorted = await page.EvaluateAsync<string>(
            "async names => { const { compareNames } = await import('/js/render.js'); return JSON.stringify([...names].sort(compareNames)); }",
            Tricky);
        Assert.Equal(Tricky.Order(Names.Comparer), JsonSerializer.Deserialize<string[]>(sorted)!);
    }

    [Fact]
    public async Task JoinsAndPartsKeepTheListInTheServersOrderWithTheServersEntries()
    {
        await using var server = await ChatServer.StartAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        var page = await ScriptFreePageAsync(context);
        const string me = "Zed";
        // Comings and goings in an order unlike the list's: first, last and between; a name already there; a part of
        // someone not listed.
        string[][] steps =
        [
            ["set", "ann", "Zed"], ["add", "_x"], ["add", "1st"], ["add", "Émile"], ["add", "ann"], ["add", "Bob"],
            ["remove", "ann"], ["add", "ω"], ["remove", "nobody"], ["add", "a_b"], ["remove", "_x"], ["add", "ann"], ["add", "ß"],
        ];
        var states = await page.EvaluateAsync<string>("""
            async ([steps, me]) => {
              const { Roster } = await import('/js/roster.js');
              const panel = document.createElement('div');
              panel.className = 'online-panel';
              const list = document.createElement('ul');
              list.id = 'online';
              const count = document.createElement('span');
              panel.append(list, count);
              document.body.append(panel);
              const roster = new Roster(list, count, me, () => {});
              const states = [];
              for (const [verb, ...names] of steps) {
                if (verb === 'set') roster.set(names); else roster[verb](names[0]);
                states.push({ order: [...list.children].map(li => li.dataset.user), count: count.textContent, names: [...roster.names] });
              }
              states.push({ html: [...list.children].map(li => li.outerHTML) });
              return JSON.stringify(states);
            }
            """, new object[] { steps, me });
        using var json = JsonDocument.Parse(states);
        var results = json.RootElement.EnumerateArray().ToArray();

        var online = new List<string>();
        for (var i = 0; i < steps.Length; i++)
        {
            var (verb, names) = (steps[i][0], steps[i][1..]);
            if (verb == "set") online = [.. names];
            else if (verb == "add" && !online.Contains(names[0], Names.Comparer)) online.Add(names[0]);
            else if (verb == "remove") online.RemoveAll(n => Names.Equal(n, names[0]));
            var expected = online.Order(Names.Comparer).ToArray();
            var order = results[i].GetProperty("order").EnumerateArray().Select(e => e.GetString()!).ToArray();
            Assert.True(expected.SequenceEqual(order), $"after {string.Join(' ', steps[i])}: [{string.Join(", ", order)}], expected [{string.Join(", ", expected)}]");
            Assert.Equal(expected, results[i].GetProperty("names").EnumerateArray().Select(e => e.GetString()!));
            Assert.Equal(expected.Length.ToString(), results[i].GetProperty("count").GetString());
        }

        // Each entry the script made is, node for node, the one the server draws for the same reader.
        var drawn = results[^1].GetProperty("html").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var final = online.Order(Names.Comparer).ToArray();
        var serverMarkup = final.Select(n => OnlineEntry.Markup(n, Names.Equal(n, me))).ToArray();
        var same = await page.EvaluateAsync<bool[]>("""
            ([script, server]) => script.map((html, i) => {
              const parse = h => { const t = document.createElement('template'); t.innerHTML = h; return t.content.firstChild; };
              return parse(html).isEqualNode(parse(server[i]));
            })
            """, new object[] { drawn, serverMarkup });
        for (var i = 0; i < final.Length; i++) Assert.True(same[i], $"{final[i]}: the script drew {drawn[i]}, the server draws {serverMarkup[i]}");
    }

    private static async Task<IPage> ScriptFreePageAsync(IBrowserContext context)
    {
        context.SetDefaultTimeout(BrowserFixture.TimeoutMs);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/css/uploads.css"); // a script-free document of the server's origin
        return page;
    }
}
