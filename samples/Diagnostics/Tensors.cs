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
    public static double FirstLane(double[] x)
    {
        var v = new Vector<double>(x) * 2.0; // loads and arithmetic are differentiated (lane-wise) ...
        return v[0] + Vector.Sum(v * v); // expect: ADG0403 (... a single lane is not)
    }
}
