using System;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>A second class, so calls cross types.</summary>
    public static partial class Squares
    {
        [Differentiable]
        public static double Square(double x) => x * x;

        [Differentiable]
        public static double SumOfSquares(double x, double y) => Square(x) + Square(y);
    }

    public static partial class Calls
    {
        /// <summary>A call to a [Differentiable] method of another class, twice, with active arguments.</summary>
        [Differentiable]
        public static double Norm(double x, double y) => Math.Sqrt(Squares.SumOfSquares(x, y) + Squares.Square(x - y));

        /// <summary>Calls within the same class, nested in each other.</summary>
        [Differentiable]
        public static double Inner(double x, double y) => x * Math.Exp(-y);

        [Differentiable]
        public static double Outer(double x, double y)
        {
            double a = Inner(x, y);
            double b = Inner(a, Inner(y, x));
            return a + b * b;
        }

        [Differentiable]
        public static double Gate(double z) => 1 / (1 + Math.Exp(-z));

        /// <summary>
        /// A gated recurrence calling a one-line helper in its loop: the call is inlined there (MethodLowering.SmallCallees.cs),
        /// its exp kept or recomputed with the loop's own values instead of run again by GateBackward.
        /// </summary>
        [Differentiable]
        public static double GatedRecurrence(double w, double u)
        {
            double h = 0.5;
            for (int t = 0; t < 12; t++)
            {
                double g = Gate(w * h + u);
                h = g * Math.Tanh(h + u) + (1 - g) * h;
            }
            return h;
        }

        /// <summary>Recursion: x^n, the factorial-like case.</summary>
        [Differentiable]
        public static double PowRec(double x, int n) => n == 0 ? 1 : x * PowRec(x, n - 1);

        /// <summary>A call to a method with a hand-written Backward (a straight-through estimator).</summary>
        [Differentiable]
        public static double UsesQuantize(double x, double y) => Custom.Quantize(x * y) + y;

        [Differentiable]
        public static double UsesSoftPlus(double x) => Custom.SoftPlus(2 * x) * x;

        /// <summary>Calls whose arguments are all passive: constants, ints and [NoDerivative] data.</summary>
        [Differentiable]
        public static double PassiveCalls(double x, [NoDerivative] double c, int n)
        {
            double k = Helpers.Plain(3.0) + Squares.Square(2.0) + Helpers.Count(n) + Math.Round(c);
            return k * x + Squares.Square(c) * x;
        }
    }

    /// <summary>Hand-written derivatives, used by the generator instead of differentiating the body (api.md).</summary>
    public static class Custom
    {
        /// <summary>Rounds to a grid of 0.5: zero gradient almost everywhere, so its Backward passes the gradient straight through.</summary>
        public static double Quantize(double x) => Math.Round(x * 2) / 2;

        public static double QuantizeBackward(double x, double seed, ref double dx)
        {
            dx += seed;
            return Quantize(x);
        }

        /// <summary>log(1 + eᵡ) computed stably; the body branches, the Backward is exact.</summary>
        public static double SoftPlus(double x) => x > 30 ? x : Math.Log(1 + Math.Exp(x));

        public static double SoftPlusBackward(double x, double seed, ref double dx)
        {
            dx += seed / (1 + Math.Exp(-x));
            return SoftPlus(x);
        }
    }

    /// <summary>Arrays passed to a callee whose parameters are spans (the C# conversion applies to the adjoints too).</summary>
    public static partial class SpanCalls
    {
        [Differentiable]
        public static double WeightedSum(ReadOnlySpan<double> values, [NoDerivative] ReadOnlySpan<double> weights)
        {
            double s = 0;
            for (int i = 0; i < values.Length; i++) s += values[i] * values[i] * weights[i];
            return s;
        }

        /// <summary>Σ wᵢ aᵢ² · x, with a and w arrays passed to ReadOnlySpan parameters.</summary>
        [Differentiable]
        public static double Scaled(double[] a, double x, [NoDerivative] double[] w) => WeightedSum(a, w) * x;
    }

    public static class Helpers
    {
        public static double Plain(double v) => 2 * v;

        public static int Count(int n) => n + 1;
    }
}
