using System;
using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoDiffGen.Runtime
{
    /// <summary>
    /// A typed last-in-first-out store for the values the reverse sweep of a generated gradient needs and cannot
    /// recompute: overwritten values, branch decisions and trip counts recorded inside loops.
    /// </summary>
    /// <remarks>
    /// <para>Generated code keeps a tape in a local variable (it is a mutable struct: never copy it), pushes while it
    /// runs forward, pops while it runs in reverse and disposes it on every exit path. Storage is rented from
    /// <see cref="ArrayPool{T}.Shared"/> (a short chunk from <see cref="ExactLengthPool{T}"/>), so a warm gradient allocates nothing. The tape itself holds
    /// nothing static; the pools keep arrays per thread (ExactLengthPool) or behind their own locks (ArrayPool), and every
    /// rental is the tape's alone until it gives it back, so generated code stays reentrant and thread-safe.</para>
    /// <para>Storage is a list of chunks (pooled arrays, each a power of two long): growing adds a chunk and copies
    /// nothing, so what the tape holds at its peak is what it recorded plus the unused end of its chunks. A chunk added
    /// by growth is about a quarter of what growth already added (at least 64 values, rounded up to a power of two), so
    /// the unused room stays under about half of the recording, and a long recording uses a few chunks of each size,
    /// which the pool keeps (a doubling array held about 3 × the recording at its peak: a power of two, and the old
    /// and the new array during the copy). When the whole recording is known before it starts (a taped loop: the
    /// engine counts its values), <see cref="Expect"/> rents it at once as chunks of the binary digits of that count:
    /// the storage is then the recording, to 16 values; a recording of at most 256 values is one chunk of exactly its
    /// length (<see cref="ExactLengthPool{T}"/>). Push, <see cref="PushReserved"/> and Pop touch the current chunk only (an index check and a store); moving to
    /// another chunk is their slow path.</para>
    /// </remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public struct Tape<T> : IDisposable
    {
        /// <summary>The first chunk's length when nothing was expected, and the least a growth adds.</summary>
        private const int FirstChunk = 64;

        /// <summary>The shared pool's smallest array: <see cref="Expect"/> rounds a count longer than
        /// <see cref="ExactLengthPool{T}.MaxExactLength"/> up to a multiple of this (a shorter one is rented exactly).</summary>
        private const int SmallestChunk = 16;

        /// <summary>
        /// The longest chunk growth or <see cref="Expect"/> rents (8 MiB of doubles): longer arrays are not kept by every
        /// pool (the netstandard2.0 one keeps up to 2²⁰ elements), and a longer recording is several such chunks.
        /// </summary>
        private const int LargestChunk = 1 << 20;

        /// <summary>The directory's first length (chunks it can list before it grows; it grows by doubling, copying references only).</summary>
        private const int FirstDirectory = 16;

        /// <summary>The current chunk: the one pushes write and pops read.</summary>
        private T[]? _items;

        /// <summary>The values in the current chunk.</summary>
        private int _count;

        /// <summary>One past the last slot of the current chunk the latest <see cref="Reserve"/> promised to <see cref="PushReserved"/>.</summary>
        private int _reservedEnd;

        /// <summary>
        /// Every chunk held, in recording order: those before <see cref="_current"/> are full to their
        /// <see cref="Chunk.Used"/>, those after it are empty. Null while the tape holds one chunk at most (then
        /// <see cref="_items"/> is it): most gradients record less than a chunk and need no directory.
        /// </summary>
        private Chunk[]? _chunks;

        /// <summary>How many entries of <see cref="_chunks"/> hold a chunk.</summary>
        private int _chunkCount;

        /// <summary>The current chunk's index in <see cref="_chunks"/>.</summary>
        private int _current;

        /// <summary>The values recorded in the chunks before the current one.</summary>
        private int _below;

        /// <summary>The total length of the chunks held.</summary>
        private long _capacity;

        /// <summary>
        /// How much of <see cref="_capacity"/> <see cref="Expect"/> rented: growth adds a quarter of the rest only, so a
        /// recording that outgrows its expectation by a little (reservations that left chunk ends unused) adds a little.
        /// </summary>
        private long _expected;

        /// <summary>A chunk and, once the recording moved past it, how many of its values are recorded (a reservation that did not fit its end left them unused).</summary>
        private struct Chunk
        {
            public T[] Items;
            public int Used;
        }

        /// <summary>The number of values recorded and not yet popped.</summary>
        public readonly int Count => _below + _count;

        /// <summary>Records a value (moving to another chunk when the current one is full).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Push(T value)
        {
            T[]? items = _items;
            int count = _count;
            if (items is null || (uint)count >= (uint)items.Length)
            {
                PushSlow(value);
                return;
            }
            items[count] = value;
            _count = count + 1;
        }

        /// <summary>
        /// Makes room for <paramref name="count"/> more values, so that the next <paramref name="count"/>
        /// <see cref="PushReserved"/> calls need no capacity check.
        /// </summary>
        /// <remarks>
        /// Generated code reserves at the top of each loop iteration that records, for what the iteration (and what
        /// follows it up to the next reservation) pushes, then pushes with <see cref="PushReserved"/>. A push that may
        /// grow the storage is a call on its slow path, and on x64 every floating-point register is caller-saved: a value
        /// live across that call (a dot product's running sum) is spilled to the stack in every iteration of the hot
        /// loop. Reserving before the values are computed keeps the call out of their way. The room is in one chunk:
        /// when the current chunk's end is too short, the recording moves on to the next chunk and that end stays unused.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Reserve(int count)
        {
            T[]? items = _items;
            if (items is null || items.Length - _count < count)
            {
                MoveToNextChunk(count);
            }
            _reservedEnd = _count + count;
        }

        /// <summary>
        /// Records a value in room made by <see cref="Reserve"/>. Without a reservation it throws (the storage is
        /// missing or too short): it never writes outside the storage.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void PushReserved(T value)
        {
            int count = _count;
            _items![count] = value;
            _count = count + 1;
        }

        /// <summary>
        /// Makes sure the tape holds room for <paramref name="count"/> more values, not necessarily in one chunk (pushes
        /// still reserve as usual): generated code calls it before a loop whose whole recording it knows, so the tape
        /// rents that much once, in chunks whose lengths are the binary digits of the count rounded up to 16, instead of
        /// growing by a quarter at a time. Room the tape already holds counts; a count ≤ 0 does nothing.
        /// </summary>
        public void Expect(int count)
        {
            long free = _items is null ? 0 : _items.Length - _count;
            for (int c = _current + 1; c < _chunkCount; c++) free += _chunks![c].Items.Length;
            long missing = count - free;
            if (missing <= 0) return;
            if (missing <= ExactLengthPool<T>.MaxExactLength)
            {
                // A short recording: one chunk of exactly that length (ExactLengthPool), no directory when it is the
                // tape's first. A fused loop's iteration expecting 80 values held a 64 and a 16 chunk and a 16-entry directory.
                AppendChunk((int)missing);
                _expected += missing;
                return;
            }
            missing = (missing + SmallestChunk - 1) / SmallestChunk * SmallestChunk;
            while (missing > 0)
            {
                int length = missing >= LargestChunk ? LargestChunk : HighestPowerOfTwoIn((int)missing);
                AppendChunk(length);
                _expected += length;
                missing -= length;
            }
        }

        /// <summary>Removes and returns the value recorded last.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Pop()
        {
            int count = _count - 1;
            T[]? items = _items;
            if (items is null || (uint)count >= (uint)items.Length)
            {
                return PopSlow();
            }
            _count = count;
            return items[count];
        }

        /// <summary>
        /// Records every element of <paramref name="values"/> (a span a primitive is about to overwrite), across chunks
        /// when it does not fit the current one. The room the latest <see cref="Reserve"/> made for pushes not yet made
        /// stays free afterwards, for the pushes it was made for.
        /// </summary>
        public void PushRange(ReadOnlySpan<T> values)
        {
            // Only the reserved pushes still to come need room after the range (not all the free storage: asking for
            // that grew the storage on every call, doubling it each time).
            int promised = Math.Max(0, _reservedEnd - _count);
            while (true)
            {
                int free = _items is null ? 0 : _items.Length - _count;
                if (free >= values.Length + promised)
                {
                    values.CopyTo(_items.AsSpan(_count));
                    _count += values.Length;
                    break;
                }
                // What fits goes here; the rest, and the promised room after it, in the next chunk.
                int part = Math.Min(free, values.Length);
                values.Slice(0, part).CopyTo(_items.AsSpan(_count));
                _count += part;
                values = values.Slice(part);
                MoveToNextChunk(values.Length + promised);
            }
            _reservedEnd = promised > 0 ? _count + promised : 0;
        }

        /// <summary>Takes back the <c>target.Length</c> values recorded last by <see cref="PushRange"/>, in their order.</summary>
        public void PopRange(Span<T> target)
        {
            // One block copy per chunk the range spans (a scratch array's snapshot comes back every iteration:
            // ReverseModeTransform.Snapshots.cs).
            if (target.IsEmpty) return;
            if (_items is null || Count < target.Length) ThrowEmpty();
            int remaining = target.Length;
            while (remaining > 0)
            {
                if (_count == 0) MoveToPreviousChunk();
                int part = Math.Min(_count, remaining);
                _items!.AsSpan(_count - part, part).CopyTo(target.Slice(remaining - part));
                _count -= part;
                remaining -= part;
            }
        }

        /// <summary>Returns every chunk to the pool. The tape is empty and reusable afterwards.</summary>
        public void Dispose()
        {
            Chunk[]? chunks = _chunks;
            if (chunks is not null)
            {
                for (int c = 0; c < _chunkCount; c++) ReturnToPool(chunks[c].Items);
                PooledMemory.ReturnedBytes(DirectoryBytes(chunks));
                // Cleared: the pool must not keep the chunks alive through a directory it holds.
                ArrayPool<Chunk>.Shared.Return(chunks, clearArray: true);
            }
            else if (_items is not null)
            {
                ReturnToPool(_items);
            }
            this = default;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void PushSlow(T value)
        {
            MoveToNextChunk(1);
            _items![_count++] = value;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private T PopSlow()
        {
            if (_items is null || _count != 0) ThrowEmpty();
            MoveToPreviousChunk();
            return _items![--_count];
        }

        /// <summary>
        /// Makes the next chunk current, with room for <paramref name="need"/> values: the one already held after the
        /// current chunk when it is long enough, else a new one (the empty chunks after the current one, too short, go
        /// back to the pool first). The current chunk keeps what it recorded; its unused end stays unused.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void MoveToNextChunk(int need)
        {
            if (_items is not null)
            {
                ListInDirectory();
                _chunks![_current].Used = _count;
                _below += _count;
                _current++;
            }
            else
            {
                _current = 0;
            }
            _count = 0;
            _reservedEnd = 0;
            long dropped = 0;
            if (_current < _chunkCount && _chunks![_current].Items.Length < need)
            {
                // The short last chunks of an expected recording (a reservation longer than they are), or chunks kept
                // after pops that a long range does not fit: one chunk as long as them all (or the need), not a growth
                // by a quarter of everything held.
                for (int c = _current; c < _chunkCount; c++)
                {
                    dropped += _chunks[c].Items.Length;
                    ReturnToPool(_chunks[c].Items);
                    _chunks[c] = default;
                }
                _capacity -= dropped;
                _chunkCount = _current;
            }
            if (_current == _chunkCount)
            {
                long grown = Math.Max(0, _capacity - _expected);
                long wanted = dropped > 0 ? dropped : Math.Min(Math.Max(FirstChunk, grown / 4), LargestChunk);
                AppendChunk(RoundUpToPowerOfTwo((int)Math.Max(need, wanted)));
            }
            if (_chunks is not null) _items = _chunks[_current].Items;   // else the first chunk, made current by AppendChunk
        }

        /// <summary>Makes the previous chunk that recorded something current (the current one is empty); throws when there is none.</summary>
        private void MoveToPreviousChunk()
        {
            do
            {
                if (_current == 0) ThrowEmpty();
                _current--;
                _count = _chunks![_current].Used;
                _below -= _count;
            }
            while (_count == 0);
            _items = _chunks[_current].Items;
            _reservedEnd = 0;
        }

        /// <summary>Rents a chunk of <paramref name="length"/> values and lists it last (the first chunk becomes current).</summary>
        private void AppendChunk(int length)
        {
            T[] items = ExactLengthPool<T>.Rent(length);
            PooledMemory.Rented(items);
            _capacity += items.Length;
            if (_chunkCount == 0)
            {
                _items = items;
                _current = 0;
                _count = 0;
                _chunkCount = 1;
                return;
            }
            ListInDirectory();
            Chunk[] chunks = _chunks!;
            if (_chunkCount == chunks.Length)
            {
                Chunk[] grown = ArrayPool<Chunk>.Shared.Rent(chunks.Length * 2);
                PooledMemory.RentedBytes(DirectoryBytes(grown));
                Array.Copy(chunks, grown, _chunkCount);
                PooledMemory.ReturnedBytes(DirectoryBytes(chunks));
                ArrayPool<Chunk>.Shared.Return(chunks, clearArray: true);
                _chunks = chunks = grown;
            }
            chunks[_chunkCount++] = new Chunk { Items = items, Used = 0 };
        }

        /// <summary>Rents the directory when the tape is about to hold a second chunk, listing the first.</summary>
        private void ListInDirectory()
        {
            if (_chunks is not null) return;
            _chunks = ArrayPool<Chunk>.Shared.Rent(FirstDirectory);
            PooledMemory.RentedBytes(DirectoryBytes(_chunks));
            _chunks[0] = new Chunk { Items = _items!, Used = 0 };
        }

        private static void ReturnToPool(T[] items)
        {
            PooledMemory.Returned(items);
            ExactLengthPool<T>.Return(items);
        }

        /// <summary>A directory entry is a reference and an int, padded to two references.</summary>
        private static long DirectoryBytes(Chunk[] chunks) => (long)chunks.Length * 2 * IntPtr.Size;

        private static int HighestPowerOfTwoIn(int value)
        {
            int power = 1;
            while (power <= value >> 1) power <<= 1;
            return power;
        }

        private static int RoundUpToPowerOfTwo(int value)
        {
            int power = 1;
            while (power < value && power < (1 << 30)) power <<= 1;
            return Math.Max(power, value);
        }

        private static void ThrowEmpty() =>
            throw new InvalidOperationException("AutoDiffGen tape underflow: the reverse sweep popped more values than the forward sweep pushed.");
    }
}
