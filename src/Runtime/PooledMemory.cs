using System;
using System.ComponentModel;

namespace AutoDiffGen.Runtime
{
    /// <summary>
    /// Bytes the generated code of the current thread holds from the shared pool (tapes and vector adjoints), and
    /// the high-water mark since <see cref="ResetPeak"/>: what a memory benchmark reads to know the peak memory of
    /// one gradient call (the pool's arrays are reused, so allocation counters do not show it).
    /// </summary>
    /// <remarks>Updated only when a tape adds or returns a chunk and when an adjoint is rented or returned, never per push.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class PooledMemory
    {
        [ThreadStatic] private static long t_current;
        [ThreadStatic] private static long t_peak;

        /// <summary>Bytes held now by this thread's tapes and rented adjoints.</summary>
        public static long CurrentBytes => t_current;

        /// <summary>The most bytes held at once since the last <see cref="ResetPeak"/>.</summary>
        public static long PeakBytes => t_peak;

        /// <summary>Starts a new measurement: the peak becomes what is held now.</summary>
        public static void ResetPeak() => t_peak = t_current;

        internal static void Rented<T>(T[] array) => RentedBytes((long)array.Length * ElementSize<T>.Bytes);

        internal static void Returned<T>(T[] array) => ReturnedBytes((long)array.Length * ElementSize<T>.Bytes);

        /// <summary>Counts an array whose element size the caller knows better than <see cref="ElementSize{T}"/> (a struct: a tape's chunk directory).</summary>
        internal static void RentedBytes(long bytes)
        {
            long current = t_current + bytes;
            t_current = current;
            if (current > t_peak) t_peak = current;
        }

        internal static void ReturnedBytes(long bytes) => t_current -= bytes;

        private static class ElementSize<T>
        {
            public static readonly int Bytes =
                typeof(T) == typeof(double) || typeof(T) == typeof(long) ? 8
                : typeof(T) == typeof(float) || typeof(T) == typeof(int) ? 4
                : typeof(T) == typeof(bool) || typeof(T) == typeof(byte) ? 1
                : IntPtr.Size;
        }
    }
}
