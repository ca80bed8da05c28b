using System;
using System.Buffers;
using System.ComponentModel;

namespace AutoDiffGen.Runtime
{
    /// <summary>
    /// Helpers the generated gradients call for array adjoints: zeroed adjoint buffers rented from the shared pool
    /// (so a warm gradient allocates nothing for vectors), gradient-shape checks that name the parameter, and
    /// clearing and accumulating of matrix and jagged gradients.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static partial class AdjointArrays
    {
        /// <summary>
        /// A zeroed adjoint for a vector of <paramref name="length"/> elements; may be longer (exactly that long up to
        /// 256 elements: a short vector's adjoint is not rounded up to the shared pool's 16, ExactLengthPool.cs).
        /// Give it back with <see cref="Return{T}(T[])"/>.
        /// </summary>
        public static T[] RentZeroed<T>(int length)
        {
            T[] rented = ExactLengthPool<T>.Rent(Math.Max(length, 1));
            PooledMemory.Rented(rented);
            Array.Clear(rented, 0, length);
            return rented;
        }

        /// <summary>A zeroed adjoint of the same shape as <paramref name="primal"/> (allocated: there is no pool for matrices).</summary>
        public static T[,] RentZeroed<T>(T[,] primal) => new T[primal.GetLength(0), primal.GetLength(1)];

        /// <summary>A zeroed adjoint of the same shape as <paramref name="primal"/> (allocated).</summary>
        public static T[][] RentZeroed<T>(T[][] primal)
        {
            var adjoint = new T[primal.Length][];
            for (int i = 0; i < primal.Length; i++)
            {
                adjoint[i] = primal[i] is null ? null! : new T[primal[i].Length];
            }
            return adjoint;
        }

        /// <summary>Gives a rented vector adjoint back to the pool.</summary>
        public static void Return<T>(T[]? rented)
        {
            if (rented is not null && rented.Length > 0)
            {
                PooledMemory.Returned(rented);
                ExactLengthPool<T>.Return(rented);
            }
        }

        /// <summary>Nothing to give back for a matrix adjoint (see <see cref="RentZeroed{T}(T[,])"/>).</summary>
        public static void Return<T>(T[,]? rented)
        {
        }

        /// <summary>Nothing to give back for a jagged adjoint.</summary>
        public static void Return<T>(T[][]? rented)
        {
        }

        /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="gradientName"/> unless the lengths agree.</summary>
        public static void CheckLength(int primalLength, int gradientLength, string gradientName)
        {
            if (primalLength != gradientLength)
            {
                throw new ArgumentException(
                    $"The gradient buffer '{gradientName}' has length {gradientLength}, but its input has length {primalLength}.", gradientName);
            }
        }

        /// <summary>
        /// Throws <see cref="ArgumentException"/> naming <paramref name="outputName"/> when an output buffer shares memory
        /// with an input array: the companions differentiate the method as a function of its inputs' values on entry.
        /// </summary>
        public static void CheckDistinct<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> input, string outputName, string inputName)
        {
            if (output.Overlaps(input))
            {
                throw new ArgumentException($"The output '{outputName}' shares memory with the input '{inputName}': pass a separate buffer.", outputName);
            }
        }

        /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="name"/> unless the Jacobian is <paramref name="rows"/> × <paramref name="columns"/>.</summary>
        public static void CheckJacobianShape<T>(T[,] jacobian, int rows, int columns, string name)
        {
            if (jacobian is null) throw new ArgumentNullException(name);
            if (jacobian.GetLength(0) != rows || jacobian.GetLength(1) != columns)
            {
                throw new ArgumentException(
                    $"The Jacobian '{name}' is {jacobian.GetLength(0)} × {jacobian.GetLength(1)}, but the method has {rows} outputs and {columns} inputs (flattened).", name);
            }
        }

