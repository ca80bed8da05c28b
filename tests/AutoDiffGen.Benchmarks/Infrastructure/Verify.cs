using System;
using System.Linq;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Benchmarks.Infrastructure;

/// <summary>
/// The startup self-check: a benchmark never measures a wrong gradient. Each workload compares the generated
/// gradient and pullback with its hand-written gradient, and the hand-written one with finite differences.
/// </summary>
public static class Verify
{
    /// <summary>Generated and hand-written gradients compute the same partials in a different order: rounding only.</summary>
    public const double ExactTolerance = 1e-9;

    /// <summary>Central differences are accurate to about h² ≈ 1e-10 relative, less after cancellation.</summary>
    public const double FiniteDifferenceTolerance = 1e-5;

    public static double[] Concat(params double[][] parts) => parts.SelectMany(p => p).ToArray();

    public static double[] Flat(double[,] matrix) => FiniteDifferences.Flat(matrix).ToArray();

    public static void Values(string workload, double expected, params (string What, double Value)[] actual)
    {
        foreach (var (what, value) in actual)
        {
            double error = Math.Abs(expected - value) / Math.Max(1.0, Math.Abs(expected));
            if (!(error <= ExactTolerance))
            {
                throw new InvalidOperationException($"{workload}: {what} returned {value:R}, the function {expected:R} (relative error {error:E2}).");
            }
        }
    }

    public static void Gradients(string workload, string what, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance)
    {
        double error = GradientCheck.MaxRelativeError(expected, actual);
        if (!(error <= tolerance))
        {
            int worst = 0;
            double worstError = -1;
            for (int i = 0; i < expected.Length; i++)
            {
                double e = Math.Abs(expected[i] - actual[i]) / Math.Max(1.0, Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i])));
                if (!(e <= worstError)) { worst = i; worstError = e; }
            }
            throw new InvalidOperationException(
                $"{workload}: {what} differs from the hand-written gradient: max relative error {error:E2} > {tolerance:E0} " +
                $"(component {worst}: expected {expected[worst]:R}, got {actual[worst]:R}).");
        }
        Console.WriteLine($"  {workload,-34} {what,-44} max rel. error {error:E2}");
    }
}
