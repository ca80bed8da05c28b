using System;
using System.Linq;
using System.Numerics;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;
using AutoDiffGen.Runtime;
using Companions = AutoDiffGen.Integration.Tests.Infrastructure.FlattenedCheck.Companions;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Arrays and spans of structs of reals (Functions/StructArrays.cs, api.md v2): each method over its inputs flattened per
/// api.md (elements in order, each element's fields in flattening order, then the scalars), against the exact gradient (the
/// method re-run on dual numbers, independent of the generator) and central finite differences; MGradient (the gradient is a
/// Span of the same struct, overwritten), MBackward (accumulates into preset gradient elements), MTangent along unit and random
/// directions against the exact gradient and, as the dot-product test, against the reverse mode's own gradient.
/// </summary>
public class StructArrayTests
{
    /// <summary>Vector3 members are expanded into scalar float code, which may round differently in the last bit: float values are close, not equal.</summary>
    private static void Verify(Companions c, double[][] points, bool isFloat = false) =>
        FlattenedCheck.Verify(c, points, isFloat, valueTolerance: isFloat ? 1e-5 : 0, strict: true);

    // ---------------------------------------------------------------- flattening helpers (api.md: elements, then fields)

    private static Vector3[] V3s(double[] x, int count) =>
        Enumerable.Range(0, count).Select(i => new Vector3((float)x[3 * i], (float)x[3 * i + 1], (float)x[3 * i + 2])).ToArray();

    private static double[] Flat(ReadOnlySpan<Vector3> v) => v.ToArray().SelectMany(e => new double[] { e.X, e.Y, e.Z }).ToArray();

    private static Point[] Points2(double[] x, int count) => Enumerable.Range(0, count).Select(i => new Point(x[2 * i], x[2 * i + 1])).ToArray();

    private static double[] Flat(ReadOnlySpan<Point> v) => v.ToArray().SelectMany(e => new[] { e.X, e.Y }).ToArray();

    private static double[][] At(int n, double lo = -1.2, double hi = 1.2, int count = 4) => Check.Points(n, lo, hi, count);

    // ---------------------------------------------------------------- Vector3[] (float)

