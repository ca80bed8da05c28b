using System;
using System.Globalization;
using System.Linq;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Integration.Tests.Infrastructure;

// The shapes api.md fixes for the companions of methods over one to three double parameters.
public delegate double Gradient1(double x, out double dx);
public delegate double Gradient2(double x, double y, out double dx, out double dy);
public delegate double Gradient3(double x, double y, double z, out double dx, out double dy, out double dz);
public delegate double Backward1(double x, double seed, ref double dx);
public delegate double Backward2(double x, double y, double seed, ref double dx, ref double dy);
public delegate double Backward3(double x, double y, double z, double seed, ref double dx, ref double dy, ref double dz);

public delegate float GradientF1(float x, out float dx);
public delegate float GradientF2(float x, float y, out float dx, out float dy);
public delegate float BackwardF1(float x, float seed, ref float dx);
public delegate float BackwardF2(float x, float y, float seed, ref float dx, ref float dy);

/// <summary>
/// Checks a method and its generated companions at a few points: MGradient returns M's value exactly and a
/// gradient equal to the hand-derived one and to central finite differences (AutoDiffGen.Runtime.GradientCheck);
/// MBackward adds seed × gradient to preset adjoints and returns the value.
/// </summary>
public static class Check
{
    public const double ExactTolerance = 1e-10;
    public const double FiniteDifferenceTolerance = 1e-6;
    private const double Seed = 1.5;

