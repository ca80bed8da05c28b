using System;
using System.Linq;
using Optimization;

namespace AutoDiffGen.Samples.Tests
{
    /// <summary>
    /// The Newton–CG sample: from the classic start (−1.2, 1, …) it reaches the minimum (1, …, 1) of the extended
    /// Rosenbrock function in a bounded number of Newton iterations, every Hessian-vector product from the generated
    /// MHessianVector; and those products are the hand-derived tridiagonal Hessian times the direction.
    /// </summary>
    public sealed class NewtonCgTests
    {
        /// <summary>
        /// The bounds leave about 30 % above what the sample takes today (84 and 549 trust-region iterations): from the
        /// classic start the chained valley is walked coordinate by coordinate, so the count grows with n.
        /// </summary>
        [Theory]
        [InlineData(10, 110)]
        [InlineData(100, 720)]
        public void Newton_CG_reaches_the_minimum_from_the_classic_start(int n, int maxIterations)
        {
            NewtonResult result = Program.Solve(n);
            Assert.True(result.Converged, "|grad f| = " + result.GradientNorm.ToString("E3"));
            Assert.True(result.Iterations <= maxIterations, result.Iterations + " Newton iterations");
            Assert.All(result.X, v => Assert.InRange(v, 1 - 1e-8, 1 + 1e-8));
            Assert.True(result.Value < 1e-16, "f = " + result.Value.ToString("E3"));
        }

        [Fact]
        public void The_Hessian_vector_products_are_the_hand_derived_ones()
        {
            double[] x = Rosenbrock.ClassicStart(7);
            x[3] = 0.4;
            double[] v = Enumerable.Range(0, 7).Select(i => Math.Sin(i + 1.0)).ToArray();
            double[] g = new double[7], hv = new double[7];
            Rosenbrock.ValueHessianVector(x, v, g, hv);
            var expected = new double[7];
            for (int i = 0; i + 1 < 7; i++)
            {
                expected[i] += (1200 * x[i] * x[i] - 400 * x[i + 1] + 2) * v[i] - 400 * x[i] * v[i + 1];
                expected[i + 1] += -400 * x[i] * v[i] + 200 * v[i + 1];
            }
            for (int i = 0; i < 7; i++) Assert.Equal(expected[i], hv[i], 1e-9 * Math.Max(1, Math.Abs(expected[i])));
        }
    }
}
