using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Vector-valued methods (api.md "Outputs (v2)"): MBackward with a seed per output, MTangent with a tangent per output
/// and MJacobian, against exact Jacobians and central finite differences, with the dot-product test between them.
/// </summary>
public class OutputTests
{
    private static double[][] Points(int n, double lo, double hi, int count = 4) => Check.Points(n, lo, hi, count);

    // ---------------------------------------------------------------- two out scalars (api.md's Polar)

    private static readonly JacobianCheck.Companions Polar = new(
        p => { Outputs.Polar(p[0], p[1], out double x, out double y); return new[] { x, y }; },
        p => { var J = new double[2, 2]; Outputs.PolarJacobian(p[0], p[1], out double x, out double y, J); return (new[] { x, y }, J); },
        (p, v) => { Outputs.PolarTangent(p[0], p[1], out double x, out double y, v[0], v[1], out double dx, out double dy); return (new[] { x, y }, new[] { dx, dy }); },
        (p, w) => { double dr = 0, dt = 0; Outputs.PolarBackward(p[0], p[1], out double x, out double y, w[0], w[1], ref dr, ref dt); return (new[] { x, y }, new[] { dr, dt }); });

    [Fact]
    public void Out_scalars_polar_coordinates() =>
        JacobianCheck.Full(Polar, 2, Points(2, -2, 2), p => new[,] { { Math.Cos(p[1]), -p[0] * Math.Sin(p[1]) }, { Math.Sin(p[1]), p[0] * Math.Cos(p[1]) } });

    [Fact]
    public void Out_scalars_api_example_values()
    {
        var J = new double[2, 2];
        Outputs.PolarJacobian(2.0, 0.5, out double x, out double y, J);
        Assert.Equal(2 * Math.Cos(0.5), x);
        Assert.Equal(2 * Math.Sin(0.5), y);
        Outputs.PolarTangent(2.0, 0.5, out x, out y, 1.0, 0.0, out double dx, out double dy);
        Assert.Equal(J[0, 0], dx, 15);
        Assert.Equal(J[1, 0], dy, 15);
    }

    [Fact]
    public void MBackward_accumulates_into_the_adjoints_it_is_given()
    {
        double dr = 10, dt = -3;
        Outputs.PolarBackward(2.0, 0.5, out _, out _, 1.5, -0.5, ref dr, ref dt);
        Assert.Equal(10 + 1.5 * Math.Cos(0.5) - 0.5 * Math.Sin(0.5), dr, 14);
        Assert.Equal(-3 - 1.5 * 2 * Math.Sin(0.5) - 0.5 * 2 * Math.Cos(0.5), dt, 14);
    }

    // ---------------------------------------------------------------- residuals: a loop writing r[i]

    private static readonly double[] DataX = { 0.2, 0.7, 1.3, 2.1, 3.0 };
    private static readonly double[] DataY = { 0.3, 0.8, 1.2, 1.5, 1.7 };

    private static readonly JacobianCheck.Companions Residuals = new(
        p => { var r = new double[5]; Outputs.Residuals(p, DataX, DataY, r); return r; },
        p => { var r = new double[5]; var J = new double[5, 2]; Outputs.ResidualsJacobian(p, DataX, DataY, r, J); return (r, J); },
        (p, v) => { var r = new double[5]; var dr = new double[5]; dr.AsSpan().Fill(double.NaN); Outputs.ResidualsTangent(p, DataX, DataY, r, v, dr); return (r, dr); },
        (p, w) => { var r = new double[5]; var db = new double[2]; Outputs.ResidualsBackward(p, DataX, DataY, r, w, db); return (r, db); });

    [Fact]
    public void Output_span_written_in_a_loop() =>
        JacobianCheck.Full(Residuals, 5, Points(2, 0.3, 2.5), b =>
        {
            var J = new double[5, 2];
            for (int i = 0; i < 5; i++)
            {
                double e = Math.Exp(-b[1] * DataX[i]);
                J[i, 0] = -(1 - e);
                J[i, 1] = -b[0] * DataX[i] * e;
            }
            return J;
        });

