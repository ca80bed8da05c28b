using System;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;
using F = AutoDiffGen.Integration.Tests.Functions.ArraysForeachAndSpans;

namespace AutoDiffGen.Integration.Tests;

/// <summary>foreach over arrays and active arrays passed to span parameters: exact gradients and finite differences.</summary>
public class ArrayForeachAndSpanTests
{
    private static readonly double[] Weights = { 0.5, -1.25, 2.0, 0.75 };

    [Fact]
    public void Foreach_over_a_double_array_parameter()
    {
        Shape[] shapes = { Shape.Vector("a", 4) };
        ArrayCheck.Gradient(shapes,
            p => F.ForeachArray(p.Vector(0)),
            (p, g) => F.ForeachArrayGradient(p.Vector(0), g.Vector(0)),
            (p, seed, g) => F.ForeachArrayBackward(p.Vector(0), seed, g.Vector(0)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                for (int i = 0; i < a.Length; i++) da[i] = (1 + a[i]) * Math.Exp(a[i]);
            },
            ArrayCheck.Points(shapes, -1.5, 1.5));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(100.0)]
    public void Foreach_over_a_double_array_with_break_and_continue(double limit)
    {
        Shape[] shapes = { Shape.Vector("a", 5) };
        ArrayCheck.Gradient(shapes,
            p => F.ForeachBreakContinue(p.Vector(0), limit),
            (p, g) => F.ForeachBreakContinueGradient(p.Vector(0), limit, g.Vector(0)),
            (p, seed, g) => F.ForeachBreakContinueBackward(p.Vector(0), limit, seed, g.Vector(0)),
            (p, e) => ArrayTests.BreakContinueGradient(p.Vector(0), e.Vector(0), limit),
            ArrayCheck.Points(shapes, -1, 1.5, count: 6));
    }

    [Fact]
    public void Foreach_over_a_local_array_and_over_a_no_derivative_array()
    {
        Shape[] shapes = { Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => F.ForeachLocalArray(p.Scalar(0)),
            (p, g) => F.ForeachLocalArrayGradient(p.Scalar(0), out g.Ref(0)),
            (p, seed, g) => F.ForeachLocalArrayBackward(p.Scalar(0), seed, ref g.Ref(0)),
            (p, e) => e.Ref(0) = 10 * p.Scalar(0),
            ArrayCheck.Points(shapes, -2, 2));
        ArrayCheck.Gradient(shapes,
            p => F.ForeachNoDerivativeArray(p.Scalar(0), Weights),
            (p, g) => F.ForeachNoDerivativeArrayGradient(p.Scalar(0), Weights, out g.Ref(0)),
            (p, seed, g) => F.ForeachNoDerivativeArrayBackward(p.Scalar(0), Weights, seed, ref g.Ref(0)),
            (p, e) => e.Ref(0) = 0.5 - 1.25 + 2.0 + 0.75,
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Active_array_passed_to_a_read_only_span_parameter()
    {
        Shape[] shapes = { Shape.Vector("a", 4), Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => F.ArrayToSpanCallee(p.Vector(0), p.Scalar(1)),
            (p, g) => F.ArrayToSpanCalleeGradient(p.Vector(0), p.Scalar(1), g.Vector(0), out g.Ref(1)),
            (p, seed, g) => F.ArrayToSpanCalleeBackward(p.Vector(0), p.Scalar(1), seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                double x = p.Scalar(1);
                for (int i = 0; i < a.Length; i++)
                {
                    da[i] = 3 * x * a[i] * a[i];
                    e.Ref(1) += a[i] * a[i] * a[i];
                }
            },
            ArrayCheck.Points(shapes, -1.5, 1.5));
    }

    [Fact]
    public void Active_array_and_data_array_passed_to_callees()
    {
        Shape[] shapes = { Shape.Vector("a", 4) };
        ArrayCheck.Gradient(shapes,
            p => F.WeightedNormOfActiveArray(p.Vector(0), Weights),
            (p, g) => F.WeightedNormOfActiveArrayGradient(p.Vector(0), Weights, g.Vector(0)),
            (p, seed, g) => F.WeightedNormOfActiveArrayBackward(p.Vector(0), Weights, seed, g.Vector(0)),
            (p, e) =>
            {
                double[] a = p.Vector(0), da = e.Vector(0);
                for (int i = 0; i < a.Length; i++) da[i] = 2 * Weights[i] * a[i] + Weights[i];
            },
            ArrayCheck.Points(shapes, -1.5, 1.5));
    }

    [Fact]
    public void Local_array_passed_to_a_read_only_span_parameter()
    {
        Shape[] shapes = { Shape.Scalar("x") };
        ArrayCheck.Gradient(shapes,
            p => F.LocalArrayToSpan(p.Scalar(0)),
            (p, g) => F.LocalArrayToSpanGradient(p.Scalar(0), out g.Ref(0)),
            (p, seed, g) => F.LocalArrayToSpanBackward(p.Scalar(0), seed, ref g.Ref(0)),
            (p, e) => e.Ref(0) = 1,
            ArrayCheck.Points(shapes, -2, 2));
    }
}

/// <summary>
/// A warm gradient allocates nothing beyond what the method itself allocates (api.md, issue 5): adjoints of local
/// arrays, matrices included, come from the pool. Counted in bytes (GC.GetAllocatedBytesForCurrentThread), not timed.
/// </summary>
public class AllocationTests
{
    [Fact]
    public void Gradient_of_a_method_with_a_local_matrix_allocates_only_what_the_method_does()
    {
        double[] a = { 0.3, -0.5, 0.8 }, da = new double[3];
        double x = 0.4;
        for (int i = 0; i < 5; i++)
        {
            Arrays.LocalMatrixWrites(a, x);
            Arrays.LocalMatrixWritesGradient(a, x, da, out _);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        Arrays.LocalMatrixWrites(a, x);
        long plain = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        Arrays.LocalMatrixWritesGradient(a, x, da, out _);
        long gradient = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(plain > 0, "the method allocates its matrix");
        Assert.Equal(plain, gradient);
    }
}
