using System;
using System.Linq;
using System.Numerics;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;
using AutoDiffGen.Runtime;
using Companions = AutoDiffGen.Integration.Tests.Infrastructure.FlattenedCheck.Companions;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Structs of reals and tuples (Functions/Structs.cs, api.md v2): each method over its inputs flattened field by field,
/// against the exact gradient (the method re-run on dual numbers, independent of the generator) and central finite
/// differences; MGradient (the gradient is a struct of the same type), MBackward (accumulates into preset adjoints), and
/// MTangent where the method asks for forward mode.
/// </summary>
public class StructTests
{
    private static void Verify(Companions c, double[][] points, bool isFloat = false, double valueTolerance = 0) =>
        FlattenedCheck.Verify(c, points, isFloat, valueTolerance);

    private static double[][] Points(int n, double lo = 0.3, double hi = 1.5, int count = 5) => Check.Points(n, lo, hi, count);

    private static Point P(double[] x, int at) => new(x[at], x[at + 1]);

    private static Vector3 V3(double[] x, int at) => new((float)x[at], (float)x[at + 1], (float)x[at + 2]);

    // ---------------------------------------------------------------- record struct

    private static Dual PointExact(Dual px, Dual py, Dual k)
    {
        Dual qx = px, qy = py * k;
        Dual rx = 2 * qx + 1, ry = 2 * qy + px;
        return Dual.Sqrt(rx * rx + ry * ry) + (qx * qx + qy * qy) + px * ry;
    }

    [Fact]
    public void Record_struct_parameter_with_with_a_method_an_operator_and_a_computed_property() =>
        Verify(new Companions(
            x => Structs.PointFunction(P(x, 0), x[2]),
            x => (Structs.PointFunctionGradient(P(x, 0), x[2], out Point dp, out double dk), new[] { dp.X, dp.Y, dk }),
            (x, seed, preset) =>
            {
                var dp = new Point(preset, preset);
                double dk = preset;
                double v = Structs.PointFunctionBackward(P(x, 0), x[2], seed, ref dp, ref dk);
                return (v, new[] { dp.X, dp.Y, dk });
            },
            d => PointExact(d[0], d[1], d[2]),
            (x, v) => (Structs.PointFunctionTangent(P(x, 0), x[2], P(v, 0), v[2], out double t), t)),
            Points(3, -1.5, 1.5));

    private static Dual NestedOperatorExact(Dual[] d)
    {
        (Dual X, Dual Y) p = (d[0], d[1]);
        for (int i = 0; i < 2; i++) p = (p.X * d[2] + Dual.Sin(p.X + p.X), p.Y * d[2] + 1.25);
        return p.X * p.Y;
    }

    [Fact]
    public void A_user_operator_whose_argument_calls_the_same_operator() =>
        Verify(new Companions(
            x => Structs.NestedOperator(P(x, 0), x[2]),
            x => (Structs.NestedOperatorGradient(P(x, 0), x[2], out Point dp, out double dk), new[] { dp.X, dp.Y, dk }),
            (x, seed, preset) =>
            {
                var dp = new Point(preset, preset);
                double dk = preset;
                double v = Structs.NestedOperatorBackward(P(x, 0), x[2], seed, ref dp, ref dk);
                return (v, new[] { dp.X, dp.Y, dk });
            },
            NestedOperatorExact,
            (x, v) => (Structs.NestedOperatorTangent(P(x, 0), x[2], P(v, 0), v[2], out double t), t)),
            Points(3, -1.5, 1.5));

