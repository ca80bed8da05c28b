using System;
using System.Numerics;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>Struct outputs (api.md "Outputs (v2)"): a returned struct of reals and <c>out</c> struct parameters.</summary>
public static partial class StructOutputs
{
    /// <summary>A returned record struct: vector-valued, so MBackward takes a Point seed and MTangent gives an out Point tangent.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static Point Scale(Point p, double s) => new Point(p.X * s, p.Y * s * s);

    /// <summary>api.md's Polar with one out struct instead of two out scalars.</summary>
    [Differentiable]
    public static void Polar(double r, double theta, out Point q) { q = new Point(r * Math.Cos(theta), r * Math.Sin(theta)); }

    /// <summary>A returned Vector3 (float leaves) chosen by a branch, an early return, and an out scalar beside it.</summary>
    [Differentiable]
    public static Vector3 CrossOrScale(Vector3 a, Vector3 b, out float dot)
    {
        dot = Vector3.Dot(a, b);
        if (dot > 0) return Vector3.Cross(a, b);
        return a * 2f - b;
    }

    /// <summary>A time-stepping loop over struct locals, returning the final position (explicit Euler with drag).</summary>
    [Differentiable]
    public static Point Trajectory(Point position, Point velocity, double drag, [NoDerivative] int steps)
    {
        const double dt = 0.1;
        for (int i = 0; i < steps; i++)
        {
            double speed = Math.Sqrt(velocity.X * velocity.X + velocity.Y * velocity.Y);
            velocity = new Point(velocity.X - dt * drag * speed * velocity.X, velocity.Y - dt * (9.81 + drag * speed * velocity.Y));
            position = new Point(position.X + dt * velocity.X, position.Y + dt * velocity.Y);
        }
        return position;
    }

    /// <summary>A struct input of a vector-valued method ([Output] span): MJacobian flattens the struct leaf by leaf.</summary>
    [Differentiable]
    public static void Decay(Point p, [NoDerivative] double[] t, [Output] Span<double> r)
    {
        for (int i = 0; i < t.Length; i++) r[i] = p.X * Math.Exp(p.Y * t[i]);
    }

    /// <summary>An out struct written in two steps and read back in between, beside a returned scalar.</summary>
    [Differentiable]
    public static double Rotate(Point p, double angle, out Point rotated)
    {
        rotated = new Point(Math.Cos(angle) * p.X - Math.Sin(angle) * p.Y, p.Y);
        rotated = rotated with { Y = Math.Sin(angle) * p.X + Math.Cos(angle) * p.Y };
        return rotated.X * rotated.Y;
    }
}
