using System;
using System.Numerics;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>
/// Instance [Differentiable] methods taking or returning structs of reals, called on the same object from another instance
/// method (inlined from source: the callee's <c>this</c> is the caller's, its fields are data).
/// </summary>
public sealed partial class SpringModel
{
    private readonly double _stiffness;

    public SpringModel(double stiffness) => _stiffness = stiffness;

    [Differentiable]
    public double Energy(Point p) => 0.5 * _stiffness * (p.X * p.X + p.Y * p.Y);

    [Differentiable]
    public Point Displaced(Point p, double t) => new(p.X + t * _stiffness, p.Y - t);

    /// <summary>Calls Energy and Displaced on this object (implicitly and through this.), a struct result and a Complex callee.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public double Total(Point p, double t)
    {
        Point q = Displaced(p, t);
        return Energy(q) + this.Energy(new Point(p.Y, t * p.X)) + Along(new Complex(p.X, t));
    }

    [Differentiable]
    public double Along(Complex c) => _stiffness * c.Real * c.Imaginary;
}