    private static Dual TwoPointsExact(Dual[] d, int steps)
    {
        (Dual X, Dual Y) s = (d[0], d[1]), b = (d[2], d[3]);
        for (int i = 0; i < steps; i++)
        {
            (s, b) = (b, (s.X * 0.5, s.Y));
            s = (s.Y, s.X + b.Y);
        }
        return s.X * s.Y + b.X;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Struct_swap_through_a_tuple_and_a_struct_local_reassigned_in_a_loop(int steps) =>
        Verify(new Companions(
            x => Structs.TwoPoints(P(x, 0), P(x, 2), steps),
            x => (Structs.TwoPointsGradient(P(x, 0), P(x, 2), steps, out Point da, out Point db), new[] { da.X, da.Y, db.X, db.Y }),
            (x, seed, preset) =>
            {
                Point da = new(preset, preset), db = new(preset, preset);
                double v = Structs.TwoPointsBackward(P(x, 0), P(x, 2), steps, seed, ref da, ref db);
                return (v, new[] { da.X, da.Y, db.X, db.Y });
            },
            d => TwoPointsExact(d, steps)),
            Points(4, -2, 2));

    [Fact]
    public void Mutable_struct_with_a_nested_struct_a_constructor_and_a_mutating_method() =>
        Verify(new Companions(
            x => Structs.ParticleEnergy(P(x, 0), x[2], x[3]),
            x => (Structs.ParticleEnergyGradient(P(x, 0), x[2], x[3], out Point ds, out double dm, out double dp), new[] { ds.X, ds.Y, dm, dp }),
            (x, seed, preset) =>
            {
                Point ds = new(preset, preset);
                double dm = preset, dp = preset;
                double v = Structs.ParticleEnergyBackward(P(x, 0), x[2], x[3], seed, ref ds, ref dm, ref dp);
                return (v, new[] { ds.X, ds.Y, dm, dp });
            },
            d =>
            {
                Dual x = d[0] + d[3] + 1, y = d[1] + d[3] * d[3], m = 2 * d[2];
                return 0.5 * m * (x * x + y * y);
            }),
            Points(4, -1.5, 1.5));

    // ---------------------------------------------------------------- tuples

    [Fact]
    public void Tuple_values_named_elements_and_a_tuple_returned_by_a_local_function() =>
        Verify(new Companions(
            x => Structs.TupleValues((x[0], x[1]), x[2]),
            x => (Structs.TupleValuesGradient((x[0], x[1]), x[2], out var dt, out double dx), new[] { dt.A, dt.B, dx }),
            (x, seed, preset) =>
            {
                (double A, double B) dt = (preset, preset);
                double dx = preset;
                double v = Structs.TupleValuesBackward((x[0], x[1]), x[2], seed, ref dt, ref dx);
                return (v, new[] { dt.A, dt.B, dx });
            },
            d =>
            {
                Dual a = d[2] * d[0], b = d[1] + d[2];
                Dual s = a + b, p = a * b;
                return s * p + d[0] * p;
            },
            (x, v) => (Structs.TupleValuesTangent((x[0], x[1]), x[2], (v[0], v[1]), v[2], out double t), t)),
            Points(3, -2, 2));

    [Fact]
    public void Tuple_of_floats() =>
        Verify(new Companions(
            x => Structs.FloatPair(((float)x[0], (float)x[1])),
            x => (Structs.FloatPairGradient(((float)x[0], (float)x[1]), out var dp), new double[] { dp.Item1, dp.Item2 }),
            (x, seed, preset) =>
            {
                (float, float) dp = ((float)preset, (float)preset);
                double v = Structs.FloatPairBackward(((float)x[0], (float)x[1]), (float)seed, ref dp);
                return (v, new double[] { dp.Item1, dp.Item2 });
            },
            d => d[0] * d[1] + Dual.Sin(d[0])),
            Points(2, -2, 2).Select(p => p.Select(v => (double)(float)v).ToArray()).ToArray(), isFloat: true);

    // ---------------------------------------------------------------- System.Numerics

    private static (Dual X, Dual Y, Dual Z) D3(Dual[] d, int at) => (d[at], d[at + 1], d[at + 2]);

    private static Dual Dot3((Dual X, Dual Y, Dual Z) a, (Dual X, Dual Y, Dual Z) b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    private static Dual VectorExact(Dual[] d)
    {
        var a = D3(d, 0);
        var b = D3(d, 3);
        Dual t = d[6];
        var c = (X: a.Y * b.Z - a.Z * b.Y + 2 * a.X - b.X / 3, Y: a.Z * b.X - a.X * b.Z + 2 * a.Y - b.Y / 3, Z: a.X * b.Y - a.Y * b.X + 2 * a.Z - b.Z / 3);
        Dual length = Dual.Sqrt(Dot3(c, c));
        var n = (X: c.X / length, Y: c.Y / length, Z: c.Z / length);
        var m = (X: a.X + (b.X - a.X) * t, Y: a.Y + (b.Y - a.Y) * t, Z: a.Z + (b.Z - a.Z) * t);
        var am = (X: a.X - m.X, Y: a.Y - m.Y, Z: a.Z - m.Z);
        var bn = (X: b.X - n.X, Y: b.Y - n.Y, Z: b.Z - n.Z);
        Dual distance = Dual.Sqrt(Dot3(am, am)) + Dot3(bn, bn);
        return Dot3(n, b) * Dual.Sqrt(Dot3(m, m)) + distance + Dot3(m, m) - a.Z;
    }

    [Fact]
    public void Vector3_operators_Dot_Cross_Length_Normalize_Distance_Lerp() =>
        Verify(new Companions(
            x => Structs.VectorFunction(V3(x, 0), V3(x, 3), (float)x[6]),
            x => (Structs.VectorFunctionGradient(V3(x, 0), V3(x, 3), (float)x[6], out Vector3 da, out Vector3 db, out float dt),
                new double[] { da.X, da.Y, da.Z, db.X, db.Y, db.Z, dt }),
            (x, seed, preset) =>
            {
                Vector3 da = new((float)preset), db = new((float)preset);
                float dt = (float)preset;
                double v = Structs.VectorFunctionBackward(V3(x, 0), V3(x, 3), (float)x[6], (float)seed, ref da, ref db, ref dt);
                return (v, new double[] { da.X, da.Y, da.Z, db.X, db.Y, db.Z, dt });
            },
            VectorExact,
            (x, v) => (Structs.VectorFunctionTangent(V3(x, 0), V3(x, 3), (float)x[6], V3(v, 0), V3(v, 3), (float)v[6], out float t), t)),
            Points(7, 0.2, 0.8).Select(p => p.Select(v => (double)(float)v).ToArray()).ToArray(), isFloat: true, valueTolerance: 1e-6);

    [Fact]
    public void Vector2_into_a_Vector3_with_compound_operators() =>
        Verify(new Companions(
            x => Structs.Vector2Function(new Vector2((float)x[0], (float)x[1]), (float)x[2]),
            x => (Structs.Vector2FunctionGradient(new Vector2((float)x[0], (float)x[1]), (float)x[2], out Vector2 dp, out float dz), new double[] { dp.X, dp.Y, dz }),
            (x, seed, preset) =>
            {
                Vector2 dp = new((float)preset);
                float dz = (float)preset;
                double v = Structs.Vector2FunctionBackward(new Vector2((float)x[0], (float)x[1]), (float)x[2], (float)seed, ref dp, ref dz);
                return (v, new double[] { dp.X, dp.Y, dz });
            },
            d =>
            {
                Dual vx = (d[0] + 1) * d[0], vy = (d[1] + 1) * d[0], vz = (d[2] + 1) * d[0];
                return vx * vy + vz + d[0] * d[0] * 2 + d[1] * d[1] * 3;
            }),
            Points(3, -1.5, 1.5).Select(p => p.Select(v => (double)(float)v).ToArray()).ToArray(), isFloat: true, valueTolerance: 1e-6);

    private static (Dual Re, Dual Im) CMul((Dual Re, Dual Im) a, (Dual Re, Dual Im) b) => (a.Re * b.Re - a.Im * b.Im, a.Re * b.Im + a.Im * b.Re);

    private static Dual Atan2(Dual y, Dual x) => new(Math.Atan2(y.V, x.V), (x.V * y.D - y.V * x.D) / (x.V * x.V + y.V * y.V));

    private static Dual ComplexExact(Dual[] d)
    {
        var z = (Re: d[0], Im: d[1]);
        Dual x = d[2];
        var zz = CMul(z, z);
        var w = (Re: zz.Re + x * z.Re - 1, Im: zz.Im + x * z.Im);
        Dual denominator = 1 + (z.Re * z.Re + z.Im * z.Im); // 1 + z·conj(z), real
        var q = (Re: w.Re / denominator, Im: w.Im / denominator);
        Dual scale = Dual.Exp(q.Re);
        var e = (Re: scale * Dual.Cos(q.Im), Im: scale * Dual.Sin(q.Im));
        var l = (Re: Dual.Log(Dual.Sqrt(z.Re * z.Re + z.Im * z.Im)), Im: Atan2(z.Im, z.Re));
        return e.Re + e.Im * l.Im + Dual.Sqrt(w.Re * w.Re + w.Im * w.Im) + Dual.Sqrt(l.Re * l.Re + l.Im * l.Im) + Atan2(z.Im, z.Re);
    }

    [Fact]
    public void Complex_operators_Exp_Log_Magnitude_Abs_Phase_Conjugate() =>
        Verify(new Companions(
            x => Structs.ComplexFunction(new Complex(x[0], x[1]), x[2]),
            x => (Structs.ComplexFunctionGradient(new Complex(x[0], x[1]), x[2], out Complex dz, out double dx), new[] { dz.Real, dz.Imaginary, dx }),
            (x, seed, preset) =>
            {
                Complex dz = new(preset, preset);
                double dx = preset;
                double v = Structs.ComplexFunctionBackward(new Complex(x[0], x[1]), x[2], seed, ref dz, ref dx);
                return (v, new[] { dz.Real, dz.Imaginary, dx });
            },
            ComplexExact,
            (x, v) => (Structs.ComplexFunctionTangent(new Complex(x[0], x[1]), x[2], new Complex(v[0], v[1]), v[2], out double t), t)),
            Points(3, 0.3, 1.5));

    // ---------------------------------------------------------------- ?? throw

    [Fact]
    public void Coalesce_throw_guards_an_array_parameter()
    {
        double[] x = { 0.5, -1.25, 2 };
        var dx = new double[3];
        double value = Structs.CoalesceThrowGradient(x, 0.75, dx, out double dy);
        Assert.Equal(Structs.CoalesceThrow(x, 0.75), value);
        Assert.Equal(new[] { 1.0, -2.5, 4 }, dx);
        Assert.Equal(1.0, dy);
        double[] fd = GradientCheck.CentralDifference(v => Structs.CoalesceThrow(v, 0.75), (double[])x.Clone());
        for (int i = 0; i < 3; i++) Check.Close(fd[i], dx[i], Check.FiniteDifferenceTolerance, "finite differences", x);
        // The method's guard, not a NullReferenceException of the companions' buffer checks, surfaces from every companion.
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Structs.CoalesceThrow(null!, 0.75)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Structs.CoalesceThrowGradient(null!, 0.75, dx, out _)).ParamName);
        double dyAccumulated = 0;
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Structs.CoalesceThrowBackward(null!, 0.75, 1.0, dx, ref dyAccumulated)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentNullException>(() => Structs.CoalesceThrowTangent(null!, 0.75, dx, 1.0, out _)).ParamName);
        // A wrong-length buffer is still refused first (api.md: checks first).
        Assert.Throws<ArgumentException>(() => Structs.CoalesceThrowGradient(x, 0.75, new double[2], out _));
    }
}
