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

        /// <summary>The number of values recorded and not yet popped.</summary>
        public readonly int Count => _count;

        /// <summary>Records a value.</summary>
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

        /// <summary>Records every element of <paramref name="values"/> (a span a primitive is about to overwrite).</summary>
        public void PushRange(ReadOnlySpan<T> values)
        {
            foreach (T value in values) Push(value);
        }

        /// <summary>Takes back the <c>target.Length</c> values recorded last by <see cref="PushRange"/>, in their order.</summary>
        public void PopRange(Span<T> target)
        {
            for (int i = target.Length - 1; i >= 0; i--) target[i] = Pop();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void PushSlow(T value)
        {
            T[]? old = _items;
            int newCapacity = old is null ? InitialCapacity : old.Length * 2;
            T[] grown = ArrayPool<T>.Shared.Rent(newCapacity);
            PooledMemory.Rented(grown);
            if (old is not null)
            {
                Array.Copy(old, grown, _count);
                PooledMemory.Returned(old);
                ArrayPool<T>.Shared.Return(old);
            }
            _items = grown;
            grown[_count++] = value;
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
                PooledMemory.Returned(items);
                ArrayPool<T>.Shared.Return(items);
            }
        }
    }
}
