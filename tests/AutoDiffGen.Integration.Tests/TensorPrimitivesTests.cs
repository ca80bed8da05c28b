using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.SpanPrimitives;
using F = AutoDiffGen.Integration.Tests.SpanPrimitives.TensorFunctions;
using G = AutoDiffGen.Integration.Tests.SpanPrimitives.TensorFunctionsSingle;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// TensorPrimitives (issue 13): each primitive's generated gradient against its exact value and central finite
/// differences, through MGradient and MBackward, in double and float, at lengths that are (16) and are not (7, 1)
/// multiples of the vector width, with the destination aliasing the source.
/// </summary>
public partial class TensorPrimitivesTests
{
    public static readonly TheoryData<int> Lengths = new() { 1, 7, 16 };

    private delegate double Fn(double[] x, double[] y, double s);
    private delegate double GradFn(double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds);
    private delegate double BackFn(double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds);
    private delegate double TanFn(double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double tangent);
    private delegate double BinaryTanFn(double[] x, double[] y, double[] w, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, out double tangent);
    private delegate float FloatTanFn(float[] x, float[] y, ReadOnlySpan<float> vx, ReadOnlySpan<float> vy, out float tangent);
    private delegate double ScalarTanFn(double[] x, double s, double[] w, ReadOnlySpan<double> vx, double vs, out double tangent);

