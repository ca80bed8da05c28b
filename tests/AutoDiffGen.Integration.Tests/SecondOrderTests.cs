using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// MHessianVector and MHessian (Derivatives.Hessian, api.md) per construct family: against hand-derived Hessians, central
/// differences of the generated gradient, each other (H·v = MHessian·v), and symmetry (HessianCheck).
/// </summary>
public partial class SecondOrderTests
{
    private static double[][] Points(int n, double lo, double hi, int count = 4) => Check.Points(n, lo, hi, count);

    // ---------------------------------------------------------------- two scalars

    private delegate double GradientOf2(double x, double y, out double dx, out double dy);

    private delegate double HessianVectorOf2(double x, double y, double vx, double vy, out double dx, out double dy, out double hvx, out double hvy);

    private delegate double HessianOf2(double x, double y, out double dx, out double dy, double[,] hessian);

    /// <summary>The companions of a method of two scalars, as HessianCheck reads them.</summary>
    private static void CheckTwo(Func<double, double, double> f, GradientOf2 gradient, HessianVectorOf2 hvp, HessianOf2 hessian,
        Func<double[], double[,]>? exact, double[][] points) =>
        HessianCheck.All(p => f(p[0], p[1]),
            p => { gradient(p[0], p[1], out double dx, out double dy); return new[] { dx, dy }; },
            (p, v) => (hvp(p[0], p[1], v[0], v[1], out double dx, out double dy, out double hx, out double hy), new[] { dx, dy }, new[] { hx, hy }),
            p => { var h = new double[2, 2]; double value = hessian(p[0], p[1], out double dx, out double dy, h); return (value, new[] { dx, dy }, h); },
            exact, points);

    [Fact]
    public void Rosenbrock_matches_its_hand_derived_Hessian() =>
        CheckTwo(SecondOrder.Rosenbrock, SecondOrder.RosenbrockGradient, SecondOrder.RosenbrockHessianVector, SecondOrder.RosenbrockHessian,
            p => new[,] { { 2 - 400 * (p[1] - p[0] * p[0]) + 800 * p[0] * p[0], -400 * p[0] }, { -400 * p[0], 200 } },
            Points(2, -2, 2).Append(new[] { -1.2, 1.0 }).Append(new[] { 1.0, 1.0 }).ToArray());

    [Fact]
    public void Tuple_patterns_match_the_Hessian_of_the_arm_taken() =>
        // (x, y) switch { (> 0, > 0) => x²y, (< 0, var b) and (_, not 0) => b²x − sin x, var (a, b) => ab² }
        CheckTwo(Patterns.TupleArmsSecondOrder, Patterns.TupleArmsSecondOrderGradient, Patterns.TupleArmsSecondOrderHessianVector, Patterns.TupleArmsSecondOrderHessian,
            p =>
            {
                double x = p[0], y = p[1];
                if (x > 0 && y > 0) return new[,] { { 2 * y, 2 * x }, { 2 * x, 0 } };
                if (x < 0 && y != 0) return new[,] { { Math.Sin(x), 2 * y }, { 2 * y, 2 * x } };
                return new[,] { { 0, 2 * y }, { 2 * y, 2 * x } };
            },
            new[] { new[] { 1.0, 2.0 }, new[] { 0.4, 0.3 }, new[] { -1.0, 0.5 }, new[] { -2.0, -1.0 }, new[] { 1.0, -1.0 }, new[] { 0.5, -2.0 } });

    [Fact]
    public void Branches_and_early_exits_match_the_Hessian_of_each_path() =>
        CheckTwo(SecondOrder.EarlyExits, SecondOrder.EarlyExitsGradient, SecondOrder.EarlyExitsHessianVector, SecondOrder.EarlyExitsHessian,
            p =>
            {
                double x = p[0], y = p[1], r = x * y;
                if (x < -1) return new[,] { { 2 * y, 2 * x }, { 2 * x, 0 } };
                if (r > 1) return new[,] { { -y * y * y * Math.Sin(r), 2 * y * Math.Cos(r) - x * y * y * Math.Sin(r) }, { 2 * y * Math.Cos(r) - x * y * y * Math.Sin(r), 2 * x * Math.Cos(r) - x * x * y * Math.Sin(r) } };
                return new[,] { { 2 * y * y, 4 * x * y }, { 4 * x * y, 2 * x * x + Math.Exp(y) } };
            },
            new[] { new[] { -2.0, 0.7 }, new[] { -1.5, -0.4 }, new[] { 1.5, 1.2 }, new[] { 2.0, 0.8 }, new[] { 0.3, -0.6 }, new[] { -0.5, 0.9 } });

