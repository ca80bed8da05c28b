using System;
using System.Linq;
using System.Numerics;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;
using Companions = AutoDiffGen.Integration.Tests.Infrastructure.FlattenedCheck.Companions;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Property, positional and list patterns (Functions/Patterns.cs, issue 10): each method over its inputs flattened, against
/// the exact gradient (the same arms re-run on dual numbers) and central finite differences, MGradient, MBackward
/// (accumulating into preset adjoints) and MTangent where generated, at points chosen so that every arm is taken.
/// </summary>
public class PatternTests
{
    private static void Verify(Companions c, double[][] points, bool isFloat = false, double valueTolerance = 0) =>
        FlattenedCheck.Verify(c, points, isFloat, valueTolerance, strict: true);

    private static Point P(double[] x, int at) => new(x[at], x[at + 1]);

    private static Dual StructArmsExact(Dual x, Dual y, Dual k) =>
        x > 0 && y > 0 ? x * y * k
        : x <= 0 && y > 1 ? y * y - k * x
        : y > 0 ? x * k + Dual.Sin(y)
        : x + y * k;

    [Fact]
    public void Property_positional_and_named_patterns_on_a_record_struct_in_switch_arms() =>
        Verify(new Companions(
            x => Patterns.StructArms(P(x, 0), x[2]),
            x => (Patterns.StructArmsGradient(P(x, 0), x[2], out Point dp, out double dk), new[] { dp.X, dp.Y, dk }),
            (x, seed, preset) =>
            {
                var dp = new Point(preset, preset);
                double dk = preset;
                double v = Patterns.StructArmsBackward(P(x, 0), x[2], seed, ref dp, ref dk);
                return (v, new[] { dp.X, dp.Y, dk });
            },
            d => StructArmsExact(d[0], d[1], d[2]),
            (x, v) => (Patterns.StructArmsTangent(P(x, 0), x[2], P(v, 0), v[2], out double t), t)),
            new[] { new[] { 0.7, 1.3, -0.4 }, new[] { -0.6, 1.7, 0.9 }, new[] { -0.6, 0.4, 1.1 }, new[] { 0.8, -0.5, 1.2 }, new[] { -0.3, -0.9, 0.6 } });

    private static Dual NestedStructExact(Dual[] d)
    {
        Dual sx = d[0], sy = d[1], ex = d[2], ey = d[3], k = d[4];
        Dual r = k;
        if (sx > 0) r += sx * ey + ex * k;
        if (sx < 0 && !(ex > 1)) r *= sy;
        return r;
    }

    [Fact]
    public void Extended_and_nested_property_patterns_and_var_bindings_of_fields_and_structs() =>
        Verify(new Companions(
            x => Patterns.NestedStruct(new Segment(P(x, 0), P(x, 2)), x[4]),
            x => (Patterns.NestedStructGradient(new Segment(P(x, 0), P(x, 2)), x[4], out Segment ds, out double dk),
                new[] { ds.Start.X, ds.Start.Y, ds.End.X, ds.End.Y, dk }),
            (x, seed, preset) =>
            {
                var ds = new Segment(new Point(preset, preset), new Point(preset, preset));
                double dk = preset;
                double v = Patterns.NestedStructBackward(new Segment(P(x, 0), P(x, 2)), x[4], seed, ref ds, ref dk);
                return (v, new[] { ds.Start.X, ds.Start.Y, ds.End.X, ds.End.Y, dk });
            },
            NestedStructExact,
            (x, v) => (Patterns.NestedStructTangent(new Segment(P(x, 0), P(x, 2)), x[4], new Segment(P(v, 0), P(v, 2)), v[4], out double t), t)),
            new[] { new[] { 0.5, 1.2, 0.3, -0.7, 1.4 }, new[] { -0.5, 1.2, 0.3, -0.7, 1.4 }, new[] { -0.5, 1.2, 1.6, -0.7, 0.8 } });

    private static Dual TupleArmsExact(Dual x, Dual y) =>
        x > 0 && y > 0 ? x * y
        : x < 0 && y.V != 0 ? y * y - x
        : x + 2 * y;

    [Fact]
    public void Positional_patterns_on_a_tuple_with_and_not_combinators() =>
        Verify(new Companions(
            x => Patterns.TupleArms(x[0], x[1]),
            x => (Patterns.TupleArmsGradient(x[0], x[1], out double dx, out double dy), new[] { dx, dy }),
            (x, seed, preset) =>
            {
                double dx = preset, dy = preset;
                double v = Patterns.TupleArmsBackward(x[0], x[1], seed, ref dx, ref dy);
                return (v, new[] { dx, dy });
            },
            d => TupleArmsExact(d[0], d[1])),
            new[] { new[] { 0.5, 1.5 }, new[] { -0.5, 1.5 }, new[] { -0.5, -1.5 }, new[] { 0.5, -1.5 } });