    // ---------------------------------------------------------------- return value + out scalar + output array

    private static readonly JacobianCheck.Companions Mixed = new(
        p => { var r = new double[3]; double v = Outputs.Mixed(p[..3], p[3], out double s, r); return new[] { v, s }.Concat(r).ToArray(); },
        p => { var r = new double[3]; var J = new double[5, 4]; double v = Outputs.MixedJacobian(p[..3], p[3], out double s, r, J); return (new[] { v, s }.Concat(r).ToArray(), J); },
        (p, d) =>
        {
            var r = new double[3];
            var dr = new double[3];
            double v = Outputs.MixedTangent(p[..3], p[3], out double s, r, d.AsSpan(0, 3), d[3], out double dv, out double ds, dr);
            return (new[] { v, s }.Concat(r).ToArray(), new[] { dv, ds }.Concat(dr).ToArray());
        },
        (p, w) =>
        {
            var r = new double[3];
            var dw = new double[3];
            double da = 0;
            double v = Outputs.MixedBackward(p[..3], p[3], out double s, r, w[0], w[1], w.AsSpan(2, 3), dw, ref da);
            return (new[] { v, s }.Concat(r).ToArray(), dw.Append(da).ToArray());
        });

    /// <summary>The hand-derived Jacobian of <see cref="Outputs.Mixed"/> (rows: value, s, r0..r2; columns: w0..w2, a).</summary>
    private static double[,] MixedExact(double[] p)
    {
        double a = p[3];
        var J = new double[5, 4];
        double s = 0;
        var ds = new double[4];
        for (int i = 0; i < 3; i++)
        {
            double u = p[i] * a;
            double r = u > 1 ? Math.Sqrt(u) : u;
            double g = u > 1 ? 0.5 / Math.Sqrt(u) : 1;
            J[2 + i, i] = a * g;
            J[2 + i, 3] = p[i] * g;
            s += r * r;
            ds[i] += 2 * r * a * g;
            ds[3] += 2 * r * p[i] * g;
        }
        for (int j = 0; j < 4; j++)
        {
            J[1, j] = ds[j];
            J[0, j] = s > 10 ? ds[j] : a * ds[j] + (j == 3 ? s : 0);
        }
        return J;
    }

    [Fact]
    public void Return_value_out_scalar_and_output_array_with_branches_and_early_return()
    {
        // Both sides of the branch on r[i] > 1 and of the early return (s > 10) are taken across these points.
        double[][] points = Points(4, -1.5, 1.5).Concat(new[]
        {
            new[] { 0.5, 2.0, -0.7, 1.3 },
            new[] { 3.0, 2.5, 4.0, 2.0 },
            new[] { 0.2, -0.4, 0.9, 0.6 },
        }).ToArray();
        JacobianCheck.Full(Mixed, 5, points, MixedExact);
    }

    // ---------------------------------------------------------------- a call of a scalar-valued helper; more inputs than outputs

    private static readonly JacobianCheck.Companions Layer = new(
        p => { var h = new double[4]; Outputs.Layer(p.AsSpan(0, 4), p[4], h); return h; },
        p => { var h = new double[4]; var J = new double[4, 5]; Outputs.LayerJacobian(p.AsSpan(0, 4), p[4], h, J); return (h, J); },
        (p, v) => { var h = new double[4]; var dh = new double[4]; Outputs.LayerTangent(p.AsSpan(0, 4), p[4], h, v.AsSpan(0, 4), v[4], dh); return (h, dh); },
        (p, w) => { var h = new double[4]; var dx = new double[4]; double db = 0; Outputs.LayerBackward(p.AsSpan(0, 4), p[4], h, w, dx, ref db); return (h, dx.Append(db).ToArray()); });

