using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>
/// SIMD kernels written the way .NET users write them (issue 13): Vector&lt;T&gt; and Vector256&lt;T&gt; loops over spans with a
/// scalar tail loop. Their gradients stay SIMD (vector adjoints, loads and stores of adjoint windows).
/// </summary>
public static partial class SimdVectors
{
    /// <summary>The dot product: a vector loop, Vector.Sum, a scalar tail.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
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

    /// <summary>The same with Vector.Dot(acc, One) and arrays indexed by new Vector&lt;T&gt;(array, index).</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double DotOfArrays(double[] x, double[] y)
    {
        var acc = Vector<double>.Zero;
        int i = 0;
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            acc += new Vector<double>(x, i) * new Vector<double>(y, i);
        double s = Vector.Dot(acc, Vector<double>.One);
        for (; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>Σ xᵢ², SIMD.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
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

    /// <summary>An element-wise map x·x + 3x stored into a scratch array by vectors, then read out as Σ w·m (vector ⊗ scalar broadcast).</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Map(ReadOnlySpan<double> x, [NoDerivative] double[] w)
    {
        var m = new double[x.Length];
        int i = 0;
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var v = new Vector<double>(x.Slice(i));
            (v * v + v * 3.0).CopyTo(m, i);
        }
        for (; i < x.Length; i++) m[i] = x[i] * x[i] + 3 * x[i];
        double s = 0;
        for (int k = 0; k < m.Length; k++) s += w[k] * m[k];
        return s;
    }

    /// <summary>axpy into an [Output] span: r = a·x + y, by vectors and a tail; a scalar broadcast (new Vector&lt;T&gt;(a)) and a scalar operand (a * v).</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static void Axpy(double a, ReadOnlySpan<double> x, ReadOnlySpan<double> y, [Output] Span<double> r)
    {
        var va = new Vector<double>(a);
        int i = 0;
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var v = va * new Vector<double>(x.Slice(i)) + new Vector<double>(y.Slice(i)) / 1.0;
            v.CopyTo(r.Slice(i));
        }
        for (; i < x.Length; i++) r[i] = a * x[i] + y[i];
    }

    /// <summary>Scalars and vectors mixed: s·v, v/s, −v, Vector.Multiply, a vector overwritten in the loop (taped).</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Scaled(ReadOnlySpan<double> x, double s)
    {
        var acc = Vector<double>.One;
        var previous = Vector<double>.Zero;
        int i = 0;
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var v = new Vector<double>(x.Slice(i));
            var t = s * v - v / s + Vector.Multiply(previous, 0.5);
            previous = -t;
            acc = acc * t;
        }
        double total = Vector.Sum(acc) + Vector.Sum(previous) * s;
        for (; i < x.Length; i++) total += s * x[i];
        return total;
    }

    /// <summary>The non-smooth and root rules lane-wise: Sqrt, Abs, Max, Min, ConditionalSelect on a comparison mask.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Selections(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var acc = Vector<double>.Zero;
        var half = new Vector<double>(0.5);
        int i = 0;
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var v = new Vector<double>(x.Slice(i));
            var w = new Vector<double>(y.Slice(i));
            var positive = Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<double>.Zero), v, w * half);
            acc += Vector.SquareRoot(v * v + Vector<double>.One) + Vector.Abs(w) + Vector.Max(v, w) * Vector.Min(v, w) + positive;
        }
        double s = Vector.Sum(acc);
        for (; i < x.Length; i++) s += x[i];
        return s;
    }

    /// <summary>The Dot kernel in float.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float DotF(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            acc += new Vector<float>(x.Slice(i)) * new Vector<float>(y.Slice(i));
        float s = Vector.Sum(acc);
        for (; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>Σ (2xᵢ)² in float with a broadcast scalar.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float SumOfSquaresF(ReadOnlySpan<float> x, float scale)
    {
        var acc = Vector<float>.Zero;
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var v = new Vector<float>(x.Slice(i)) * scale;
            acc += v * v;
        }
        float s = Vector.Sum(acc);
        for (; i < x.Length; i++) s += scale * x[i] * scale * x[i];
        return s;
    }

    /// <summary>The Dot kernel with Vector256&lt;double&gt; (four lanes): Create from a span, Vector256.Sum.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Dot256(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var acc = Vector256<double>.Zero;
        int i = 0;
        for (; i <= x.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            acc += Vector256.Create(x.Slice(i)) * Vector256.Create(y.Slice(i));
        double s = Vector256.Sum(acc);
        for (; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>Vector128&lt;double&gt;: a broadcast, Max and a store into a scratch span read back.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Relu128(double[] x, double b)
    {
        var scratch = new double[x.Length];
        var vb = Vector128.Create(b);
        int i = 0;
        for (; i <= x.Length - Vector128<double>.Count; i += Vector128<double>.Count)
            Vector128.Max(Vector128.Create(x, i) - vb, Vector128<double>.Zero).CopyTo(scratch.AsSpan(i));
        for (; i < x.Length; i++) scratch[i] = Math.Max(x[i] - b, 0);
        double s = 0;
        for (int k = 0; k < scratch.Length; k++) s += scratch[k] * scratch[k];
        return s;
    }
}
