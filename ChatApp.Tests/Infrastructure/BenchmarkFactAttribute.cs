namespace ChatApp.Tests.Infrastructure;

/// <summary>A fact that runs only when <c>CHATAPP_BENCH=1</c>: benchmarks are slow and want a quiet machine.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public const string Variable = "CHATAPP_BENCH";

    public BenchmarkFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1") Skip = $"A benchmark: set {Variable}=1 to run it.";
    }
}