    [Fact]
    public void Vector_valued_method_calling_a_scalar_valued_helper() =>
        JacobianCheck.Full(Layer, 4, Points(5, -2, 2), p =>
        {
            var J = new double[4, 5];
            for (int i = 0; i < 4; i++)
            {
                double sigma = 1 / (1 + Math.Exp(-(p[i] + p[4])));
                J[i, i] += sigma + p[(i + 1) % 4];
                J[i, (i + 1) % 4] += p[i];
                J[i, 4] = sigma;
            }
            return J;
        });

    // ---------------------------------------------------------------- early exit from a loop, out scalars only

    private static readonly JacobianCheck.Companions FirstAbove = new(
        p => { Outputs.FirstAbove(p, 1.0, out double v, out double s); return new[] { v, s }; },
        p => { var J = new double[2, 4]; Outputs.FirstAboveJacobian(p, 1.0, out double v, out double s, J); return (new[] { v, s }, J); },
        (p, d) => { Outputs.FirstAboveTangent(p, 1.0, out double v, out double s, d, out double dv, out double ds); return (new[] { v, s }, new[] { dv, ds }); },
        (p, w) => { var dx = new double[4]; Outputs.FirstAboveBackward(p, 1.0, out double v, out double s, w[0], w[1], dx); return (new[] { v, s }, dx); });

    [Fact]
    public void Early_exit_from_a_loop_with_out_scalars() =>
        JacobianCheck.Full(FirstAbove, 2, new[]
        {
            new[] { 0.2, 0.7, 1.5, 0.3 },
            new[] { 1.2, 0.1, 0.4, 2.0 },
            new[] { 0.2, 0.5, 0.3, 0.9 },
        }, p =>
        {
            var J = new double[2, 4];
            int k = Array.FindIndex(p, v => v > 1.0);
            if (k < 0)
            {
                J[1, 0] = p[3];
                J[1, 3] += p[0];
                return J;
            }
            J[0, k] = 2 * p[k];
            J[1, k] = 2 * p[k] * (k + 1);
            J[1, 0] += 1;
            return J;
        });

    // ---------------------------------------------------------------- an output read back and rewritten in a later loop

    private static readonly JacobianCheck.Companions Rewritten = new(
        p => { var r = new double[3]; double t = Outputs.Rewritten(p, r); return r.Prepend(t).ToArray(); },
        p => { var r = new double[3]; var J = new double[4, 3]; double t = Outputs.RewrittenJacobian(p, r, J); return (r.Prepend(t).ToArray(), J); },
        (p, d) => { var r = new double[3]; var dr = new double[3]; double t = Outputs.RewrittenTangent(p, r, d, out double dt, dr); return (r.Prepend(t).ToArray(), dr.Prepend(dt).ToArray()); },
        (p, w) => { var r = new double[3]; var dx = new double[3]; double t = Outputs.RewrittenBackward(p, r, w[0], w.AsSpan(1), dx); return (r.Prepend(t).ToArray(), dx); });

    [Fact]
    public void Output_read_back_and_rewritten_keeps_its_final_values() =>
        JacobianCheck.Full(Rewritten, 4, Points(3, -1.2, 1.2));

    // ---------------------------------------------------------------- an output restored by the reverse sweep, its final values kept aside

    private static readonly JacobianCheck.Companions Staged = new(
        p => { var r = new double[3]; double e = Outputs.Staged(p, r); return r.Prepend(e).ToArray(); },
        p => { var r = new double[3]; var J = new double[4, 3]; double e = Outputs.StagedJacobian(p, r, J); return (r.Prepend(e).ToArray(), J); },
        (p, d) => { var r = new double[3]; var dr = new double[3]; double e = Outputs.StagedTangent(p, r, d, out double de, dr); return (r.Prepend(e).ToArray(), dr.Prepend(de).ToArray()); },
        (p, w) => { var r = new double[3]; var dx = new double[3]; double e = Outputs.StagedBackward(p, r, w[0], w.AsSpan(1), dx); return (r.Prepend(e).ToArray(), dx); });

