using System;
using AutoDiffGen.Integration.Tests.Infrastructure;
using F = AutoDiffGen.Integration.Tests.Functions.Slices;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Slices, rows and stackalloc (Functions/Slices.cs): MGradient and MBackward against hand-derived gradients and central
/// finite differences, double and float; a write through a view changes the storage; a failing slice throws from every companion.
/// </summary>
public class SliceTests
{
    private static void Vector(int n, Func<double[], double> f, Func<double[], double[], double> gradient, Func<double[], double, double[], double> backward,
        Action<double[], double[]> exact, double lo = -1.5, double hi = 1.5)
    {
        Shape[] shapes = { Shape.Vector("x", n) };
        ArrayCheck.Gradient(shapes, p => f(p.Vector(0)), (p, g) => gradient(p.Vector(0), g.Vector(0)), (p, seed, g) => backward(p.Vector(0), seed, g.Vector(0)),
            (p, e) => exact(p.Vector(0), e.Vector(0)), ArrayCheck.Points(shapes, lo, hi));
    }

    [Fact]
    public void Slice_of_a_range_view_in_a_method_calling_TensorPrimitives() =>
        Vector(4, F.SliceOfRangeBesideTensorPrimitives, (x, g) => F.SliceOfRangeBesideTensorPrimitivesGradient(x, g), (x, s, g) => F.SliceOfRangeBesideTensorPrimitivesBackward(x, s, g),
            (x, d) => { for (int i = 0; i < x.Length; i++) d[i] = 2 * x[i]; d[x.Length - 1] += x[x.Length - 1]; });

    [Fact]
    public void Range_of_a_span_made_from_an_array() =>
        Vector(4, F.TailSquares, (x, g) => F.TailSquaresGradient(x, g), (x, s, g) => F.TailSquaresBackward(x, s, g),
            (x, d) => { for (int i = 1; i < x.Length; i++) d[i] = 2 * x[i]; });

    [Fact]
    public void Range_with_both_ends_and_an_index_from_the_end() =>
        Vector(5, x => F.MiddleTimesLast(x), (x, g) => F.MiddleTimesLastGradient(x, g), (x, s, g) => F.MiddleTimesLastBackward(x, s, g),
            (x, d) =>
            {
                int last = x.Length - 1;
                for (int i = 1; i < last; i++)
                {
                    d[last] += x[i] * x[i];
                    d[i] = 2 * x[last] * x[i];
                }
            });

