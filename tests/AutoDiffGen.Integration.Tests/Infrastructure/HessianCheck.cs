using System;
using System.Linq;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Integration.Tests.Infrastructure;

/// <summary>
/// Checks generated second-order companions over a flattened vector of inputs. MHessianVector: its value is the
/// method's bit for bit, its gradient MGradient's (to round-off), its H·v the exact Hessian times v (when one is given)
/// and the central finite difference of the generated gradient along v. MHessian: its value and gradient the same, its
/// matrix symmetric and, column by column, the H·v of the unit directions; ⟨u, H v⟩ = ⟨v, H u⟩ for random u, v.
/// </summary>
public static class HessianCheck
{
    /// <summary>(value, gradient, H·v) from MHessianVector at a point along a direction.</summary>
    public delegate (double Value, double[] Gradient, double[] Hv) HessianVector(double[] x, double[] v);

    /// <summary>(value, gradient, H) from MHessian at a point.</summary>
    public delegate (double Value, double[] Gradient, double[,] Hessian) Hessian(double[] x);

    /// <param name="f">The method over the flattened inputs.</param>
    /// <param name="gradient">The generated MGradient over the flattened inputs.</param>
    /// <param name="hessianVector">The generated MHessianVector.</param>
    /// <param name="hessian">The generated MHessian.</param>
    /// <param name="exact">The hand-derived Hessian, or null to rely on finite differences of the gradient.</param>
    public static void All(Func<double[], double> f, Func<double[], double[]> gradient, HessianVector hessianVector, Hessian hessian,
        Func<double[], double[,]>? exact, double[][] points, double exactTolerance = Check.ExactTolerance,
        double fdTolerance = Check.FiniteDifferenceTolerance, double fdStep = GradientCheck.DefaultStep, double valueTolerance = 0)
    {
        var random = new Random(4242);
        foreach (double[] x in points)
        {
            int k = x.Length;
            double value = f((double[])x.Clone());
            double[] g = gradient((double[])x.Clone());
            var (hValue, hGradient, h) = hessian((double[])x.Clone());
            Same(value, hValue, "MHessian value", x, valueTolerance);
            for (int i = 0; i < k; i++) Check.Close(g[i], hGradient[i], exactTolerance, "MHessian gradient[" + i + "] vs MGradient", x);
            Assert.Equal(k, h.GetLength(0));
            Assert.Equal(k, h.GetLength(1));
            for (int i = 0; i < k; i++)
            {
                for (int j = 0; j < k; j++) Assert.Equal(h[i, j], h[j, i]);
            }
            double[,]? expected = exact?.Invoke((double[])x.Clone());
            if (expected is not null)
            {
                for (int i = 0; i < k; i++)
                {
                    for (int j = 0; j < k; j++) Check.Close(expected[i, j], h[i, j], exactTolerance, "MHessian[" + i + ", " + j + "] vs the exact Hessian", x);
                }
            }

            double[][] directions = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, k).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 6)).ToArray()).ToArray();
            var products = new double[directions.Length][];
            for (int d = 0; d < directions.Length; d++)
            {
                double[] v = directions[d];
                var (vValue, vGradient, hv) = hessianVector((double[])x.Clone(), v);
                products[d] = hv;
                Same(value, vValue, "MHessianVector value", x, valueTolerance);
                for (int i = 0; i < k; i++) Check.Close(g[i], vGradient[i], exactTolerance, "MHessianVector gradient[" + i + "] vs MGradient", x);
                for (int i = 0; i < k; i++)
                {
                    double fromMatrix = Enumerable.Range(0, k).Sum(j => h[i, j] * v[j]);
                    Check.Close(fromMatrix, hv[i], exactTolerance, "(H·v)[" + i + "] vs MHessian·v (direction " + d + ")", x);
                    if (expected is not null)
                    {
                        Check.Close(Enumerable.Range(0, k).Sum(j => expected[i, j] * v[j]), hv[i], exactTolerance, "(H·v)[" + i + "] vs the exact Hessian (direction " + d + ")", x);
                    }
                }
                // Central differences of the generated gradient along v.
                double[] plus = gradient(x.Zip(v, (a, b) => a + fdStep * b).ToArray());
                double[] minus = gradient(x.Zip(v, (a, b) => a - fdStep * b).ToArray());
                for (int i = 0; i < k; i++)
                {
                    Check.Close((plus[i] - minus[i]) / (2 * fdStep), hv[i], fdTolerance, "(H·v)[" + i + "] vs central differences of the gradient (direction " + d + ")", x);
                }
            }
            // Symmetry of the products: ⟨u, H w⟩ = ⟨w, H u⟩.
            for (int a = 0; a < directions.Length; a++)
            {
                for (int b = a + 1; b < directions.Length; b++)
                {
                    double uHw = directions[a].Zip(products[b], (p, q) => p * q).Sum();
                    double wHu = directions[b].Zip(products[a], (p, q) => p * q).Sum();
                    Check.Close(uHw, wHu, exactTolerance, "⟨u, H w⟩ vs ⟨w, H u⟩", x);
                }
            }
        }
    }

    private static void Same(double expected, double actual, string what, double[] at, double tolerance)
    {
        if (tolerance == 0) Check.Same(expected, actual, what, at);
        else Check.Close(expected, actual, tolerance, what, at);
    }
}
