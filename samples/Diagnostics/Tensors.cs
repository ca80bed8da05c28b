// TensorPrimitives and SIMD vectors (ADG0401-ADG0403): errors, so these methods get no companions.
using System;
using System.Numerics;
using System.Numerics.Tensors;
using AutoDiffGen;

namespace DiagnosticsSample;

public static partial class Tensors
{
    [Differentiable]
    public static double CoshEnergy(double[] x)
    {
        var c = new double[x.Length];
        TensorPrimitives.Cosh(x, c); // expect: ADG0401
        return TensorPrimitives.Sum(c) + x[0];
    }

    [Differentiable]
    public static double Tail(double[] x) => x[0] + TensorPrimitives.SumOfSquares(x.AsSpan(1..)); // expect: ADG0402

    [Differentiable]
    public static double FirstLanes(double[] x)
    {
        var v = new Vector<double>(x); // expect: ADG0403
        return Vector.Sum(v * v) + x[0];
    }
}