    /// <summary>Random points in [lo, hi]^n from a fixed seed, plus the explicit ones.</summary>
    public static double[][] Points(int dimensions, double lo, double hi, int count = 4, int seed = 12345)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => Enumerable.Range(0, dimensions).Select(_ => Math.Round(lo + (hi - lo) * random.NextDouble(), 6)).ToArray())
            .ToArray();
    }

    public static void One(Func<double, double> f, Gradient1 gradient, Backward1 backward, Func<double, double> exact, double lo, double hi, params double[] extra)
    {
        foreach (double x in Points(1, lo, hi).Select(p => p[0]).Concat(extra))
        {
            double value = f(x);
            double v = gradient(x, out double dx);
            Same(value, v, "MGradient value", x);
            Close(exact(x), dx, ExactTolerance, "hand-derived", x);
            Close(GradientCheck.CentralDifference(f, x), dx, FiniteDifferenceTolerance, "finite differences", x);

            double adjoint = -0.75;
            double b = backward(x, Seed, ref adjoint);
            Same(value, b, "MBackward value", x);
            Close(-0.75 + Seed * dx, adjoint, 1e-12, "MBackward accumulation", x);
        }
    }

    public static void Two(Func<double, double, double> f, Gradient2 gradient, Backward2 backward, Func<double, double, (double, double)> exact,
        double lo, double hi, params (double, double)[] extra) =>
        Two(f, gradient, backward, exact, Points(2, lo, hi).Select(p => (p[0], p[1])).Concat(extra).ToArray());

    public static void Two(Func<double, double, double> f, Gradient2 gradient, Backward2 backward, Func<double, double, (double, double)> exact,
        (double X, double Y)[] points)
    {
        foreach (var (x, y) in points)
        {
            double value = f(x, y);
            double v = gradient(x, y, out double dx, out double dy);
            Same(value, v, "MGradient value", x, y);
            var (ex, ey) = exact(x, y);
            Close(ex, dx, ExactTolerance, "hand-derived ∂/∂x", x, y);
            Close(ey, dy, ExactTolerance, "hand-derived ∂/∂y", x, y);
            double[] fd = GradientCheck.CentralDifference(p => f(p[0], p[1]), new[] { x, y });
            Close(fd[0], dx, FiniteDifferenceTolerance, "finite differences ∂/∂x", x, y);
            Close(fd[1], dy, FiniteDifferenceTolerance, "finite differences ∂/∂y", x, y);

            double ax = 0.5, ay = -2.0;
            double b = backward(x, y, Seed, ref ax, ref ay);
            Same(value, b, "MBackward value", x, y);
            Close(0.5 + Seed * dx, ax, 1e-12, "MBackward accumulation x", x, y);
            Close(-2.0 + Seed * dy, ay, 1e-12, "MBackward accumulation y", x, y);
        }
    }

    public static void Three(Func<double, double, double, double> f, Gradient3 gradient, Backward3 backward,
        Func<double, double, double, (double, double, double)> exact, double lo, double hi, params (double, double, double)[] extra)
    {
        foreach (var (x, y, z) in Points(3, lo, hi).Select(p => (p[0], p[1], p[2])).Concat(extra))
        {
            double value = f(x, y, z);
            double v = gradient(x, y, z, out double dx, out double dy, out double dz);
            Same(value, v, "MGradient value", x, y, z);
            var (ex, ey, ez) = exact(x, y, z);
            Close(ex, dx, ExactTolerance, "hand-derived ∂/∂x", x, y, z);
            Close(ey, dy, ExactTolerance, "hand-derived ∂/∂y", x, y, z);
            Close(ez, dz, ExactTolerance, "hand-derived ∂/∂z", x, y, z);
            double[] fd = GradientCheck.CentralDifference(p => f(p[0], p[1], p[2]), new[] { x, y, z });
            Close(fd[0], dx, FiniteDifferenceTolerance, "finite differences ∂/∂x", x, y, z);
            Close(fd[1], dy, FiniteDifferenceTolerance, "finite differences ∂/∂y", x, y, z);
            Close(fd[2], dz, FiniteDifferenceTolerance, "finite differences ∂/∂z", x, y, z);

            double ax = 1, ay = 2, az = 3;
            double b = backward(x, y, z, Seed, ref ax, ref ay, ref az);
            Same(value, b, "MBackward value", x, y, z);
            Close(1 + Seed * dx, ax, 1e-12, "MBackward accumulation x", x, y, z);
            Close(2 + Seed * dy, ay, 1e-12, "MBackward accumulation y", x, y, z);
            Close(3 + Seed * dz, az, 1e-12, "MBackward accumulation z", x, y, z);
        }
    }

    /// <summary>Float methods: the hand-derived gradient (computed in double) to float precision; finite differences with a float-sized step.</summary>
    public static void OneFloat(Func<float, float> f, GradientF1 gradient, BackwardF1 backward, Func<double, double> exact, float lo, float hi)
    {
        foreach (float x in Points(1, lo, hi).Select(p => (float)p[0]))
        {
            float value = f(x);
            float v = gradient(x, out float dx);
            Same(value, v, "MGradient value", x);
            Close(exact(x), dx, 1e-5, "hand-derived", x);
            Close(GradientCheck.CentralDifference(t => f((float)t), x, step: 1e-3), dx, 2e-3, "finite differences", x);

            float adjoint = 0.25f;
            float b = backward(x, 2f, ref adjoint);
            Same(value, b, "MBackward value", x);
            Close(0.25 + 2.0 * dx, adjoint, 1e-6, "MBackward accumulation", x);
        }
    }

    public static void TwoFloat(Func<float, float, float> f, GradientF2 gradient, BackwardF2 backward, Func<double, double, (double, double)> exact, float lo, float hi)
    {
        foreach (var p in Points(2, lo, hi))
        {
            float x = (float)p[0], y = (float)p[1];
            float value = f(x, y);
            float v = gradient(x, y, out float dx, out float dy);
            Same(value, v, "MGradient value", x, y);
            var (ex, ey) = exact(x, y);
            Close(ex, dx, 1e-5, "hand-derived ∂/∂x", x, y);
            Close(ey, dy, 1e-5, "hand-derived ∂/∂y", x, y);
            Close(GradientCheck.CentralDifference(t => f((float)t, y), x, step: 1e-3), dx, 2e-3, "finite differences ∂/∂x", x, y);
            Close(GradientCheck.CentralDifference(t => f(x, (float)t), y, step: 1e-3), dy, 2e-3, "finite differences ∂/∂y", x, y);

            float ax = 1f, ay = -1f;
            float b = backward(x, y, 2f, ref ax, ref ay);
            Same(value, b, "MBackward value", x, y);
            Close(1 + 2.0 * dx, ax, 1e-6, "MBackward accumulation x", x, y);
            Close(-1 + 2.0 * dy, ay, 1e-6, "MBackward accumulation y", x, y);
        }
    }

    /// <summary>|expected − actual| ≤ tolerance · max(1, |expected|).</summary>
    public static void Close(double expected, double actual, double tolerance, string what, params double[] at)
    {
        double error = Math.Abs(expected - actual) / Math.Max(1, Math.Abs(expected));
        if (!(error <= tolerance))
        {
            throw new Xunit.Sdk.XunitException(
                $"{what} at ({string.Join(", ", at.Select(a => a.ToString("R", CultureInfo.InvariantCulture)))}): expected {expected.ToString("R", CultureInfo.InvariantCulture)}, " +
                $"got {actual.ToString("R", CultureInfo.InvariantCulture)} (relative error {error:E2}, tolerance {tolerance:E0})");
        }
    }

    /// <summary>Bitwise-equal values: the companions compute the method's own value, not an approximation of it.</summary>
    public static void Same(double expected, double actual, string what, params double[] at)
    {
        if (!expected.Equals(actual))
        {
            throw new Xunit.Sdk.XunitException(
                $"{what} at ({string.Join(", ", at.Select(a => a.ToString("R", CultureInfo.InvariantCulture)))}): the method returns {expected.ToString("R", CultureInfo.InvariantCulture)}, " +
                $"the companion {actual.ToString("R", CultureInfo.InvariantCulture)}");
        }
    }
}
