using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using ChatApp.Diagnostics;

namespace ChatApp.Connections;

/// <summary>
/// Kestrel's socket buffers: 4 KiB pinned blocks, like the framework's own pool, but one the server can empty.
/// A burst (a reconnect storm, a slow reader's backlog) leaves thousands of blocks cached that an idle server
/// never uses again; the framework's pool lets 5 % of them go every 10 s. <see cref="Trim"/> lets all of them go
/// at once, before the heap is compacted (Diagnostics/MemoryTrimmer).
/// </summary>
public sealed class TrimmableBlockPool : MemoryPool<byte>, ITrimmable
{
    public const int BlockBytes = 4096;
    private readonly FreeList<Block> _free = new();
    private int _rented;
    private long _rents;
    private long _rentsAtLastLook;

    /// <summary>
    /// Rents between two looks at <see cref="Busy"/> that mean the sockets are busy: 1,024 blocks, 4 MiB read or
    /// written. A server sending frames that allocate nothing (shared, pre-framed bytes) looks quiet to the
    /// allocation count; its sockets' reads and writes still show.
    /// </summary>
    public const int BusyRents = 1024;

    public override int MaxBufferSize => BlockBytes;
    public int Rented => Volatile.Read(ref _rented);
    public int Cached => _free.Count;

    /// <summary>True when at least <see cref="BusyRents"/> blocks were rented since the last look (each look starts a new count).</summary>
    public bool Busy
    {
        get
        {
            var rents = Interlocked.Read(ref _rents);
            var busy = rents - _rentsAtLastLook >= BusyRents;
            _rentsAtLastLook = rents;
            return busy;
        }
    }

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockBytes);
        Interlocked.Increment(ref _rented);
        Interlocked.Increment(ref _rents);
        if (_free.TryTake(out var block))
        {
            block.Lease();
            return block;
        }
        return new Block(this);
    }

    /// <summary>Lets every cached block go; blocks in use come back as usual.</summary>
    public int Trim() => _free.Clear();

    private void Return(Block block)
    {
        Interlocked.Decrement(ref _rented);
        _free.Add(block);
    }

    protected override void Dispose(bool disposing) => Trim();

    private sealed class Block(TrimmableBlockPool pool) : IMemoryOwner<byte>
    {
        private readonly Memory<byte> _memory = MemoryMarshal.CreateFromPinnedArray(GC.AllocateUninitializedArray<byte>(BlockBytes, pinned: true), 0, BlockBytes);
        private int _leased = 1;

        public Memory<byte> Memory => _memory;

        public void Lease() => Volatile.Write(ref _leased, 1);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _leased, 0) == 1) pool.Return(this);
        }
    }
}

/// <summary>Hands Kestrel's transports the one <see cref="TrimmableBlockPool"/>.</summary>
public sealed class TrimmableBlockPoolFactory(TrimmableBlockPool pool) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => pool;
}