    /// <summary>
    /// The reverse sweep of Staged writes old values back into r (SquaredNormBackward reads r as it was at the call), so
    /// MBackward and MJacobian keep r's final values aside and copy them back: every companion leaves r as Staged does
    /// (JacobianCheck compares the outputs of all of them with Staged's), and the Jacobian is exact.
    /// </summary>
    [Fact]
    public void Output_restored_by_the_reverse_sweep_is_given_back_with_its_final_values() =>
        JacobianCheck.Full(Staged, 4, Points(3, -1.2, 1.2), x =>
        {
            // e = Σ x⁴, r_i = x_i²·e + x_i: ∂e/∂x_j = 4x_j³, ∂r_i/∂x_j = 2x_i·e·δij + x_i²·4x_j³ + δij.
            double e = x.Sum(v => v * v * v * v);
            var J = new double[4, 3];
            for (int j = 0; j < 3; j++)
            {
                J[0, j] = 4 * x[j] * x[j] * x[j];
                for (int i = 0; i < 3; i++) J[1 + i, j] = x[i] * x[i] * 4 * x[j] * x[j] * x[j] + (i == j ? 2 * x[i] * e + 1 : 0);
            }
            return J;
        });

    // ---------------------------------------------------------------- float

    [Fact]
    public void Float_outputs_rotation()
    {
        var companions = new JacobianCheck.Companions(
            p => { var r = new float[2]; Outputs.Rotate((float)p[0], F(p[1..]), r); return D(r); },
            p => { var r = new float[2]; var J = new float[2, 3]; Outputs.RotateJacobian((float)p[0], F(p[1..]), r, J); return (D(r), JacobianCheck.Widen(J)); },
            (p, v) => { var r = new float[2]; var dr = new float[2]; Outputs.RotateTangent((float)p[0], F(p[1..]), r, (float)v[0], F(v[1..]), dr); return (D(r), D(dr)); },
            (p, w) =>
            {
                var r = new float[2];
                float da = 0;
                var dv = new float[2];
                Outputs.RotateBackward((float)p[0], F(p[1..]), r, F(w), ref da, dv);
                return (D(r), new[] { (double)da, dv[0], dv[1] });
            });
        // Points exactly representable in float, so the float method and the double reference see the same inputs.
        double[][] points = Points(3, -2, 2).Select(p => p.Select(v => (double)(float)v).ToArray()).ToArray();
        // Float round-off (and finite differences of a float function) bound the tolerances; the dot-product test is in double over float values.
        JacobianCheckFloat(companions, points);
    }

