using System;
using System.Buffers;

namespace AutoDiffGen.Runtime
{
    /// <summary>
    /// Pooled arrays for the generated code (tape chunks, vector adjoints) at the length asked for when it is short
    /// (at most <see cref="MaxExactLength"/>), from <see cref="ArrayPool{T}.Shared"/> otherwise.
    /// </summary>
    /// <remarks>
    /// <para>Why: the shared pool's smallest array is 16 elements and its lengths are powers of two. For a short vector
    /// that is most of what a gradient holds: the adjoint of an 8-element scratch vector was a 16-element array, a tape
    /// expecting 80 values held a 64 and a 16 chunk and the directory listing them (16 entries). Here such an array is
    /// exactly as long as asked, so an adjoint is its vector's length and an expected short recording one chunk.</para>
    /// <para>Each thread keeps, per length 1 … <see cref="MaxExactLength"/>, a stack of the arrays given back; renting
    /// takes one from it (allocating only when it is empty), giving back puts it there. The stack grows (during the first
    /// calls) to the most arrays of that length the thread held at once and never drops one, so a warm gradient
    /// allocates nothing, however many it rents. Which pool an array goes back to is decided by its length alone, so an
    /// array rented here always comes back here. Per thread: nothing shared, and a call nested in another (a
    /// differentiable helper's gradient) rents arrays of its own, so generated code stays reentrant and thread-safe.
    /// What the pool keeps is bounded by the lengths (≤ 256) times the most arrays of each length held at once.</para>
    /// </remarks>
    internal static class ExactLengthPool<T>
    {
        /// <summary>The longest array kept at its exact length: beyond it the shared pool's rounding costs little.</summary>
        public const int MaxExactLength = 256;

        /// <summary>Per length, the arrays given back (a stack: the first <see cref="t_counts"/>[length] entries).</summary>
        [ThreadStatic] private static T[]?[]?[]? t_buckets;

        [ThreadStatic] private static int[]? t_counts;

        /// <summary>An array of exactly <paramref name="length"/> elements when that is at most <see cref="MaxExactLength"/>,
        /// else at least that long. Not cleared.</summary>
        public static T[] Rent(int length)
        {
            if (length > MaxExactLength || length <= 0) return ArrayPool<T>.Shared.Rent(length);
            int[] counts = t_counts ??= new int[MaxExactLength + 1];
            int count = counts[length];
            if (count == 0) return new T[length];
            T[]?[] bucket = t_buckets![length]!;
            T[] array = bucket[--count]!;
            bucket[count] = null;
            counts[length] = count;
            return array;
        }

        /// <summary>Gives back an array <see cref="Rent"/> returned.</summary>
        public static void Return(T[] array)
        {
            int length = array.Length;
            if (length > MaxExactLength)
            {
                ArrayPool<T>.Shared.Return(array);
                return;
            }
            if (length == 0) return;
            int[] counts = t_counts ??= new int[MaxExactLength + 1];
            T[]?[]?[] buckets = t_buckets ??= new T[]?[]?[MaxExactLength + 1];
            T[]?[] bucket = buckets[length] ??= new T[]?[4];
            int count = counts[length];
            if (count == bucket.Length)
            {
                Array.Resize(ref bucket, 2 * count);
                buckets[length] = bucket;
            }
            bucket[count] = array;
            counts[length] = count + 1;
        }
    }
}
