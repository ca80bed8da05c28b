using System;
using System.Linq;
using System.Numerics;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// [Output] arrays and spans of structs of reals (Functions/StructArrayOutputs.cs, api.md v2, issue 10): MJacobian, MTangent
/// and MBackward over the outputs flattened element by element, then field by field, against exact Jacobians and central
/// finite differences, with the dot-product test (JacobianCheck); the seed is a <c>ReadOnlySpan&lt;S&gt;</c> and the tangent a
/// <c>Span&lt;S&gt;</c>. Also: wrong buffer lengths are ArgumentExceptions naming the buffer, and warm calls allocate nothing.
/// </summary>
public class StructArrayOutputTests
{
    private static double[][] At(int n, double lo = -1.2, double hi = 1.2, int count = 4) => Check.Points(n, lo, hi, count);

    private static double[] Flat(ReadOnlySpan<Point> v) => v.ToArray().SelectMany(e => new[] { e.X, e.Y }).ToArray();

    private static double[] Flat(ReadOnlySpan<Velocity> v) => v.ToArray().SelectMany(e => new[] { e.X, e.Y }).ToArray();

    private static double[] Flat(ReadOnlySpan<Body> v) => v.ToArray().SelectMany(e => new[] { e.Mass, e.Position.X, e.Position.Y }).ToArray();

    private static double[] Flat(ReadOnlySpan<Vector2> v) => v.ToArray().SelectMany(e => new double[] { e.X, e.Y }).ToArray();

    private static double[] Flat(ReadOnlySpan<Vector3> v) => v.ToArray().SelectMany(e => new double[] { e.X, e.Y, e.Z }).ToArray();

    private static Velocity[] Velocities(double[] x, int n) => Enumerable.Range(0, n).Select(i => new Velocity(x[2 * i], x[2 * i + 1])).ToArray();

    private static Point[] Points(double[] x, int n) => Enumerable.Range(0, n).Select(i => new Point(x[2 * i], x[2 * i + 1])).ToArray();

    private static Body[] Bodies(double[] x, int n) => Enumerable.Range(0, n).Select(i => new Body(x[3 * i], new Point(x[3 * i + 1], x[3 * i + 2]))).ToArray();

    private static Vector2[] V2s(double[] x, int at, int n) => Enumerable.Range(0, n).Select(i => new Vector2((float)x[at + 2 * i], (float)x[at + 2 * i + 1])).ToArray();

    private static Vector3[] V3s(double[] x, int n) => Enumerable.Range(0, n).Select(i => new Vector3((float)x[3 * i], (float)x[3 * i + 1], (float)x[3 * i + 2])).ToArray();

    /// <summary>Float code: its own round-off (1e-7) bounds the exact and finite-difference checks.</summary>
    private static void FullFloat(JacobianCheck.Companions companions, int outputs, double[][] points, Func<double[], double[,]> exact) =>
        JacobianCheck.Full(companions, outputs, points, exact, exactTolerance: 1e-5, fdTolerance: 2e-3, fdStep: 1e-2, dotProductTolerance: 1e-5);

    // ---------------------------------------------------------------- whole elements, user operators (double)

    private static JacobianCheck.Companions Step(int n) => new(
        x => { var r = new Velocity[n]; StructArrayOutputs.Step(Velocities(x, n), x[2 * n], r); return Flat(r); },
        x => { var r = new Velocity[n]; var J = new double[2 * n, 2 * n + 1]; StructArrayOutputs.StepJacobian(Velocities(x, n), x[2 * n], r, J); return (Flat(r), J); },
        (x, d) =>
        {
            var r = new Velocity[n];
            var dr = Enumerable.Repeat(new Velocity(9, 9), n).ToArray(); // overwritten, whatever it held
            StructArrayOutputs.StepTangent(Velocities(x, n), x[2 * n], r, Velocities(d, n), d[2 * n], dr);
            return (Flat(r), Flat(dr));
        },
        (x, w) =>
        {
            var r = new Velocity[n];
            var dv = new Velocity[n];
            double ddt = 0;
            StructArrayOutputs.StepBackward(Velocities(x, n), x[2 * n], r, Velocities(w, n), dv, ref ddt);
            return (Flat(r), Flat(dv).Append(ddt).ToArray());
        });

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Whole_elements_written_with_user_operators(int n)
    {
        // r[i] = v[i]·dt + v[i+1 mod n]·dt²: rows 2i (X), 2i + 1 (Y); columns v[k].X at 2k, v[k].Y at 2k + 1, dt last.
        double[,] Exact(double[] x)
        {
            double dt = x[2 * n];
            var J = new double[2 * n, 2 * n + 1];
            for (int i = 0; i < n; i++)
            {
                int next = (i + 1) % n;
                for (int f = 0; f < 2; f++)
                {
                    J[2 * i + f, 2 * i + f] += dt;
                    J[2 * i + f, 2 * next + f] += dt * dt;
                    J[2 * i + f, 2 * n] = x[2 * i + f] + 2 * dt * x[2 * next + f];
                }
            }
            return J;
        }
        JacobianCheck.Full(Step(n), 2 * n, At(2 * n + 1), Exact);
    }

