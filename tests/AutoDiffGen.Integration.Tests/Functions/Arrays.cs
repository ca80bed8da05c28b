using System;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>Callees with array parameters, in a class of their own so calls cross types.</summary>
    public static partial class ArrayCallees
    {
        /// <summary>u·v, both vectors differentiable.</summary>
        [Differentiable]
        public static double Dot(double[] u, double[] v)
        {
            double s = 0;
            for (int i = 0; i < u.Length; i++)
            {
                s += u[i] * v[i];
            }
            return s;
        }

        /// <summary>Σ aᵢ³ over a ReadOnlySpan&lt;double&gt;.</summary>
        [Differentiable]
        public static double SumOfCubes(ReadOnlySpan<double> a)
        {
            double s = 0;
            for (int i = 0; i < a.Length; i++)
            {
                s += a[i] * a[i] * a[i];
            }
            return s;
        }

        /// <summary>Σ wᵢaᵢ² with the weights w as [NoDerivative] data.</summary>
        [Differentiable]
        public static double WeightedNorm(ReadOnlySpan<double> a, [NoDerivative] double[] w)
        {
            double s = 0;
            for (int i = 0; i < a.Length; i++)
            {
                s += w[i] * a[i] * a[i];
            }
            return s;
        }

        /// <summary>Σ wᵢaᵢ² over a double[], with the weights w as [NoDerivative] data.</summary>
        [Differentiable]
        public static double WeightedNormOfArray(double[] a, [NoDerivative] double[] w)
        {
            double s = 0;
            for (int i = 0; i < a.Length; i++)
            {
                s += w[i] * a[i] * a[i];
            }
            return s;
        }

        /// <summary>vᵀ M v for a square matrix.</summary>
        [Differentiable]
        public static double Quadratic(double[,] m, double[] v)
        {
            double s = 0;
            for (int i = 0; i < m.GetLength(0); i++)
            {
                for (int j = 0; j < m.GetLength(1); j++)
                {
                    s += v[i] * m[i, j] * v[j];
                }
            }
            return s;
        }
    }

    /// <summary>Array code: parameter kinds, local arrays, writes, foreach, calls with array arguments, loops over arrays.</summary>
    public static partial class Arrays
    {
        // ---- Parameter kinds ----

        /// <summary>Element reads of a double[] in a loop bounded by Length: Σ (i+1)·aᵢ².</summary>
        [Differentiable]
        public static double WeightedSquares(double[] a)
        {
            double s = 0;
            for (int i = 0; i < a.Length; i++)
            {
                s += (i + 1) * a[i] * a[i];
            }
            return s;
        }

        /// <summary>Element reads of a ReadOnlySpan&lt;double&gt; with a scalar: Σ sin(aᵢ·x).</summary>
        [Differentiable]
        public static double SpanSines(ReadOnlySpan<double> a, double x)
        {
            double s = 0;
            for (int i = 0; i < a.Length; i++)
            {
                s += Math.Sin(a[i] * x);
            }
            return s;
        }

        /// <summary>Element reads of a Span&lt;double&gt; at computed indices: the cyclic Σ aᵢ·a₍ᵢ₊₁₎ mod n.</summary>
        [Differentiable]
        public static double CyclicProducts(Span<double> a)
        {
            double s = 0;
            for (int i = 0; i < a.Length; i++)
            {
                s += a[i] * a[(i + 1) % a.Length];
            }
            return s;
        }

        /// <summary>A double[,] read in loops bounded by GetLength(0) and GetLength(1): uᵀ M v + exp(M₀₀).</summary>
        [Differentiable]
        public static double Bilinear(double[,] m, double[] u, double[] v)
        {
            double s = Math.Exp(m[0, 0]);
            for (int i = 0; i < m.GetLength(0); i++)
            {
                for (int j = 0; j < m.GetLength(1); j++)
                {
                    s += u[i] * m[i, j] * v[j];
                }
            }
            return s;
        }

        /// <summary>A ragged double[][] read row by row, bounded by rows.Length and rows[i].Length: Σᵢ √(1 + ‖rowᵢ‖²).</summary>
        [Differentiable]
        public static double RowNorms(double[][] rows)
        {
            double s = 0;
            for (int i = 0; i < rows.Length; i++)
            {
                double q = 1;
                for (int j = 0; j < rows[i].Length; j++)
                {
                    q += rows[i][j] * rows[i][j];
                }
                s += Math.Sqrt(q);
            }
            return s;
        }

        // ---- Local arrays ----

        /// <summary>A local new double[n] written by =, += and *=: Σ (aᵢx + x)·aᵢ.</summary>
        [Differentiable]
        public static double LocalVectorWrites(double[] a, double x)
        {
            double[] b = new double[a.Length];
            for (int i = 0; i < a.Length; i++)
            {
                b[i] = a[i] * x;
                b[i] += x;
                b[i] *= a[i];
            }
            double s = 0;
            for (int i = 0; i < b.Length; i++)
            {
                s += b[i];
            }
            return s;
        }

        /// <summary>A local new double[n, n] written by = and +=, read back in loops bounded by GetLength: Σᵢⱼ sin(aᵢaⱼ + x + δᵢⱼx²).</summary>
        [Differentiable]
        public static double LocalMatrixWrites(double[] a, double x)
        {
            int n = a.Length;
            double[,] m = new double[n, n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    m[i, j] = a[i] * a[j] + x;
                }
                m[i, i] += x * x;
            }
            double s = 0;
            for (int i = 0; i < m.GetLength(0); i++)
            {
                for (int j = 0; j < m.GetLength(1); j++)
                {
                    s += Math.Sin(m[i, j]);
                }
            }
            return s;
        }

        /// <summary>An implicitly typed array initializer new[] { x, y·x, sin y } read by constant indices.</summary>
        [Differentiable]
        public static double Initializer(double x, double y)
        {
            var a = new[] { x, y * x, Math.Sin(y) };
            return a[0] * a[1] + a[2] * a[1];
        }

        /// <summary>An explicitly typed initializer new double[] { … } built from parameter elements: a₀x(a₁ + x) + a₀a₁.</summary>
        [Differentiable]
        public static double InitializerFromParameter(double[] a, double x)
        {
            double[] b = new double[] { a[0] * x, a[1] + x, a[0] * a[1] };
            return b[0] * b[1] + b[2];
        }

        /// <summary>A collection expression double[] a = [x, y, x·y] read in a loop bounded by its Length: x² + y² + x²y².</summary>
        [Differentiable]
        public static double CollectionExpression(double x, double y)
        {
            double[] a = [x, y, x * y];
            double s = 0;
            for (int i = 0; i < a.Length; i++)
            {
                s += a[i] * a[i];
            }
            return s;
        }

        // ---- Scratch arrays reused across iterations ----

        /// <summary>A two-element scratch buffer rewritten every iteration: s₀ from the old s₁, s₁ from the new s₀ and old s₁.</summary>
        [Differentiable]
        public static double ScratchRecurrence(double[] a, double x)
        {
            double[] s = new double[2];
            double r = 0;
            for (int i = 0; i < a.Length; i++)
            {
                s[0] = s[1] * x + a[i];
                s[1] = Math.Sin(s[0]) * s[1] + a[i];
                r += s[0] * s[1];
            }
            return r;
        }

        /// <summary>A scratch buffer refilled by an inner loop in every outer iteration; buf[1 − k] is the old buf[1] for k = 0 and the new buf[0] for k = 1.</summary>
        [Differentiable]
        public static double ScratchInnerLoop(double[] a, double x)
        {
            double[] buf = new double[2];
            double state = x;
            for (int i = 0; i < a.Length; i++)
            {
                for (int k = 0; k < 2; k++)
                {
                    buf[k] = state * (k + 1) + a[i] * buf[1 - k];
                }
                state = Math.Tanh(buf[0] - buf[1]);
            }
            return state + buf[0] * buf[1];
        }

        // ---- Writes into parameter arrays (the gradient is with respect to the values on entry) ----

        /// <summary>A parameter array written by =, by += reading the element just overwritten, and by *= x.</summary>
        [Differentiable]
        public static double OverwriteParameter(double[] a, double x)
        {
            a[0] = a[0] * x;
            a[1] += a[0];
            a[2] *= x;
            return a[0] + a[1] * a[2] + a[0] * a[0];
        }

        /// <summary>Every element of a parameter array scaled in place by x and then replaced by a function of itself: Σ (sin(aᵢx) + aᵢx)².</summary>
        [Differentiable]
        public static double ScaleParameterInPlace(double[] a, double x)
        {
            for (int i = 0; i < a.Length; i++)
            {
                a[i] *= x;
                a[i] = Math.Sin(a[i]) + a[i];
            }
            double s = 0;
            for (int i = 0; i < a.Length; i++)
            {
                s += a[i] * a[i];
            }
            return s;
        }

        /// <summary>A Span&lt;double&gt; parameter updated in place as the prefix recurrence Aᵢ = aᵢ + Aᵢ₋₁²; returns the last element.</summary>
        [Differentiable]
        public static double SpanPrefixInPlace(Span<double> a)
        {
            for (int i = 1; i < a.Length; i++)
            {
                a[i] += a[i - 1] * a[i - 1];
            }
            return a[a.Length - 1];
        }

        /// <summary>A matrix parameter scaled in place by *= x, then one element += another: Σ of the squares of the result.</summary>
        [Differentiable]
        public static double ScaleMatrixParameter(double[,] m, double x)
        {
            for (int i = 0; i < m.GetLength(0); i++)
            {
                for (int j = 0; j < m.GetLength(1); j++)
                {
                    m[i, j] *= x;
                }
            }
            m[0, 0] += m[1, 1];
            double s = 0;
            for (int i = 0; i < m.GetLength(0); i++)
            {
                for (int j = 0; j < m.GetLength(1); j++)
                {
                    s += m[i, j] * m[i, j];
                }
            }
            return s;
        }

        /// <summary>A jagged parameter replaced element-wise by tanh of itself, then Σᵢ Tᵢ₀·Σⱼ Tᵢⱼ.</summary>
        [Differentiable]
        public static double TanhJaggedParameter(double[][] rows)
        {
            for (int i = 0; i < rows.Length; i++)
            {
                for (int j = 0; j < rows[i].Length; j++)
                {
                    rows[i][j] = Math.Tanh(rows[i][j]);
                }
            }
            double s = 0;
            for (int i = 0; i < rows.Length; i++)
            {
                double total = 0;
                for (int j = 0; j < rows[i].Length; j++)
                {
                    total += rows[i][j];
                }
                s += rows[i][0] * total;
            }
            return s;
        }

        // ---- foreach ----

        /// <summary>foreach over a ReadOnlySpan&lt;double&gt; parameter with a scalar: Π (1 + v·x).</summary>
        [Differentiable]
        public static double ForeachSpanProduct(ReadOnlySpan<double> a, double x)
        {
            double p = 1;
            foreach (double v in a)
            {
                p *= 1 + v * x;
            }
            return p;
        }

        /// <summary>foreach over a ReadOnlySpan&lt;double&gt; with continue (negative elements are skipped) and break (once the sum of squares passes a limit).</summary>
        [Differentiable]
        public static double ForeachSpanBreakContinue(ReadOnlySpan<double> a, [NoDerivative] double limit)
        {
            double s = 0;
            foreach (double v in a)
            {
                if (v < 0)
                {
                    continue;
                }
                s += v * v;
                if (s > limit)
                {
                    break;
                }
            }
            return s;
        }

        // ---- Calls with array arguments ----

        /// <summary>Array parameters passed straight through to a callee, once as two distinct arrays and once as the same array twice: (a·b)(a·a).</summary>
        [Differentiable]
        public static double PassThrough(double[] a, double[] b) => ArrayCallees.Dot(a, b) * ArrayCallees.Dot(a, a);

        /// <summary>A local array computed from a parameter and passed to a callee with the parameter: Σ sin(aᵢx)·aᵢ.</summary>
        [Differentiable]
        public static double LocalToCallee(double[] a, double x)
        {
            double[] t = new double[a.Length];
            for (int i = 0; i < a.Length; i++)
            {
                t[i] = Math.Sin(a[i] * x);
            }
            return ArrayCallees.Dot(t, a);
        }

        /// <summary>A [NoDerivative] array passed to callees as data: to a [NoDerivative] parameter, to a differentiable double[] one and to a differentiable ReadOnlySpan&lt;double&gt; one: Σ wᵢaᵢ² + a·w + x·Σ wᵢ³.</summary>
        [Differentiable]
        public static double DataToCallee(double[] a, double x, [NoDerivative] double[] w) =>
            ArrayCallees.WeightedNormOfArray(a, w) + ArrayCallees.Dot(a, w) + x * ArrayCallees.SumOfCubes(w);

        /// <summary>A matrix parameter and a local matrix computed from it passed to a callee: vᵀ(xM)v + vᵀMv.</summary>
        [Differentiable]
        public static double MatrixToCallee(double[,] m, double[] v, double x)
        {
            int n = m.GetLength(0);
            double[,] scaled = new double[n, n];
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    scaled[i, j] = m[i, j] * x;
                }
            }
            return ArrayCallees.Quadratic(scaled, v) + ArrayCallees.Quadratic(m, v);
        }

        // ---- [NoDerivative] array data ----

        /// <summary>Least squares with [NoDerivative] matrix and vector data: Σᵢ (Σⱼ Xᵢⱼwⱼ + b − yᵢ)².</summary>
        [Differentiable]
        public static double LeastSquares(double[] w, double b, [NoDerivative] double[,] x, [NoDerivative] double[] y)
        {
            double loss = 0;
            for (int i = 0; i < y.Length; i++)
            {
                double r = b - y[i];
                for (int j = 0; j < w.Length; j++)
                {
                    r += x[i, j] * w[j];
                }
                loss += r * r;
            }
            return loss;
        }

        // ---- Loops over arrays ----

        /// <summary>Matrix-vector product in nested loops into a local vector, tanh, then the sum of squares: Σᵢ tanh(Σⱼ Wᵢⱼxⱼ + bᵢ)².</summary>
        [Differentiable]
        public static double MatVecTanh(double[,] w, double[] x, double[] b)
        {
            double[] h = new double[w.GetLength(0)];
            for (int i = 0; i < w.GetLength(0); i++)
            {
                double z = b[i];
                for (int j = 0; j < w.GetLength(1); j++)
                {
                    z += w[i, j] * x[j];
                }
                h[i] = Math.Tanh(z);
            }
            double s = 0;
            for (int i = 0; i < h.Length; i++)
            {
                s += h[i] * h[i];
            }
            return s;
        }

        /// <summary>The same in single precision.</summary>
        [Differentiable]
        public static float MatVecTanh(float[,] w, float[] x, float[] b)
        {
            float[] h = new float[w.GetLength(0)];
            for (int i = 0; i < w.GetLength(0); i++)
            {
                float z = b[i];
                for (int j = 0; j < w.GetLength(1); j++)
                {
                    z += w[i, j] * x[j];
                }
                h[i] = MathF.Tanh(z);
            }
            float s = 0;
            for (int i = 0; i < h.Length; i++)
            {
                s += h[i] * h[i];
            }
            return s;
        }

        /// <summary>Max pooling over pairs by an if choosing the larger element, into a local array: Σₖ (k+1)·mₖ² with mₖ = max(a₂ₖ, a₂ₖ₊₁).</summary>
        [Differentiable]
        public static double MaxPoolPairs(double[] a)
        {
            double[] pooled = new double[a.Length / 2];
            for (int k = 0; k < pooled.Length; k++)
            {
                if (a[2 * k] > a[2 * k + 1])
                {
                    pooled[k] = a[2 * k];
                }
                else
                {
                    pooled[k] = a[2 * k + 1];
                }
            }
            double s = 0;
            for (int k = 0; k < pooled.Length; k++)
            {
                s += (k + 1) * pooled[k] * pooled[k];
            }
            return s;
        }

        /// <summary>An index chosen by comparing elements (argmax), then used to read: x·a[best] + a₀.</summary>
        [Differentiable]
        public static double ArgMaxTimes(double[] a, double x)
        {
            int best = 0;
            for (int i = 1; i < a.Length; i++)
            {
                if (a[i] > a[best])
                {
                    best = i;
                }
            }
            return x * a[best] + a[0];
        }

        /// <summary>Softmax of z (shifted by its maximum) into a local array, then cross-entropy −Σ tᵢ log pᵢ with [NoDerivative] targets.</summary>
        [Differentiable]
        public static double SoftmaxCrossEntropy(double[] z, [NoDerivative] double[] t)
        {
            double largest = double.NegativeInfinity;
            for (int i = 0; i < z.Length; i++)
            {
                largest = Math.Max(largest, z[i]);
            }
            double[] p = new double[z.Length];
            double total = 0;
            for (int i = 0; i < z.Length; i++)
            {
                p[i] = Math.Exp(z[i] - largest);
                total += p[i];
            }
            for (int i = 0; i < p.Length; i++)
            {
                p[i] /= total;
            }
            double loss = 0;
            for (int i = 0; i < p.Length; i++)
            {
                loss -= t[i] * Math.Log(p[i]);
            }
            return loss;
        }

        /// <summary>The same in single precision.</summary>
        [Differentiable]
        public static float SoftmaxCrossEntropy(float[] z, [NoDerivative] float[] t)
        {
            float largest = float.NegativeInfinity;
            for (int i = 0; i < z.Length; i++)
            {
                largest = MathF.Max(largest, z[i]);
            }
            float[] p = new float[z.Length];
            float total = 0;
            for (int i = 0; i < z.Length; i++)
            {
                p[i] = MathF.Exp(z[i] - largest);
                total += p[i];
            }
            for (int i = 0; i < p.Length; i++)
            {
                p[i] /= total;
            }
            float loss = 0;
            for (int i = 0; i < p.Length; i++)
            {
                loss -= t[i] * MathF.Log(p[i]);
            }
            return loss;
        }

        /// <summary>Softmax-weighted mean of values from a ReadOnlySpan&lt;float&gt; of scores: Σ softmax(z)ᵢ·vᵢ, in single precision.</summary>
        [Differentiable]
        public static float SoftmaxMean(ReadOnlySpan<float> z, float[] v)
        {
            float[] p = new float[z.Length];
            float total = 0;
            for (int i = 0; i < z.Length; i++)
            {
                p[i] = MathF.Exp(z[i]);
                total += p[i];
            }
            float mean = 0;
            for (int i = 0; i < p.Length; i++)
            {
                mean += p[i] / total * v[i];
            }
            return mean;
        }
    }

    /// <summary>
    /// Writes into the array parameter after a loop that reads it (found by the random programs, seed 1023): the loop's
    /// iterations are recomputed in reverse, which reads a, so the reverse sweep restores the element the method
    /// overwrote; the companions must still leave a as the method leaves it (api.md), not as it was passed.
    /// </summary>
    public static partial class ArrayParameterWrites
    {
        /// <summary>q = p + ¼Σ tanh aᵢ; a[n−1] += q; a[n−1]·q.</summary>
        [Differentiable]
        public static double AfterRecomputedLoop(double[] a, double p)
        {
            for (int i = 0; i < a.Length; i++) p += 0.25 * Math.Tanh(a[i]);
            a[a.Length - 1] += p;
            return a[a.Length - 1] * p;
        }

        /// <summary>The same written once for any T (the copy kept while the reverse sweep restores a is a T[]).</summary>
        [Differentiable]
        public static T AfterRecomputedLoopGeneric<T>(T[] a, T p) where T : System.Numerics.IFloatingPointIeee754<T>
        {
            for (int i = 0; i < a.Length; i++) p += T.CreateTruncating(0.25) * T.Tanh(a[i]);
            a[a.Length - 1] += p;
            return a[a.Length - 1] * p;
        }

        /// <summary>The same through a span view of the last element.</summary>
        [Differentiable]
        public static double ThroughViewAfterRecomputedLoop(double[] a, double p)
        {
            for (int i = 0; i < a.Length; i++) p += 0.25 * Math.Tanh(a[i]);
            Span<double> last = a.AsSpan(a.Length - 1);
            last[0] += p;
            return last[0] * p;
        }
    }
}
