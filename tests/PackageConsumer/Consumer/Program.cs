using System;
using System.Globalization;
using System.Reflection;
using System.Runtime.Versioning;
using AutoDiffGen;
using AutoDiffGen.Runtime;

namespace PackageConsumer;

/// <summary>Functions with gradients known in closed form.</summary>
public static partial class Functions
{
    // f(x, y) = sin(x) y + exp(x y) / (1 + y^2)
    [Differentiable]
    public static double Scalar(double x, double y) => Math.Sin(x) * y + Math.Exp(x * y) / (1 + y * y);

    // f(w) = sum_i (w_i x_i - t)^2, x and t data
    [Differentiable]
    public static double Squares(double[] w, [NoDerivative] double[] x, [NoDerivative] double t)
    {
        double sum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double r = w[i] * x[i] - t;
            sum += r * r;
        }
        return sum;
    }

    // A call across [Differentiable] methods: the reverse sweep calls ScalarBackward and SquaresBackward.
    [Differentiable]
    public static double Composite(double[] w, double s) => Scalar(s, w[0]) + s * Squares(w, Data, 1.0);

    public static readonly double[] Data = { 0.5, -1.5, 2.0 };
}

/// <summary>
/// Calls the generated gradients of <see cref="Functions"/> and checks them against the exact gradient and against
/// central finite differences. Prints one line per check; exits with 1 if any fails.
/// </summary>
public static class Program
{
    private const double Tolerance = 1e-7;

    private static int s_failures;

    public static int Main()
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        Console.WriteLine($"AutoDiffGen package consumer on {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
                          $"AutoDiffGen.Runtime {typeof(GradientCheck).Assembly.GetName().Version} built for " +
                          typeof(GradientCheck).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName);

        // Scalar: exact partial derivatives.
        double x = 0.7, y = -1.3;
        double value = Functions.ScalarGradient(x, y, out double dx, out double dy);
        double e = Math.Exp(x * y), q = 1 + y * y;
        Check("Scalar value", Functions.Scalar(x, y), value);
        Check("Scalar d/dx exact", Math.Cos(x) * y + y * e / q, dx);
        Check("Scalar d/dy exact", Math.Sin(x) + (x * e * q - 2 * y * e) / (q * q), dy);
        Check("Scalar d/dx finite differences", GradientCheck.CentralDifference(v => Functions.Scalar(v, y), x), dx);
        Check("Scalar d/dy finite differences", GradientCheck.CentralDifference(v => Functions.Scalar(x, v), y), dy);

        // Array: exact gradient 2 (w_i x_i - t) x_i, and finite differences.
        double[] w = { 1.2, 0.4, -0.8 };
        double t = 0.3;
        var dw = new double[w.Length];
        value = Functions.SquaresGradient(w, Functions.Data, t, dw);
        Check("Squares value", Functions.Squares(w, Functions.Data, t), value);
        for (int i = 0; i < w.Length; i++)
        {
            Check($"Squares d/dw[{i}] exact", 2 * (w[i] * Functions.Data[i] - t) * Functions.Data[i], dw[i]);
        }
        CheckAll("Squares finite differences", GradientCheck.CentralDifference(v => Functions.Squares(v, Functions.Data, t), w), dw);

        // Composite, through the callees' Backward methods: finite differences.
        double s = 0.9;
        var cw = new double[w.Length];
        value = Functions.CompositeGradient(w, s, cw, out double ds);
        Check("Composite value", Functions.Composite(w, s), value);
        CheckAll("Composite d/dw finite differences", GradientCheck.CentralDifference(v => Functions.Composite(v, s), w), cw);
        Check("Composite d/ds finite differences", GradientCheck.CentralDifference(v => Functions.Composite(w, v), s), ds);

        // Backward accumulates: two calls with seed 1 give twice the gradient.
        var acc = new double[w.Length];
        double accS = 0;
        Functions.CompositeBackward(w, s, 1.0, acc, ref accS);
        Functions.CompositeBackward(w, s, 1.0, acc, ref accS);
        Check("Composite Backward accumulates", 2 * ds, accS);

        Console.WriteLine(s_failures == 0 ? "all gradients correct" : s_failures + " check(s) failed");
        return s_failures == 0 ? 0 : 1;
    }

    private static void Check(string name, double expected, double actual)
    {
        double error = Math.Abs(expected - actual) / Math.Max(1.0, Math.Abs(expected));
        bool ok = error <= Tolerance;
        if (!ok) s_failures++;
        Console.WriteLine($"  {(ok ? "ok  " : "FAIL")} {name}: expected {expected:R}, got {actual:R}");
    }

    private static void CheckAll(string name, double[] expected, double[] actual)
    {
        for (int i = 0; i < expected.Length; i++) Check($"{name} [{i}]", expected[i], actual[i]);
    }
}