        /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="name"/> unless the Hessian is <paramref name="inputs"/> × <paramref name="inputs"/>.</summary>
        public static void CheckHessianShape<T>(T[,] hessian, int inputs, string name)
        {
            if (hessian is null) throw new ArgumentNullException(name);
            if (hessian.GetLength(0) != inputs || hessian.GetLength(1) != inputs)
            {
                throw new ArgumentException(
                    $"The Hessian '{name}' is {hessian.GetLength(0)} × {hessian.GetLength(1)}, but the method has {inputs} differentiable inputs (flattened): it must be {inputs} × {inputs}.", name);
            }
        }

        /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="gradientName"/> unless the shapes agree.</summary>
        public static void CheckShape<T>(T[,] primal, T[,] gradient, string gradientName)
        {
            if (gradient is null) throw new ArgumentNullException(gradientName);
            if (primal.GetLength(0) != gradient.GetLength(0) || primal.GetLength(1) != gradient.GetLength(1))
            {
                throw new ArgumentException(
                    $"The gradient buffer '{gradientName}' is {gradient.GetLength(0)}×{gradient.GetLength(1)}, but its input is {primal.GetLength(0)}×{primal.GetLength(1)}.", gradientName);
            }
        }

        /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="gradientName"/> unless the jagged shapes agree.</summary>
        public static void CheckShape<T>(T[][] primal, T[][] gradient, string gradientName)
        {
            if (gradient is null) throw new ArgumentNullException(gradientName);
            if (primal.Length != gradient.Length)
            {
                throw new ArgumentException($"The gradient buffer '{gradientName}' has {gradient.Length} rows, but its input has {primal.Length}.", gradientName);
            }
            for (int i = 0; i < primal.Length; i++)
            {
                int expected = primal[i]?.Length ?? 0;
                int actual = gradient[i]?.Length ?? 0;
                if (expected != actual)
                {
                    throw new ArgumentException($"Row {i} of the gradient buffer '{gradientName}' has length {actual}, but the input's has {expected}.", gradientName);
                }
            }
        }

        /// <summary>Sets every element of a matrix gradient to zero.</summary>
        public static void Clear<T>(T[,] gradient) => Array.Clear(gradient, 0, gradient.Length);

        /// <summary>Sets every element of a jagged gradient to zero.</summary>
        public static void Clear<T>(T[][] gradient)
        {
            foreach (T[] row in gradient)
            {
                if (row is not null) Array.Clear(row, 0, row.Length);
            }
        }

        /// <summary>Adds a local adjoint into the caller's gradient buffer: <c>destination[i] += source[i]</c>.</summary>
        public static void AddTo(double[] source, Span<double> destination)
        {
            for (int i = 0; i < destination.Length; i++) destination[i] += source[i];
        }

        /// <inheritdoc cref="AddTo(double[], Span{double})"/>
        public static void AddTo(float[] source, Span<float> destination)
        {
            for (int i = 0; i < destination.Length; i++) destination[i] += source[i];
        }

        /// <inheritdoc cref="AddTo(double[], Span{double})"/>
        public static void AddTo(double[,] source, double[,] destination)
        {
            for (int i = 0; i < destination.GetLength(0); i++)
                for (int j = 0; j < destination.GetLength(1); j++)
                    destination[i, j] += source[i, j];
        }

        /// <inheritdoc cref="AddTo(double[], Span{double})"/>
        public static void AddTo(float[,] source, float[,] destination)
        {
            for (int i = 0; i < destination.GetLength(0); i++)
                for (int j = 0; j < destination.GetLength(1); j++)
                    destination[i, j] += source[i, j];
        }

        /// <inheritdoc cref="AddTo(double[], Span{double})"/>
        public static void AddTo(double[][] source, double[][] destination)
        {
            for (int i = 0; i < destination.Length; i++)
                for (int j = 0; j < destination[i].Length; j++)
                    destination[i][j] += source[i][j];
        }

        /// <inheritdoc cref="AddTo(double[], Span{double})"/>
        public static void AddTo(float[][] source, float[][] destination)
        {
            for (int i = 0; i < destination.Length; i++)
                for (int j = 0; j < destination[i].Length; j++)
                    destination[i][j] += source[i][j];
        }
    }
}