    private static Dual ArrayLengthExact(Dual[] d)
    {
        Dual k = d[d.Length - 1];
        Dual[] x = d.Take(d.Length - 1).ToArray();
        if (x.Length == 0) return k;
        if (x.Length == 1) return x[0] * x[0] * k;
        if (x.Length > 3 && x[3] > 0) return x[3] * x[0] + k;
        return x[0] + x[1] * k;
    }

    private static Companions ArrayCompanions(Func<double[], double, double> f, Func<Dual[], Dual> exact,
        Func<double[], double, double[], (double, double)> gradient, Func<double[], double, double, double[], double, (double, double)> backward,
        Func<double[], double, double[], double, double>? tangent) =>
        new(x => f(x[..^1], x[^1]),
            x =>
            {
                var dx = new double[x.Length - 1];
                var (v, dk) = gradient(x[..^1], x[^1], dx);
                return (v, dx.Append(dk).ToArray());
            },
            (x, seed, preset) =>
            {
                double[] dx = Enumerable.Repeat(preset, x.Length - 1).ToArray();
                var (v, dk) = backward(x[..^1], x[^1], seed, dx, preset);
                return (v, dx.Append(dk).ToArray());
            },
            exact,
            tangent is null ? null : (x, v) => (f(x[..^1], x[^1]), tangent(x[..^1], x[^1], v[..^1], v[^1])));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Length_property_patterns_on_an_array_in_an_is_expression_and_switch_arms(int length) =>
        Verify(ArrayCompanions(Patterns.ArrayLength, ArrayLengthExact,
                (x, k, dx) => (Patterns.ArrayLengthGradient(x, k, dx, out double dk), dk),
                (x, k, seed, dx, preset) => { double dk = preset; return (Patterns.ArrayLengthBackward(x, k, seed, dx, ref dk), dk); },
                (x, k, vx, vk) => { Patterns.ArrayLengthTangent(x, k, vx, vk, out double t); return t; }),
            new[] { Enumerable.Range(0, length + 1).Select(i => 0.4 + 0.3 * i).ToArray(), Enumerable.Range(0, length + 1).Select(i => -0.4 + 0.35 * i * (i % 2 == 0 ? 1 : -1)).ToArray() });

