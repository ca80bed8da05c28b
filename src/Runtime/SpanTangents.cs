using System;
using System.ComponentModel;

namespace AutoDiffGen.Runtime
{
    /// <summary>
    /// The tangents (forward mode) of the span-level primitives whose partials need a per-element select: Sqrt and Abs at
    /// 0, element-wise Max and Min, and Pow's logarithm guarded at 0, with the same conventions as their adjoints
    /// (<see cref="SpanAdjoints"/>). Each writes the whole tangent <c>t</c> of the destination; an empty tangent span
    /// means a passive operand (tangent 0). Every other primitive's tangent is generated as TensorPrimitives calls.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class SpanTangents
    {
        /// <summary>d = √x given d: ṫ = ẋ / (2d), 0 where d = 0 (Math.Sqrt's rule at the origin).</summary>
        public static void SqrtTangent(ReadOnlySpan<double> d, ReadOnlySpan<double> tx, Span<double> t)
        {
            for (int i = 0; i < t.Length; i++) t[i] = d[i] == 0 ? 0 : tx[i] / (d[i] + d[i]);
        }

        /// <summary>d = |x|: ṫ = sign(x)·ẋ, 0 at 0.</summary>
        public static void AbsTangent(ReadOnlySpan<double> x, ReadOnlySpan<double> tx, Span<double> t)
        {
            for (int i = 0; i < t.Length; i++) t[i] = x[i] > 0 ? tx[i] : x[i] < 0 ? -tx[i] : 0;
        }

        /// <summary>d = max(x, y) element-wise: ṫ = ẋ where x ≥ y, else ẏ.</summary>
        public static void MaxTangent(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> tx, ReadOnlySpan<double> ty, Span<double> t)
        {
            for (int i = 0; i < t.Length; i++) t[i] = x[i] >= y[i] ? At(tx, i) : At(ty, i);
        }

        /// <summary>d = min(x, y) element-wise: ṫ = ẋ where x ≤ y, else ẏ.</summary>
        public static void MinTangent(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> tx, ReadOnlySpan<double> ty, Span<double> t)
        {
            for (int i = 0; i < t.Length; i++) t[i] = x[i] <= y[i] ? At(tx, i) : At(ty, i);
        }

        /// <summary>d = max(x, s): ṫ = ẋ where x ≥ s, else ṡ.</summary>
        public static void MaxScalarTangent(ReadOnlySpan<double> x, double s, ReadOnlySpan<double> tx, double ts, Span<double> t)
        {
            for (int i = 0; i < t.Length; i++) t[i] = x[i] >= s ? At(tx, i) : ts;
        }

        /// <summary>d = min(x, s): ṫ = ẋ where x ≤ s, else ṡ.</summary>
        public static void MinScalarTangent(ReadOnlySpan<double> x, double s, ReadOnlySpan<double> tx, double ts, Span<double> t)
        {
            for (int i = 0; i < t.Length; i++) t[i] = x[i] <= s ? At(tx, i) : ts;
        }

        /// <summary>d = x^y element-wise: ṫ = y·x^(y−1)·ẋ + d·ln x·ẏ, the second term 0 where x ≤ 0 (Math.Pow's rule).</summary>
        public static void PowTangent(ReadOnlySpan<double> x, ReadOnlySpan<double> y, ReadOnlySpan<double> d, ReadOnlySpan<double> tx, ReadOnlySpan<double> ty, Span<double> t)
        {
            for (int i = 0; i < t.Length; i++)
            {
                double value = 0;
                if (tx.Length > 0) value += tx[i] * y[i] * Math.Pow(x[i], y[i] - 1);
                if (ty.Length > 0 && x[i] > 0) value += ty[i] * d[i] * Math.Log(x[i]);
                t[i] = value;
            }
        }

        /// <summary>d = x^s: ṫ = s·x^(s−1)·ẋ + d·ln x·ṡ, the second term 0 where x ≤ 0.</summary>
        public static void PowScalarTangent(ReadOnlySpan<double> x, double s, ReadOnlySpan<double> d, ReadOnlySpan<double> tx, double ts, Span<double> t)
        {
            for (int i = 0; i < t.Length; i++)
            {
                double value = 0;
                if (tx.Length > 0) value += tx[i] * s * Math.Pow(x[i], s - 1);
                if (ts != 0 && x[i] > 0) value += ts * d[i] * Math.Log(x[i]);
                t[i] = value;
            }
        }

        private static double At(ReadOnlySpan<double> tangent, int i) => tangent.Length > 0 ? tangent[i] : 0;

        /// <summary>(float) d = √x given d: ṫ = ẋ / (2d), 0 where d = 0 (Math.Sqrt's rule at the origin).</summary>
        public static void SqrtTangent(ReadOnlySpan<float> d, ReadOnlySpan<float> tx, Span<float> t)
        {
            for (int i = 0; i < t.Length; i++) t[i] = d[i] == 0 ? 0 : tx[i] / (d[i] + d[i]);
        }

        /// <summary>(float) d = |x|: ṫ = sign(x)·ẋ, 0 at 0.</summary>
        public static void AbsTangent(ReadOnlySpan<float> x, ReadOnlySpan<float> tx, Span<float> t)
        {
            for (int i = 0; i < t.Length; i++) t[i] = x[i] > 0 ? tx[i] : x[i] < 0 ? -tx[i] : 0;
        }

        /// <summary>(float) d = max(x, y) element-wise: ṫ = ẋ where x ≥ y, else ẏ.</summary>
        public static void MaxTangent(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> tx, ReadOnlySpan<float> ty, Span<float> t)
        {
            for (int i = 0; i < t.Length; i++) t[i] = x[i] >= y[i] ? At(tx, i) : At(ty, i);
        }

        /// <summary>(float) d = min(x, y) element-wise: ṫ = ẋ where x ≤ y, else ẏ.</summary>
        public static void MinTangent(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> tx, ReadOnlySpan<float> ty, Span<float> t)
        {
            for (int i = 0; i < t.Length; i++) t[i] = x[i] <= y[i] ? At(tx, i) : At(ty, i);
        }

        /// <summary>(float) d = max(x, s): ṫ = ẋ where x ≥ s, else ṡ.</summary>
        public static void MaxScalarTangent(ReadOnlySpan<float> x, float s, ReadOnlySpan<float> tx, float ts, Span<float> t)
        {
            for (int i = 0; i < t.Length; i++) t[i] = x[i] >= s ? At(tx, i) : ts;
        }

        /// <summary>(float) d = min(x, s): ṫ = ẋ where x ≤ s, else ṡ.</summary>
        public static void MinScalarTangent(ReadOnlySpan<float> x, float s, ReadOnlySpan<float> tx, float ts, Span<float> t)
        {
            for (int i = 0; i < t.Length; i++) t[i] = x[i] <= s ? At(tx, i) : ts;
        }

        /// <summary>(float) d = x^y element-wise: ṫ = y·x^(y−1)·ẋ + d·ln x·ẏ, the second term 0 where x ≤ 0 (Math.Pow's rule).</summary>
        public static void PowTangent(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> d, ReadOnlySpan<float> tx, ReadOnlySpan<float> ty, Span<float> t)
        {
            for (int i = 0; i < t.Length; i++)
            {
                float value = 0;
                if (tx.Length > 0) value += tx[i] * y[i] * (float)Math.Pow(x[i], y[i] - 1);
                if (ty.Length > 0 && x[i] > 0) value += ty[i] * d[i] * (float)Math.Log(x[i]);
                t[i] = value;
            }
        }

        /// <summary>(float) d = x^s: ṫ = s·x^(s−1)·ẋ + d·ln x·ṡ, the second term 0 where x ≤ 0.</summary>
        public static void PowScalarTangent(ReadOnlySpan<float> x, float s, ReadOnlySpan<float> d, ReadOnlySpan<float> tx, float ts, Span<float> t)
        {
            for (int i = 0; i < t.Length; i++)
            {
                float value = 0;
                if (tx.Length > 0) value += tx[i] * s * (float)Math.Pow(x[i], s - 1);
                if (ts != 0 && x[i] > 0) value += ts * d[i] * (float)Math.Log(x[i]);
                t[i] = value;
            }
        }

        private static float At(ReadOnlySpan<float> tangent, int i) => tangent.Length > 0 ? tangent[i] : 0;
    }
}
