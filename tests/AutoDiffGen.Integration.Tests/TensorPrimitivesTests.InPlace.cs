using System;
using System.Linq;
using F = AutoDiffGen.Integration.Tests.SpanPrimitives.TensorFunctions;
using G = AutoDiffGen.Integration.Tests.SpanPrimitives.TensorFunctionsSingle;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// The adjoints that update the seed in place, read their output, or copy both when the destination shares its array
/// with an input another way (SpanAdjointBuilder, ReverseModeTransform.Spans.cs), and the restores a fused loop keeps
/// or drops (ReverseModeTransform.Fusion.cs): exact values, central differences, the pullback, the dot-product test
/// with the tangent, double and float, lengths that are (16) and are not (1, 7) multiples of the vector width.
/// </summary>
public partial class TensorPrimitivesTests
{
    [Theory, MemberData(nameof(Lengths))]
    public void In_place_at_each_operand_position_with_the_other_operand_active(int n) =>
        // d = −(x·y + y² − x·y²)
        CheckBinary(n, F.InPlaceOperands, F.InPlaceOperandsGradient, F.InPlaceOperandsBackward, F.InPlaceOperandsTangent,
            (a, b) => (-(b - b * b), -(a + 2 * b - 2 * a * b)));

    [Theory]
    [InlineData(0, 7), InlineData(1, 7), InlineData(2, 1), InlineData(2, 16), InlineData(3, 7), InlineData(4, 16)]
    [InlineData(5, 1), InlineData(5, 7), InlineData(5, 16), InlineData(6, 7), InlineData(7, 16), InlineData(8, 7)]
    public void Unary_maps_in_place_then_scaled(int which, int n)
    {
        // d = s·op(s·x), read out through w; x > 0 where op needs it (Abs is then smooth at the sample).
        bool positive = which is 1 or 3 or 4;
        CheckScalar(n, (x, s, w) => F.InPlaceUnary(x, s, w, which),
            (x, s, w, dx) => (F.InPlaceUnaryGradient(x, s, w, which, dx, out double ds), ds),
            (x, s, w, seed, dx, ds) => (F.InPlaceUnaryBackward(x, s, w, which, seed, dx, ref ds), ds),
            (double[] x, double s, double[] w, ReadOnlySpan<double> vx, double vs, out double t) => F.InPlaceUnaryTangent(x, s, w, which, vx, vs, out t),
            (x, s) =>
            {
                double u = s * x, t = Math.Tanh(u), sigma = 1 / (1 + Math.Exp(-u));
                return which switch
                {
                    0 => (-s * s, -2 * s * x),
                    1 => (s * s * Math.Sign(x), 2 * s * Math.Abs(x)),
                    2 => (s * s * Math.Exp(u), Math.Exp(u) * (1 + u)),
                    3 => (s / x, Math.Log(u) + 1),
                    4 => (s * s / (2 * Math.Sqrt(u)), Math.Sqrt(u) + u / (2 * Math.Sqrt(u))),
                    5 => (s * s * (1 - t * t), t + u * (1 - t * t)),
                    6 => (s * s * sigma * (1 - sigma), sigma + u * sigma * (1 - sigma)),
                    7 => (s, x),
                    _ => (-s * s, 2 * s * (1 - x)),
                };
            }, positive ? 0.25 : -1.5, 2, 0.7);
    }

