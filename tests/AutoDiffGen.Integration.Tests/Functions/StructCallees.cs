using System;
using System.Numerics;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>[Differentiable] methods taking or returning structs of reals, called from other [Differentiable] methods (inlined).</summary>
public static partial class StructCallees
{
    [Differentiable]
    public static double Norm2(Point p) => p.X * p.X + p.Y * p.Y;

    [Differentiable]
    public static Point Rotate(Point p, double angle) =>
        new Point(Math.Cos(angle) * p.X - Math.Sin(angle) * p.Y, Math.Sin(angle) * p.X + Math.Cos(angle) * p.Y);

    /// <summary>Calls both in a loop, with an early return inside the callee and a [NoDerivative] data argument.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Spiral(double a, double b, [NoDerivative] int turns)
    {
        var p = new Point(a, b * a);
        double total = 0;
        for (int i = 0; i < turns; i++)
        {
            p = Rotate(p, 0.3 + 0.1 * a);
            total += Weighted(p, 1.0 + i);
        }
        return total + Norm2(new Point(a, b));
    }

    [Differentiable]
    public static double Weighted(Point p, [NoDerivative] double weight)
    {
        if (p.X > 0) return weight * Norm2(p);
        return weight * p.Y;
    }

    /// <summary>A Vector3 taken and returned by a callee: a float struct.</summary>
    [Differentiable]
    public static float Reflected(Vector3 v, Vector3 n) => Vector3.Dot(Reflect(v, n), new Vector3(1, 2, 3));

    [Differentiable]
    public static Vector3 Reflect(Vector3 v, Vector3 n) => v - 2f * Vector3.Dot(v, n) * n;

}
