using System;
using System.Numerics.Tensors;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.SpanPrimitives;

// Functions built on TensorPrimitives (issue 13). Each map is read out through a weighted sum, so every element of its
// result matters to the gradient. Kept out of Functions/: the no-false-positive analyzer test compiles that folder
// against the framework alone, and TensorPrimitives comes from the System.Numerics.Tensors package.
public static partial class TensorFunctions
{
    // ---- reductions
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)] public static double Dot(double[] x, double[] y) => TensorPrimitives.Dot(x, y);
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)] public static double Sum(double[] x) => TensorPrimitives.Sum(x);
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)] public static double SumOfSquares(double[] x) => TensorPrimitives.SumOfSquares(x);
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)] public static double Norm(double[] x) => TensorPrimitives.Norm(x);
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)] public static double CosineSimilarity(double[] x, double[] y) => TensorPrimitives.CosineSimilarity(x, y);
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)] public static double Distance(double[] x, double[] y) => TensorPrimitives.Distance(x, y);
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)] public static double MaxOf(double[] x, double[] y) => TensorPrimitives.Max(x) + 2 * TensorPrimitives.Min(y);

    // ---- maps, read out as Σ w·f(x, y)
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Add(double[] x, double[] y, [NoDerivative] double[] w)
    {
        var d = new double[x.Length];
        TensorPrimitives.Add(x, y, d);
        return TensorPrimitives.Dot(d, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Subtract(double[] x, double[] y, [NoDerivative] double[] w)
    {
        var d = new double[x.Length];
        TensorPrimitives.Subtract(x, y, d);
        return TensorPrimitives.Dot(d, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Multiply(double[] x, double[] y, [NoDerivative] double[] w)
    {
        var d = new double[x.Length];
        TensorPrimitives.Multiply(x, y, d);
        return TensorPrimitives.Dot(d, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Divide(double[] x, double[] y, [NoDerivative] double[] w)
    {
        var d = new double[x.Length];
        TensorPrimitives.Divide(x, y, d);
        return TensorPrimitives.Dot(d, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double MultiplyAdd(double[] x, double[] y, [NoDerivative] double[] w)
    {
        var d = new double[x.Length];
        TensorPrimitives.MultiplyAdd(x, y, w, d);
        TensorPrimitives.MultiplyAdd(d, y, x, d); // in place: d = (x·y + w)·y + x
        return TensorPrimitives.Dot(d, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Pow(double[] x, double[] y, [NoDerivative] double[] w)
    {
        var d = new double[x.Length];
        TensorPrimitives.Pow(x, y, d);
        return TensorPrimitives.Dot(d, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double MaxMin(double[] x, double[] y, [NoDerivative] double[] w)
    {
        var d = new double[x.Length];
        var e = new double[x.Length];
        TensorPrimitives.Max(x, y, d);
        TensorPrimitives.Min(x, y, e);
        return TensorPrimitives.Dot(d, w) + 3 * TensorPrimitives.Dot(e, w);
    }

    // ---- scalar overloads: s is differentiable too
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ScalarOverloads(double[] x, double s, [NoDerivative] double[] w)
    {
        var d = new double[x.Length];
        TensorPrimitives.Add(x, s, d);                 // x + s
        TensorPrimitives.Multiply(d, s, d);            // (x + s)·s
        TensorPrimitives.Subtract(d, s, d);            // (x + s)·s − s
        TensorPrimitives.Divide(d, s, d);              // ((x + s)·s − s) / s = x + s − 1
        TensorPrimitives.MultiplyAdd(d, s, x, d);      // (x + s − 1)·s + x
        TensorPrimitives.MultiplyAdd(d, x, s, d);      // ((x + s − 1)·s + x)·x + s
        return TensorPrimitives.Dot(d, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ScalarFirstOverloads(double[] x, double s, [NoDerivative] double[] w)
    {
        var d = new double[x.Length];
        var e = new double[x.Length];
        TensorPrimitives.Subtract(s, x, d);            // s − x
        TensorPrimitives.Divide(s, x, e);              // s / x
        TensorPrimitives.Pow(x, s, e);           // overwritten: x^s
        return TensorPrimitives.Dot(d, w) + TensorPrimitives.Dot(e, w);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ScalarSelections(double[] x, double s, [NoDerivative] double[] w)
    {
        var d = new double[x.Length];
        var e = new double[x.Length];
        TensorPrimitives.Max(x, s, d);
        TensorPrimitives.Min(x, s, e);
        return TensorPrimitives.Dot(d, w) + 2 * TensorPrimitives.Dot(e, w);
    }

    // ---- unary maps
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Unary(double[] x, [NoDerivative] double[] w, [NoDerivative] int which)
    {
        var d = new double[x.Length];
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
    public static double InPlace(double[] x, [NoDerivative] double[] w)
    {
        var a = new double[x.Length];
        TensorPrimitives.Multiply(x, 0.5, a);
        TensorPrimitives.Exp(a, a);            // a = exp(x/2)
        TensorPrimitives.Multiply(a, a, a);    // a = exp(x)
        TensorPrimitives.Add(a, x, a);         // a = exp(x) + x
        TensorPrimitives.Tanh(a, a);           // a = tanh(exp(x) + x)
        TensorPrimitives.SoftMax(a, a);
        return TensorPrimitives.Dot(a, w) + TensorPrimitives.SumOfSquares(a);
    }

    // ---- slices, a loop, and a primitive overwriting a buffer each iteration (restored from the tape)
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double RowsTimesVector(double[] m, double[] v, [NoDerivative] int rows)
    {
        int n = v.Length;
        var h = new double[n];
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Multiply(m.AsSpan(r * n, n), v, h);    // h is overwritten every row
            TensorPrimitives.Tanh(h, h);
            total += TensorPrimitives.Sum(h) * TensorPrimitives.Dot(new ReadOnlySpan<double>(m, r * n, n), v);
        }
        return total;
    }

    // ---- span locals: names for views of the arrays
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double SpanLocals(double[] m, double[] v, [NoDerivative] int rows)
    {
        int n = v.Length;
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<double> row = m.AsSpan(r * n, n);
            ReadOnlySpan<double> tail = row.Slice(1);
            total += TensorPrimitives.Dot(row, v) * row[0] + TensorPrimitives.SumOfSquares(tail) / row.Length;
        }
        return total;
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double WritableSpanLocal(double[] x)
    {
        var buffer = new double[x.Length + 2];
        Span<double> inner = buffer.AsSpan(1, x.Length);
        TensorPrimitives.Exp(x, inner);
        inner[0] = inner[0] * x[0];
        return TensorPrimitives.Sum(buffer) + buffer[1];
    }

    // ---- spans as parameters
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double SpanParameters(ReadOnlySpan<double> x, Span<double> y, [NoDerivative] ReadOnlySpan<double> w)
    {
        TensorPrimitives.Multiply(x, y, y);    // writes the caller's y
        TensorPrimitives.Sigmoid(y.Slice(1), y.Slice(1));
        return TensorPrimitives.Dot(y, w) + TensorPrimitives.Norm(x.Slice(0, x.Length - 1));
    }
}
