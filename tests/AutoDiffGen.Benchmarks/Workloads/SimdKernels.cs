using System;
using System.Numerics;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// Vector&lt;T&gt; kernels as .NET users write them (issue 13): a vector loop and a scalar tail. Their generated gradients
/// beside hand-written SIMD gradients (the same loops, the adjoint windows updated by vector load-add-store).
/// </summary>
public static partial class SimdKernels
{
    [Differentiable]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var acc = Vector<double>.Zero;
        int i = 0;
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            acc += new Vector<double>(x.Slice(i)) * new Vector<double>(y.Slice(i));
        double s = Vector.Sum(acc);
        for (; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    [Differentiable]
    public static double SumOfSquares(ReadOnlySpan<double> x)
    {
        var acc = Vector<double>.Zero;
        int i = 0;
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var v = new Vector<double>(x.Slice(i));
            acc += v * v;
        }
        double s = Vector.Sum(acc);
        for (; i < x.Length; i++) s += x[i] * x[i];
        return s;
    }

    /// <summary>∂(x·y)/∂x = y, ∂/∂y = x, written with vectors: what a careful programmer writes by hand.</summary>
    public static double HandDotGradient(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> dx, Span<double> dy)
    {
        var acc = Vector<double>.Zero;
        int i = 0;
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var vx = new Vector<double>(x.Slice(i));
            var vy = new Vector<double>(y.Slice(i));
            acc += vx * vy;
            (new Vector<double>(dx.Slice(i)) + vy).CopyTo(dx.Slice(i));
            (new Vector<double>(dy.Slice(i)) + vx).CopyTo(dy.Slice(i));
        }
        double s = Vector.Sum(acc);
        for (; i < x.Length; i++)
        {
            s += x[i] * y[i];
            dx[i] += y[i];
            dy[i] += x[i];
        }
        return s;
    }

    /// <summary>∂(Σx²)/∂x = 2x, with vectors.</summary>
    public static double HandSumOfSquaresGradient(ReadOnlySpan<double> x, Span<double> dx)
    {
        var acc = Vector<double>.Zero;
        int i = 0;
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var v = new Vector<double>(x.Slice(i));
            acc += v * v;
            (new Vector<double>(dx.Slice(i)) + v * 2.0).CopyTo(dx.Slice(i));
        }
        double s = Vector.Sum(acc);
        for (; i < x.Length; i++)
        {
            s += x[i] * x[i];
            dx[i] += 2 * x[i];
        }
        return s;
    }
}