    [Fact]
    public void MBackward_accumulates_into_the_input_adjoints_and_leaves_the_outputs_as_the_method_does()
    {
        double[] x = { 0.3, -0.7, 1.1, 0.4, 0.6 };
        Velocity[] v = Velocities(x, 2);
        var r = new Velocity[2];
        var dv = new[] { new Velocity(1, 2), new Velocity(3, 4) };
        double ddt = 5;
        StructArrayOutputs.StepBackward(v, 0.6, r, new[] { new Velocity(1, 0), new Velocity(0, 0) }, dv, ref ddt);
        var expected = new Velocity[2];
        StructArrayOutputs.Step(v, 0.6, expected);
        Assert.Equal(expected, r);
        // ∂r[0].X/∂v[0].X = dt, ∂r[0].X/∂v[1].X = dt², ∂r[0].X/∂dt = v[0].X + 2 dt v[1].X: added to what the adjoints held.
        Assert.Equal(1 + 0.6, dv[0].X, 14);
        Assert.Equal(2, dv[0].Y, 14);
        Assert.Equal(3 + 0.36, dv[1].X, 14);
        Assert.Equal(4, dv[1].Y, 14);
        Assert.Equal(5 + 0.3 + 2 * 0.6 * 1.1, ddt, 14);
    }

    // ---------------------------------------------------------------- field writes, nested struct, with (double)

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Mutable_record_struct_written_field_by_field_and_rebuilt_with_with(int n)
    {
        var place = new JacobianCheck.Companions(
            x => { var r = new Body[n]; StructArrayOutputs.Place(x.AsSpan(0, n), x[n], r); return Flat(r); },
            x => { var r = new Body[n]; var J = new double[3 * n, n + 1]; StructArrayOutputs.PlaceJacobian(x.AsSpan(0, n), x[n], r, J); return (Flat(r), J); },
            (x, d) => { var r = new Body[n]; var dr = new Body[n]; StructArrayOutputs.PlaceTangent(x.AsSpan(0, n), x[n], r, d.AsSpan(0, n), d[n], dr); return (Flat(r), Flat(dr)); },
            (x, w) => { var r = new Body[n]; var dm = new double[n]; double dg = 0; StructArrayOutputs.PlaceBackward(x.AsSpan(0, n), x[n], r, Bodies(w, n), dm, ref dg); return (Flat(r), dm.Append(dg).ToArray()); });
        // Mass = m² g, Position = (g m², sin m + g).
        double[,] Exact(double[] x)
        {
            double g = x[n];
            var J = new double[3 * n, n + 1];
            for (int i = 0; i < n; i++)
            {
                double m = x[i];
                J[3 * i, i] = 2 * m * g; J[3 * i, n] = m * m;
                J[3 * i + 1, i] = 2 * g * m; J[3 * i + 1, n] = m * m;
                J[3 * i + 2, i] = Math.Cos(m); J[3 * i + 2, n] = 1;
            }
            return J;
        }
        JacobianCheck.Full(place, 3 * n, At(n + 1), Exact);
    }