    private static void JacobianCheckFloat(JacobianCheck.Companions companions, double[][] points)
    {
        foreach (double[] p in points)
        {
            var (_, J) = companions.Jacobian(p);
            double c = Math.Cos(p[0]), s = Math.Sin(p[0]);
            var exact = new[,] { { -s * p[1] - c * p[2], c, -s }, { c * p[1] - s * p[2], s, c } };
            double[,] fd = FiniteDifferences(p);
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    Check.Close(exact[i, j], J[i, j], 1e-5, $"exact J[{i}, {j}] (float)", p);
                    Check.Close(fd[i, j], J[i, j], 1e-6, $"finite-difference J[{i}, {j}] (float)", p);
                    double[] unit = Enumerable.Range(0, 3).Select(k => k == j ? 1.0 : 0.0).ToArray();
                    Check.Close(J[i, j], companions.Tangent(p, unit).Tangent[i], 1e-6, "MTangent column (float)", p);
                    double[] seed = Enumerable.Range(0, 2).Select(k => k == i ? 1.0 : 0.0).ToArray();
                    Check.Close(J[i, j], companions.Backward(p, seed).Adjoint[j], 1e-6, "MBackward row (float)", p);
                }
            }
        }

        // Central differences of the same computation in double (the float method's own differences are round-off).
        static double[,] FiniteDifferences(double[] p) => JacobianCheck.FiniteDifferenceJacobian(q =>
        {
            double c = Math.Cos(q[0]), s = Math.Sin(q[0]);
            return new[] { c * q[1] - s * q[2], s * q[1] + c * q[2] };
        }, p, 2);
    }

    private static float[] F(double[] values) => values.Select(v => (float)v).ToArray();

    private static double[] D(float[] values) => values.Select(v => (double)v).ToArray();

    // ---------------------------------------------------------------- checks on entry

    [Fact]
    public void Wrong_shapes_and_aliased_buffers_are_argument_exceptions()
    {
        var J = new double[4, 2];
        var e = Assert.Throws<ArgumentException>(() => Outputs.ResidualsJacobian(new[] { 1.0, 0.5 }, DataX, DataY, new double[5], J));
        Assert.Equal("jacobian", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Outputs.ResidualsBackward(new[] { 1.0, 0.5 }, DataX, DataY, new double[5], new double[4], new double[2]));
        Assert.Equal("dr", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Outputs.ResidualsTangent(new[] { 1.0, 0.5 }, DataX, DataY, new double[5], new double[2], new double[3]));
        Assert.Equal("dr", e.ParamName);
        var shared = new double[4];
        e = Assert.Throws<ArgumentException>(() => Outputs.LayerBackward(shared, 0.1, shared, new double[4], new double[4], ref Unused));
        Assert.Equal("h", e.ParamName);
    }

    private static double Unused;

    [Fact]
    public void MJacobian_allocates_nothing_once_warm()
    {
        var b = new[] { 1.0, 0.5 };
        var r = new double[5];
        var J = new double[5, 2];
        var x = new double[4] { 0.1, 0.2, 0.3, 0.4 };
        var h = new double[4];
        var JL = new double[4, 5];
        Outputs.ResidualsJacobian(b, DataX, DataY, r, J);
        Outputs.LayerJacobian(x, 0.2, h, JL);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 10; k++)
        {
            Outputs.ResidualsJacobian(b, DataX, DataY, r, J);   // forward sweeps (2 inputs, 5 outputs)
            Outputs.LayerJacobian(x, 0.2, h, JL);               // reverse sweeps (5 inputs, 4 outputs)
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Scalar_valued_methods_keep_their_companions_and_get_no_MJacobian()
    {
        Assert.NotNull(typeof(Outputs).GetMethod(nameof(Outputs.Softplus) + "Gradient"));
        Assert.Null(typeof(Outputs).GetMethod(nameof(Outputs.Softplus) + "Jacobian"));
        Assert.Null(typeof(Outputs).GetMethod(nameof(Outputs.Polar) + "Gradient"));
    }

    [Fact]
    public void A_helper_over_a_hand_written_backward_gets_a_Jacobian_from_reverse_sweeps_alone()
    {
        // a = s(xy)·xy with s = softplus, b = x − y²: ∂a/∂x = y·g, ∂a/∂y = x·g with g = σ(xy)·xy + s(xy).
        Assert.Null(typeof(ThroughBackwardOnly).GetMethod(nameof(ThroughBackwardOnly.Pair) + "Tangent"));
        foreach (double[] p in Points(2, -1.5, 1.5))
        {
            double x = p[0], y = p[1], u = x * y, g = u / (1 + Math.Exp(-u)) + Math.Log(1 + Math.Exp(u));
            var J = new double[2, 2];
            ThroughBackwardOnly.PairJacobian(x, y, out double a, out double b, J);
            ThroughBackwardOnly.Pair(x, y, out double ea, out double eb);
            Assert.Equal(ea, a);
            Assert.Equal(eb, b);
            double[,] exact = { { y * g, x * g }, { 1, -2 * y } };
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    Assert.Equal(exact[i, j], J[i, j], 12);
                    const double h = 1e-6;
                    double Output(double[] q) { ThroughBackwardOnly.Pair(q[0], q[1], out double qa, out double qb); return i == 0 ? qa : qb; }
                    double[] plus = (double[])p.Clone(), minus = (double[])p.Clone();
                    plus[j] += h; minus[j] -= h;
                    Assert.True(Math.Abs((Output(plus) - Output(minus)) / (2 * h) - J[i, j]) < 1e-6, $"J[{i}, {j}] at ({x}, {y})");
                }
            }
        }
    }
}
