using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>
    /// Second order through calls: Hessian methods calling [Differentiable] helpers that did not ask for the Hessian (their
    /// MTangent and MBackwardTangent are generated on demand) and one that did (its own file has MBackwardTangent).
    /// </summary>
    public static partial class SecondOrderCalls
    {
        [Differentiable]
        public static double Square(double x) => x * x;

        [Differentiable]
        public static double Product(double x, double y) => x * Math.Sin(y);

        /// <summary>A scalar helper called twice, its result used nonlinearly.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double ScalarHelper(double x, double y) => Square(Product(x, y)) + Math.Exp(Square(y) * 0.1) * x;

        [Differentiable]
        public static double WeightedSumOfSquares(double[] w, [NoDerivative] double[] a)
        {
            double s = 0;
            for (int i = 0; i < w.Length; i++) s += a[i] * w[i] * w[i];
            return s;
        }

        /// <summary>A helper taking an array: f(w) = (Σ aᵢwᵢ²)² + w₀ Σ aᵢwᵢ².</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double ArrayHelper(double[] w, [NoDerivative] double[] a)
        {
            double q = WeightedSumOfSquares(w, a);
            return q * q + w[0] * q;
        }

        /// <summary>A scalar helper called in a loop, with loop-carried state: Rosenbrock through its term.</summary>
        [Differentiable]
        public static double RosenbrockTerm(double a, double b) => (1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a);

        [Differentiable(Derivatives.Hessian)]
        public static double HelperInLoop(double[] x)
        {
            double s = 0;
            for (int i = 0; i + 1 < x.Length; i++) s += RosenbrockTerm(x[i], x[i + 1]);
            return s;
        }

        /// <summary>Nested helpers: Outer → Middle → Inner, and the Hessian method itself asks for the Hessian of a helper that does too.</summary>
        [Differentiable]
        public static double Inner(double x) => Math.Sin(x) * x;

        [Differentiable]
        public static double Middle(double x, double y) => Inner(x * y) + Inner(y) * x;

        [Differentiable(Derivatives.Hessian)]
        public static double HessianHelper(double x) => Math.Exp(0.5 * x) * x;

        [Differentiable(Derivatives.Hessian)]
        public static double Nested(double x, double y) => Middle(x, y) * HessianHelper(y) + Middle(y, x);

        /// <summary>A params helper: its array argument is built by the call (C# random programs, seed 70007).</summary>
        [Differentiable]
        public static double SumOfSines(params double[] xs)
        {
            double s = 0;
            foreach (double x in xs) s += Math.Sin(x);
            return s + xs[0] * xs[xs.Length - 1];
        }

        /// <summary>f = sin(xy) + x²y² + sin(x) + sin(y) + xy: the params helper called with one and with two values.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double ThroughParams(double x, double y) => SumOfSines(x * y) + SumOfSines(x, y);

        [Differentiable]
        public static float SquareFloat(float x) => x * x;

        [Differentiable(Derivatives.Hessian)]
        public static float FloatHelper(float x, float y) => SquareFloat(x * y) + MathF.Sin(SquareFloat(x));
    }
}
