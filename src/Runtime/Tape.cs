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
    /// Generated code keeps a tape in a local variable (it is a mutable struct: never copy it), pushes while it
    /// runs forward, pops while it runs in reverse and disposes it on every exit path. Storage is rented from
    /// <see cref="ArrayPool{T}.Shared"/>, so a warm gradient allocates nothing, and nothing is static or shared,
    /// so generated code stays reentrant and thread-safe.
    /// </remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public struct Tape<T> : IDisposable
    {
        private const int InitialCapacity = 64;

        private T[]? _items;
        private int _count;

        /// <summary>One past the last slot the latest <see cref="Reserve"/> promised to <see cref="PushReserved"/>.</summary>
        private int _reservedEnd;

        /// <summary>The number of values recorded and not yet popped.</summary>
        public readonly int Count => _count;

        /// <summary>Records a value (growing the storage when it is full).</summary>
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
        /// loop. Reserving before the values are computed keeps the call out of their way.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Reserve(int count)
        {
            T[]? items = _items;
            if (items is null || items.Length - _count < count)
            {
                Grow(count);
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

        /// <summary>Removes and returns the value recorded last.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T Pop()
        {
            int count = _count - 1;
            T[]? items = _items;
            if (items is null || (uint)count >= (uint)items.Length)
            {
                ThrowEmpty();
            }
            _count = count;
            return items![count];
        }

        /// <summary>
        /// Records every element of <paramref name="values"/> (a span a primitive is about to overwrite). The room the
        /// latest <see cref="Reserve"/> made for pushes not yet made stays free afterwards, for the pushes it was made for.
        /// </summary>
        public void PushRange(ReadOnlySpan<T> values)
        {
            // Only the reserved pushes still to come need room after the range (not all the free storage: asking for
            // that grew the storage on every call, doubling it each time).
            int promised = Math.Max(0, _reservedEnd - _count);
            T[]? items = _items;
            if (items is null || items.Length - _count < values.Length + promised)
            {
                Grow(values.Length + promised);
            }
            values.CopyTo(_items.AsSpan(_count));
            _count += values.Length;
            if (promised > 0) _reservedEnd += values.Length;
        }

        /// <summary>Takes back the <c>target.Length</c> values recorded last by <see cref="PushRange"/>, in their order.</summary>
        public void PopRange(Span<T> target)
        {
            // One block copy (a scratch array's snapshot comes back every iteration: ReverseModeTransform.Snapshots.cs).
            if (target.IsEmpty) return;
            int start = _count - target.Length;
            T[]? items = _items;
            if (items is null || start < 0 || (uint)_count > (uint)items.Length)
            {
                ThrowEmpty();
            }
            items!.AsSpan(start, target.Length).CopyTo(target);
            _count = start;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void PushSlow(T value)
        {
            Grow(1);
            _items![_count++] = value;
        }

        /// <summary>Replaces the storage by one with room for <paramref name="free"/> more values (at least double the old).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Grow(int free)
        {
            T[]? old = _items;
            int newCapacity = Math.Max(old is null ? InitialCapacity : old.Length * 2, _count + free);
            T[] grown = ArrayPool<T>.Shared.Rent(newCapacity);
            PooledMemory.Rented(grown);
            if (old is not null)
            {
                Array.Copy(old, grown, _count);
                PooledMemory.Returned(old);
                ArrayPool<T>.Shared.Return(old);
            }
            _items = grown;
        }

        private static void ThrowEmpty() =>
            throw new InvalidOperationException("AutoDiffGen tape underflow: the reverse sweep popped more values than the forward sweep pushed.");

        /// <summary>Returns the storage to the pool. The tape is empty and reusable afterwards.</summary>
        public void Dispose()
        {
            T[]? items = _items;
            if (items is not null)
            {
                _items = null;
                _count = 0;
                _reservedEnd = 0;
                PooledMemory.Returned(items);
                ArrayPool<T>.Shared.Return(items);
            }
        }
    }
}
