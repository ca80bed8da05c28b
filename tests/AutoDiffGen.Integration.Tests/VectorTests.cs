using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Runtime.Intrinsics;
using V = AutoDiffGen.Integration.Tests.Functions.SimdVectors;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Vector&lt;T&gt; and Vector128/256&lt;T&gt; kernels (issue 13): each generated gradient against exact values and central
/// finite differences through MGradient, MBackward (seed and accumulation) and MTangent (the dot-product test and the
/// directional finite difference), at lengths 0, 1, Count − 1, Count and 3·Count + 1 of the kernel's vector type, so the
/// vector loop, the scalar tail and both together all run.
/// </summary>
public class VectorTests
{
    /// <summary>A kernel seen as f(x, y, s): x and y spans of length n (y may be unused), s a scalar (may be unused).</summary>
    private delegate double Fn(double[] x, double[] y, double s);
    private delegate double GradFn(double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds);
    private delegate double BackFn(double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds);
    private delegate double TanFn(double[] x, double[] y, double s, double[] vx, double[] vy, double vs, out double tangent);
    private delegate (double[] Dx, double[] Dy, double Ds) ExactFn(double[] x, double[] y, double s);

    private static IEnumerable<object[]> LengthsFor(int count) =>
        new[] { 0, 1, count - 1, count, 3 * count + 1 }.Where(n => n >= 0).Distinct().Select(n => new object[] { n });

    public static IEnumerable<object[]> DoubleLengths() => LengthsFor(Vector<double>.Count);
    public static IEnumerable<object[]> FloatLengths() => LengthsFor(Vector<float>.Count);
    public static IEnumerable<object[]> Vector256Lengths() => LengthsFor(Vector256<double>.Count);
    public static IEnumerable<object[]> Vector128Lengths() => LengthsFor(Vector128<double>.Count);

