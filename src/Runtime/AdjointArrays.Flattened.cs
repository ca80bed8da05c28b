using System;
using System.Collections.Generic;

namespace AutoDiffGen.Runtime
{
    /// <summary>
    /// Matrices and jagged arrays seen as the flattened vectors MHessian's rows and columns are (api.md "Flattening":
    /// row-major, a jagged array row by row): their element counts, the k-th element, one column of the Hessian filled
    /// from an H·v of the array's shape, and scratch of the array's shape kept per thread so that a warm MHessian
    /// allocates nothing (the shared ArrayPool holds vectors only).
    /// </summary>
    public static partial class AdjointArrays
    {
        /// <summary>The number of elements of a jagged array (a null array or row counts as empty).</summary>
        public static int ElementCount<T>(T[][]? array)
        {
            if (array is null) return 0;
            int count = 0;
            foreach (T[] row in array) count += row?.Length ?? 0;
            return count;
        }

        /// <summary>Sets the <paramref name="index"/>-th element of the matrix in row-major order.</summary>
        public static void SetFlat<T>(T[,] array, int index, T value)
        {
            int columns = array.GetLength(1);
            array[index / columns, index % columns] = value;
        }

        /// <summary>Sets the <paramref name="index"/>-th element of the jagged array, rows one after another.</summary>
        public static void SetFlat<T>(T[][] array, int index, T value)
        {
            foreach (T[] row in array)
            {
                int length = row?.Length ?? 0;
                if (index < length)
                {
                    row![index] = value;
                    return;
                }
                index -= length;
            }
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        /// <summary><c>hessian[offset + k, column] = source[k]</c> for the row-major elements k of the matrix.</summary>
        public static void CopyToColumn<T>(T[,] source, T[,] hessian, int offset, int column)
        {
            int k = offset;
            for (int i = 0; i < source.GetLength(0); i++)
                for (int j = 0; j < source.GetLength(1); j++)
                    hessian[k++, column] = source[i, j];
        }

        /// <summary><c>hessian[offset + k, column] = source[k]</c> for the elements k of the jagged array, row by row.</summary>
        public static void CopyToColumn<T>(T[][] source, T[,] hessian, int offset, int column)
        {
            int k = offset;
            foreach (T[] row in source)
            {
                if (row is null) continue;
                for (int j = 0; j < row.Length; j++) hessian[k++, column] = row[j];
            }
        }

        /// <summary>A float input's column of a double Hessian (a method mixing float and double values).</summary>
        public static void CopyToColumn(float[,] source, double[,] hessian, int offset, int column)
        {
            int k = offset;
            for (int i = 0; i < source.GetLength(0); i++)
                for (int j = 0; j < source.GetLength(1); j++)
                    hessian[k++, column] = source[i, j];
        }

        /// <inheritdoc cref="CopyToColumn(float[,], double[,], int, int)"/>
        public static void CopyToColumn(float[][] source, double[,] hessian, int offset, int column)
        {
            int k = offset;
            foreach (float[] row in source)
            {
                if (row is null) continue;
                for (int j = 0; j < row.Length; j++) hessian[k++, column] = row[j];
            }
        }

        /// <summary>
        /// A zeroed matrix of <paramref name="shape"/>'s shape (null for null), taken from this thread's scratch when one of
        /// that shape was given back with <see cref="ReturnShaped{T}(T[,])"/>, else allocated.
        /// </summary>
        public static T[,] RentZeroedShaped<T>(T[,] shape)
        {
            if (shape is null) return null!;
            List<T[,]> free = ShapedScratch<T>.Matrices;
            for (int i = free.Count - 1; i >= 0; i--)
            {
                T[,] candidate = free[i];
                if (candidate.GetLength(0) == shape.GetLength(0) && candidate.GetLength(1) == shape.GetLength(1))
                {
                    free.RemoveAt(i);
                    Array.Clear(candidate, 0, candidate.Length);
                    return candidate;
                }
            }
            return new T[shape.GetLength(0), shape.GetLength(1)];
        }

        /// <summary>A zeroed jagged array with <paramref name="shape"/>'s row lengths (null for null), reused like <see cref="RentZeroedShaped{T}(T[,])"/>.</summary>
        public static T[][] RentZeroedShaped<T>(T[][] shape)
        {
            if (shape is null) return null!;
            List<T[][]> free = ShapedScratch<T>.Jagged;
            for (int i = free.Count - 1; i >= 0; i--)
            {
                if (SameRows(free[i], shape))
                {
                    T[][] candidate = free[i];
                    free.RemoveAt(i);
                    foreach (T[] row in candidate) if (row is not null) Array.Clear(row, 0, row.Length);
                    return candidate;
                }
            }
            var fresh = new T[shape.Length][];
            for (int i = 0; i < shape.Length; i++) fresh[i] = shape[i] is null ? null! : new T[shape[i].Length];
            return fresh;
        }

        /// <summary>Gives a matrix from <see cref="RentZeroedShaped{T}(T[,])"/> back to this thread's scratch.</summary>
        public static void ReturnShaped<T>(T[,]? rented)
        {
            if (rented is not null) Keep(ShapedScratch<T>.Matrices, rented, ShapedScratch<T>.Capacity);
        }

        /// <summary>Gives a jagged array from <see cref="RentZeroedShaped{T}(T[][])"/> back to this thread's scratch.</summary>
        public static void ReturnShaped<T>(T[][]? rented)
        {
            if (rented is not null) Keep(ShapedScratch<T>.Jagged, rented, ShapedScratch<T>.Capacity);
        }

        /// <summary>
        /// Keeps <paramref name="rented"/> as the newest free array; when the scratch is full the oldest goes, so arrays of
        /// shapes a thread no longer uses (an earlier problem's) cannot crowd out the ones its current calls rent each time.
        /// </summary>
        private static void Keep<TArray>(List<TArray> free, TArray rented, int capacity)
        {
            if (free.Count >= capacity) free.RemoveAt(0);
            free.Add(rented);
        }

        /// <summary>A copy of the matrix in this thread's scratch (null for null): the entry values of an input the method writes into.</summary>
        public static T[,] RentCopyShaped<T>(T[,] source)
        {
            T[,] copy = RentZeroedShaped(source);
            CopyShaped(source, copy);
            return copy;
        }

        /// <summary>A copy of the jagged array in this thread's scratch (null for null).</summary>
        public static T[][] RentCopyShaped<T>(T[][] source)
        {
            T[][] copy = RentZeroedShaped(source);
            CopyShaped(source, copy);
            return copy;
        }

        /// <summary>Copies every element of <paramref name="source"/> into <paramref name="destination"/>, of the same shape.</summary>
        public static void CopyShaped<T>(T[,] source, T[,] destination)
        {
            if (source is not null) Array.Copy(source, destination, source.Length);
        }

        /// <summary>Copies every row of <paramref name="source"/> into the rows of <paramref name="destination"/>, of the same lengths.</summary>
        public static void CopyShaped<T>(T[][] source, T[][] destination)
        {
            if (source is null) return;
            for (int i = 0; i < source.Length; i++)
            {
                if (source[i] is not null) Array.Copy(source[i], destination[i], source[i].Length);
            }
        }

        private static bool SameRows<T>(T[][] a, T[][] b)
        {
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if ((a[i]?.Length ?? -1) != (b[i]?.Length ?? -1)) return false;
            }
            return true;
        }

        /// <summary>
        /// Per thread, so no lock and no sharing between threads; a few arrays per element type (an MHessian holds two per
        /// matrix or jagged input while it runs, three for one the method writes into, and the MHessianVector it calls
        /// holds three more: the tangent copy, its adjoint and the input's local adjoint; nested calls hold theirs).
        /// </summary>
        private static class ShapedScratch<T>
        {
            public const int Capacity = 16;

            [ThreadStatic]
            private static List<T[,]>? s_matrices;

            [ThreadStatic]
            private static List<T[][]>? s_jagged;

            public static List<T[,]> Matrices => s_matrices ??= new List<T[,]>();

            public static List<T[][]> Jagged => s_jagged ??= new List<T[][]>();
        }
    }
}
