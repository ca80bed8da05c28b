using System;
using System.Numerics.Tensors;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.SpanPrimitives;

// Adjoints that update the seed in place (the destination is exactly one input), read their output instead of
// recomputing it, or must copy both because the destination shares its array with an input in another way; and loops
// whose restores of a refilled buffer are dropped, or kept because the iteration's reverse reads the buffer again.
public static partial class TensorFunctions
{
    /// <summary>d = −(x·y + (y − x·y)·y): in place at each operand position, the other operand active.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double InPlaceOperands(double[] x, double[] y, [NoDerivative] double[] w)
    {
        var d = new double[x.Length];
        TensorPrimitives.Multiply(x, y, d);        // d = x·y
        TensorPrimitives.Subtract(y, d, d);        // in place, second operand, negated: d = y − x·y
        TensorPrimitives.Multiply(d, y, d);        // in place, first operand; dy reads the old d: d = (y − x·y)·y
        TensorPrimitives.MultiplyAdd(x, y, d, d);  // in place, addend: d = x·y + (y − x·y)·y
        TensorPrimitives.Negate(d, d);
        return TensorPrimitives.Dot(d, w);
    }

    /// <summary>A unary map in place on a copy of x (scaled by s, so that the scalar's adjoint sees the seed before it is overwritten).</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double InPlaceUnary(double[] x, double s, [NoDerivative] double[] w, [NoDerivative] int which)
    {
        var d = new double[x.Length];
        TensorPrimitives.Multiply(x, s, d);
        switch (which)
        {
            case 0: TensorPrimitives.Negate(d, d); break;
            case 1: TensorPrimitives.Abs(d, d); break;
            case 2: TensorPrimitives.Exp(d, d); break;
            case 3: TensorPrimitives.Log(d, d); break;
            case 4: TensorPrimitives.Sqrt(d, d); break;
            case 5: TensorPrimitives.Tanh(d, d); break;
            case 6: TensorPrimitives.Sigmoid(d, d); break;
            case 7: TensorPrimitives.Divide(d, s, d); break;
            case 8: TensorPrimitives.Subtract(s, d, d); break;
            default: TensorPrimitives.SoftMax(d, d); break;
        }
        TensorPrimitives.Multiply(d, s, d);        // in place, the scalar active: ds reads the seed first
        return TensorPrimitives.Dot(d, w);
    }

    /// <summary>Two views of one array as source and destination: the seed and the output are copied.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ViewsOfOneArray(double[] x, [NoDerivative] double[] w)
    {
        int n = x.Length;
        var a = new double[2 * n];
        TensorPrimitives.Multiply(x, 1.5, a.AsSpan(0, n));               // a[..n] = 1.5x
        TensorPrimitives.Exp(a.AsSpan(0, n), a.AsSpan(n, n));            // a[n..] = exp(1.5x)
        TensorPrimitives.Tanh(a.AsSpan(n, n), a.AsSpan(0, n));           // a[..n] = tanh(exp(1.5x))
        return TensorPrimitives.Dot(a.AsSpan(0, n), w) + TensorPrimitives.Dot(a.AsSpan(n, n), w);
    }

    /// <summary>Exp reads its output in reverse, which a later in-place Multiply overwrites: it must come back first.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double OutputOverwritten(double[] x, [NoDerivative] double[] w)
    {
        var d = new double[x.Length];
        TensorPrimitives.Exp(x, d);
        double first = TensorPrimitives.Dot(d, w);
        TensorPrimitives.Multiply(d, x, d);        // d = exp(x)·x
        return first + TensorPrimitives.Dot(d, w);
    }

    /// <summary>
    /// A layer per row, the buffer refilled by a loop each row (so the row loop is fused): u = m_r ⊙ v + b, softmax(tanh u)
    /// read out through w. The restores of Add and Tanh are dropped (nothing after them in the iteration's reverse reads
    /// h); SoftMax's is kept, since Tanh's reverse reads its output, tanh u, from h.
    /// </summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double LayerRows(double[] m, double[] v, double[] b, [NoDerivative] double[] w)
    {
        int n = v.Length, rows = m.Length / n;
        var h = new double[n];
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < n; k++) h[k] = m[r * n + k] * v[k];
            TensorPrimitives.Add(h, b, h);
            TensorPrimitives.Tanh(h, h);
            TensorPrimitives.SoftMax(h, h);
            total += TensorPrimitives.Dot(h, w);
        }
        return total;
    }

    /// <summary>
    /// Like <see cref="LayerRows"/>, but the in-place Multiply's contribution to v reads the buffer's contents before the
    /// Multiply: the restores in the fused row loop are needed and kept.
    /// </summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double RowsRestoredInTheIteration(double[] m, double[] v, [NoDerivative] double[] w)
    {
        int n = v.Length, rows = m.Length / n;
        var h = new double[n];
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < n; k++) h[k] = m[r * n + k];
            TensorPrimitives.Multiply(h, v, h);
            TensorPrimitives.Multiply(h, v, h);
            TensorPrimitives.Exp(h, h);
            total += TensorPrimitives.Dot(h, w);
        }
        return total;
    }
}

public static partial class TensorFunctionsSingle
{
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float InPlaceOperandsF(float[] x, float[] y, [NoDerivative] float[] w)
    {
        var d = new float[x.Length];
        TensorPrimitives.Multiply(x, y, d);
        TensorPrimitives.Subtract(y, d, d);
        TensorPrimitives.Multiply(d, y, d);
        TensorPrimitives.MultiplyAdd(x, y, d, d);
        TensorPrimitives.Negate(d, d);
        return TensorPrimitives.Dot(d, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float InPlaceUnaryF(float[] x, float s, [NoDerivative] float[] w, [NoDerivative] int which)
    {
        var d = new float[x.Length];
        TensorPrimitives.Multiply(x, s, d);
        switch (which)
        {
            case 0: TensorPrimitives.Negate(d, d); break;
            case 1: TensorPrimitives.Abs(d, d); break;
            case 2: TensorPrimitives.Exp(d, d); break;
            case 3: TensorPrimitives.Log(d, d); break;
            case 4: TensorPrimitives.Sqrt(d, d); break;
            case 5: TensorPrimitives.Tanh(d, d); break;
            case 6: TensorPrimitives.Sigmoid(d, d); break;
            case 7: TensorPrimitives.Divide(d, s, d); break;
            case 8: TensorPrimitives.Subtract(s, d, d); break;
            default: TensorPrimitives.SoftMax(d, d); break;
        }
        TensorPrimitives.Multiply(d, s, d);
        return TensorPrimitives.Dot(d, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float LayerRowsF(float[] m, float[] v, float[] b, [NoDerivative] float[] w)
    {
        int n = v.Length, rows = m.Length / n;
        var h = new float[n];
        float total = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < n; k++) h[k] = m[r * n + k] * v[k];
            TensorPrimitives.Add(h, b, h);
            TensorPrimitives.Tanh(h, h);
            TensorPrimitives.SoftMax(h, h);
            total += TensorPrimitives.Dot(h, w);
        }
        return total;
    }
}