    [Fact]
    public void Readonly_record_struct_rebuilt_with_with_from_its_own_value()
    {
        const int n = 3;
        var polar = new JacobianCheck.Companions(
            x => { var r = new Point[n]; StructArrayOutputs.Polar(x.AsSpan(0, n), x[n], r); return Flat(r); },
            x => { var r = new Point[n]; var J = new double[2 * n, n + 1]; StructArrayOutputs.PolarJacobian(x.AsSpan(0, n), x[n], r, J); return (Flat(r), J); },
            (x, d) => { var r = new Point[n]; var dr = new Point[n]; StructArrayOutputs.PolarTangent(x.AsSpan(0, n), x[n], r, d.AsSpan(0, n), d[n], dr); return (Flat(r), Flat(dr)); },
            (x, w) => { var r = new Point[n]; var dradius = new double[n]; double dtheta = 0; StructArrayOutputs.PolarBackward(x.AsSpan(0, n), x[n], r, Points(w, n), dradius, ref dtheta); return (Flat(r), dradius.Append(dtheta).ToArray()); });
        double[,] Exact(double[] x)
        {
            var J = new double[2 * n, n + 1];
            for (int i = 0; i < n; i++)
            {
                double rho = x[i], a = x[n] * (i + 1);
                J[2 * i, i] = Math.Cos(a); J[2 * i, n] = -rho * (i + 1) * Math.Sin(a);
                J[2 * i + 1, i] = Math.Sin(a); J[2 * i + 1, n] = rho * (i + 1) * Math.Cos(a);
            }
            return J;
        }
        JacobianCheck.Full(polar, 2 * n, At(n + 1), Exact);
    }

    // ---------------------------------------------------------------- float: Vector2, Vector3

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Vector2_outputs_rotated_then_a_field_scaled_in_place_float(int n)
    {
        var rotate = new JacobianCheck.Companions(
            x => { var r = new Vector2[n]; StructArrayOutputs.Rotate((float)x[0], V2s(x, 1, n), r); return Flat(r); },
            x => { var r = new Vector2[n]; var J = new float[2 * n, 2 * n + 1]; StructArrayOutputs.RotateJacobian((float)x[0], V2s(x, 1, n), r, J); return (Flat(r), JacobianCheck.Widen(J)); },
            (x, d) => { var r = new Vector2[n]; var dr = new Vector2[n]; StructArrayOutputs.RotateTangent((float)x[0], V2s(x, 1, n), r, (float)d[0], V2s(d, 1, n), dr); return (Flat(r), Flat(dr)); },
            (x, w) =>
            {
                var r = new Vector2[n];
                float dangle = 0;
                var dv = new Vector2[n];
                StructArrayOutputs.RotateBackward((float)x[0], V2s(x, 1, n), r, V2s(w, 0, n), ref dangle, dv);
                return (Flat(r), Flat(dv).Prepend(dangle).ToArray());
            });
        // r.X = c vx − s vy, r.Y = (s vx + c vy)·vx; columns: angle, then v[k].X, v[k].Y.
        double[,] Exact(double[] x)
        {
            double a = (float)x[0], c = Math.Cos(a), s = Math.Sin(a);
            var J = new double[2 * n, 2 * n + 1];
            for (int i = 0; i < n; i++)
            {
                double vx = (float)x[1 + 2 * i], vy = (float)x[2 + 2 * i];
                J[2 * i, 0] = -s * vx - c * vy; J[2 * i, 1 + 2 * i] = c; J[2 * i, 2 + 2 * i] = -s;
                J[2 * i + 1, 0] = (c * vx - s * vy) * vx; J[2 * i + 1, 1 + 2 * i] = 2 * s * vx + c * vy; J[2 * i + 1, 2 + 2 * i] = c * vx;
            }
            return J;
        }
        FullFloat(rotate, 2 * n, At(2 * n + 1), Exact);
    }