    [Fact]
    public void A_write_through_a_slice_changes_the_array()
    {
        Vector(4, F.WriteThroughSlice, (x, g) => F.WriteThroughSliceGradient(x, g), (x, s, g) => F.WriteThroughSliceBackward(x, s, g),
            (x, d) =>
            {
                d[0] = x[1] * x[2];
                d[1] = x[0] * x[2];
                d[2] = x[0] * x[1] + Math.Cos(x[2]);
                d[3] = 1;
            });
        double[] a = { 1, 2, 3, 4 }, b = { 1, 2, 3, 4 };
        F.WriteThroughSlice(a);
        F.WriteThroughSliceGradient(b, new double[4]);
        Assert.Equal(new[] { 1, 6, Math.Sin(3), 4 }, a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Slice_of_a_slice() =>
        Vector(5, x => F.SliceOfSlice(x), (x, g) => F.SliceOfSliceGradient(x, g), (x, s, g) => F.SliceOfSliceBackward(x, s, g),
            (x, d) =>
            {
                d[1] = x[2] * x[3];
                d[2] = x[1] * x[3];
                d[3] = x[1] * x[2];
            });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(6)]
    public void A_span_consumed_in_a_loop(int n) =>
        Vector(n, x => F.ConsumeSpan(x), (x, g) => F.ConsumeSpanGradient(x, g), (x, s, g) => F.ConsumeSpanBackward(x, s, g),
            (x, d) =>
            {
                for (int i = 0; i + 1 < x.Length; i++)
                {
                    d[i] += x[i + 1];
                    d[i + 1] += x[i];
                }
            });

    [Fact]
    public void Slices_passed_to_a_callee_and_an_array_range_passed_as_a_copy() =>
        Vector(4, F.SlicesToCallee, (x, g) => F.SlicesToCalleeGradient(x, g), (x, s, g) => F.SlicesToCalleeBackward(x, s, g),
            (x, d) =>
            {
                d[0] = 1;
                d[1] = Math.Cos(x[1]);
                d[2] = 2 * Math.Cos(x[2]);
                d[3] = Math.Cos(x[3]);
            });

    [Fact]
    public void An_array_range_is_a_copy()
    {
        Vector(4, F.ArrayRangeIsACopy, (x, g) => F.ArrayRangeIsACopyGradient(x, g), (x, s, g) => F.ArrayRangeIsACopyBackward(x, s, g),
            (x, d) =>
            {
                d[1] = 10 * x[2] + 1;
                d[2] = 10 * x[1];
            });
        double[] x = { 1, 2, 3, 4 };
        Assert.Equal(10 * 2 * 3 + 2, F.ArrayRangeIsACopyGradient(x, new double[4]));
        Assert.Equal(new double[] { 1, 2, 3, 4 }, x);
    }

    [Fact]
    public void Index_from_the_end() =>
        Vector(3, F.FromTheEnd, (x, g) => F.FromTheEndGradient(x, g), (x, s, g) => F.FromTheEndBackward(x, s, g),
            (x, d) =>
            {
                d[0] = x[2];
                d[1] = 1;
                d[2] = x[0];
            });

    private static void Jagged(Func<double[][], double> f, Func<double[][], double[][], double> gradient, Func<double[][], double, double[][], double> backward,
        Action<double[][], double[][]> exact, params int[] rows)
    {
        Shape[] shapes = { Shape.Jagged("m", rows) };
        ArrayCheck.Gradient(shapes, p => f(p.Jagged(0)), (p, g) => gradient(p.Jagged(0), g.Jagged(0)), (p, seed, g) => backward(p.Jagged(0), seed, g.Jagged(0)),
            (p, e) => exact(p.Jagged(0), e.Jagged(0)), ArrayCheck.Points(shapes, -1.5, 1.5));
    }

    [Fact]
    public void A_jagged_row_as_an_array_and_passed_to_a_callee() =>
        Jagged(F.RowDot, (m, g) => F.RowDotGradient(m, g), (m, s, g) => F.RowDotBackward(m, s, g),
            (m, d) =>
            {
                for (int k = 0; k < 3; k++)
                {
                    d[0][k] = m[1][k] + Math.Cos(m[0][k]);
                    d[1][k] = m[0][k];
                }
            }, 3, 3);

    [Fact]
    public void A_write_through_a_row_changes_the_jagged_array() =>
        Jagged(F.RowWrite, (m, g) => F.RowWriteGradient(m, g), (m, s, g) => F.RowWriteBackward(m, s, g),
            (m, d) =>
            {
                d[0][0] = m[0][1] * m[1][0];
                d[0][1] = m[0][0] * m[1][0];
                d[1][0] = m[0][0] * m[0][1];
            }, 2, 2);

    [Fact]
    public void A_row_local_declared_in_a_loop() =>
        Jagged(F.RowsInALoop, (m, g) => F.RowsInALoopGradient(m, g), (m, s, g) => F.RowsInALoopBackward(m, s, g),
            (m, d) =>
            {
                for (int i = 0; i < m.Length; i++)
                    for (int k = 0; k < m[i].Length; k++) d[i][k] = 2 * m[i][k];
            }, 2, 3, 1);

    [Fact]
    public void Foreach_over_the_rows_of_a_jagged_array() =>
        Jagged(F.ForeachRows, (m, g) => F.ForeachRowsGradient(m, g), (m, s, g) => F.ForeachRowsBackward(m, s, g),
            (m, d) =>
            {
                for (int i = 0; i < m.Length; i++)
                {
                    d[i][0] = Math.Cos(m[i][0]);
                    for (int k = 1; k < m[i].Length; k++)
                    {
                        d[i][k] = m[i][0];
                        d[i][0] += m[i][k];
                    }
                }
            }, 3, 1, 2);

    [Fact]
    public void A_stackalloc_scratch_span() =>
        Vector(5, F.Scratch, (x, g) => F.ScratchGradient(x, g), (x, s, g) => F.ScratchBackward(x, s, g),
            (x, d) => { for (int i = 0; i < x.Length; i++) d[i] = 3 * x[i] * x[i]; });

    [Fact]
    public void A_stackalloc_span_with_an_initializer() =>
        Check.Two(F.ScratchInitialized,
            (double x, double y, out double dx, out double dy) => F.ScratchInitializedGradient(x, y, out dx, out dy),
            (double x, double y, double seed, ref double dx, ref double dy) => F.ScratchInitializedBackward(x, y, seed, ref dx, ref dy),
            (x, y) => (2 * x * y * y + y * y, 2 * x * x * y + 2 * x * y), -2, 2);

    [Fact]
    public void Float_slices_and_a_float_scratch_span()
    {
        Shape[] shapes = { Shape.Vector("x", 4) };
        ArrayCheck.Gradient(shapes, p => F.TailSquaresFloat(p.VectorF(0)), (p, g) => F.TailSquaresFloatGradient(p.VectorF(0), g.VectorF(0)),
            (p, seed, g) => F.TailSquaresFloatBackward(p.VectorF(0), (float)seed, g.VectorF(0)),
            (p, e) =>
            {
                double[] x = p.Vector(0), d = e.Vector(0);
                for (int i = 1; i < x.Length; i++) d[i] = 2 * (float)x[i];
            }, ArrayCheck.Points(shapes, -1.5, 1.5), Precision.Float);
        ArrayCheck.Gradient(shapes, p => F.ScratchFloat(p.VectorF(0)), (p, g) => F.ScratchFloatGradient(p.VectorF(0), g.VectorF(0)),
            (p, seed, g) => F.ScratchFloatBackward(p.VectorF(0), (float)seed, g.VectorF(0)),
            (p, e) =>
            {
                double[] x = p.Vector(0), d = e.Vector(0);
                for (int i = 1; i < x.Length; i++) d[i] = 3 * (float)x[i] * (float)x[i];
            }, ArrayCheck.Points(shapes, -1.5, 1.5), Precision.Float);
    }

    [Fact]
    public void A_slice_that_does_not_fit_throws_from_every_companion_as_from_the_method()
    {
        double[] small = { 1, 2 };
        Assert.Throws<ArgumentOutOfRangeException>(() => F.CheckedSlice(small, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => F.CheckedSliceGradient(small, 0, new double[2]));
        double seed = 1;
        Assert.Throws<ArgumentOutOfRangeException>(() => F.CheckedSliceBackward(small, 0, seed, new double[2]));

        // An index outside the slice but inside the array: the slice's indexer throws, and so do the companions.
        double[] x = { 1, 2, 3, 4 };
        Assert.Throws<IndexOutOfRangeException>(() => F.CheckedSlice(x, 2));
        Assert.Throws<IndexOutOfRangeException>(() => F.CheckedSliceGradient(x, 2, new double[4]));
        Assert.Throws<IndexOutOfRangeException>(() => F.CheckedSliceBackward(x, 2, seed, new double[4]));
        double[] dx = new double[4];
        Assert.Equal(3.0, F.CheckedSliceGradient(x, 1, dx));
        Assert.Equal(new double[] { 3, 0, 1, 0 }, dx);
    }
}
