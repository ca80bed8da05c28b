using System;
using System.Buffers;
using System.ComponentModel;

namespace AutoDiffGen.Runtime
{
    /// <summary>
    /// Pooled buffers and span copies for the gradients of span-level primitives (TensorPrimitives): scratch space for
    /// recomputed partials, saved destination contents, seeds taken from an adjoint that the primitive's own operand
    /// shares. Overloads are per element type, so that an array converts to the span parameter at the call.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class SpanBuffers
    {
        /// <summary>A buffer of at least <paramref name="length"/> elements (contents undefined); give it back with <see cref="Return{T}(T[])"/>.</summary>
        public static T[] Rent<T>(int length) => ArrayPool<T>.Shared.Rent(Math.Max(length, 1));

        /// <summary>A pooled copy of <paramref name="source"/> (the first <c>source.Length</c> elements of the buffer).</summary>
        public static double[] RentCopy(ReadOnlySpan<double> source)
        {
            double[] copy = Rent<double>(source.Length);
            source.CopyTo(copy);
            return copy;
        }

        /// <inheritdoc cref="RentCopy(ReadOnlySpan{double})"/>
        public static float[] RentCopy(ReadOnlySpan<float> source)
        {
            float[] copy = Rent<float>(source.Length);
            source.CopyTo(copy);
            return copy;
        }

        /// <summary>
        /// A pooled copy of <paramref name="source"/> of any element type (generic code: an array parameter of T the method
        /// writes into, kept as the method leaves it while the reverse sweep restores it). Called with its type argument
        /// written out, so the double and float overloads stay the ones an array converts to.
        /// </summary>
        public static T[] RentCopy<T>(ReadOnlySpan<T> source)
        {
            T[] copy = Rent<T>(source.Length);
            source.CopyTo(copy);
            return copy;
        }

        /// <summary>Gives a rented buffer back to the pool (null: nothing was rented on this path).</summary>
        public static void Return<T>(T[]? buffer)
        {
            if (buffer is not null) ArrayPool<T>.Shared.Return(buffer);
        }

        /// <summary><c>source</c> into <c>destination</c> (same length).</summary>
        public static void Copy(ReadOnlySpan<double> source, Span<double> destination) => source.CopyTo(destination);

        /// <inheritdoc cref="Copy(ReadOnlySpan{double}, Span{double})"/>
        public static void Copy(ReadOnlySpan<float> source, Span<float> destination) => source.CopyTo(destination);

        /// <summary>Sets every element to zero.</summary>
        public static void Clear(Span<double> span) => span.Clear();

        /// <inheritdoc cref="Clear(Span{double})"/>
        public static void Clear(Span<float> span) => span.Clear();
    }
}