    [Fact]
    public void Vector3_outputs_beside_a_returned_float_through_a_branch()
    {
        const int n = 3;
        var scale = new JacobianCheck.Companions(
            x => { var r = new Vector3[n]; float t = StructArrayOutputs.Scale(V3s(x, n), (float)x[3 * n], r); return Flat(r).Prepend(t).ToArray(); },
            x => { var r = new Vector3[n]; var J = new float[1 + 3 * n, 3 * n + 1]; float t = StructArrayOutputs.ScaleJacobian(V3s(x, n), (float)x[3 * n], r, J); return (Flat(r).Prepend(t).ToArray(), JacobianCheck.Widen(J)); },
            (x, d) =>
            {
                var r = new Vector3[n];
                var dr = new Vector3[n];
                float t = StructArrayOutputs.ScaleTangent(V3s(x, n), (float)x[3 * n], r, V3s(d, n), (float)d[3 * n], out float dt, dr);
                return (Flat(r).Prepend(t).ToArray(), Flat(dr).Prepend(dt).ToArray());
            },
            (x, w) =>
            {
                var r = new Vector3[n];
                var dp = new Vector3[n];
                float dk = 0;
                float t = StructArrayOutputs.ScaleBackward(V3s(x, n), (float)x[3 * n], r, (float)w[0], V3s(w.Skip(1).ToArray(), n), dp, ref dk);
                return (Flat(r).Prepend(t).ToArray(), Flat(dp).Append(dk).ToArray());
            });
        // r = (px k + [px py > 0] k, py k, px py k²); total = Σ |r[i]|. Row 0 the total, then r[i] at 1 + 3i.
        double[,] Exact(double[] x)
        {
            double k = (float)x[3 * n];
            var J = new double[1 + 3 * n, 3 * n + 1];
            for (int i = 0; i < n; i++)
            {
                double px = (float)x[3 * i], py = (float)x[3 * i + 1];
                bool shifted = px * py > 0;
                var rows = new double[3, 3 * n + 1];
                rows[0, 3 * i] = k; rows[0, 3 * n] = px + (shifted ? 1 : 0);
                rows[1, 3 * i + 1] = k; rows[1, 3 * n] = py;
                rows[2, 3 * i] = py * k * k; rows[2, 3 * i + 1] = px * k * k; rows[2, 3 * n] = 2 * px * py * k;
                double[] value = { px * k + (shifted ? k : 0), py * k, px * py * k * k };
                double length = Math.Sqrt(value.Sum(v => v * v));
                for (int f = 0; f < 3; f++)
                {
                    for (int c = 0; c <= 3 * n; c++)
                    {
                        J[1 + 3 * i + f, c] = rows[f, c];
                        J[0, c] += value[f] / length * rows[f, c];
                    }
                }
            }
            return J;
        }
        // Points away from px·py = 0 (the branch: taken where the signs agree) and from r = 0 (the length's kink).
        double[][] points = At(3 * n + 1, 0.3, 1.4, count: 2).Concat(At(3 * n + 1, -1.4, -0.3, count: 2))
            .Append(new[] { 0.5, -0.8, 0.3, -0.9, 0.6, 1.2, 0.7, 0.4, -0.5, 1.3 }).ToArray();
        FullFloat(scale, 1 + 3 * n, points, Exact);
    }

    [Fact]
    public void Complex_outputs_rebuilt_from_their_parts()
    {
        const int n = 3;
        static double[] FlatC(Complex[] c) => c.SelectMany(z => new[] { z.Real, z.Imaginary }).ToArray();
        static Complex[] Cs(double[] x) => Enumerable.Range(0, n).Select(i => new Complex(x[2 * i], x[2 * i + 1])).ToArray();
        var phasors = new JacobianCheck.Companions(
            x => { var r = new Complex[n]; StructArrayOutputs.Phasors(x.AsSpan(0, n), x[n], r); return FlatC(r); },
            x => { var r = new Complex[n]; var J = new double[2 * n, n + 1]; StructArrayOutputs.PhasorsJacobian(x.AsSpan(0, n), x[n], r, J); return (FlatC(r), J); },
            (x, d) => { var r = new Complex[n]; var dr = new Complex[n]; StructArrayOutputs.PhasorsTangent(x.AsSpan(0, n), x[n], r, d.AsSpan(0, n), d[n], dr); return (FlatC(r), FlatC(dr)); },
            (x, w) => { var r = new Complex[n]; var da = new double[n]; double domega = 0; StructArrayOutputs.PhasorsBackward(x.AsSpan(0, n), x[n], r, Cs(w), da, ref domega); return (FlatC(r), da.Append(domega).ToArray()); });
        // z = a e^{iθ}, θ = ω (i + 1); r = z (1 + Re z): Re r = x (1 + x), Im r = y (1 + x) with x = a cos θ, y = a sin θ.
        double[,] Exact(double[] v)
        {
            var J = new double[2 * n, n + 1];
            for (int i = 0; i < n; i++)
            {
                double a = v[i], t = v[n] * (i + 1), c = Math.Cos(t), s = Math.Sin(t), x = a * c, y = a * s;
                double dxda = c, dxdw = -a * s * (i + 1), dyda = s, dydw = a * c * (i + 1);
                J[2 * i, i] = (1 + 2 * x) * dxda; J[2 * i, n] = (1 + 2 * x) * dxdw;
                J[2 * i + 1, i] = dyda * (1 + x) + y * dxda; J[2 * i + 1, n] = dydw * (1 + x) + y * dxdw;
            }
            return J;
        }
        JacobianCheck.Full(phasors, 2 * n, At(n + 1), Exact);
    }

