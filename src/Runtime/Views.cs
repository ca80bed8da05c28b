using System;
using System.ComponentModel;

namespace AutoDiffGen.Runtime
{
    /// <summary>
    /// Checks the generated gradients make where the method reads or writes through a slice of an array or span
    /// (<c>x[a..b]</c>, <c>x.Slice(a, n)</c>, <c>x.AsSpan(a, n)</c>). The generated code indexes the underlying storage
    /// directly (so the slice's adjoint is the same window of the storage's adjoint); these throw what the slice itself
    /// would have thrown, at the same point.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class Views
    {
        /// <summary>
        /// The start of a slice of <paramref name="length"/> elements at <paramref name="start"/> of a window of
        /// <paramref name="available"/> elements; throws <see cref="ArgumentOutOfRangeException"/> as <c>Span.Slice</c> does.
        /// </summary>
        public static int Slice(int start, int length, int available)
        {
            if ((ulong)(uint)start + (ulong)(uint)length > (ulong)(uint)available)
            {
                throw new ArgumentOutOfRangeException(nameof(start));
            }
            return start;
        }

        /// <summary>
        /// The start of the range <c>[start..end]</c> of a window of <paramref name="available"/> elements (both already
        /// resolved from the end where written <c>^k</c>); throws <see cref="ArgumentOutOfRangeException"/> as a range does.
        /// </summary>
        public static int Range(int start, int end, int available)
        {
            if ((uint)end > (uint)available || (uint)start > (uint)end)
            {
                throw new ArgumentOutOfRangeException("length");
            }
            return start;
        }

        /// <summary>Checks an index into a slice of <paramref name="length"/> elements; throws <see cref="IndexOutOfRangeException"/> as a span's indexer does.</summary>
        public static int Index(int index, int length)
        {
            if ((uint)index >= (uint)length)
            {
                throw new IndexOutOfRangeException();
            }
            return index;
        }
    }
}
