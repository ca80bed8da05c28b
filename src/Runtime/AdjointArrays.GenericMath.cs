#if NET7_0_OR_GREATER
using System;
using System.Numerics;

namespace AutoDiffGen.Runtime
{
    /// <summary>
    /// The generic-math overloads of <see cref="AdjointArrays"/>: the companions of a method generic in
    /// <c>T : IFloatingPointIeee754&lt;T&gt;</c> add adjoints of <c>T</c>. Only where generic math exists (not in the
    /// netstandard2.0 build, whose consumers cannot write such methods); a double or float call still binds to the
    /// non-generic overloads, which are better matches.
    /// </summary>
    public static partial class AdjointArrays
    {
        /// <inheritdoc cref="AddTo(double[], Span{double})"/>
        public static void AddTo<T>(T[] source, Span<T> destination) where T : INumberBase<T>
        {
            for (int i = 0; i < destination.Length; i++) destination[i] += source[i];
        }

        /// <inheritdoc cref="AddTo(double[], Span{double})"/>
        public static void AddTo<T>(T[,] source, T[,] destination) where T : INumberBase<T>
        {
            for (int i = 0; i < destination.GetLength(0); i++)
                for (int j = 0; j < destination.GetLength(1); j++)
                    destination[i, j] += source[i, j];
        }

        /// <inheritdoc cref="AddTo(double[], Span{double})"/>
        public static void AddTo<T>(T[][] source, T[][] destination) where T : INumberBase<T>
        {
            for (int i = 0; i < destination.Length; i++)
                for (int j = 0; j < destination[i].Length; j++)
                    destination[i][j] += source[i][j];
        }
    }
}
#endif
