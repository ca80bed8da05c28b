using System;
using AutoDiffGen;

namespace PackageConsumer.Mistakes;

public static partial class Model
{
    public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));

    // A callee with no derivative.
    [Differentiable]
    public static double Loss(double x) => Softplus(x) * x; // expect: ADG0102

    // The gradient does not flow through Floor.
    [Differentiable]
    public static double Stepped(double x) => Math.Floor(x) * x; // expect: ADG0201
}

public static class NotPartial // expect: ADG0001
{
    [Differentiable]
    public static double Square(double x) => x * x;
}