    [Fact]
    public void Output_filled_by_a_local_function_and_read_back_by_foreach()
    {
        const int n = 3;
        var fill = new JacobianCheck.Companions(
            x => { var r = new Point[n]; double s = StructArrayOutputs.Fill(x, r); return Flat(r).Prepend(s).ToArray(); },
            x => { var r = new Point[n]; var J = new double[1 + 2 * n, n]; double s = StructArrayOutputs.FillJacobian(x, r, J); return (Flat(r).Prepend(s).ToArray(), J); },
            (x, d) => { var r = new Point[n]; var dr = new Point[n]; double s = StructArrayOutputs.FillTangent(x, r, d, out double ds, dr); return (Flat(r).Prepend(s).ToArray(), Flat(dr).Prepend(ds).ToArray()); },
            (x, w) => { var r = new Point[n]; var dx = new double[n]; double s = StructArrayOutputs.FillBackward(x, r, w[0], Points(w.Skip(1).ToArray(), n), dx); return (Flat(r).Prepend(s).ToArray(), dx); });
        // r[i] = (x², eˣ), s = Σ x² eˣ.
        double[,] Exact(double[] x)
        {
            var J = new double[1 + 2 * n, n];
            for (int i = 0; i < n; i++)
            {
                double e = Math.Exp(x[i]);
                J[0, i] = (2 * x[i] + x[i] * x[i]) * e;
                J[1 + 2 * i, i] = 2 * x[i];
                J[2 + 2 * i, i] = e;
            }
            return J;
        }
        JacobianCheck.Full(fill, 1 + 2 * n, At(n), Exact);
    }

    // ---------------------------------------------------------------- with other outputs (declaration order)

    [Fact]
    public void Struct_array_output_after_a_double_array_and_an_out_scalar()
    {
        const int n = 2;
        // Outputs flattened: sums (n), product, pairs (2n).
        var split = new JacobianCheck.Companions(
            x => { var s = new double[n]; var q = new Point[n]; StructArrayOutputs.Split(x, s, out double p, q); return s.Append(p).Concat(Flat(q)).ToArray(); },
            x =>
            {
                var s = new double[n]; var q = new Point[n]; var J = new double[3 * n + 1, 2 * n];
                StructArrayOutputs.SplitJacobian(x, s, out double p, q, J);
                return (s.Append(p).Concat(Flat(q)).ToArray(), J);
            },
            (x, d) =>
            {
                var s = new double[n]; var q = new Point[n]; var ds = new double[n]; var dq = new Point[n];
                StructArrayOutputs.SplitTangent(x, s, out double p, q, d, ds, out double dp, dq);
                return (s.Append(p).Concat(Flat(q)).ToArray(), ds.Append(dp).Concat(Flat(dq)).ToArray());
            },
            (x, w) =>
            {
                var s = new double[n]; var q = new Point[n]; var dx = new double[2 * n];
                StructArrayOutputs.SplitBackward(x, s, out double p, q, w.AsSpan(0, n), w[n], Points(w.Skip(n + 1).ToArray(), n), dx);
                return (s.Append(p).Concat(Flat(q)).ToArray(), dx);
            });
        double[,] Exact(double[] x)
        {
            var J = new double[3 * n + 1, 2 * n];
            double product = 1;
            for (int i = 0; i < n; i++) product *= x[2 * i] - x[2 * i + 1];
            for (int i = 0; i < n; i++)
            {
                double a = x[2 * i], b = x[2 * i + 1];
                J[i, 2 * i] = b + 1; J[i, 2 * i + 1] = a - 1;                      // sums[i] = a b + a − b
                J[n, 2 * i] = product / (a - b); J[n, 2 * i + 1] = -product / (a - b); // product of (a − b)
                J[n + 1 + 2 * i, 2 * i] = b; J[n + 1 + 2 * i, 2 * i + 1] = a;        // pairs[i].X = a b
                J[n + 2 + 2 * i, 2 * i] = 1; J[n + 2 + 2 * i, 2 * i + 1] = -1;       // pairs[i].Y = a − b
            }
            return J;
        }
        // a − b away from 0 (the exact column divides by it).
        double[][] points = { new[] { 0.9, -0.4, 1.3, 0.2 }, new[] { -0.8, 0.5, 0.1, 1.2 }, new[] { 1.1, 0.3, -0.6, 0.7 } };
        JacobianCheck.Full(split, 3 * n + 1, points, Exact);
    }