    [Fact]
    public void A_local_array_gets_a_pooled_tangent_and_a_second_derivative() =>
        CheckTwo(SecondOrder.LocalArray, SecondOrder.LocalArrayGradient, SecondOrder.LocalArrayHessianVector, SecondOrder.LocalArrayHessian,
            p =>
            {
                double x = p[0], y = p[1];
                return new[,] { { 2 * y * y + 2 * Math.Cos(2 * x), 4 * x * y }, { 4 * x * y, 2 * x * x + 30 * Math.Pow(y, 4) } };
            },
            Points(2, -1.5, 1.5));

    [Fact]
    public void Exp_log_sin_quotient_and_power() =>
        CheckTwo(SecondOrder.Transcendental, SecondOrder.TranscendentalGradient, SecondOrder.TranscendentalHessianVector, SecondOrder.TranscendentalHessian,
            p =>
            {
                double x = p[0], y = p[1], e = Math.Exp(x * y), q = 1 + x * x, w = 1 + y * y;
                double fxx = y * y * e + Math.Sin(y) * 2 * (1 - x * x) / (q * q);
                double fxy = e * (1 + x * y) + Math.Cos(y) * 2 * x / q - 2 * y / (w * w);
                double fyy = x * x * e - Math.Log(q) * Math.Sin(y) + x * (6 * y * y - 2) / (w * w * w) + 6 * y;
                return new[,] { { fxx, fxy }, { fxy, fyy } };
            },
            Points(2, -1.2, 1.2));