    private static double[] Random(int n, int seed, double lo, double hi)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * random.NextDouble()).ToArray();
    }

    /// <summary>
    /// Checks value, gradient and pullback of f(x, y, s): the gradient against <paramref name="exact"/> (when given) and
    /// against central differences; the pullback adds seed·gradient into buffers that already hold 1; the forward mode
    /// (MTangent) along a random direction v passes the dot-product test ⟨∇f, v⟩ with that gradient and matches the
    /// central difference of f along v.
    /// </summary>
    private static void Check(int n, Fn f, GradFn gradient, BackFn backward, TanFn tangent, Func<double[], double[], double, (double[] Dx, double[] Dy, double Ds)>? exact,
        double lo = -1.5, double hi = 1.5, double ylo = double.NaN, double yhi = double.NaN, double s = 0.7, double tolerance = 1e-9)
    {
        double[] x = Random(n, 1 + n, lo, hi);
        double[] y = Random(n, 100 + n, double.IsNaN(ylo) ? lo : ylo, double.IsNaN(yhi) ? hi : yhi);
        double[] x0 = (double[])x.Clone(), y0 = (double[])y.Clone();
        double value = f(x, y, s);
        var dx = new double[n];
        var dy = new double[n];
        double got = gradient(x, y, s, dx, dy, out double ds);
        Assert.Equal(value, got, 12);
        Assert.Equal(x0, x);
        Assert.Equal(y0, y);

        if (exact is not null)
        {
            var (ex, ey, es) = exact(x, y, s);
            for (int i = 0; i < n; i++)
            {
                Assert.True(Close(ex[i], dx[i], tolerance), $"dx[{i}] = {dx[i]}, exact {ex[i]}");
                Assert.True(Close(ey[i], dy[i], tolerance), $"dy[{i}] = {dy[i]}, exact {ey[i]}");
            }
            Assert.True(Close(es, ds, tolerance), $"ds = {ds}, exact {es}");
        }

        const double h = 1e-6;
        for (int i = 0; i < n; i++)
        {
            Assert.True(Close(Central(t => { var xp = (double[])x0.Clone(); xp[i] = t; return f(xp, y0, s); }, x0[i], h), dx[i], 1e-5), $"dx[{i}] = {dx[i]} vs FD");
            Assert.True(Close(Central(t => { var yp = (double[])y0.Clone(); yp[i] = t; return f(x0, yp, s); }, y0[i], h), dy[i], 1e-5), $"dy[{i}] = {dy[i]} vs FD");
        }
        Assert.True(Close(Central(t => f(x0, y0, t), s, h), ds, 1e-5), $"ds = {ds} vs FD");

        var ax = Enumerable.Repeat(1.0, n).ToArray();
        var ay = Enumerable.Repeat(1.0, n).ToArray();
        double aS = 1;
        Assert.Equal(value, backward(x, y, s, 2.5, ax, ay, ref aS), 12);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Close(1 + 2.5 * dx[i], ax[i], 1e-12), $"backward dx[{i}]");
            Assert.True(Close(1 + 2.5 * dy[i], ay[i], 1e-12), $"backward dy[{i}]");
        }
        Assert.True(Close(1 + 2.5 * ds, aS, 1e-12), "backward ds");

        double[] vx = Random(n, 300 + n, -1, 1), vy = Random(n, 400 + n, -1, 1);
        const double vs = 0.37;
        Assert.Equal(value, tangent(x, y, s, vx, vy, vs, out double jvp), 12);
        Assert.Equal(x0, x);
        Assert.Equal(y0, y);
        double dot = Enumerable.Range(0, n).Sum(i => dx[i] * vx[i] + dy[i] * vy[i]) + ds * vs;
        Assert.True(Close(dot, jvp, 1e-10), $"tangent {jvp} vs ⟨gradient, v⟩ = {dot}");
        double along = Central(t => f(x0.Select((v, i) => v + t * vx[i]).ToArray(), y0.Select((v, i) => v + t * vy[i]).ToArray(), s + t * vs), 0, h);
        Assert.True(Close(along, jvp, 1e-5), $"tangent {jvp} vs FD along v {along}");
    }

    private static double Central(Func<double, double> f, double at, double h) => (f(at + h) - f(at - h)) / (2 * h);

    private static bool Close(double expected, double actual, double tolerance) =>
        Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected));

    private static double[] Weights(int n) => Random(n, 7, -1, 1);

    private static (double[], double[], double) Elementwise(double[] x, double[] y, Func<double, double, (double, double)> partials, double[] w)
    {
        var dx = new double[x.Length];
        var dy = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            var (px, py) = partials(x[i], y[i]);
            dx[i] = w[i] * px;
            dy[i] = w[i] * py;
        }
        return (dx, dy, 0);
    }

    // ---------------------------------------------------------------- reductions

    [Theory, MemberData(nameof(Lengths))]
    public void Dot_is_two_multiply_adds(int n) => Check(n,
        (x, y, s) => F.Dot(x, y),
        (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return F.DotGradient(x, y, dx, dy); },
        (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => F.DotBackward(x, y, seed, dx, dy),
        (double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double t) => F.DotTangent(x, y, vx, vy, out t),
        (x, y, s) => ((double[])y.Clone(), (double[])x.Clone(), 0));

    [Theory, MemberData(nameof(Lengths))]
    public void Sum_SumOfSquares_and_Norm(int n)
    {
        Check(n, (x, y, s) => F.Sum(x),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return F.SumGradient(x, dx); },
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => F.SumBackward(x, seed, dx),
            (double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double t) => F.SumTangent(x, vx, out t),
            (x, y, s) => (Enumerable.Repeat(1.0, x.Length).ToArray(), new double[x.Length], 0));
        Check(n, (x, y, s) => F.SumOfSquares(x),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return F.SumOfSquaresGradient(x, dx); },
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => F.SumOfSquaresBackward(x, seed, dx),
            (double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double t) => F.SumOfSquaresTangent(x, vx, out t),
            (x, y, s) => (x.Select(v => 2 * v).ToArray(), new double[x.Length], 0));
        Check(n, (x, y, s) => F.Norm(x),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return F.NormGradient(x, dx); },
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => F.NormBackward(x, seed, dx),
            (double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double t) => F.NormTangent(x, vx, out t),
            (x, y, s) => { double norm = Math.Sqrt(x.Sum(v => v * v)); return (x.Select(v => v / norm).ToArray(), new double[x.Length], 0); });
    }

    [Fact]
    public void Norm_of_zero_has_gradient_zero()
    {
        var dx = new double[5];
        Assert.Equal(0, F.NormGradient(new double[5], dx));
        Assert.All(dx, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Sqrt_at_zero_has_partial_zero_like_Math_Sqrt()
    {
        // f = Σ w_i √x_i: ∂f/∂x_i = w_i / (2√x_i), and 0 where x_i = 0 (not g/0 = ∞, or NaN where w_i = 0).
        double[] x = { 0, 4, 0, 0.25, 0, 1, 9, 0, 16 }, w = { 1.5, 2, 0, -1, 3, 1, 1, -2, 0.5 };
        var dx = new double[x.Length];
        F.UnaryGradient(x, w, 4, dx);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] == 0 ? 0 : w[i] / (2 * Math.Sqrt(x[i])), dx[i], 12);
        float[] xf = x.Select(v => (float)v).ToArray(), wf = w.Select(v => (float)v).ToArray();
        var dxf = new float[x.Length];
        G.UnaryFGradient(xf, wf, 4, dxf);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i] == 0 ? 0 : w[i] / (2 * Math.Sqrt(x[i])), dxf[i], 5);
    }

    [Theory, MemberData(nameof(Lengths))]
    public void CosineSimilarity_and_Distance(int n)
    {
        Check(n, (x, y, s) => F.CosineSimilarity(x, y),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return F.CosineSimilarityGradient(x, y, dx, dy); },
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => F.CosineSimilarityBackward(x, y, seed, dx, dy),
            (double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double t) => F.CosineSimilarityTangent(x, y, vx, vy, out t),
            (x, y, s) =>
            {
                double nx = Math.Sqrt(x.Sum(v => v * v)), ny = Math.Sqrt(y.Sum(v => v * v)), dot = x.Zip(y, (a, b) => a * b).Sum();
                double c = dot / (nx * ny);
                return (x.Select((v, i) => y[i] / (nx * ny) - c * v / (nx * nx)).ToArray(), y.Select((v, i) => x[i] / (nx * ny) - c * v / (ny * ny)).ToArray(), 0);
            });
        Check(n, (x, y, s) => F.Distance(x, y),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return F.DistanceGradient(x, y, dx, dy); },
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => F.DistanceBackward(x, y, seed, dx, dy),
            (double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double t) => F.DistanceTangent(x, y, vx, vy, out t),
            (x, y, s) =>
            {
                double d = Math.Sqrt(x.Zip(y, (a, b) => (a - b) * (a - b)).Sum());
                return (x.Select((v, i) => (v - y[i]) / d).ToArray(), x.Select((v, i) => (y[i] - v) / d).ToArray(), 0);
            });
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Max_and_Min_reductions_select_one_element(int n) => Check(n,
        (x, y, s) => F.MaxOf(x, y),
        (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return F.MaxOfGradient(x, y, dx, dy); },
        (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => F.MaxOfBackward(x, y, seed, dx, dy),
        (double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double t) => F.MaxOfTangent(x, y, vx, vy, out t),
        (x, y, s) =>
        {
            var dx = new double[x.Length];
            var dy = new double[x.Length];
            dx[Array.IndexOf(x, x.Max())] = 1;
            dy[Array.IndexOf(y, y.Min())] = 2;
            return (dx, dy, 0);
        });

    // ---------------------------------------------------------------- binary maps

    private static void CheckBinary(int n, Func<double[], double[], double[], double> f,
        Func<double[], double[], double[], Span<double>, Span<double>, double> gradient,
        Func<double[], double[], double[], double, Span<double>, Span<double>, double> backward, BinaryTanFn tangent,
        Func<double, double, (double, double)> partials, double lo = -1.5, double hi = 1.5, double ylo = double.NaN, double yhi = double.NaN)
    {
        double[] w = Weights(n);
        Check(n, (x, y, s) => f(x, y, w),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return gradient(x, y, w, dx, dy); },
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => backward(x, y, w, seed, dx, dy),
            (double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double t) => tangent(x, y, w, vx, vy, out t),
            (x, y, s) => Elementwise(x, y, partials, w), lo, hi, ylo, yhi);
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Add_Subtract_Multiply_Divide(int n)
    {
        CheckBinary(n, F.Add, F.AddGradient, F.AddBackward, F.AddTangent, (a, b) => (1, 1));
        CheckBinary(n, F.Subtract, F.SubtractGradient, F.SubtractBackward, F.SubtractTangent, (a, b) => (1, -1));
        CheckBinary(n, F.Multiply, F.MultiplyGradient, F.MultiplyBackward, F.MultiplyTangent, (a, b) => (b, a));
        CheckBinary(n, F.Divide, F.DivideGradient, F.DivideBackward, F.DivideTangent, (a, b) => (1 / b, -a / (b * b)), ylo: 0.5, yhi: 2);
    }

    [Theory, MemberData(nameof(Lengths))]
    public void MultiplyAdd_also_in_place(int n)
    {
        double[] w = Weights(n);
        // d = (x·y + w)·y + x, the second MultiplyAdd in place.
        double[] weights = w;
        Check(n, (x, y, s) => F.MultiplyAdd(x, y, weights),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return F.MultiplyAddGradient(x, y, weights, dx, dy); },
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => F.MultiplyAddBackward(x, y, weights, seed, dx, dy),
            (double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double t) => F.MultiplyAddTangent(x, y, weights, vx, vy, out t),
            (x, y, s) => (x.Select((v, i) => weights[i] * (y[i] * y[i] + 1)).ToArray(), x.Select((v, i) => weights[i] * (2 * v * y[i] + weights[i])).ToArray(), 0));
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Pow_Max_Min_elementwise(int n)
    {
        CheckBinary(n, F.Pow, F.PowGradient, F.PowBackward, F.PowTangent, (a, b) => (b * Math.Pow(a, b - 1), Math.Pow(a, b) * Math.Log(a)), lo: 0.5, hi: 2);
        CheckBinary(n, F.MaxMin, F.MaxMinGradient, F.MaxMinBackward, F.MaxMinTangent, (a, b) => a >= b ? (1.0, 3.0) : (3.0, 1.0));
    }

    // ---------------------------------------------------------------- scalar overloads

    private static void CheckScalar(int n, Func<double[], double, double[], double> f,
        Func<double[], double, double[], Span<double>, (double, double)> gradient,
        Func<double[], double, double[], double, Span<double>, double, (double, double)> backward, ScalarTanFn tangent,
        Func<double, double, (double, double)> partials, double lo, double hi, double s)
    {
        double[] w = Weights(n);
        Check(n, (x, y, t) => f(x, t, w),
            (double[] x, double[] y, double t, Span<double> dx, Span<double> dy, out double ds) => { var (v, d) = gradient(x, t, w, dx); ds = d; return v; },
            (double[] x, double[] y, double t, double seed, Span<double> dx, Span<double> dy, ref double ds) => { var (v, d) = backward(x, t, w, seed, dx, ds); ds = d; return v; },
            (double[] x, double[] y, double t, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double jvp) => tangent(x, t, w, vx, vs, out jvp),
            (x, y, t) =>
            {
                var dx = new double[x.Length];
                double ds = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    var (px, ps) = partials(x[i], t);
                    dx[i] = w[i] * px;
                    ds += w[i] * ps;
                }
                return (dx, new double[x.Length], ds);
            }, lo, hi, s: s);
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Scalar_overloads_of_Add_Multiply_Subtract_Divide_MultiplyAdd(int n) => CheckScalar(n, F.ScalarOverloads,
        (x, s, w, dx) => (F.ScalarOverloadsGradient(x, s, w, dx, out double ds), ds),
        (x, s, w, seed, dx, ds) => (F.ScalarOverloadsBackward(x, s, w, seed, dx, ref ds), ds),
        F.ScalarOverloadsTangent,
        // d = ((x + s − 1)·s + x)·x + s = x·s·(x + s − 1) + x² + s
        (x, s) => (s * (2 * x + s - 1) + 2 * x, x * (x + 2 * s - 1) + 1), -1.5, 1.5, 0.7);

    [Theory, MemberData(nameof(Lengths))]
    public void Scalar_first_overloads_and_Pow_with_a_scalar_exponent(int n) => CheckScalar(n, F.ScalarFirstOverloads,
        (x, s, w, dx) => (F.ScalarFirstOverloadsGradient(x, s, w, dx, out double ds), ds),
        (x, s, w, seed, dx, ds) => (F.ScalarFirstOverloadsBackward(x, s, w, seed, dx, ref ds), ds),
        F.ScalarFirstOverloadsTangent,
        // (s − x) + x^s   (s / x is overwritten by x^s)
        (x, s) => (-1 + s * Math.Pow(x, s - 1), 1 + Math.Pow(x, s) * Math.Log(x)), 0.5, 2, 1.3);

    [Theory, MemberData(nameof(Lengths))]
    public void Max_and_Min_with_a_scalar(int n) => CheckScalar(n, F.ScalarSelections,
        (x, s, w, dx) => (F.ScalarSelectionsGradient(x, s, w, dx, out double ds), ds),
        (x, s, w, seed, dx, ds) => (F.ScalarSelectionsBackward(x, s, w, seed, dx, ref ds), ds),
        F.ScalarSelectionsTangent,
        (x, s) => (x >= s ? 1 : 0, x >= s ? 0 : 1) is var (a, b) ? (a + 2 * (x <= s ? 1 : 0), b + 2 * (x <= s ? 0 : 1)) : default, -1.5, 1.5, 0.1);

    // ---------------------------------------------------------------- unary maps

    [Theory]
    [InlineData(0, 1), InlineData(0, 7), InlineData(0, 16)]
    [InlineData(1, 7), InlineData(1, 16)]
    [InlineData(2, 7), InlineData(2, 16)]
    [InlineData(3, 7), InlineData(3, 16)]
    [InlineData(4, 7), InlineData(4, 16)]
    [InlineData(5, 7), InlineData(5, 16)]
    [InlineData(6, 7), InlineData(6, 16)]
    [InlineData(7, 1), InlineData(7, 7), InlineData(7, 16)]
    public void Unary_maps(int which, int n)
    {
        double[] w = Weights(n);
        bool positive = which is 3 or 4;
        Check(n, (x, y, s) => F.Unary(x, w, which),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return F.UnaryGradient(x, w, which, dx); },
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => F.UnaryBackward(x, w, which, seed, dx),
            (double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double t) => F.UnaryTangent(x, w, which, vx, out t),
            (x, y, s) =>
            {
                var dx = new double[n];
                if (which == 7)
                {
                    double max = x.Max();
                    double[] e = x.Select(v => Math.Exp(v - max)).ToArray();
                    double sum = e.Sum();
                    double[] p = e.Select(v => v / sum).ToArray();
                    double wp = p.Zip(w, (a, b) => a * b).Sum();
                    for (int i = 0; i < n; i++) dx[i] = p[i] * (w[i] - wp);
                    return (dx, new double[n], 0);
                }
                for (int i = 0; i < n; i++)
                {
                    double v = x[i], sigma = 1 / (1 + Math.Exp(-v));
                    dx[i] = w[i] * which switch
                    {
                        0 => -1,
                        1 => Math.Sign(v),
                        2 => Math.Exp(v),
                        3 => 1 / v,
                        4 => 0.5 / Math.Sqrt(v),
                        5 => 1 - Math.Tanh(v) * Math.Tanh(v),
                        _ => sigma * (1 - sigma),
                    };
                }
                return (dx, new double[n], 0);
            }, lo: positive ? 0.25 : -1.5, hi: positive ? 2 : 1.5);
    }

    // ---------------------------------------------------------------- aliasing, slices, loops, span parameters

    private delegate double WeightedGradFn(double[] x, double[] w, Span<double> dx);
    private delegate double WeightedBackFn(double[] x, double[] w, double seed, Span<double> dx);
    private delegate double WeightedTanFn(double[] x, double[] w, ReadOnlySpan<double> vx, out double tangent);

    /// <summary><see cref="Check"/> for f(x, w), w fixed weights that read a map out: <paramref name="exact"/> gives ∂f/∂x.</summary>
    private static void CheckWeighted(int n, Func<double[], double[], double> f, WeightedGradFn gradient, WeightedBackFn backward, WeightedTanFn tangent,
        Func<double[], double[], double[]> exact)
    {
        double[] w = Weights(n);
        Check(n, (x, y, s) => f(x, w),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return gradient(x, w, dx); },
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => backward(x, w, seed, dx),
            (double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double t) => tangent(x, w, vx, out t),
            (x, y, s) => (exact(x, w), new double[n], 0));
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Destination_aliasing_the_source(int n) =>
        CheckWeighted(n, F.InPlace, F.InPlaceGradient, F.InPlaceBackward, F.InPlaceTangent, (x, w) =>
        {
            double[] t = x.Select(v => Math.Tanh(Math.Exp(v) + v)).ToArray();
            double max = t.Max();
            double[] e = t.Select(v => Math.Exp(v - max)).ToArray();
            double sum = e.Sum();
            double[] p = e.Select(v => v / sum).ToArray();
            double[] g = p.Select((v, i) => w[i] + 2 * v).ToArray();          // ∂/∂p of w·p + Σp²
            double gp = g.Zip(p, (a, b) => a * b).Sum();
            double[] dx = new double[n];
            for (int i = 0; i < n; i++)
            {
                double dt = p[i] * (g[i] - gp);
                dx[i] = dt * (1 - t[i] * t[i]) * (Math.Exp(x[i]) + 1);
            }
            return dx;
        });

    [Theory]
    [InlineData(3, 7)]
    [InlineData(2, 16)]
    public void Slices_in_a_loop_that_overwrites_a_buffer(int rows, int n)
    {
        double[] m = Random(rows * n, 3, -1, 1), v = Random(n, 4, -1, 1);
        var dm = new double[rows * n];
        var dv = new double[n];
        double value = F.RowsTimesVectorGradient(m, v, rows, dm, dv);
        Assert.Equal(F.RowsTimesVector(m, v, rows), value, 12);
        var em = new double[rows * n];
        var ev = new double[n];
        for (int r = 0; r < rows; r++)
        {
            double sum = 0, dot = 0;
            var t = new double[n];
            for (int k = 0; k < n; k++)
            {
                t[k] = Math.Tanh(m[r * n + k] * v[k]);
                sum += t[k];
                dot += m[r * n + k] * v[k];
            }
            for (int k = 0; k < n; k++)
            {
                double dh = dot * (1 - t[k] * t[k]);   // ∂(sum·dot)/∂(m·v)_k through tanh
                em[r * n + k] += dh * v[k] + sum * v[k];
                ev[k] += dh * m[r * n + k] + sum * m[r * n + k];
            }
        }
        for (int i = 0; i < em.Length; i++) Assert.Equal(em[i], dm[i], 10);
        for (int i = 0; i < n; i++) Assert.Equal(ev[i], dv[i], 10);
        for (int i = 0; i < m.Length; i++)
        {
            double fd = Central(t => { var mp = (double[])m.Clone(); mp[i] = t; return F.RowsTimesVector(mp, v, rows); }, m[i], 1e-6);
            Assert.True(Close(fd, dm[i], 1e-5), $"dm[{i}] {dm[i]} vs {fd}");
        }
        double[] vm = Random(m.Length, 11, -1, 1), vv = Random(n, 12, -1, 1);
        AssertTangent(value, F.RowsTimesVectorTangent(m, v, rows, vm, vv, out double jvp), jvp, DotOf(dm, vm) + DotOf(dv, vv),
            t => F.RowsTimesVector(Along(m, vm, t), Along(v, vv, t), rows));
    }

    [Fact]
    public void Warm_gradient_of_a_loop_recording_spans_allocates_only_what_the_method_does()
    {
        // Each row records the buffer on the tape (PushRange) before the in-place primitives, whose reverse reads it
        // again; warm calls reuse the pooled storage. A tape that regrew its storage on every PushRange made the TensorMlp
        // benchmark allocate terabytes per call. (RowsTimesVector, used here before, no longer records anything: its
        // buffer is refilled by a primitive each row, so the row loop is fused and its restores are dropped.)
        const int rows = 40, n = 16;
        double[] m = Random(rows * n, 5, -1, 1), v = Random(n, 6, -1, 1), w = Weights(n);
        var dm = new double[rows * n];
        var dv = new double[n];
        var (plain, gradient) = WarmBytes(() => F.RowsRestoredInTheIteration(m, v, w), () => F.RowsRestoredInTheIterationGradient(m, v, w, dm, dv));
        Assert.True(gradient <= 10 * plain, "10 warm gradients allocated " + gradient + " bytes; the method itself allocates " + plain + " per call");
        var (rowsPlain, rowsGradient) = WarmBytes(() => F.RowsTimesVector(m, v, rows), () => F.RowsTimesVectorGradient(m, v, rows, dm, dv));
        Assert.True(rowsGradient <= 10 * rowsPlain, "RowsTimesVector's 10 warm gradients allocated " + rowsGradient + " bytes; the method " + rowsPlain + " per call");
    }

    /// <summary>
    /// Bytes one call of <paramref name="plain"/> allocates, and ten warm calls of <paramref name="gradient"/> (after
    /// three warm-up calls), on this thread.
    /// </summary>
    private static (long Plain, long Gradient) WarmBytes(Action plain, Action gradient)
    {
        for (int warm = 0; warm < 3; warm++) gradient();
        long before = GC.GetAllocatedBytesForCurrentThread();
        plain();
        long one = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int call = 0; call < 10; call++) gradient();
        return (one, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Forward mode against the gradient (the dot-product test) and against the central difference along v.</summary>
    private static void AssertTangent(double value, double returned, double jvp, double dot, Func<double, double> along)
    {
        Assert.Equal(value, returned, 12);
        Assert.True(Close(dot, jvp, 1e-10), $"tangent {jvp} vs ⟨gradient, v⟩ = {dot}");
        double fd = Central(along, 0, 1e-6);
        Assert.True(Close(fd, jvp, 1e-5), $"tangent {jvp} vs FD along v {fd}");
    }

    private static double[] Along(double[] x, double[] v, double t) => x.Select((a, i) => a + t * v[i]).ToArray();

    private static double DotOf(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();

    [Theory]
    [InlineData(3, 7)]
    [InlineData(2, 16)]
    public void Span_locals_name_views_of_the_array(int rows, int n)
    {
        double[] m = Random(rows * n, 8, -1, 1), v = Random(n, 9, -1, 1);
        var dm = new double[rows * n];
        var dv = new double[n];
        Assert.Equal(F.SpanLocals(m, v, rows), F.SpanLocalsGradient(m, v, rows, dm, dv), 12);
        var em = new double[rows * n];
        var ev = new double[n];
        for (int r = 0; r < rows; r++)
        {
            double dot = 0;
            for (int k = 0; k < n; k++) dot += m[r * n + k] * v[k];
            double row0 = m[r * n];
            for (int k = 0; k < n; k++)
            {
                em[r * n + k] += v[k] * row0 + (k == 0 ? dot : 2 * m[r * n + k] / n);
                ev[k] += m[r * n + k] * row0;
            }
        }
        for (int i = 0; i < em.Length; i++)
        {
            Assert.True(Close(em[i], dm[i], 1e-10), $"dm[{i}] = {dm[i]}, exact {em[i]}");
            double fd = Central(t => { var mp = (double[])m.Clone(); mp[i] = t; return F.SpanLocals(mp, v, rows); }, m[i], 1e-6);
            Assert.True(Close(fd, dm[i], 1e-5), $"dm[{i}] vs FD {fd}");
        }
        for (int k = 0; k < n; k++) Assert.True(Close(ev[k], dv[k], 1e-10), $"dv[{k}]");
        double[] vm = Random(m.Length, 13, -1, 1), vv = Random(n, 14, -1, 1);
        AssertTangent(F.SpanLocals(m, v, rows), F.SpanLocalsTangent(m, v, rows, vm, vv, out double jvp), jvp, DotOf(dm, vm) + DotOf(dv, vv),
            t => F.SpanLocals(Along(m, vm, t), Along(v, vv, t), rows));

        double[] x = Random(n, 10, -1, 1);
        var dx = new double[n];
        Assert.Equal(F.WritableSpanLocal(x), F.WritableSpanLocalGradient(x, dx), 12);
        for (int k = 0; k < n; k++)
        {
            // Σ exp(x) with element 0 times x0, plus that element again: 2·x0·e^x0 for k = 0, e^xk otherwise.
            double exact = k == 0 ? 2 * (Math.Exp(x[0]) * x[0] + Math.Exp(x[0])) : Math.Exp(x[k]);
            Assert.True(Close(exact, dx[k], 1e-10), $"dx[{k}] = {dx[k]}, exact {exact}");
        }
        double[] vx = Random(n, 15, -1, 1);
        AssertTangent(F.WritableSpanLocal(x), F.WritableSpanLocalTangent(x, vx, out double jvpx), jvpx, DotOf(dx, vx), t => F.WritableSpanLocal(Along(x, vx, t)));
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Span_parameters_written_in_place_and_sliced(int n)
    {
        if (n < 2) return; // the function slices off one element
        double[] w = Weights(n);
        double[] x = Random(n, 5, -1, 1), y = Random(n, 6, -1, 1);
        double Value(double[] a, double[] b) => F.SpanParameters(a, (double[])b.Clone(), w);
        var dx = new double[n];
        var dy = new double[n];
        double[] yCopy = (double[])y.Clone();
        double value = F.SpanParametersGradient(x, yCopy, w, dx, dy);
        Assert.Equal(Value(x, y), value, 12);
        for (int i = 0; i < n; i++)
        {
            double p = x[i] * y[i];
            double dp = i == 0 ? w[0] : w[i] * Sigmoid(p) * (1 - Sigmoid(p));
            double norm = Math.Sqrt(x.Take(n - 1).Sum(v => v * v));
            Assert.True(Close(dp * y[i] + (i < n - 1 ? x[i] / norm : 0), dx[i], 1e-10), $"dx[{i}]");
            Assert.True(Close(dp * x[i], dy[i], 1e-10), $"dy[{i}]");
            Assert.True(Close(Central(t => { var a = (double[])x.Clone(); a[i] = t; return Value(a, y); }, x[i], 1e-6), dx[i], 1e-5));
            Assert.True(Close(Central(t => { var b = (double[])y.Clone(); b[i] = t; return Value(x, b); }, y[i], 1e-6), dy[i], 1e-5));
        }
        double[] vx = Random(n, 16, -1, 1), vy = Random(n, 17, -1, 1);
        AssertTangent(Value(x, y), F.SpanParametersTangent(x, (double[])y.Clone(), w, vx, vy, out double jvp), jvp, DotOf(dx, vx) + DotOf(dy, vy),
            t => Value(Along(x, vx, t), Along(y, vy, t)));
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));

    // ---------------------------------------------------------------- float

    private static float[] Single(double[] values) => values.Select(v => (float)v).ToArray();

    /// <summary>A float function's gradient against the double gradient of its double twin, and against float differences.</summary>
    private static void CheckFloat(int n, Func<float[], float[], float> f, Func<float[], float[], float[], float[], float> gradient,
        Func<float[], float[], float, float[], float[], float> backward, FloatTanFn tangent, Func<double[], double[], double[], double[], double> doubleGradient, double lo = -1.5, double hi = 1.5)
    {
        double[] xd = Random(n, 1 + n, lo, hi), yd = Random(n, 100 + n, lo, hi);
        float[] x = Single(xd), y = Single(yd);
        var dx = new float[n];
        var dy = new float[n];
        float value = gradient(x, y, dx, dy);
        Assert.Equal(f(x, y), value);
        var ex = new double[n];
        var ey = new double[n];
        doubleGradient(x.Select(v => (double)v).ToArray(), y.Select(v => (double)v).ToArray(), ex, ey);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Close(ex[i], dx[i], 2e-4), $"dx[{i}] = {dx[i]}, double {ex[i]}");
            Assert.True(Close(ey[i], dy[i], 2e-4), $"dy[{i}] = {dy[i]}, double {ey[i]}");
            float h = 1e-2f;
            float[] xp = (float[])x.Clone(), xm = (float[])x.Clone();
            xp[i] += h;
            xm[i] -= h;
            double fd = ((double)f(xp, y) - f(xm, y)) / (xp[i] - xm[i]);
            Assert.True(Close(fd, dx[i], 3e-2), $"dx[{i}] = {dx[i]} vs float FD {fd}");
        }
        var ax = Enumerable.Repeat(1f, n).ToArray();
        var ay = Enumerable.Repeat(1f, n).ToArray();
        Assert.Equal(value, backward(x, y, 2f, ax, ay));
        for (int i = 0; i < n; i++)
        {
            Assert.True(Close(1 + 2 * dx[i], ax[i], 1e-6), $"backward dx[{i}]");
            Assert.True(Close(1 + 2 * dy[i], ay[i], 1e-6), $"backward dy[{i}]");
        }
        float[] vx = Single(Random(n, 300 + n, -1, 1)), vy = Single(Random(n, 400 + n, -1, 1));
        Assert.Equal(value, tangent(x, y, vx, vy, out float jvp));
        double dot = Enumerable.Range(0, n).Sum(i => (double)dx[i] * vx[i] + (double)dy[i] * vy[i]);
        Assert.True(Close(dot, jvp, 1e-4), $"float tangent {jvp} vs ⟨gradient, v⟩ = {dot}");
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Float_reductions_and_binary_maps(int n)
    {
        double[] wd = Weights(n);
        float[] w = Single(wd);
        CheckFloat(n, G.DotF, (x, y, dx, dy) => G.DotFGradient(x, y, dx, dy), (x, y, s, dx, dy) => G.DotFBackward(x, y, s, dx, dy), (x, y, vx, vy, out t) => G.DotFTangent(x, y, vx, vy, out t), (x, y, dx, dy) => F.DotGradient(x, y, dx, dy));
        CheckFloat(n, (x, y) => G.NormF(x), (x, y, dx, dy) => G.NormFGradient(x, dx), (x, y, s, dx, dy) => G.NormFBackward(x, s, dx), (x, y, vx, vy, out t) => G.NormFTangent(x, vx, out t), (x, y, dx, dy) => F.NormGradient(x, dx));
        CheckFloat(n, G.MaxOfF, (x, y, dx, dy) => G.MaxOfFGradient(x, y, dx, dy), (x, y, s, dx, dy) => G.MaxOfFBackward(x, y, s, dx, dy), (x, y, vx, vy, out t) => G.MaxOfFTangent(x, y, vx, vy, out t), (x, y, dx, dy) => F.MaxOfGradient(x, y, dx, dy));
        CheckFloat(n, (x, y) => G.MultiplyF(x, y, w), (x, y, dx, dy) => G.MultiplyFGradient(x, y, w, dx, dy), (x, y, s, dx, dy) => G.MultiplyFBackward(x, y, w, s, dx, dy), (x, y, vx, vy, out t) => G.MultiplyFTangent(x, y, w, vx, vy, out t),
            (x, y, dx, dy) => F.MultiplyGradient(x, y, w.Select(v => (double)v).ToArray(), dx, dy));
        CheckFloat(n, (x, y) => G.DivideF(x, y, w), (x, y, dx, dy) => G.DivideFGradient(x, y, w, dx, dy), (x, y, s, dx, dy) => G.DivideFBackward(x, y, w, s, dx, dy), (x, y, vx, vy, out t) => G.DivideFTangent(x, y, w, vx, vy, out t),
            (x, y, dx, dy) => F.DivideGradient(x, y, w.Select(v => (double)v).ToArray(), dx, dy), lo: 0.5, hi: 2);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(16)]
    public void Float_unary_maps_scalar_overloads_and_aliasing(int n)
    {
        float[] w = Single(Weights(n));
        double[] wd = w.Select(v => (double)v).ToArray();
        for (int which = 0; which <= 7; which++)
        {
            int k = which;
            bool positive = k is 3 or 4;
            CheckFloat(n, (x, y) => G.UnaryF(x, w, k), (x, y, dx, dy) => G.UnaryFGradient(x, w, k, dx), (x, y, s, dx, dy) => G.UnaryFBackward(x, w, k, s, dx), (x, y, vx, vy, out t) => G.UnaryFTangent(x, w, k, vx, out t),
                (x, y, dx, dy) => F.UnaryGradient(x, wd, k, dx), lo: positive ? 0.25 : -1.5, hi: positive ? 2 : 1.5);
        }
        CheckFloat(n, (x, y) => G.InPlaceF(x, w), (x, y, dx, dy) => G.InPlaceFGradient(x, w, dx), (x, y, s, dx, dy) => G.InPlaceFBackward(x, w, s, dx), (x, y, vx, vy, out t) => G.InPlaceFTangent(x, w, vx, out t),
            (x, y, dx, dy) => F.InPlaceGradient(x, wd, dx));
        CheckFloat(n, (x, y) => G.ScalarOverloadsF(x, 0.7f, w), (x, y, dx, dy) => G.ScalarOverloadsFGradient(x, 0.7f, w, dx, out _),
            (x, y, s, dx, dy) => { float ds = 0; return G.ScalarOverloadsFBackward(x, 0.7f, w, s, dx, ref ds); },
            (x, y, vx, vy, out t) => G.ScalarOverloadsFTangent(x, 0.7f, w, vx, 0f, out t),
            (x, y, dx, dy) => F.ScalarOverloadsGradient(x, 0.7f, wd, dx, out _));
    }
}
