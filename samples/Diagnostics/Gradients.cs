// Methods that get their companions, but whose gradient may not be what the author expects (warnings and infos).
using System;
using AutoDiffGen;

namespace DiagnosticsSample;

public static partial class Gradients
{
    [Differentiable]
    public static double Bucketed(double x, double y) => Math.Floor(x) * y; // expect: ADG0201, ADG0203

    [Differentiable]
    public static double Constant(double x) => 42.0; // expect: ADG0202

    [Differentiable]
    public static double IgnoresScale(double x, double scale) => x * x; // expect: ADG0203

    [Differentiable]
    public static double Hinge(double x) => Math.Max(0, 1 - x); // expect: ADG0204
}
