using System;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>
    /// Slices, rows and scratch spans (issue 10): a slice of a span (<c>s[a..b]</c>, <c>Slice</c>, <c>AsSpan</c>) and a row
    /// of a jagged array are views — reads and writes go to the storage and its adjoint; a range of an array is a copy,
    /// as C# makes it; <c>stackalloc</c> gives a local scratch span.
    /// </summary>
    public static partial class Slices
    {
        /// <summary>
        /// Σ x_i² (TensorPrimitives) + 0.5 · last², the last element written through a slice of a range view (property seed
        /// 1701318195: in a method calling TensorPrimitives, the slice of a range view was refused with ADG0402).
        /// </summary>
        [Differentiable]
        public static double SliceOfRangeBesideTensorPrimitives(double[] x)
        {
            double s = System.Numerics.Tensors.TensorPrimitives.SumOfSquares<double>(x);
            Span<double> tail = x.AsSpan()[^2..];
            Span<double> last = tail.Slice(tail.Length - 1);
            return s + 0.5 * last[0] * last[0];
        }

        /// <summary>Σ_{i≥1} x_i².</summary>
        [Differentiable]
        public static double TailSquares(double[] x)
        {
            ReadOnlySpan<double> t = x.AsSpan()[1..];
            double s = 0;
            for (int i = 0; i < t.Length; i++) s += t[i] * t[i];
            return s;
        }

        /// <summary>x_last · Σ_{0&lt;i&lt;last} x_i², through <c>x[1..^1]</c> and <c>x[^1]</c>.</summary>
        [Differentiable]
        public static double MiddleTimesLast(ReadOnlySpan<double> x)
        {
            ReadOnlySpan<double> middle = x[1..^1];
            double s = 0;
            foreach (double v in middle) s += v * v;
            return x[^1] * s;
        }

        /// <summary>Writes through a slice change the array: x1 ← x1·x2, x2 ← sin x2; then x0·x1 + x2 + x3.</summary>
        [Differentiable]
        public static double WriteThroughSlice(double[] x)
        {
            Span<double> t = x.AsSpan(1, 2);
            t[0] = t[0] * t[1];
            t[1] = Math.Sin(t[1]);
            return x[0] * x[1] + x[2] + x[3];
        }

        /// <summary>A slice of a slice: x1 · x2 · x3.</summary>
        [Differentiable]
        public static double SliceOfSlice(Span<double> x)
        {
            Span<double> a = x.Slice(1);
            Span<double> b = a.Slice(1, 2);
            return b[0] * b[1] * a[0];
        }

        /// <summary>Σ x_i x_{i+1}, consuming the span: t = t[1..] in a loop.</summary>
        [Differentiable]
        public static double ConsumeSpan(ReadOnlySpan<double> x)
        {
            ReadOnlySpan<double> t = x;
            double s = 0;
            while (t.Length >= 2)
            {
                s += t[0] * t[1];
                t = t[1..];
            }
            return s;
        }

        /// <summary>Σ sin v.</summary>
        [Differentiable]
        public static double SumSin(ReadOnlySpan<double> v)
        {
            double s = 0;
            for (int i = 0; i < v.Length; i++) s += Math.Sin(v[i]);
            return s;
        }

        /// <summary>Slices passed to a callee: x0 + sin x1 + sin x2 + (sin x2 + sin x3) (the last a copy, x[2..]).</summary>
        [Differentiable]
        public static double SlicesToCallee(double[] x) => x[0] + SumSin(x.AsSpan(1, 2)) + SumSin(x[2..]);

        /// <summary>A range of an array is a copy: writing it leaves x alone. 10·x1·x2 + x1.</summary>
        [Differentiable]
        public static double ArrayRangeIsACopy(double[] x)
        {
            double[] c = x[1..3];
            c[0] = 10 * c[0];
            return c[0] * c[1] + x[1];
        }

        /// <summary>x[^1]·x[0] + x[^2].</summary>
        [Differentiable]
        public static double FromTheEnd(double[] x) => x[^1] * x[0] + x[^2];

        /// <summary>A row of a jagged array as an array, and passed to a callee: Σ_k m1[k]·m0[k] + Σ_k sin m0[k].</summary>
        [Differentiable]
        public static double RowDot(double[][] m)
        {
            double[] r = m[1];
            double s = 0;
            for (int k = 0; k < r.Length; k++) s += r[k] * m[0][k];
            return s + SumSin(m[0]);
        }

        /// <summary>A write through a row changes the jagged array: m01 ← m00·m01; then m01·m10.</summary>
        [Differentiable]
        public static double RowWrite(double[][] m)
        {
            double[] r = m[0];
            r[1] = r[0] * r[1];
            return m[0][1] * m[1][0];
        }

        /// <summary>A row local declared in a loop, read with foreach: Σ m_ij².</summary>
        [Differentiable]
        public static double RowsInALoop(double[][] m)
        {
            double s = 0;
            for (int i = 0; i < m.Length; i++)
            {
                double[] row = m[i];
                foreach (double v in row) s += v * v;
            }
            return s;
        }

        /// <summary>foreach over the rows of a jagged array: Σ_i (sin m_i0 + Σ_{k≥1} m_ik·m_i0).</summary>
        [Differentiable]
        public static double ForeachRows(double[][] m)
        {
            double s = 0;
            foreach (double[] row in m)
            {
                s += Math.Sin(row[0]);
                for (int k = 1; k < row.Length; k++) s += row[k] * row[0];
            }
            return s;
        }

        /// <summary>A stackalloc'd scratch span: t_i = x_i², then Σ t_i·x_i = Σ x_i³.</summary>
        [Differentiable]
        public static double Scratch(double[] x)
        {
            Span<double> t = stackalloc double[x.Length];
            for (int i = 0; i < x.Length; i++) t[i] = x[i] * x[i];
            double s = 0;
            for (int i = 0; i < t.Length; i++) s += t[i] * x[i];
            return s;
        }

        /// <summary>A stackalloc'd span with an initializer: (x0·x1 + x1)·x0·x1.</summary>
        [Differentiable]
        public static double ScratchInitialized(double x0, double x1)
        {
            Span<double> t = stackalloc double[] { x0 * x1, x1 };
            t[1] = t[0] + t[1];
            return t[1] * t[0];
        }

        /// <summary><see cref="TailSquares"/> in float.</summary>
        [Differentiable]
        public static float TailSquaresFloat(float[] x)
        {
            ReadOnlySpan<float> t = x.AsSpan(1);
            float s = 0;
            for (int i = 0; i < t.Length; i++) s += t[i] * t[i];
            return s;
        }

        /// <summary><see cref="Scratch"/> in float, through a slice of the scratch span: Σ_{i≥1} x_i³.</summary>
        [Differentiable]
        public static float ScratchFloat(float[] x)
        {
            Span<float> t = stackalloc float[x.Length];
            for (int i = 0; i < x.Length; i++) t[i] = x[i] * x[i];
            Span<float> tail = t[1..];
            float s = 0;
            for (int i = 0; i < tail.Length; i++) s += tail[i] * x[i + 1];
            return s;
        }

        /// <summary>Throws as the slice does when x is too short (x.AsSpan(1, 2) needs 3 elements); reads t[k] checked against the slice.</summary>
        [Differentiable]
        public static double CheckedSlice(double[] x, int k)
        {
            Span<double> t = x.AsSpan(1, 2);
            return t[k] * x[0];
        }
    }
}
