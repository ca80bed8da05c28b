using System;
using CurveFitting;

namespace AutoDiffGen.Samples.Tests
{
    /// <summary>
    /// The Levenberg–Marquardt sample on NIST StRD Misra1a: from both of NIST's starting points it reaches the certified
    /// estimates and residual sum of squares (to at least 6 significant digits, NIST's "log relative error"), with the
    /// Jacobian from the generated MJacobian. The data file is the check on itself: a wrong digit in it moves the
    /// certified minimum.
    /// </summary>
    public sealed class CurveFittingTests
    {
        private static readonly Misra1a Problem = Misra1a.Load(Misra1a.DefaultPath);

        [Fact]
        public void The_data_file_holds_NISTs_problem()
        {
            Assert.Equal(14, Problem.X.Length);
            Assert.Equal(2, Problem.Starts.Count);
            Assert.Equal(new[] { 500, 1e-4 }, Problem.Starts[0]);
            Assert.Equal(2.3894212918E+02, Problem.Certified[0]);
            Assert.Equal(5.5015643181E-04, Problem.Certified[1]);
            Assert.Equal(1.2455138894E-01, Problem.CertifiedResidualSumOfSquares);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        public void Levenberg_Marquardt_with_MJacobian_reaches_the_certified_values(int start)
        {
            FitResult fit = new LevenbergMarquardt(Problem.X.Length, 2).Fit(Problem.ResidualsAndJacobian, Problem.Starts[start]);
            Assert.True(fit.Converged);
            Assert.True(Program.Digits(fit.Parameters[0], Problem.Certified[0]) >= 6, "b1 = " + fit.Parameters[0].ToString("R"));
            Assert.True(Program.Digits(fit.Parameters[1], Problem.Certified[1]) >= 6, "b2 = " + fit.Parameters[1].ToString("R"));
            Assert.True(Program.Digits(fit.ResidualSumOfSquares, Problem.CertifiedResidualSumOfSquares) >= 6, "RSS = " + fit.ResidualSumOfSquares.ToString("R"));
        }

        [Fact]
        public void The_Jacobian_is_the_hand_derived_one_and_agrees_with_finite_differences()
        {
            double[] b = { 240, 5.5e-4 };
            var r = new double[14];
            var J = new double[14, 2];
            Problem.ResidualsAndJacobian(b, r, J);
            for (int i = 0; i < 14; i++)
            {
                double e = Math.Exp(-b[1] * Problem.X[i]);
                Assert.Equal(Problem.Y[i] - b[0] * (1 - e), r[i], 12);
                Assert.Equal(-(1 - e), J[i, 0], 12);
                Assert.Equal(-b[0] * Problem.X[i] * e, J[i, 1], 9);
                for (int j = 0; j < 2; j++)
                {
                    double h = 1e-6 * b[j];
                    double[] up = (double[])b.Clone(), down = (double[])b.Clone();
                    up[j] += h;
                    down[j] -= h;
                    var ru = new double[14];
                    var rd = new double[14];
                    Misra1a.Residuals(up, Problem.X, Problem.Y, ru);
                    Misra1a.Residuals(down, Problem.X, Problem.Y, rd);
                    double fd = (ru[i] - rd[i]) / (2 * h);
                    Assert.True(Math.Abs(fd - J[i, j]) <= 1e-6 * Math.Max(1, Math.Abs(J[i, j])), $"J[{i}, {j}] = {J[i, j]:R}, finite differences {fd:R}");
                }
            }
        }
    }
}
