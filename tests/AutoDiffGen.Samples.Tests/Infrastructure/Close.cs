using System;
using Xunit.Sdk;

namespace AutoDiffGen.Samples.Tests.Infrastructure
{
    /// <summary>Comparisons of gradients, each element relative to max(1, |expected|, |actual|).</summary>
    public static class Close
    {
        public static void Assert(double expected, double actual, double tolerance, string what)
            => Assert(new[] { expected }, new[] { actual }, tolerance, what);

        public static void Assert(double[] expected, double[] actual, double tolerance, string what)
        {
            if (expected.Length != actual.Length)
            {
                throw new XunitException($"{what}: {actual.Length} elements, expected {expected.Length}.");
            }
            int worst = -1;
            double worstError = 0;
            for (int i = 0; i < expected.Length; i++)
            {
                double scale = Math.Max(1, Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i])));
                double error = Math.Abs(expected[i] - actual[i]) / scale;
                if (double.IsNaN(error) || error > worstError)
                {
                    worst = i;
                    worstError = double.IsNaN(error) ? double.PositiveInfinity : error;
                }
            }
            if (worstError > tolerance)
            {
                throw new XunitException(
                    $"{what}: element {worst} is {actual[worst]:R}, expected {expected[worst]:R} " +
                    $"(relative error {worstError:E2} > {tolerance:E0}).");
            }
        }
    }
}
