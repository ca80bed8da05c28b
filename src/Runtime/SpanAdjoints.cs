using System;
using System.ComponentModel;

namespace AutoDiffGen.Runtime
{
    /// <summary>
    /// The adjoints of the span-level primitives whose partials need a per-element select (the subgradients of Abs, Max
    /// and Min, the same conventions as the scalar rules: sign with 0 at 0, the first argument on ties) a logarithm
    /// guarded at 0 (Pow) or a quotient guarded at 0 (Sqrt): scalar loops, since TensorPrimitives has no masked select. Every other primitive's adjoint is
    /// generated as TensorPrimitives calls. <c>g</c> is the destination's adjoint; an empty adjoint span means inactive.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class SpanAdjoints
    {
        /// <summary>d = |x|: dx += g·sign(x), 0 at 0.</summary>
        public static double AbsAdjoint(ReadOnlySpan<double> g, ReadOnlySpan<double> x, Span<double> dx)
        {
            for (int i = 0; i < dx.Length; i++) dx[i] += x[i] > 0 ? g[i] : x[i] < 0 ? -g[i] : 0;
            return 0;
        }

        /// <inheritdoc cref="AbsAdjoint(ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double})"/>
        public static float AbsAdjoint(ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> dx)
        {
            for (int i = 0; i < dx.Length; i++) dx[i] += x[i] > 0 ? g[i] : x[i] < 0 ? -g[i] : 0;
            return 0;
        }

        /// <summary>d = √x given r = √x: dx += g / (2r), 0 where r = 0 (Math.Sqrt's rule at the origin).</summary>
        public static double SqrtAdjoint(ReadOnlySpan<double> g, ReadOnlySpan<double> r, Span<double> dx)
        {
            for (int i = 0; i < dx.Length; i++) dx[i] += r[i] == 0 ? 0 : g[i] / (r[i] + r[i]);
            return 0;
        }

        /// <inheritdoc cref="SqrtAdjoint(ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double})"/>
        public static float SqrtAdjoint(ReadOnlySpan<float> g, ReadOnlySpan<float> r, Span<float> dx)
        {
            for (int i = 0; i < dx.Length; i++) dx[i] += r[i] == 0 ? 0 : g[i] / (r[i] + r[i]);
            return 0;
        }

        /// <summary>d = max(x, y) element-wise: g goes to x where x ≥ y, else to y.</summary>
        public static double MaxAdjoint(ReadOnlySpan<double> g, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> dx, Span<double> dy)
        {
            for (int i = 0; i < g.Length; i++)
            {
                if (x[i] >= y[i]) { if (dx.Length > 0) dx[i] += g[i]; }
                else if (dy.Length > 0) dy[i] += g[i];
            }
            return 0;
        }

        /// <inheritdoc cref="MaxAdjoint(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double}, Span{double})"/>
        public static float MaxAdjoint(ReadOnlySpan<float> g, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dx, Span<float> dy)
        {
            for (int i = 0; i < g.Length; i++)
            {
                if (x[i] >= y[i]) { if (dx.Length > 0) dx[i] += g[i]; }
                else if (dy.Length > 0) dy[i] += g[i];
            }
            return 0;
        }

        /// <summary>d = min(x, y) element-wise: g goes to x where x ≤ y, else to y.</summary>
        public static double MinAdjoint(ReadOnlySpan<double> g, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> dx, Span<double> dy)
        {
            for (int i = 0; i < g.Length; i++)
            {
                if (x[i] <= y[i]) { if (dx.Length > 0) dx[i] += g[i]; }
                else if (dy.Length > 0) dy[i] += g[i];
            }
            return 0;
        }

        /// <inheritdoc cref="MinAdjoint(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double}, Span{double})"/>
        public static float MinAdjoint(ReadOnlySpan<float> g, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dx, Span<float> dy)
        {
            for (int i = 0; i < g.Length; i++)
            {
                if (x[i] <= y[i]) { if (dx.Length > 0) dx[i] += g[i]; }
                else if (dy.Length > 0) dy[i] += g[i];
            }
            return 0;
        }

        /// <summary>d = max(x, s): g goes to x where x ≥ s (into dx); returns the sum of the rest, s's contribution.</summary>
        public static double MaxScalarAdjoint(ReadOnlySpan<double> g, ReadOnlySpan<double> x, double s, Span<double> dx)
        {
            double ds = 0;
            for (int i = 0; i < g.Length; i++)
            {
                if (x[i] >= s) { if (dx.Length > 0) dx[i] += g[i]; }
                else ds += g[i];
            }
            return ds;
        }

        /// <inheritdoc cref="MaxScalarAdjoint(ReadOnlySpan{double}, ReadOnlySpan{double}, double, Span{double})"/>
        public static float MaxScalarAdjoint(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float s, Span<float> dx)
        {
            float ds = 0;
            for (int i = 0; i < g.Length; i++)
            {
                if (x[i] >= s) { if (dx.Length > 0) dx[i] += g[i]; }
                else ds += g[i];
            }
            return ds;
        }

        /// <summary>d = min(x, s): g goes to x where x ≤ s (into dx); returns the sum of the rest, s's contribution.</summary>
        public static double MinScalarAdjoint(ReadOnlySpan<double> g, ReadOnlySpan<double> x, double s, Span<double> dx)
        {
            double ds = 0;
            for (int i = 0; i < g.Length; i++)
            {
                if (x[i] <= s) { if (dx.Length > 0) dx[i] += g[i]; }
                else ds += g[i];
            }
            return ds;
        }

        /// <inheritdoc cref="MinScalarAdjoint(ReadOnlySpan{double}, ReadOnlySpan{double}, double, Span{double})"/>
        public static float MinScalarAdjoint(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float s, Span<float> dx)
        {
            float ds = 0;
            for (int i = 0; i < g.Length; i++)
            {
                if (x[i] <= s) { if (dx.Length > 0) dx[i] += g[i]; }
                else ds += g[i];
            }
            return ds;
        }

        /// <summary>d = x^y element-wise: dx += g·y·x^(y−1); dy += g·x^y·ln x where x &gt; 0 (0 elsewhere, as Math.Pow's rule).</summary>
        public static double PowAdjoint(ReadOnlySpan<double> g, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> dx, Span<double> dy)
        {
            for (int i = 0; i < g.Length; i++)
            {
                if (dx.Length > 0) dx[i] += g[i] * y[i] * Math.Pow(x[i], y[i] - 1);
                if (dy.Length > 0 && x[i] > 0) dy[i] += g[i] * Math.Pow(x[i], y[i]) * Math.Log(x[i]);
            }
            return 0;
        }

        /// <inheritdoc cref="PowAdjoint(ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double}, Span{double})"/>
        public static float PowAdjoint(ReadOnlySpan<float> g, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> dx, Span<float> dy)
        {
            for (int i = 0; i < g.Length; i++)
            {
                if (dx.Length > 0) dx[i] += g[i] * y[i] * (float)Math.Pow(x[i], y[i] - 1);
                if (dy.Length > 0 && x[i] > 0) dy[i] += g[i] * (float)Math.Pow(x[i], y[i]) * (float)Math.Log(x[i]);
            }
            return 0;
        }

        /// <summary>d = x^s: dx += g·s·x^(s−1); returns s's contribution Σ g·x^s·ln x over x &gt; 0.</summary>
        public static double PowScalarAdjoint(ReadOnlySpan<double> g, ReadOnlySpan<double> x, double s, Span<double> dx)
        {
            double ds = 0;
            for (int i = 0; i < g.Length; i++)
            {
                if (dx.Length > 0) dx[i] += g[i] * s * Math.Pow(x[i], s - 1);
                if (x[i] > 0) ds += g[i] * Math.Pow(x[i], s) * Math.Log(x[i]);
            }
            return ds;
        }

        /// <inheritdoc cref="PowScalarAdjoint(ReadOnlySpan{double}, ReadOnlySpan{double}, double, Span{double})"/>
        public static float PowScalarAdjoint(ReadOnlySpan<float> g, ReadOnlySpan<float> x, float s, Span<float> dx)
        {
            float ds = 0;
            for (int i = 0; i < g.Length; i++)
            {
                if (dx.Length > 0) dx[i] += g[i] * s * (float)Math.Pow(x[i], s - 1);
                if (x[i] > 0) ds += g[i] * (float)Math.Pow(x[i], s) * (float)Math.Log(x[i]);
            }
            return ds;
        }
    }
}
