using System;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>Methods with forward-mode companions (MTangent), one per construct family the reverse mode supports.</summary>
    public static partial class Tangents
    {
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

        /// <summary>Every kind of rule: quotient, power, transcendental, two-argument functions, a reused operand.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double Mixed(double x, double y)
        {
            double a = Math.Sin(x) * Math.Exp(y) / (1 + x * x);
            double b = Math.Pow(x, 3) + Math.Atan2(y, x) - Math.Log(1 + y * y);
            double c = Math.Sqrt(x * x + y * y) * Math.Tanh(x - y);
            return a + b * c - double.Hypot(x, 2 * y) + x * x - x / y;
        }

        /// <summary>Forward only: no MGradient, an MBackward for reverse-mode callers.</summary>
        [Differentiable(Derivatives.Forward)]
        public static double ForwardOnly(double x, double y) => x * Math.Cos(y) + y * y;

        /// <summary>Branches on active values and returns from three places.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double Branches(double x, double y)
        {
            if (x < -1) return -2 * x * y;
            double r;
            if (x > y && x * y < 4) r = x * x * y;
            else if (y > 2) r = Math.Sin(x) + y * y;
            else
            {
                r = x - 3 * y;
                if (r > 0) return Math.Sqrt(r);
            }
            return r * y;
        }

        /// <summary>A loop with break and continue, a self-updating product and a counter.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double Loops(double x, double y, int n)
        {
            double s = 0, p = 1;
            for (int i = 0; i < n; i++)
            {
                if (i % 3 == 1) continue;
                p = p * x;
                s += p / (i + 1) + y * i;
                if (s > 50) break;
                int k = 0;
                while (k < i) { s = s - 0.01 * y * s; k++; }
            }
            return s * p;
        }

        /// <summary>Arrays: an input span, a [NoDerivative] array, a local array written and read.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double Ridge(ReadOnlySpan<double> w, double b, [NoDerivative] double[] x, [NoDerivative] double lambda)
        {
            var r = new double[x.Length];
            for (int j = 0; j < x.Length; j++) r[j] = w[j] * x[j] + b;
            double loss = 0;
            foreach (double v in r) loss += v * v;
            for (int j = 0; j < w.Length; j++) loss += lambda * w[j] * w[j];
            return loss;
        }

        /// <summary>Writes into its input array (the tangent of the input is copied first), and a matrix input.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double InPlace(double[] a, double[,] m)
        {
            for (int i = 1; i < a.Length; i++) a[i] = a[i] * a[i - 1] + m[i % m.GetLength(0), i % m.GetLength(1)];
            double s = 0;
            for (int i = 0; i < m.GetLength(0); i++)
                for (int j = 0; j < m.GetLength(1); j++)
                    s += m[i, j] * a[(i + j) % a.Length];
            return s;
        }

        /// <summary>A jagged input and a jagged local whose rows are allocated in a loop.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double Jagged(double[][] g, double x)
        {
            var t = new double[g.Length][];
            for (int i = 0; i < g.Length; i++)
            {
                t[i] = new double[g[i].Length];
                for (int j = 0; j < g[i].Length; j++) t[i][j] = g[i][j] * x + (j > 0 ? t[i][j - 1] : 0);
            }
            double s = 0;
            for (int i = 0; i < t.Length; i++) s += Math.Exp(0.1 * t[i][t[i].Length - 1]);
            return s;
        }

        /// <summary>A guard: throws on bad input from every companion.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double Guarded(double x)
        {
            if (x < 0) throw new ArgumentOutOfRangeException(nameof(x));
            return Math.Sqrt(x) * x;
        }

        /// <summary>Sqrt at 0: the rule table's convention (derivative 0 where the value is 0), in forward mode too.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double SqrtAtZero(double x, double y) => Math.Sqrt(x * x * y) + y;

        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static float FloatMixed(float x, float y) => MathF.Sin(x) * y + MathF.Exp(x * y) / (1f + y * y);

        /// <summary>Mixed precision: a float input in double arithmetic, a double result.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double MixedPrecision(float x, double y)
        {
            double t = x * y;
            float u = (float)(t * 0.5) + x;
            return t * u + Math.Cos(u);
        }

        /// <summary>Calls: a Forward callee, a callee asking only for Forward, a hand-written MTangent, recursion.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double Calls(double x, double y) => Rosenbrock(x, y) * 0.01 + ForwardOnly(y, x) + Soft(x * y) + Power(x, 3);

        /// <summary>Calls a method that asked only for reverse mode: its MTangent is generated on demand.</summary>
        [Differentiable(Derivatives.Forward)]
        public static double CallsReverseOnly(double x, double y) => ReverseOnly.Logistic(x * y) + ReverseOnly.Logistic(x - y) * y;

        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double Power(double x, int n) => n == 0 ? 1 : x * Power(x, n - 1);

        /// <summary>softplus(v) = log(1 + eᵛ), with hand-written derivatives in both modes.</summary>
        public static double Soft(double v) => v > 30 ? v : Math.Log(1 + Math.Exp(v));

        public static double SoftBackward(double v, double seed, ref double dv)
        {
            dv += seed / (1 + Math.Exp(-v));
            return Soft(v);
        }

        public static double SoftTangent(double v, double dv, out double tangent)
        {
            tangent = dv / (1 + Math.Exp(-v));
            return Soft(v);
        }

        /// <summary>Calls with array arguments: the callee's tangent span.</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double CallsWithArrays(double[] w, double b)
        {
            var local = new double[w.Length];
            for (int i = 0; i < w.Length; i++) local[i] = w[i] * b;
            return SumSquares(local) + SumSquares(w);
        }

        /// <summary>A callee's differentiable array parameter given passive data: its tangent is a zero span (pooled, not allocated).</summary>
        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double CallsWithDataArray(double[] w, [NoDerivative] double[] data) => Dot(w, data) * w[0] + SumSquares(w);

        [Differentiable(Derivatives.Forward)]
        public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        {
            double s = 0;
            for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
            return s;
        }

        [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
        public static double SumSquares(ReadOnlySpan<double> v)
        {
            double s = 0;
            for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
            return s;
        }
    }

    /// <summary>Plain [Differentiable]: reverse mode only; forward-mode callers get its MTangent on demand.</summary>
    public static partial class ReverseOnly
    {
        [Differentiable]
        public static double Logistic(double v) => 1 / (1 + Math.Exp(-Square(v) * 0.5 - v));

        /// <summary>Called only through Logistic: its MTangent is needed transitively.</summary>
        [Differentiable]
        internal static double Square(double v) => v * v;
    }
}
