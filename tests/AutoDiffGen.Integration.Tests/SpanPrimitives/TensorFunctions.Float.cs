using System;
using System.Numerics.Tensors;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.SpanPrimitives;

// The float twins of some of TensorFunctions: float code stays float, adjoints included.
public static partial class TensorFunctionsSingle
{
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)] public static float DotF(float[] x, float[] y) => TensorPrimitives.Dot(x, y);

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)] public static float NormF(float[] x) => TensorPrimitives.Norm(x);

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)] public static float MaxOfF(float[] x, float[] y) => TensorPrimitives.Max(x) + 2 * TensorPrimitives.Min(y);

    // ---- maps, read out as Σ w·f(x, y)

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float MultiplyF(float[] x, float[] y, [NoDerivative] float[] w)
    {
        var d = new float[x.Length];
        TensorPrimitives.Multiply(x, y, d);
        return TensorPrimitives.Dot(d, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float DivideF(float[] x, float[] y, [NoDerivative] float[] w)
    {
        var d = new float[x.Length];
        TensorPrimitives.Divide(x, y, d);
        return TensorPrimitives.Dot(d, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float ScalarOverloadsF(float[] x, float s, [NoDerivative] float[] w)
    {
        var d = new float[x.Length];
        TensorPrimitives.Add(x, s, d);                 // x + s
        TensorPrimitives.Multiply(d, s, d);            // (x + s)·s
        TensorPrimitives.Subtract(d, s, d);            // (x + s)·s − s
        TensorPrimitives.Divide(d, s, d);              // ((x + s)·s − s) / s = x + s − 1
        TensorPrimitives.MultiplyAdd(d, s, x, d);      // (x + s − 1)·s + x
        TensorPrimitives.MultiplyAdd(d, x, s, d);      // ((x + s − 1)·s + x)·x + s
        return TensorPrimitives.Dot(d, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float UnaryF(float[] x, [NoDerivative] float[] w, [NoDerivative] int which)
    {
        var d = new float[x.Length];
        switch (which)
        {
            case 0: TensorPrimitives.Negate(x, d); break;
            case 1: TensorPrimitives.Abs(x, d); break;
            case 2: TensorPrimitives.Exp(x, d); break;
            case 3: TensorPrimitives.Log(x, d); break;
            case 4: TensorPrimitives.Sqrt(x, d); break;
            case 5: TensorPrimitives.Tanh(x, d); break;
            case 6: TensorPrimitives.Sigmoid(x, d); break;
            default: TensorPrimitives.SoftMax(x, d); break;
        }
        return TensorPrimitives.Dot(d, w);
    }

    // ---- aliasing: the destination is the source (exact overlap, which TensorPrimitives allows)

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float InPlaceF(float[] x, [NoDerivative] float[] w)
    {
        var a = new float[x.Length];
        TensorPrimitives.Multiply(x, 0.5f, a);
        TensorPrimitives.Exp(a, a);            // a = exp(x/2)
        TensorPrimitives.Multiply(a, a, a);    // a = exp(x)
        TensorPrimitives.Add(a, x, a);         // a = exp(x) + x
        TensorPrimitives.Tanh(a, a);           // a = tanh(exp(x) + x)
        TensorPrimitives.SoftMax(a, a);
        return TensorPrimitives.Dot(a, w) + TensorPrimitives.SumOfSquares(a);
    }

    // ---- slices, a loop, and a primitive overwriting a buffer each iteration (restored from the tape)

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float RowsTimesVectorF(float[] m, float[] v, [NoDerivative] int rows)
    {
        int n = v.Length;
        var h = new float[n];
        float total = 0;
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Multiply(m.AsSpan(r * n, n), v, h);    // h is overwritten every row
            TensorPrimitives.Tanh(h, h);
            total += TensorPrimitives.Sum(h) * TensorPrimitives.Dot(new ReadOnlySpan<float>(m, r * n, n), v);
        }
        return total;
    }

}
