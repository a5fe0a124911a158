using ChatApp.LoadTool;

// The project's own load tool: bash .ci/load SCENARIO [options]; see Options.Usage and the README's "Benchmarks".
Options options;
try
{
    options = Options.Parse(args);
    ServerUnderTest.CheckOptions(options);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

if (options.Scenario == "signalr-peer")
{
    await SignalRPeer.RunAsync(options);
    return 0;
}

var report = options.Scenario switch
{
    "fanout" => await FanoutScenario.RunAsync(options, saturate: false),
    "saturate" => await FanoutScenario.RunAsync(options, saturate: true),
    "idle" => await IdleScenario.RunAsync(options),
    "storm" => await StormScenario.RunAsync(options),
    "history" => await HistoryScenario.RunAsync(options),
    "seed" => await SeedScenario.RunAsync(options),
    _ => null,
};
if (report is null)
{
    Console.Error.WriteLine($"unknown scenario {options.Scenario}");
    Console.Error.WriteLine(Options.Usage);
    return 2;
}
report.Print(options.Text("json"));
return 0;
