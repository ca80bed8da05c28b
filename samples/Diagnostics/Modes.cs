// Forward mode, outputs and second order (v2). Each "expect" mark names the diagnostics reported on its line.
using System;
using AutoDiffGen;

namespace DiagnosticsSample;

public static partial class Modes
{
    public static double Soft(double v) => Math.Log(1 + Math.Exp(v));

    public static double SoftBackward(double v, double seed, ref double dv)
    {
        dv += seed / (1 + Math.Exp(-v));
        return Soft(v);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ForwardThroughBackwardOnly(double x) => Soft(x) * x; // expect: ADG0301

    [Differentiable]
    public static double SoftScaled(double x) => Soft(x) * x;

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ForwardThroughHelper(double x) => SoftScaled(x) + x; // expect: ADG0307

    [Differentiable]
    public static double ScalarOutput(double x, [Output] double y) => x * y; // expect: ADG0302

    [Differentiable]
    public static void ReadOnlyOutput(double x, [Output] ReadOnlySpan<double> r) // expect: ADG0303
    {
    }

    [Differentiable(Derivatives.Hessian)] // expect: ADG0304
    public static void Cube(double x, out double y) => y = x * x * x;

    [Differentiable(Derivatives.Reverse | Derivatives.Hessian)] // expect: ADG0305
    public static double SoftCubic(double x) => Soft(x) * x * x;

    [Differentiable(Derivatives.Hessian)]
    public static double FarCubic(double x) => DiagnosticsLibrary.Library.Far(x) * x; // expect: ADG0306
}
