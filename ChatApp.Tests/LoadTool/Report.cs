using System.Globalization;
using System.Text.Json;

namespace ChatApp.LoadTool;

/// <summary>A scenario's figures: printed as a two-column table, then as one line <c>RESULT {json}</c>.</summary>
public sealed class Report(string scenario)
{
    private readonly List<(string Label, object? Value)> _rows = [];

    public Report Add(string label, object? value)
    {
        _rows.Add((label, value is double d ? Math.Round(d, 3) : value));
        return this;
    }

    public void Print(string? jsonFile)
    {
        var width = _rows.Count == 0 ? 10 : _rows.Max(r => r.Label.Length);
        Console.WriteLine();
        Console.WriteLine($"== {scenario}");
        foreach (var (label, value) in _rows)
            Console.WriteLine($"{label.PadRight(width)}  {Format(value)}");
        var json = new Dictionary<string, object?> { ["scenario"] = scenario };
        foreach (var (label, value) in _rows) json[label] = value is double d && double.IsNaN(d) ? null : value;
        var line = JsonSerializer.Serialize(json);
        Console.WriteLine($"RESULT {line}");
        if (jsonFile is not null) File.WriteAllText(jsonFile, line + "\n");
    }

    private static string Format(object? value) => value switch
    {
        null => "-",
        double d => d.ToString("#,0.###", CultureInfo.InvariantCulture),
        long or int => string.Format(CultureInfo.InvariantCulture, "{0:#,0}", value),
        _ => value.ToString() ?? "",
    };

    public static double Mib(long bytes) => bytes / 1024.0 / 1024.0;
}