    [Fact]
    public void Float_methods_get_float_companions()
    {
        var h = new float[2, 2];
        float value = SecondOrder.RosenbrockFloatHessian(-1.2f, 1f, out float dx, out float dy, h);
        Assert.Equal(SecondOrder.RosenbrockFloat(-1.2f, 1f), value);
        double x = -1.2f, y = 1f;
        double[,] exact = { { 2 - 400 * (y - x * x) + 800 * x * x, -400 * x }, { -400 * x, 200 } };
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++) Check.Close(exact[i, j], h[i, j], 1e-5, "float MHessian[" + i + ", " + j + "]", x, y);
        }
        Check.Close(-2 * (1 - x) - 400 * x * (y - x * x), dx, 1e-5, "float gradient x", x, y);
        Check.Close(200 * (y - x * x), dy, 1e-5, "float gradient y", x, y);
        float hvValue = SecondOrder.RosenbrockFloatHessianVector(-1.2f, 1f, 0.5f, -2f, out _, out _, out float hx, out float hy);
        Assert.Equal(value, hvValue);
        Check.Close(exact[0, 0] * 0.5 - exact[0, 1] * 2, hx, 1e-5, "float (H·v)[0]", x, y);
        Check.Close(exact[1, 0] * 0.5 - exact[1, 1] * 2, hy, 1e-5, "float (H·v)[1]", x, y);
    }

    // ---------------------------------------------------------------- arrays and spans

    private static double[,] RosenbrockNHessian(double[] x)
    {
        int n = x.Length;
        var h = new double[n, n];
        for (int i = 0; i + 1 < n; i++)
        {
            h[i, i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
            h[i, i + 1] += -400 * x[i];
            h[i + 1, i] += -400 * x[i];
            h[i + 1, i + 1] += 200;
        }
        return h;
    }

    /// <summary>The three companions of a method of one array, as HessianCheck reads them.</summary>
    private delegate double GradientOf(double[] x, Span<double> dx);

    private delegate double HessianVectorOf(double[] x, ReadOnlySpan<double> vx, Span<double> dx, Span<double> hvx);

    private delegate double HessianOf(double[] x, Span<double> dx, double[,] hessian);

    private static void CheckArray(Func<double[], double> f, GradientOf gradient, HessianVectorOf hessianVector, HessianOf hessian,
        Func<double[], double[,]>? exact, double[][] points) =>
        HessianCheck.All(f,
            p => { var g = new double[p.Length]; gradient(p, g); return g; },
            (p, v) =>
            {
                double[] g = new double[p.Length], hv = new double[p.Length];
                double value = hessianVector(p, v, g, hv);
                return (value, g, hv);
            },
            p =>
            {
                double[] g = new double[p.Length];
                var h = new double[p.Length, p.Length];
                double value = hessian(p, g, h);
                return (value, g, h);
            },
            exact, points);

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(12)]
    public void N_dimensional_Rosenbrock_a_loop_over_an_array(int n) =>
        CheckArray(SecondOrder.RosenbrockN, SecondOrder.RosenbrockNGradient, SecondOrder.RosenbrockNHessianVector, SecondOrder.RosenbrockNHessian,
            RosenbrockNHessian, Points(n, -1.5, 1.5, 3).Append(Enumerable.Range(0, n).Select(i => i % 2 == 0 ? -1.2 : 1.0).ToArray()).ToArray());

    [Fact]
    public void A_loop_carried_product_with_a_branch_matches_differences_of_the_gradient() =>
        CheckArray(SecondOrder.LoopWithBranch, SecondOrder.LoopWithBranchGradient, SecondOrder.LoopWithBranchHessianVector, SecondOrder.LoopWithBranchHessian,
            null, Points(6, -1.2, 1.4));

    [Fact]
    public void A_span_and_a_scalar_flatten_span_first() =>
        HessianCheck.All(p => SecondOrder.SpanAndScalar(p.AsSpan(0, p.Length - 1), p[^1]),
            p => { var g = new double[p.Length - 1]; SecondOrder.SpanAndScalarGradient(p.AsSpan(0, p.Length - 1), p[^1], g, out double dw); return g.Append(dw).ToArray(); },
            (p, v) =>
            {
                int n = p.Length - 1;
                double[] g = new double[n], hv = new double[n];
                double value = SecondOrder.SpanAndScalarHessianVector(p.AsSpan(0, n), p[n], v.AsSpan(0, n), v[n], g, out double dw, hv, out double hw);
                return (value, g.Append(dw).ToArray(), hv.Append(hw).ToArray());
            },
            p =>
            {
                int n = p.Length - 1;
                double[] g = new double[n];
                var h = new double[n + 1, n + 1];
                double value = SecondOrder.SpanAndScalarHessian(p.AsSpan(0, n), p[n], g, out double dw, h);
                return (value, g.Append(dw).ToArray(), h);
            },
            p =>
            {
                int n = p.Length - 1;
                double w = p[n];
                var h = new double[n + 1, n + 1];
                for (int i = 0; i < n; i++)
                {
                    h[i, i] = 6 * w * p[i];
                    if (i + 1 < n) h[i, i + 1] = h[i + 1, i] = w * w;
                    double neighbours = (i > 0 ? p[i - 1] : 0) + (i + 1 < n ? p[i + 1] : 0);
                    h[i, n] = h[n, i] = 3 * p[i] * p[i] + 2 * w * neighbours;
                    if (i + 1 < n) h[n, n] += 2 * p[i] * p[i + 1];
                }
                return h;
            },
            Points(5, -1, 1));

    // ---------------------------------------------------------------- contract

    [Fact]
    public void Buffers_of_the_wrong_shape_are_rejected_naming_the_parameter()
    {
        double[] x = { 1, 2, 3 };
        var wrongHessian = Assert.Throws<ArgumentException>(() => SecondOrder.RosenbrockNHessian(x, new double[3], new double[3, 2]));
        Assert.Equal("hessian", wrongHessian.ParamName);
        var wrongDirection = Assert.Throws<ArgumentException>(() => SecondOrder.RosenbrockNHessianVector(x, new double[2], new double[3], new double[3]));
        Assert.Equal("vx", wrongDirection.ParamName);
        var wrongProduct = Assert.Throws<ArgumentException>(() => SecondOrder.RosenbrockNHessianVector(x, new double[3], new double[3], new double[4]));
        Assert.Equal("hvx", wrongProduct.ParamName);
        var wrongGradient = Assert.Throws<ArgumentException>(() => SecondOrder.RosenbrockNHessian(x, new double[2], new double[3, 3]));
        Assert.Equal("dx", wrongGradient.ParamName);
    }

    [Fact]
    public void Gradient_and_product_are_overwritten_not_accumulated()
    {
        double[] x = { -1.2, 1, 0.5 }, v = { 1, -1, 2 };
        double[] g = { 7, 7, 7 }, hv = { 7, 7, 7 };
        SecondOrder.RosenbrockNHessianVector(x, v, g, hv);
        double[] g2 = new double[3], hv2 = new double[3];
        SecondOrder.RosenbrockNHessianVector(x, v, g2, hv2);
        Assert.Equal(g2, g);
        Assert.Equal(hv2, hv);
    }

    [Fact]
    public void Warm_calls_allocate_nothing()
    {
        double[] x = Enumerable.Range(0, 50).Select(i => i % 2 == 0 ? -1.2 : 1.0).ToArray(), v = Enumerable.Range(0, 50).Select(i => 1.0 / (i + 1)).ToArray();
        double[] g = new double[50], hv = new double[50];
        double[] small = { 0.3, -0.4, 0.8 };
        double[] gs = new double[3];
        var h = new double[3, 3];
        void Run()
        {
            SecondOrder.RosenbrockNHessianVector(x, v, g, hv);
            SecondOrder.LoopWithBranchHessianVector(x, v, g, hv);
            SecondOrder.RosenbrockNHessian(small, gs, h);
        }
        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        // A method that allocates a local array: the companion allocates what the method does, its tangent and adjoints are pooled.
        SecondOrder.LocalArray(0.3, 0.7);
        SecondOrder.LocalArrayHessianVector(0.3, 0.7, 1, -1, out _, out _, out _, out _);
        before = GC.GetAllocatedBytesForCurrentThread();
        SecondOrder.LocalArray(0.3, 0.7);
        long plain = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        SecondOrder.LocalArrayHessianVector(0.3, 0.7, 1, -1, out _, out _, out _, out _);
        Assert.Equal(plain, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
