using ChatApp.Diagnostics;

namespace ChatApp.Tests.Diagnostics;

public sealed class MemoryTrimPolicyTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void NothingIsTrimmedWhileABurstGoesOnAndOnceAtTheFirstQuietCheckAfterIt()
    {
        var policy = new MemoryTrimPolicy(burstBytes: 16 * MiB, quietBytes: 1 * MiB);
        var allocated = 0L;

        Assert.False(policy.ShouldTrim(allocated));                 // the first check only takes its bearings
        Assert.False(policy.ShouldTrim(allocated += 10 * MiB));     // busy
        Assert.False(policy.ShouldTrim(allocated += 10 * MiB));     // busy, burst reached, not quiet yet
        Assert.True(policy.ShouldTrim(allocated += MiB / 2));       // quiet after the burst
        Assert.False(policy.ShouldTrim(allocated += MiB / 2));      // still quiet: it was given back already
    }

    [Fact]
    public void AQuietServerWithoutABurstIsLeftAlone()
    {
        var policy = new MemoryTrimPolicy(burstBytes: 16 * MiB, quietBytes: 1 * MiB);
        var allocated = 0L;
        for (var check = 0; check < 20; check++)
            Assert.False(policy.ShouldTrim(allocated += MiB / 2));  // 10 MiB in all, in quiet steps
    }

    [Fact]
    public void SmallStepsAddUpToABurstAndTheCountStartsAgainAfterATrim()
    {
        var policy = new MemoryTrimPolicy(burstBytes: 4 * MiB, quietBytes: 1 * MiB);
        var allocated = 0L;
        policy.ShouldTrim(allocated);
        var trims = 0;
        for (var check = 0; check < 16; check++)
            if (policy.ShouldTrim(allocated += MiB / 2)) trims++;
        Assert.Equal(2, trims); // 8 MiB in quiet steps of 0.5: a trim at 4 and at 8
    }

    [Fact]
    public void AServerStillSendingABacklogIsNotTrimmedHoweverLittleItAllocates()
    {
        var policy = new MemoryTrimPolicy(burstBytes: 16 * MiB, quietBytes: 1 * MiB);
        var allocated = 0L;
        policy.ShouldTrim(allocated += 32 * MiB);                        // the burst
        Assert.False(policy.ShouldTrim(allocated += MiB / 4, busy: true)); // quiet in allocations, queues still full
        Assert.False(policy.ShouldTrim(allocated += MiB / 4, busy: true));
        Assert.True(policy.ShouldTrim(allocated += MiB / 4, busy: false)); // the backlog is out
    }
}