    private static Dual SpringExact(Dual[] d, int n)
    {
        Dual e = 0, k = d[3 * n];
        for (int i = 0; i + 1 < n; i++)
        {
            Dual dx = d[3 * i + 3] - d[3 * i], dy = d[3 * i + 4] - d[3 * i + 1], dz = d[3 * i + 5] - d[3 * i + 2];
            e = e + k * (dx * dx + dy * dy + dz * dz);
        }
        return e;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Vector3_array_spring_chain_float(int n) =>
        Verify(new Companions(
            x => StructArrays.SpringEnergy(V3s(x, n), (float)x[3 * n]),
            x =>
            {
                var dp = new Vector3[n];
                float v = StructArrays.SpringEnergyGradient(V3s(x, n), (float)x[3 * n], dp, out float dk);
                return (v, Flat(dp).Append(dk).ToArray());
            },
            (x, seed, preset) =>
            {
                Vector3[] dp = Enumerable.Repeat(new Vector3((float)preset), n).ToArray();
                float dk = (float)preset;
                float v = StructArrays.SpringEnergyBackward(V3s(x, n), (float)x[3 * n], (float)seed, dp, ref dk);
                return (v, Flat(dp).Append(dk).ToArray());
            },
            d => SpringExact(d, n),
            (x, v) => (StructArrays.SpringEnergyTangent(V3s(x, n), (float)x[3 * n], V3s(v, n), (float)v[3 * n], out float t), t)),
            At(3 * n + 1), isFloat: true);

    [Fact]
    public void MGradient_overwrites_the_gradient_elements()
    {
        Vector3[] p = { new(1, 2, 3), new(0.5f, -1, 2) };
        var dp = new[] { new Vector3(99), new Vector3(-7) };
        StructArrays.SpringEnergyGradient(p, 2f, dp, out float dk);
        // e = k |p1 - p0|²: ∂e/∂p1 = 2k (p1 - p0) = -∂e/∂p0.
        Vector3 expected = 2 * 2f * (p[1] - p[0]);
        Assert.Equal(-expected, dp[0]);
        Assert.Equal(expected, dp[1]);
        Assert.Equal((p[1] - p[0]).LengthSquared(), dk, 5);
    }

    [Fact]
    public void A_gradient_buffer_of_the_wrong_length_is_an_ArgumentException_naming_it()
    {
        var error = Assert.Throws<ArgumentException>(() => StructArrays.SpringEnergyGradient(new Vector3[3], 1f, new Vector3[2], out _));
        Assert.Equal("dp", error.ParamName);
        Assert.Throws<ArgumentException>(() => StructArrays.SpringEnergyTangent(new Vector3[3], 1f, new Vector3[4], 0f, out _));
    }

    [Fact]
    public void A_null_array_fails_as_the_method_does()
    {
        Assert.Throws<NullReferenceException>(() => StructArrays.SpringEnergy(null!, 1f));
        Assert.Throws<NullReferenceException>(() => StructArrays.SpringEnergyGradient(null!, 1f, Span<Vector3>.Empty, out _));
    }

    [Fact]
    public void A_warm_call_allocates_nothing()
    {
        Vector3[] p = Enumerable.Range(0, 50).Select(i => new Vector3(i, 0.5f * i, 1)).ToArray();
        var dp = new Vector3[p.Length];
        var tangent = Enumerable.Repeat(Vector3.One, p.Length).ToArray();
        var points = Enumerable.Range(0, 50).Select(i => new Point(i, -i)).ToArray();
        var dpoints = new Point[points.Length];
        void Run()
        {
            StructArrays.SpringEnergyGradient(p, 2f, dp, out _);
            float dk = 0;
            StructArrays.SpringEnergyBackward(p, 2f, 1f, dp, ref dk);
            StructArrays.SpringEnergyTangent(p, 2f, tangent, 1f, out _);
            StructArrays.PointProductsGradient(points, 0.5, dpoints, out _);
        }
        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // ---------------------------------------------------------------- ReadOnlySpan<Point> (a readonly record struct)

    private static Dual PointProductsExact(Dual[] d, int n)
    {
        Dual s = 0, w = d[2 * n];
        for (int i = 0; i < n; i++) s = s + d[2 * i] * d[2 * i + 1];
        for (int i = 0; i < n; i++) s = s + w * Dual.Sqrt(d[2 * i] * d[2 * i] + d[2 * i + 1] * d[2 * i + 1]);
        return s + Dual.Sin(d[2 * n - 2]) * d[2 * n - 1];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void ReadOnlySpan_of_a_readonly_record_struct_with_foreach_and_a_whole_element(int n) =>
        Verify(new Companions(
            x => StructArrays.PointProducts(Points2(x, n), x[2 * n]),
            x =>
            {
                var dp = new Point[n];
                double v = StructArrays.PointProductsGradient(Points2(x, n), x[2 * n], dp, out double dw);
                return (v, Flat(dp).Append(dw).ToArray());
            },
            (x, seed, preset) =>
            {
                Point[] dp = Enumerable.Repeat(new Point(preset, preset), n).ToArray();
                double dw = preset;
                double v = StructArrays.PointProductsBackward(Points2(x, n), x[2 * n], seed, dp, ref dw);
                return (v, Flat(dp).Append(dw).ToArray());
            },
            d => PointProductsExact(d, n),
            (x, v) => (StructArrays.PointProductsTangent(Points2(x, n), x[2 * n], Points2(v, n), v[2 * n], out double t), t)),
            At(2 * n + 1, 0.3, 1.5));

    // ---------------------------------------------------------------- Span<Body>: a mutable record struct with a nested struct

    private static Body[] Bodies(double[] x, int n) => Enumerable.Range(0, n).Select(i => new Body(x[3 * i], new Point(x[3 * i + 1], x[3 * i + 2]))).ToArray();

    private static double[] Flat(Body[] b) => b.SelectMany(e => new[] { e.Mass, e.Position.X, e.Position.Y }).ToArray();

    private static Dual KineticExact(Dual[] d, int n)
    {
        Dual e = 0, ux = d[3 * n], uy = d[3 * n + 1];
        for (int i = 0; i < n; i++)
        {
            Dual m = d[3 * i], px = d[3 * i + 1], py = d[3 * i + 2];
            Dual vx = ux * px, vy = uy + py;
            e = e + 0.5 * m * (vx * vx + vy * vy) + (px * px + py * py);
        }
        return e;
    }

    [Fact]
    public void Span_of_a_mutable_record_struct_with_a_nested_struct_and_an_in_Vector2()
    {
        const int n = 3;
        // Vector2 is float: its two inputs are rounded to float before the method sees them.
        static Vector2 U(double[] x) => new((float)x[3 * n], (float)x[3 * n + 1]);
        Verify(new Companions(
            x => StructArrays.Kinetic(Bodies(x, n), U(x)),
            x =>
            {
                var db = new Body[n];
                double v = StructArrays.KineticGradient(Bodies(x, n), U(x), db, out Vector2 du);
                return (v, Flat(db).Append(du.X).Append(du.Y).ToArray());
            },
            (x, seed, preset) =>
            {
                Body[] db = Enumerable.Repeat(new Body(preset, new Point(preset, preset)), n).ToArray();
                Vector2 du = new((float)preset);
                double v = StructArrays.KineticBackward(Bodies(x, n), U(x), seed, db, ref du);
                return (v, Flat(db).Append(du.X).Append(du.Y).ToArray());
            },
            d => KineticExact(d.Select((v, i) => i >= 3 * n ? new Dual((float)v.V, v.D) : v).ToArray(), n),
            (x, v) => (StructArrays.KineticTangent(Bodies(x, n), U(x), Bodies(v, n), U(v), out double t), t)),
            At(3 * n + 2).Select(p => p.Select((v, i) => i >= 3 * n ? (double)(float)v : v).ToArray()).ToArray(), isFloat: true);
    }

    // ---------------------------------------------------------------- Complex[]: parts that cannot be set in place

    private static Complex[] Zs(double[] x, int n) => Enumerable.Range(0, n).Select(i => new Complex(x[2 * i], x[2 * i + 1])).ToArray();

    private static double[] Flat(Complex[] z) => z.SelectMany(e => new[] { e.Real, e.Imaginary }).ToArray();

    private static Dual ComplexSumExact(Dual[] d, int n)
    {
        Dual sr = 0, si = 0, t = d[2 * n];
        for (int i = 0; i < n; i++)
        {
            Dual a = d[2 * i], b = d[2 * i + 1];
            Dual e = Dual.Exp(a / 4);
            sr = sr + (a * a - b * b) * t + e * Dual.Cos(b / 4);
            si = si + 2 * a * b * t + e * Dual.Sin(b / 4);
        }
        return sr + 0.5 * si;
    }

    [Fact]
    public void Complex_array_with_operators_and_Exp() =>
        Verify(new Companions(
            x => StructArrays.ComplexSum(Zs(x, 3), x[6]),
            x =>
            {
                var dz = new Complex[3];
                double v = StructArrays.ComplexSumGradient(Zs(x, 3), x[6], dz, out double dt);
                return (v, Flat(dz).Append(dt).ToArray());
            },
            (x, seed, preset) =>
            {
                Complex[] dz = Enumerable.Repeat(new Complex(preset, preset), 3).ToArray();
                double dt = preset;
                double v = StructArrays.ComplexSumBackward(Zs(x, 3), x[6], seed, dz, ref dt);
                return (v, Flat(dz).Append(dt).ToArray());
            },
            d => ComplexSumExact(d, 3),
            (x, v) => (StructArrays.ComplexSumTangent(Zs(x, 3), x[6], Zs(v, 3), v[6], out double t), t)),
            At(7));

    // ---------------------------------------------------------------- local arrays of structs, written

    private static Dual SmoothedExact(Dual[] d, int n)
    {
        Dual alpha = d[2 * n];
        var qx = new Dual[n];
        var qy = new Dual[n];
        for (int i = 0; i < n; i++) (qx[i], qy[i]) = (d[2 * i] * alpha, d[2 * i + 1]);
        for (int sweep = 0; sweep < 2; sweep++)
        {
            for (int i = 1; i < n; i++) (qx[i], qy[i]) = (qx[i] + 0.5 * qx[i - 1], qy[i] + 0.5 * qy[i - 1]);
        }
        Dual s = 0;
        for (int i = 0; i < n; i++) s = s + qx[i] * qy[i];
        return s;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(70)] // a long loop: checkpointed, its segments rerun in reverse
    public void Local_array_of_structs_written_and_overwritten(int n) =>
        Verify(new Companions(
            x => StructArrays.Smoothed(Points2(x, n), x[2 * n]),
            x =>
            {
                var dp = new Point[n];
                double v = StructArrays.SmoothedGradient(Points2(x, n), x[2 * n], dp, out double da);
                return (v, Flat(dp).Append(da).ToArray());
            },
            (x, seed, preset) =>
            {
                Point[] dp = Enumerable.Repeat(new Point(preset, preset), n).ToArray();
                double da = preset;
                double v = StructArrays.SmoothedBackward(Points2(x, n), x[2 * n], seed, dp, ref da);
                return (v, Flat(dp).Append(da).ToArray());
            },
            d => SmoothedExact(d, n),
            (x, v) => (StructArrays.SmoothedTangent(Points2(x, n), x[2 * n], Points2(v, n), v[2 * n], out double t), t)),
            At(2 * n + 1, count: n > 10 ? 1 : 4));

    private static Dual CenteredExact(Dual[] d, int n)
    {
        Dual t = 0;
        for (int i = 0; i < n; i++)
        {
            Dual cx = d[3 * i] - d[0], cy = d[3 * i + 1] * d[3 * i + 1], cz = Dual.Cos(d[3 * i + 2]);
            t = t + cx * cy + cz + d[3 * i] * d[3 * i + 1] + d[3 * i + 2];
        }
        return t;
    }

    [Fact]
    public void Local_Vector3_array_with_fields_set_and_a_local_function_taking_arrays_of_structs() =>
        Verify(new Companions(
            x => StructArrays.Centered(V3s(x, 3)),
            x =>
            {
                var dp = new Vector3[3];
                float v = StructArrays.CenteredGradient(V3s(x, 3), dp);
                return (v, Flat(dp));
            },
            (x, seed, preset) =>
            {
                Vector3[] dp = Enumerable.Repeat(new Vector3((float)preset), 3).ToArray();
                float v = StructArrays.CenteredBackward(V3s(x, 3), (float)seed, dp);
                return (v, Flat(dp));
            },
            d => CenteredExact(d, 3)),
            At(9), isFloat: true);

    // ---------------------------------------------------------------- MJacobian (vector-valued)

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void MJacobian_flattens_an_array_of_structs_element_by_element_then_field_by_field(int n)
    {
        int m = n; // the total, then n - 1 edge lengths
        var companions = new JacobianCheck.Companions(
            x => { var r = new double[n - 1]; double t = StructArrays.EdgeLengths(Points2(x, n), x[2 * n], r); return r.Prepend(t).ToArray(); },
            x =>
            {
                var r = new double[n - 1];
                var J = new double[m, 2 * n + 1];
                double t = StructArrays.EdgeLengthsJacobian(Points2(x, n), x[2 * n], r, J);
                return (r.Prepend(t).ToArray(), J);
            },
            (x, d) =>
            {
                var r = new double[n - 1];
                var dr = new double[n - 1];
                double t = StructArrays.EdgeLengthsTangent(Points2(x, n), x[2 * n], r, Points2(d, n), d[2 * n], out double dt, dr);
                return (r.Prepend(t).ToArray(), dr.Prepend(dt).ToArray());
            },
            (x, w) =>
            {
                var r = new double[n - 1];
                var dp = new Point[n];
                double ds = 0;
                double t = StructArrays.EdgeLengthsBackward(Points2(x, n), x[2 * n], r, w[0], w.Skip(1).ToArray(), dp, ref ds);
                return (r.Prepend(t).ToArray(), Flat(dp).Append(ds).ToArray());
            });
        // Exact: row 1 + e is edge e, s·|p[e+1] − p[e]|; row 0 their sum. Columns: p[k].X at 2k, p[k].Y at 2k + 1, scale last.
        double[,] Exact(double[] x)
        {
            var J = new double[m, 2 * n + 1];
            for (int e = 0; e + 1 < n; e++)
            {
                double dx = x[2 * e + 2] - x[2 * e], dy = x[2 * e + 3] - x[2 * e + 1], len = Math.Sqrt(dx * dx + dy * dy), s = x[2 * n];
                double[] row = new double[2 * n + 1];
                row[2 * e] = -s * dx / len; row[2 * e + 1] = -s * dy / len;
                row[2 * e + 2] = s * dx / len; row[2 * e + 3] = s * dy / len;
                row[2 * n] = len;
                for (int c = 0; c < row.Length; c++) { J[1 + e, c] = row[c]; J[0, c] += row[c]; }
            }
            return J;
        }
        JacobianCheck.Full(companions, m, At(2 * n + 1, 0.2, 1.8), Exact);
    }

    [Fact]
    public void MJacobian_over_an_array_of_structs_by_forward_sweeps()
    {
        const int n = 3;
        var companions = new JacobianCheck.Companions(
            x => { var r = new double[3 * n]; StructArrays.Features(Points2(x, n), r); return r; },
            x => { var r = new double[3 * n]; var J = new double[3 * n, 2 * n]; StructArrays.FeaturesJacobian(Points2(x, n), r, J); return (r, J); },
            (x, d) => { var r = new double[3 * n]; var dr = new double[3 * n]; StructArrays.FeaturesTangent(Points2(x, n), r, Points2(d, n), dr); return (r, dr); },
            (x, w) => { var r = new double[3 * n]; var dp = new Point[n]; StructArrays.FeaturesBackward(Points2(x, n), r, w, dp); return (r, Flat(dp)); });
        double[,] Exact(double[] x)
        {
            var J = new double[3 * n, 2 * n];
            for (int i = 0; i < n; i++)
            {
                double px = x[2 * i], py = x[2 * i + 1];
                J[3 * i, 2 * i] = py; J[3 * i, 2 * i + 1] = px;
                J[3 * i + 1, 2 * i] = Math.Cos(px);
                J[3 * i + 2, 2 * i + 1] = 2 * py;
            }
            return J;
        }
        JacobianCheck.Full(companions, 3 * n, At(2 * n), Exact);
    }

    // ---------------------------------------------------------------- a [Differentiable] callee taking an array of structs (inlined)

    private static Dual PathExact(Dual[] d, int n, Dual k)
    {
        Dual s = 0;
        for (int i = 1; i < n; i++)
        {
            Dual dx = k * (d[3 * i] - d[3 * i - 3]), dy = k * (d[3 * i + 1] - d[3 * i - 2]), dz = k * (d[3 * i + 2] - d[3 * i - 1]);
            s = s + Dual.Sqrt(dx * dx + dy * dy + dz * dz);
        }
        return s;
    }

    [Fact]
    public void A_Differentiable_callee_taking_a_span_of_structs_is_inlined_for_a_parameter_and_a_local_array() =>
        Verify(new Companions(
            x => StructArrays.Stretch(V3s(x, 3), (float)x[9]),
            x =>
            {
                var dp = new Vector3[3];
                float v = StructArrays.StretchGradient(V3s(x, 3), (float)x[9], dp, out float dk);
                return (v, Flat(dp).Append(dk).ToArray());
            },
            (x, seed, preset) =>
            {
                Vector3[] dp = Enumerable.Repeat(new Vector3((float)preset), 3).ToArray();
                float dk = (float)preset;
                float v = StructArrays.StretchBackward(V3s(x, 3), (float)x[9], (float)seed, dp, ref dk);
                return (v, Flat(dp).Append(dk).ToArray());
            },
            d => PathExact(d, 3, 1) * PathExact(d, 3, d[9]),
            (x, v) => (StructArrays.StretchTangent(V3s(x, 3), (float)x[9], V3s(v, 3), (float)v[9], out float t), t)),
            At(10, 0.2, 2.0), isFloat: true);

    // ---------------------------------------------------------------- writes into array-of-struct parameters

    private static Dual RelaxExact(Dual[] d, int n)
    {
        Dual rate = d[2 * n];
        var x = Enumerable.Range(0, n).Select(i => d[2 * i]).ToArray();
        var y = Enumerable.Range(0, n).Select(i => d[2 * i + 1]).ToArray();
        for (int step = 0; step < 2; step++)
        {
            for (int i = 1; i < n; i++) (x[i], y[i]) = (x[i] + rate * (x[i - 1] - x[i]), y[i] * rate);
        }
        Dual s = 0;
        for (int i = 0; i < n; i++) s = s + x[i] * y[i];
        return s;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Whole_elements_written_into_a_Span_parameter_of_a_readonly_record_struct(int n) =>
        Verify(new Companions(
            x => StructArrays.Relax(Points2(x, n), x[2 * n]),
            x =>
            {
                var dp = new Point[n];
                double v = StructArrays.RelaxGradient(Points2(x, n), x[2 * n], dp, out double dr);
                return (v, Flat(dp).Append(dr).ToArray());
            },
            (x, seed, preset) =>
            {
                Point[] dp = Enumerable.Repeat(new Point(preset, preset), n).ToArray();
                double dr = preset;
                double v = StructArrays.RelaxBackward(Points2(x, n), x[2 * n], seed, dp, ref dr);
                return (v, Flat(dp).Append(dr).ToArray());
            },
            d => RelaxExact(d, n),
            (x, v) => (StructArrays.RelaxTangent(Points2(x, n), x[2 * n], Points2(v, n), v[2 * n], out double t), t)),
            At(2 * n + 1));

    [Fact]
    public void Every_companion_leaves_a_written_parameter_as_the_method_does()
    {
        Point[] Start() => new[] { new Point(1, 2), new Point(0.5, -1), new Point(-2, 0.25) };
        Point[] byMethod = Start();
        StructArrays.Relax(byMethod, 0.3);
        Point[] byGradient = Start();
        StructArrays.RelaxGradient(byGradient, 0.3, new Point[3], out _);
        Point[] byBackward = Start();
        double dr = 0;
        StructArrays.RelaxBackward(byBackward, 0.3, 1.0, new Point[3], ref dr);
        Point[] byTangent = Start();
        StructArrays.RelaxTangent(byTangent, 0.3, new Point[3], 1.0, out _);
        Assert.NotEqual(Start(), byMethod);
        Assert.Equal(byMethod, byGradient);
        Assert.Equal(byMethod, byBackward);
        Assert.Equal(byMethod, byTangent);
    }

    private static Dual ShearExact(Dual[] d, int n)
    {
        Dual s = 0, k = d[3 * n];
        for (int i = 0; i < n; i++)
        {
            Dual x = d[3 * i] + k * d[3 * i + 1];
            Dual z = Dual.Sin(d[3 * i + 2]) * x;
            s = s + x * z;
        }
        return s;
    }

    [Fact]
    public void Fields_written_into_a_Vector3_array_parameter() =>
        Verify(new Companions(
            x => StructArrays.Shear(V3s(x, 3), (float)x[9]),
            x =>
            {
                var dv = new Vector3[3];
                float v = StructArrays.ShearGradient(V3s(x, 3), (float)x[9], dv, out float dd);
                return (v, Flat(dv).Append(dd).ToArray());
            },
            (x, seed, preset) =>
            {
                Vector3[] dv = Enumerable.Repeat(new Vector3((float)preset), 3).ToArray();
                float dd = (float)preset;
                float v = StructArrays.ShearBackward(V3s(x, 3), (float)x[9], (float)seed, dv, ref dd);
                return (v, Flat(dv).Append(dd).ToArray());
            },
            d => ShearExact(d, 3),
            (x, v) => (StructArrays.ShearTangent(V3s(x, 3), (float)x[9], V3s(v, 3), (float)v[9], out float t), t)),
            At(10), isFloat: true);

    [Fact]
    public void MJacobian_of_a_method_writing_into_its_array_of_structs_input()
    {
        const int n = 3;
        var companions = new JacobianCheck.Companions(
            x => { var r = new double[n]; StructArrays.Advance(Points2(x, n), x[2 * n], r); return r; },
            x =>
            {
                var r = new double[n];
                var J = new double[n, 2 * n + 1];
                Point[] p = Points2(x, n);
                StructArrays.AdvanceJacobian(p, x[2 * n], r, J);
                Point[] expected = Points2(x, n);
                StructArrays.Advance(expected, x[2 * n], new double[n]);
                Assert.Equal(expected, p); // the caller sees the input as the method leaves it, once
                return (r, J);
            },
            (x, d) => { var r = new double[n]; var dr = new double[n]; StructArrays.AdvanceTangent(Points2(x, n), x[2 * n], r, Points2(d, n), d[2 * n], dr); return (r, dr); },
            (x, w) => { var r = new double[n]; var dp = new Point[n]; double dt = 0; StructArrays.AdvanceBackward(Points2(x, n), x[2 * n], r, w, dp, ref dt); return (r, Flat(dp).Append(dt).ToArray()); });
        double[,] Exact(double[] x)
        {
            var J = new double[n, 2 * n + 1];
            double dt = x[2 * n];
            for (int i = 0; i < n; i++)
            {
                J[i, 2 * i] = dt * x[2 * i + 1];
                J[i, 2 * i + 1] = dt * x[2 * i];
                J[i, 2 * n] = x[2 * i] * x[2 * i + 1];
            }
            return J;
        }
        JacobianCheck.Full(companions, n, At(2 * n + 1), Exact);
    }
}
