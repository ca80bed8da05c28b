using System;
using AutoDiffGen;

namespace Optimization
{
    /// <summary>The objective: the extended (chained) Rosenbrock function, with its generated second-order companions.</summary>
    public static partial class Rosenbrock
    {
        /// <summary>
        /// f(x) = Σᵢ 100 (xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)², minimum 0 at (1, …, 1). <c>Derivatives.Hessian</c> generates
        /// <c>ValueHessianVector(x, v, dx, hvx)</c> (value, gradient and H·v in one forward and one reverse sweep) and
        /// <c>ValueHessian</c>; it implies <c>Reverse</c>, so <c>ValueGradient</c> is generated too.
        /// </summary>
        [Differentiable(Derivatives.Hessian)]
        public static double Value(double[] x)
        {
            double sum = 0;
            for (int i = 0; i + 1 < x.Length; i++)
            {
                double a = x[i + 1] - x[i] * x[i];
                double b = 1 - x[i];
                sum += 100 * a * a + b * b;
            }
            return sum;
        }

        /// <summary>The classic start (−1.2, 1, −1.2, 1, …).</summary>
        public static double[] ClassicStart(int n)
        {
            var x = new double[n];
            for (int i = 0; i < n; i++) x[i] = i % 2 == 0 ? -1.2 : 1.0;
            return x;
        }
    }
}