    private static double[] Random(int n, int seed, double lo, double hi)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * random.NextDouble()).ToArray();
    }

    private static double Central(Func<double, double> f, double at, double h) => (f(at + h) - f(at - h)) / (2 * h);

    private static bool Close(double expected, double actual, double tolerance) =>
        Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected));

    private static void Check(int n, Fn f, GradFn gradient, BackFn backward, TanFn tangent, ExactFn exact,
        double lo = -1.5, double hi = 1.5, double s = 0.7, double exactTolerance = 1e-10, double fdTolerance = 1e-6, double h = 1e-6)
    {
        double[] x = Random(n, 1 + n, lo, hi), y = Random(n, 100 + n, lo, hi);
        double[] x0 = (double[])x.Clone(), y0 = (double[])y.Clone();
        double value = f(x, y, s);
        var dx = new double[n];
        var dy = new double[n];
        Assert.True(Close(value, gradient(x, y, s, dx, dy, out double ds), 1e-12), "MGradient returns the value");
        Assert.Equal(x0, x);
        Assert.Equal(y0, y);

        var (ex, ey, es) = exact(x, y, s);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Close(ex[i], dx[i], exactTolerance), $"n = {n}: dx[{i}] = {dx[i]}, exact {ex[i]}");
            Assert.True(Close(ey[i], dy[i], exactTolerance), $"n = {n}: dy[{i}] = {dy[i]}, exact {ey[i]}");
            Assert.True(Close(Central(t => { var xp = (double[])x0.Clone(); xp[i] = t; return f(xp, y0, s); }, x0[i], h), dx[i], fdTolerance), $"n = {n}: dx[{i}] = {dx[i]} vs FD");
            Assert.True(Close(Central(t => { var yp = (double[])y0.Clone(); yp[i] = t; return f(x0, yp, s); }, y0[i], h), dy[i], fdTolerance), $"n = {n}: dy[{i}] = {dy[i]} vs FD");
        }
        Assert.True(Close(es, ds, exactTolerance), $"n = {n}: ds = {ds}, exact {es}");
        Assert.True(Close(Central(t => f(x0, y0, t), s, h), ds, fdTolerance), $"n = {n}: ds = {ds} vs FD");

        // The pullback adds seed · gradient into buffers that already hold 1.
        var ax = Enumerable.Repeat(1.0, n).ToArray();
        var ay = Enumerable.Repeat(1.0, n).ToArray();
        double aS = 1;
        Assert.True(Close(value, backward(x, y, s, 2.5, ax, ay, ref aS), 1e-12), "MBackward returns the value");
        for (int i = 0; i < n; i++)
        {
            Assert.True(Close(1 + 2.5 * dx[i], ax[i], 1e-12), $"backward dx[{i}]");
            Assert.True(Close(1 + 2.5 * dy[i], ay[i], 1e-12), $"backward dy[{i}]");
        }
        Assert.True(Close(1 + 2.5 * ds, aS, 1e-12), "backward ds");

        // Forward mode: ⟨∇f, v⟩ = MTangent along v (the dot-product test), and = the central difference along v.
        double[] vx = Random(n, 300 + n, -1, 1), vy = Random(n, 400 + n, -1, 1);
        const double vs = 0.37;
        Assert.True(Close(value, tangent(x, y, s, vx, vy, vs, out double jvp), 1e-12), "MTangent returns the value");
        double dot = Enumerable.Range(0, n).Sum(i => dx[i] * vx[i] + dy[i] * vy[i]) + ds * vs;
        Assert.True(Close(dot, jvp, 1e-10), $"n = {n}: tangent {jvp} vs ⟨gradient, v⟩ = {dot}");
        double along = Central(t => f(x0.Select((v, i) => v + t * vx[i]).ToArray(), y0.Select((v, i) => v + t * vy[i]).ToArray(), s + t * vs), 0, h);
        Assert.True(Close(along, jvp, fdTolerance), $"n = {n}: tangent {jvp} vs FD along v {along}");
    }

    private static double[] Zeros(double[] x) => new double[x.Length];

    // ---------------------------------------------------------------- Vector<double>

    [Theory, MemberData(nameof(DoubleLengths))]
    public void Dot_kernel_with_Vector_Sum(int n) => Check(n,
        (x, y, s) => V.Dot(x, y),
        (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return V.DotGradient(x, y, dx, dy); },
        (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => V.DotBackward(x, y, seed, dx, dy),
        (double[] x, double[] y, double s, double[] vx, double[] vy, double vs, out double t) => V.DotTangent(x, y, vx, vy, out t),
        (x, y, s) => ((double[])y.Clone(), (double[])x.Clone(), 0));

    [Theory, MemberData(nameof(DoubleLengths))]
    public void Dot_kernel_over_arrays_with_Vector_Dot(int n) => Check(n,
        (x, y, s) => V.DotOfArrays(x, y),
        (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return V.DotOfArraysGradient(x, y, dx, dy); },
        (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => V.DotOfArraysBackward(x, y, seed, dx, dy),
        (double[] x, double[] y, double s, double[] vx, double[] vy, double vs, out double t) => V.DotOfArraysTangent(x, y, vx, vy, out t),
        (x, y, s) => ((double[])y.Clone(), (double[])x.Clone(), 0));

    [Theory, MemberData(nameof(DoubleLengths))]
    public void Sum_of_squares(int n) => Check(n,
        (x, y, s) => V.SumOfSquares(x),
        (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return V.SumOfSquaresGradient(x, dx); },
        (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => V.SumOfSquaresBackward(x, seed, dx),
        (double[] x, double[] y, double s, double[] vx, double[] vy, double vs, out double t) => V.SumOfSquaresTangent(x, vx, out t),
        (x, y, s) => (x.Select(v => 2 * v).ToArray(), Zeros(y), 0));

    [Theory, MemberData(nameof(DoubleLengths))]
    public void Elementwise_map_stored_by_vectors(int n)
    {
        double[] w = Random(n, 7, -1, 1);
        Check(n,
            (x, y, s) => V.Map(x, w),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return V.MapGradient(x, w, dx); },
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => V.MapBackward(x, w, seed, dx),
            (double[] x, double[] y, double s, double[] vx, double[] vy, double vs, out double t) => V.MapTangent(x, w, vx, out t),
            (x, y, s) => (x.Select((v, i) => w[i] * (2 * v + 3)).ToArray(), Zeros(y), 0));
    }

    [Theory, MemberData(nameof(DoubleLengths))]
    public void Vector_and_scalar_mixed_with_a_taped_vector(int n)
    {
        // The exact gradient of Scaled, written out: per vector block k (lanes j), t_k = s·v − v/s + p_{k−1}/2,
        // p_k = −t_k, acc_k = acc_{k−1}·t_k; total = Σ_j acc_K + s·Σ_j p_K + s·Σ tail.
        (double[], double[], double) Exact(double[] x, double[] y, double s)
        {
            int c = Vector<double>.Count, blocks = x.Length / c;
            var dx = new double[x.Length];
            double ds = 0;
            for (int j = 0; j < c && blocks > 0; j++)
            {
                // Forward per lane, keeping t_k.
                var t = new double[blocks];
                double p = 0, acc = 1;
                for (int k = 0; k < blocks; k++)
                {
                    double v = x[k * c + j];
                    t[k] = s * v - v / s + 0.5 * p;
                    p = -t[k];
                    acc *= t[k];
                }
                // Reverse per lane: adjoints of acc_K = 1, p_K = s.
                double dAcc = 1, dP = s;
                ds += p;
                for (int k = blocks - 1; k >= 0; k--)
                {
                    double accBefore = 1;
                    for (int q = 0; q < k; q++) accBefore *= t[q];
                    double dT = dAcc * accBefore - dP;
                    dAcc *= t[k];
                    double v = x[k * c + j];
                    dx[k * c + j] = dT * (s - 1 / s);
                    ds += dT * (v + v / (s * s));
                    dP = 0.5 * dT;
                }
            }
            for (int i = blocks * c; i < x.Length; i++)
            {
                dx[i] = s;
                ds += x[i];
            }
            return (dx, new double[y.Length], ds);
        }
        Check(n,
            (x, y, s) => V.Scaled(x, s),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => V.ScaledGradient(x, s, dx, out ds),
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => V.ScaledBackward(x, s, seed, dx, ref ds),
            (double[] x, double[] y, double s, double[] vx, double[] vy, double vs, out double t) => V.ScaledTangent(x, s, vx, vs, out t),
            Exact, lo: 0.5, hi: 1.2, s: 1.3, fdTolerance: 1e-5);
    }

    [Theory, MemberData(nameof(DoubleLengths))]
    public void Sqrt_Abs_Max_Min_and_ConditionalSelect_lane_wise(int n)
    {
        (double[], double[], double) Exact(double[] x, double[] y, double s)
        {
            int blocked = x.Length / Vector<double>.Count * Vector<double>.Count;
            var dx = new double[x.Length];
            var dy = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                double v = x[i], w = y[i];
                if (i >= blocked)
                {
                    dx[i] = 1;
                    continue;
                }
                // √(v² + 1) + |w| + max(v, w)·min(v, w) + (v > 0 ? v : w/2); max·min = v·w whichever is larger.
                dx[i] = v / Math.Sqrt(v * v + 1) + w + (v > 0 ? 1 : 0);
                dy[i] = Math.Sign(w) + v + (v > 0 ? 0 : 0.5);
            }
            return (dx, dy, 0);
        }
        Check(n,
            (x, y, s) => V.Selections(x, y),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return V.SelectionsGradient(x, y, dx, dy); },
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => V.SelectionsBackward(x, y, seed, dx, dy),
            (double[] x, double[] y, double s, double[] vx, double[] vy, double vs, out double t) => V.SelectionsTangent(x, y, vx, vy, out t),
            Exact);
    }

    [Theory, MemberData(nameof(DoubleLengths))]
    public void Axpy_into_an_output_span(int n)
    {
        double[] x = Random(n, 11, -1, 1), y = Random(n, 12, -1, 1), v = Random(2 * n + 1, 13, -1, 1), seed = Random(n, 14, -1, 1);
        const double a = 0.8;
        var r = new double[n];
        V.Axpy(a, x, y, r);
        for (int i = 0; i < n; i++) Assert.Equal(a * x[i] + y[i], r[i], 12);

        // Forward: ṙ = ȧ·x + a·ẋ + ẏ.
        var rt = new double[n];
        var dr = new double[n];
        V.AxpyTangent(a, x, y, rt, v[2 * n], v.AsSpan(0, n), v.AsSpan(n, n), dr);
        Assert.Equal(r, rt);
        for (int i = 0; i < n; i++) Assert.True(Close(v[2 * n] * x[i] + a * v[i] + v[n + i], dr[i], 1e-12), $"dr[{i}]");

        // Reverse: da = Σ w·x, dx = a·w, dy = w; and the dot-product test ⟨w, ṙ⟩ = ⟨J^T w, v⟩.
        var rb = new double[n];
        var dx = new double[n];
        var dy = new double[n];
        double da = 0;
        V.AxpyBackward(a, x, y, rb, seed, ref da, dx, dy);
        Assert.Equal(r, rb);
        Assert.True(Close(Enumerable.Range(0, n).Sum(i => seed[i] * x[i]), da, 1e-12), "da");
        for (int i = 0; i < n; i++)
        {
            Assert.True(Close(a * seed[i], dx[i], 1e-12), $"dx[{i}]");
            Assert.True(Close(seed[i], dy[i], 1e-12), $"dy[{i}]");
        }
        double left = Enumerable.Range(0, n).Sum(i => seed[i] * dr[i]);
        double right = da * v[2 * n] + Enumerable.Range(0, n).Sum(i => dx[i] * v[i] + dy[i] * v[n + i]);
        Assert.True(Close(left, right, 1e-12), $"⟨w, Jv⟩ = {left} vs ⟨Jᵀw, v⟩ = {right}");
    }

    // ---------------------------------------------------------------- Vector<float>

    private static void CheckFloat(int n, Func<float[], float[], float, float> f,
        Func<float[], float[], float, float[], float[], (float Value, float Ds)> gradient,
        Func<float[], float[], float, float[], float[], (float Value, float Tangent)> tangent,
        Func<double[], double[], double, (double[] Dx, double[] Dy, double Ds)> exact)
    {
        float[] x = Random(n, 21 + n, -1.5, 1.5).Select(v => (float)v).ToArray(), y = Random(n, 22 + n, -1.5, 1.5).Select(v => (float)v).ToArray();
        const float s = 0.7f;
        var dx = new float[n];
        var dy = new float[n];
        var (value, ds) = gradient(x, y, s, dx, dy);
        Assert.Equal(f(x, y, s), value);
        var (ex, ey, es) = exact(x.Select(v => (double)v).ToArray(), y.Select(v => (double)v).ToArray(), s);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Close(ex[i], dx[i], 1e-5), $"n = {n}: dx[{i}] = {dx[i]}, exact {ex[i]}");
            Assert.True(Close(ey[i], dy[i], 1e-5), $"n = {n}: dy[{i}] = {dy[i]}, exact {ey[i]}");
            // Central differences in double over the float function, with a step float resolves.
            double fdx = Central(t => { var xp = (float[])x.Clone(); xp[i] = (float)t; return f(xp, y, s); }, x[i], 1e-2);
            Assert.True(Close(fdx, dx[i], 2e-3), $"n = {n}: dx[{i}] = {dx[i]} vs FD {fdx}");
        }
        Assert.True(Close(es, ds, 1e-4), $"ds = {ds}, exact {es}");
        float[] vx = Random(n, 31 + n, -1, 1).Select(v => (float)v).ToArray(), vy = Random(n, 32 + n, -1, 1).Select(v => (float)v).ToArray();
        var (tv, jvp) = tangent(x, y, s, vx, vy);
        Assert.Equal(value, tv);
        double dot = Enumerable.Range(0, n).Sum(i => (double)dx[i] * vx[i] + (double)dy[i] * vy[i]);
        Assert.True(Close(dot, jvp, 1e-4), $"n = {n}: tangent {jvp} vs ⟨gradient, v⟩ = {dot}");
    }

    [Theory, MemberData(nameof(FloatLengths))]
    public void Float_dot_kernel(int n) => CheckFloat(n,
        (x, y, s) => V.DotF(x, y),
        (x, y, s, dx, dy) => (V.DotFGradient(x, y, dx, dy), 0),
        (x, y, s, vx, vy) => (V.DotFTangent(x, y, vx, vy, out float t), t),
        (x, y, s) => ((double[])y.Clone(), (double[])x.Clone(), 0));

    [Theory, MemberData(nameof(FloatLengths))]
    public void Float_sum_of_squares_with_a_broadcast_scalar(int n) => CheckFloat(n,
        (x, y, s) => V.SumOfSquaresF(x, s),
        (x, y, s, dx, dy) => (V.SumOfSquaresFGradient(x, s, dx, out float ds), ds),
        (x, y, s, vx, vy) => (V.SumOfSquaresFTangent(x, s, vx, 0, out float t), t),
        (x, y, s) => (x.Select(v => 2 * s * s * v).ToArray(), new double[y.Length], x.Sum(v => 2 * s * v * v)));

    // ---------------------------------------------------------------- Vector256<double>, Vector128<double>

    [Theory, MemberData(nameof(Vector256Lengths))]
    public void Vector256_dot_kernel(int n) => Check(n,
        (x, y, s) => V.Dot256(x, y),
        (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => { ds = 0; return V.Dot256Gradient(x, y, dx, dy); },
        (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => V.Dot256Backward(x, y, seed, dx, dy),
        (double[] x, double[] y, double s, double[] vx, double[] vy, double vs, out double t) => V.Dot256Tangent(x, y, vx, vy, out t),
        (x, y, s) => ((double[])y.Clone(), (double[])x.Clone(), 0));

    [Theory, MemberData(nameof(Vector128Lengths))]
    public void Vector128_relu_stored_and_read_back(int n) => Check(n,
        (x, y, s) => V.Relu128(x, s),
        (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => V.Relu128Gradient(x, s, dx, out ds),
        (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => V.Relu128Backward(x, s, seed, dx, ref ds),
        (double[] x, double[] y, double s, double[] vx, double[] vy, double vs, out double t) => V.Relu128Tangent(x, s, vx, vs, out t),
        (x, y, s) =>
        {
            var dx = x.Select(v => v > s ? 2 * (v - s) : 0).ToArray();
            return (dx, new double[y.Length], -dx.Sum());
        },
        s: 0.2);
}
