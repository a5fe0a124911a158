using System.Runtime.InteropServices;

namespace ChatApp.Diagnostics;

/// <summary>
/// The C library's heap (SQLite's page cache, the runtime's own tables, every thread's malloc arena): glibc keeps
/// what was freed for reuse, and <c>malloc_trim</c> hands the free pages back. Elsewhere (musl, macOS, Windows)
/// there is nothing to call and this does nothing.
/// </summary>
public static class NativeHeap
{
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>True when glibc gave memory back.</summary>
    public static bool Trim()
    {
        if (_unavailable) return false;
        try { return malloc_trim(0) != 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