    // ---------------------------------------------------------------- checks on entry, allocation

    [Fact]
    public void Wrong_seed_or_tangent_lengths_are_argument_exceptions_naming_the_buffer()
    {
        var v = new[] { new Velocity(1, 2), new Velocity(3, 4) };
        var r = new Velocity[2];
        double ddt = 0;
        var e = Assert.Throws<ArgumentException>(() => StructArrayOutputs.StepBackward(v, 0.5, r, new Velocity[3], new Velocity[2], ref ddt));
        Assert.Equal("dr", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => StructArrayOutputs.StepTangent(v, 0.5, r, new Velocity[2], 1, new Velocity[1]));
        Assert.Equal("dr", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => StructArrayOutputs.StepJacobian(v, 0.5, r, new double[4, 4]));
        Assert.Equal("jacobian", e.ParamName);
        var rv = new Vector2[2];
        float dangle = 0;
        e = Assert.Throws<ArgumentException>(() => StructArrayOutputs.RotateBackward(0.3f, new Vector2[2], rv, new Vector2[1], ref dangle, new Vector2[2]));
        Assert.Equal("dr", e.ParamName);
        // The output shares memory with an input array of the same struct: refused before anything is written.
        var shared = new Vector3[2];
        float dk = 0;
        e = Assert.Throws<ArgumentException>(() => StructArrayOutputs.ScaleBackward(shared, 2, shared, 1, new Vector3[2], new Vector3[2], ref dk));
        Assert.Equal("r", e.ParamName);
    }

    [Fact]
    public void Warm_companions_allocate_nothing()
    {
        var v = new[] { new Velocity(0.3, -0.2), new Velocity(0.5, 0.9), new Velocity(-0.4, 0.1) };
        var r = new Velocity[3];
        var seed = new[] { new Velocity(1, 0.5), new Velocity(-1, 2), new Velocity(0.3, 0.3) };
        var dv = new Velocity[3];
        var tangent = new Velocity[3];
        var J = new double[6, 7];
        var p = new[] { new Vector3(0.5f, 0.7f, -0.2f), new Vector3(-0.6f, -0.9f, 0.4f) };
        var rp = new Vector3[2];
        var seedp = new[] { new Vector3(1, -1, 0.5f), new Vector3(0.2f, 0.4f, -2) };
        var dp = new Vector3[2];
        var Jp = new float[7, 7];
        double ddt = 0;
        float dk = 0;
        void Run()
        {
            StructArrayOutputs.StepBackward(v, 0.7, r, seed, dv, ref ddt);
            StructArrayOutputs.StepTangent(v, 0.7, r, seed, 1, tangent);
            StructArrayOutputs.StepJacobian(v, 0.7, r, J);
            StructArrayOutputs.ScaleBackward(p, 1.5f, rp, 1, seedp, dp, ref dk);
            StructArrayOutputs.ScaleJacobian(p, 1.5f, rp, Jp);
        }
        for (int i = 0; i < 5; i++) Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