    [Theory, MemberData(nameof(Lengths))]
    public void SoftMax_in_place_then_scaled(int n)
    {
        double[] w = Weights(n);
        Check(n, (x, y, s) => F.InPlaceUnary(x, s, w, 9),
            (double[] x, double[] y, double s, Span<double> dx, Span<double> dy, out double ds) => F.InPlaceUnaryGradient(x, s, w, 9, dx, out ds),
            (double[] x, double[] y, double s, double seed, Span<double> dx, Span<double> dy, ref double ds) => F.InPlaceUnaryBackward(x, s, w, 9, seed, dx, ref ds),
            (double[] x, double[] y, double s, ReadOnlySpan<double> vx, ReadOnlySpan<double> vy, double vs, out double t) => F.InPlaceUnaryTangent(x, s, w, 9, vx, vs, out t),
            (x, y, s) =>
            {
                // f = s·w·p, p = softmax(s·x): ∂f/∂u_j = s·p_j·(w_j − w·p); ∂x_j = s·that; ∂s = w·p + Σ x_j·∂f/∂u_j.
                double max = x.Max(v => s * v);
                double[] e = x.Select(v => Math.Exp(s * v - max)).ToArray();
                double[] p = e.Select(v => v / e.Sum()).ToArray();
                double wp = p.Zip(w, (a, b) => a * b).Sum();
                double[] du = p.Select((v, j) => s * v * (w[j] - wp)).ToArray();
                return (du.Select(v => s * v).ToArray(), new double[n], wp + du.Select((v, j) => v * x[j]).Sum());
            });
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Views_of_one_array_as_source_and_destination(int n) =>
        // f = w·tanh(e) + w·e, e = exp(1.5x)
        CheckWeighted(n, F.ViewsOfOneArray, F.ViewsOfOneArrayGradient, F.ViewsOfOneArrayBackward, F.ViewsOfOneArrayTangent,
            (x, w) => x.Select((v, i) => { double e = Math.Exp(1.5 * v), t = Math.Tanh(e); return w[i] * 1.5 * e * (1 - t * t + 1); }).ToArray());

    [Theory, MemberData(nameof(Lengths))]
    public void An_output_read_in_reverse_comes_back_from_a_later_overwrite(int n) =>
        // f = w·eˣ + w·eˣ·x
        CheckWeighted(n, F.OutputOverwritten, F.OutputOverwrittenGradient, F.OutputOverwrittenBackward, F.OutputOverwrittenTangent,
            (x, w) => x.Select((v, i) => w[i] * Math.Exp(v) * (2 + v)).ToArray());

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 7)]
    [InlineData(2, 16)]
    public void Fused_rows_whose_buffer_restores_are_dropped(int rows, int n)
    {
        double[] m = Random(rows * n, 21, -1, 1), v = Random(n, 22, -1, 1), b = Random(n, 23, -0.5, 0.5), w = Weights(n);
        var dm = new double[m.Length];
        var dv = new double[n];
        var db = new double[n];
        double value = F.LayerRowsGradient(m, v, b, w, dm, dv, db);
        Assert.Equal(F.LayerRows(m, v, b, w), value, 12);
        var (em, ev, eb) = (new double[m.Length], new double[n], new double[n]);
        for (int r = 0; r < rows; r++)
        {
            // u = m_r ⊙ v + b, t = tanh u, p = softmax t, total += w·p
            double[] t = Enumerable.Range(0, n).Select(k => Math.Tanh(m[r * n + k] * v[k] + b[k])).ToArray();
            double max = t.Max();
            double[] e = t.Select(a => Math.Exp(a - max)).ToArray();
            double[] p = e.Select(a => a / e.Sum()).ToArray();
            double wp = p.Zip(w, (a, c) => a * c).Sum();
            for (int k = 0; k < n; k++)
            {
                double du = p[k] * (w[k] - wp) * (1 - t[k] * t[k]);
                em[r * n + k] = du * v[k];
                ev[k] += du * m[r * n + k];
                eb[k] += du;
            }
        }
        AssertClose(em, dm, "dm");
        AssertClose(ev, dv, "dv");
        AssertClose(eb, db, "db");
        AssertCentral(m, dm, a => F.LayerRows(a, v, b, w), "dm");
        AssertCentral(v, dv, a => F.LayerRows(m, a, b, w), "dv");
        AssertCentral(b, db, a => F.LayerRows(m, v, a, w), "db");
        double[] vm = Random(m.Length, 24, -1, 1), vv = Random(n, 25, -1, 1), vb = Random(n, 26, -1, 1);
        AssertTangent(value, F.LayerRowsTangent(m, v, b, w, vm, vv, vb, out double jvp), jvp, DotOf(dm, vm) + DotOf(dv, vv) + DotOf(db, vb),
            t => F.LayerRows(Along(m, vm, t), Along(v, vv, t), Along(b, vb, t), w));

        // The float twin against the double gradient.
        float[] fm = Single(m), fv = Single(v), fb = Single(b), fw = Single(w);
        var (gm, gv, gb) = (new float[m.Length], new float[n], new float[n]);
        Assert.Equal(G.LayerRowsF(fm, fv, fb, fw), G.LayerRowsFGradient(fm, fv, fb, fw, gm, gv, gb));
        var (xm, xv, xb) = (new double[m.Length], new double[n], new double[n]);
        F.LayerRowsGradient(fm.Select(a => (double)a).ToArray(), fv.Select(a => (double)a).ToArray(), fb.Select(a => (double)a).ToArray(), fw.Select(a => (double)a).ToArray(), xm, xv, xb);
        for (int i = 0; i < m.Length; i++) Assert.True(Close(xm[i], gm[i], 2e-4), $"float dm[{i}] = {gm[i]}, double {xm[i]}");
        for (int k = 0; k < n; k++) Assert.True(Close(xv[k], gv[k], 2e-4) && Close(xb[k], gb[k], 2e-4), $"float dv/db[{k}]");
    }

    [Theory]
    [InlineData(3, 7)]
    [InlineData(2, 16)]
    public void Fused_rows_keep_the_restores_their_reverse_reads(int rows, int n)
    {
        double[] m = Random(rows * n, 31, -1, 1), v = Random(n, 32, -1, 1), w = Weights(n);
        var dm = new double[m.Length];
        var dv = new double[n];
        double value = F.RowsRestoredInTheIterationGradient(m, v, w, dm, dv);
        Assert.Equal(F.RowsRestoredInTheIteration(m, v, w), value, 12);
        // total = Σ_r Σ_k w_k·exp(m_rk·v_k²)
        var (em, ev) = (new double[m.Length], new double[n]);
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < n; k++)
            {
                double e = w[k] * Math.Exp(m[r * n + k] * v[k] * v[k]);
                em[r * n + k] = e * v[k] * v[k];
                ev[k] += e * m[r * n + k] * 2 * v[k];
            }
        }
        AssertClose(em, dm, "dm");
        AssertClose(ev, dv, "dv");
        AssertCentral(m, dm, a => F.RowsRestoredInTheIteration(a, v, w), "dm");
        AssertCentral(v, dv, a => F.RowsRestoredInTheIteration(m, a, w), "dv");
        double[] vm = Random(m.Length, 34, -1, 1), vv = Random(n, 35, -1, 1);
        AssertTangent(value, F.RowsRestoredInTheIterationTangent(m, v, w, vm, vv, out double jvp), jvp, DotOf(dm, vm) + DotOf(dv, vv),
            t => F.RowsRestoredInTheIteration(Along(m, vm, t), Along(v, vv, t), w));
    }

    [Fact]
    public void Warm_gradient_of_fused_rows_allocates_only_what_the_method_does()
    {
        const int rows = 40, n = 16;
        double[] m = Random(rows * n, 41, -1, 1), v = Random(n, 42, -1, 1), b = Random(n, 43, -1, 1), w = Weights(n);
        var (dm, dv, db) = (new double[m.Length], new double[n], new double[n]);
        var (plain, gradient) = WarmBytes(() => F.LayerRows(m, v, b, w), () => F.LayerRowsGradient(m, v, b, w, dm, dv, db));
        Assert.True(plain > 0, "the method allocates its buffer");
        Assert.True(gradient == 10 * plain, "10 warm gradients allocated " + gradient + " bytes; the method itself allocates " + plain + " per call");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(16)]
    public void Float_in_place_operands_and_unary_maps(int n)
    {
        float[] w = Single(Weights(n));
        double[] wd = w.Select(v => (double)v).ToArray();
        CheckFloat(n, (x, y) => G.InPlaceOperandsF(x, y, w), (x, y, dx, dy) => G.InPlaceOperandsFGradient(x, y, w, dx, dy),
            (x, y, s, dx, dy) => G.InPlaceOperandsFBackward(x, y, w, s, dx, dy), (x, y, vx, vy, out t) => G.InPlaceOperandsFTangent(x, y, w, vx, vy, out t),
            (x, y, dx, dy) => F.InPlaceOperandsGradient(x, y, wd, dx, dy));
        for (int which = 0; which <= 9; which++)
        {
            int k = which;
            bool positive = k is 1 or 3 or 4;
            CheckFloat(n, (x, y) => G.InPlaceUnaryF(x, 0.7f, w, k), (x, y, dx, dy) => G.InPlaceUnaryFGradient(x, 0.7f, w, k, dx, out _),
                (x, y, s, dx, dy) => { float ds = 0; return G.InPlaceUnaryFBackward(x, 0.7f, w, k, s, dx, ref ds); },
                (x, y, vx, vy, out t) => G.InPlaceUnaryFTangent(x, 0.7f, w, k, vx, 0f, out t),
                (x, y, dx, dy) => F.InPlaceUnaryGradient(x, 0.7f, wd, k, dx, out _), lo: positive ? 0.25 : -1.5, hi: 2);
        }
    }

    private static void AssertClose(double[] expected, double[] actual, string name)
    {
        for (int i = 0; i < expected.Length; i++) Assert.True(Close(expected[i], actual[i], 1e-10), $"{name}[{i}] = {actual[i]}, exact {expected[i]}");
    }

    private static void AssertCentral(double[] at, double[] gradient, Func<double[], double> f, string name)
    {
        for (int i = 0; i < at.Length; i++)
        {
            double fd = Central(t => { var p = (double[])at.Clone(); p[i] = t; return f(p); }, at[i], 1e-6);
            Assert.True(Close(fd, gradient[i], 1e-5), $"{name}[{i}] = {gradient[i]} vs FD {fd}");
        }
    }
}