    private static Dual ListArmsExact(Dual[] d)
    {
        Dual k = d[d.Length - 1];
        Dual[] x = d.Take(d.Length - 1).ToArray();
        Dual r = x.Length switch
        {
            0 => k,
            1 => x[0] * x[0] * k,
            2 => x[0] * x[1] + k,
            _ when x[0] > 0 => x[0] * x[^1] * k,
            >= 4 => x[1] * x[^2] - k,
            _ => k * k,
        };
        if (x.Length >= 1 && x[^1] > 1) r += x[^1] * k;
        return r;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void List_patterns_with_slices_and_elements_counted_from_the_end(int length) =>
        Verify(ArrayCompanions(Patterns.ListArms, ListArmsExact,
                (x, k, dx) => (Patterns.ListArmsGradient(x, k, dx, out double dk), dk),
                (x, k, seed, dx, preset) => { double dk = preset; return (Patterns.ListArmsBackward(x, k, seed, dx, ref dk), dk); },
                (x, k, vx, vk) => { Patterns.ListArmsTangent(x, k, vx, vk, out double t); return t; }),
            new[]
            {
                Enumerable.Range(0, length + 1).Select(i => 0.4 + 0.35 * i).ToArray(), // away from the bound 1 of [.., > 1]
                Enumerable.Range(0, length + 1).Select(i => -0.5 + 0.2 * i).ToArray(),
                Enumerable.Range(0, length + 1).Select(i => i == 0 ? -0.7 : 1.3 - 0.1 * i).ToArray(),
            });

    private static Dual SpanListExact(Dual[] d)
    {
        Dual k = d[d.Length - 1];
        Dual[] x = d.Take(d.Length - 1).ToArray();
        if (x.Length >= 3 && x[0] > 0) return x[0] * x[^1] * k;
        return x.Length > 1 ? x[1] * k : k;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void List_and_length_patterns_on_a_span_of_floats(int length) =>
        Verify(new Companions(
            x => Patterns.SpanListFloat(F(x[..^1]), (float)x[^1]),
            x =>
            {
                var dx = new float[x.Length - 1];
                float v = Patterns.SpanListFloatGradient(F(x[..^1]), (float)x[^1], dx, out float dk);
                return (v, dx.Select(e => (double)e).Append(dk).ToArray());
            },
            (x, seed, preset) =>
            {
                float[] dx = Enumerable.Repeat((float)preset, x.Length - 1).ToArray();
                float dk = (float)preset;
                float v = Patterns.SpanListFloatBackward(F(x[..^1]), (float)x[^1], (float)seed, dx, ref dk);
                return (v, dx.Select(e => (double)e).Append(dk).ToArray());
            },
            SpanListExact),
            new[] { Enumerable.Range(0, length + 1).Select(i => (double)(float)(0.4 + 0.3 * i)).ToArray(), Enumerable.Range(0, length + 1).Select(i => (double)(float)(-0.5 + 0.25 * i)).ToArray() },
            isFloat: true);

    private static Dual GenericListExact(Dual[] d)
    {
        Dual k = d[d.Length - 1];
        Dual[] x = d.Take(d.Length - 1).ToArray();
        return x.Length == 1 ? x[0] * x[0] * k : x.Length >= 2 ? x[0] * x[^1] + k : k;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void List_patterns_with_var_elements_on_an_array_of_a_generic_real_at_double(int length) =>
        Verify(ArrayCompanions(Patterns.GenericList, GenericListExact,
                (x, k, dx) => (Patterns.GenericListGradient(x, k, dx, out double dk), dk),
                (x, k, seed, dx, preset) => { double dk = preset; return (Patterns.GenericListBackward(x, k, seed, dx, ref dk), dk); },
                null),
            new[] { Enumerable.Range(0, length + 1).Select(i => 0.4 + 0.35 * i).ToArray(), Enumerable.Range(0, length + 1).Select(i => -0.5 + 0.2 * i).ToArray() });

    [Fact]
    public void List_patterns_with_var_elements_on_an_array_of_a_generic_real_at_float() =>
        Verify(new Companions(
            x => Patterns.GenericList(F(x[..^1]), (float)x[^1]),
            x =>
            {
                var dx = new float[x.Length - 1];
                float v = Patterns.GenericListGradient(F(x[..^1]), (float)x[^1], dx, out float dk);
                return (v, dx.Select(e => (double)e).Append(dk).ToArray());
            },
            (x, seed, preset) =>
            {
                float[] dx = Enumerable.Repeat((float)preset, x.Length - 1).ToArray();
                float dk = (float)preset;
                float v = Patterns.GenericListBackward(F(x[..^1]), (float)x[^1], (float)seed, dx, ref dk);
                return (v, dx.Select(e => (double)e).Append(dk).ToArray());
            },
            GenericListExact),
            new[] { new[] { 0.75, -1.25 }, new[] { 0.5, 1.5, 2.25, -0.75 } }, isFloat: true);

    private static float[] F(double[] x) => x.Select(v => (float)v).ToArray();

    private static Dual VectorArmsExact(Dual x, Dual y, Dual k) =>
        x > 0 ? x * y * k : y < 0 ? y * y + k : x * k;

    [Fact]
    public void Property_patterns_on_a_Vector2_of_floats() =>
        Verify(new Companions(
            x => Patterns.VectorArmsFloat(new Vector2((float)x[0], (float)x[1]), (float)x[2]),
            x => (Patterns.VectorArmsFloatGradient(new Vector2((float)x[0], (float)x[1]), (float)x[2], out Vector2 dv, out float dk), new double[] { dv.X, dv.Y, dk }),
            (x, seed, preset) =>
            {
                var dv = new Vector2((float)preset);
                float dk = (float)preset;
                float v = Patterns.VectorArmsFloatBackward(new Vector2((float)x[0], (float)x[1]), (float)x[2], (float)seed, ref dv, ref dk);
                return (v, new double[] { dv.X, dv.Y, dk });
            },
            d => VectorArmsExact(d[0], d[1], d[2])),
            new[] { new[] { 0.5, 1.25, -0.75 }, new[] { -0.5, -1.25, 0.75 }, new[] { -0.5, 1.25, 0.75 } }, isFloat: true);

    [Fact]
    public void A_list_pattern_reads_nothing_past_the_end_and_a_null_array_fails_the_length_pattern()
    {
        Assert.Equal(3.0, Patterns.ArrayLength(null!, 3.0));
        Assert.Equal(3.0, Patterns.ArrayLengthGradient(null!, 3.0, Span<double>.Empty, out double dk));
        Assert.Equal(1.0, dk);
        Assert.Equal(2.0, Patterns.ListArmsGradient(Array.Empty<double>(), 2.0, Span<double>.Empty, out double dk0));
        Assert.Equal(1.0, dk0);
    }
}
