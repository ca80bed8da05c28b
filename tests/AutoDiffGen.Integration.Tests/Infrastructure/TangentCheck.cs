using System;
using System.Linq;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Integration.Tests.Infrastructure;

/// <summary>
/// Checks a generated MTangent over a flattened vector of inputs: the value is the method's own, bit for bit; the
/// tangent along a direction v equals the exact gradient dotted with v (hand-derived, or the reverse mode's gradient,
/// which is exact to round-off) and the central finite difference of t ↦ f(x + t·v).
/// </summary>
public static class TangentCheck
{
    /// <param name="f">The method over the flattened inputs.</param>
    /// <param name="tangent">MTangent over the flattened inputs and a direction: (value, tangent).</param>
    /// <param name="gradient">The exact gradient over the flattened inputs.</param>
    /// <param name="points">Where to check.</param>
    /// <param name="fdStep">The finite-difference step (wider for float methods, whose values are rounded to float).</param>
    /// <param name="valueTolerance">0: the value is the method's bit for bit; else how close (Vector2/3/4 are expanded into scalar float code).</param>
    public static void Directional(Func<double[], double> f, Func<double[], double[], (double Value, double Tangent)> tangent, Func<double[], double[]> gradient,
        double[][] points, double exactTolerance = Check.ExactTolerance, double fdTolerance = Check.FiniteDifferenceTolerance, int directions = 3, double valueTolerance = 0,
        double fdStep = GradientCheck.DefaultStep)
    {
        var random = new Random(777);
        foreach (double[] x in points)
        {
            double value = f((double[])x.Clone());
            double[] g = gradient((double[])x.Clone());
            for (int d = 0; d < directions + x.Length; d++)
            {
                // The unit directions (one column of the Jacobian each), then random ones.
                double[] v = d < x.Length
                    ? Enumerable.Range(0, x.Length).Select(i => i == d ? 1.0 : 0.0).ToArray()
                    : Enumerable.Range(0, x.Length).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 6)).ToArray();
                var (tv, t) = tangent((double[])x.Clone(), v);
                if (valueTolerance == 0) Check.Same(value, tv, "MTangent value", x);
                else Check.Close(value, tv, valueTolerance, "MTangent value", x); // Vector3 expanded into scalar float code
                double exact = g.Zip(v, (a, b) => a * b).Sum();
                Check.Close(exact, t, exactTolerance, "exact directional derivative (direction " + d + ")", x);
                double fd = GradientCheck.CentralDifference(s => f(x.Zip(v, (a, b) => a + s * b).ToArray()), 0.0, fdStep);
                Check.Close(fd, t, fdTolerance, "finite differences along direction " + d, x);
            }
        }
    }
}
