using System;
using System.Numerics;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>A mutable record struct (settable properties): its gradient's elements are updated in place, dp[i].X += ….</summary>
public record struct Body(double Mass, Point Position);

/// <summary>
/// Arrays and spans of structs of reals (api.md v2, issue 10): element reads, whole elements passed to struct members and
/// operators, nested structs, foreach, .Length, local arrays of structs written element by element.
/// </summary>
public static partial class StructArrays
{
    /// <summary>A chain of springs over Vector3 points (float): an element difference, LengthSquared, .Length.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float SpringEnergy(Vector3[] p, float k)
    {
        float e = 0;
        for (int i = 0; i + 1 < p.Length; i++)
        {
            Vector3 d = p[i + 1] - p[i];
            e += k * d.LengthSquared();
        }
        return e;
    }

    /// <summary>A read-only span of a readonly record struct: field reads, foreach, a whole element copied into a local.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double PointProducts(ReadOnlySpan<Point> pts, double w)
    {
        double s = 0;
        for (int i = 0; i < pts.Length; i++)
        {
            s += pts[i].X * pts[i].Y;
        }
        foreach (Point q in pts)
        {
            s += w * q.Norm();
        }
        Point last = pts[pts.Length - 1];
        return s + Math.Sin(last.X) * last.Y;
    }

    /// <summary>A Span of a mutable record struct holding a nested readonly struct: nested field reads, an in parameter.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Kinetic(Span<Body> bodies, in Vector2 velocity)
    {
        double e = 0;
        for (int i = 0; i < bodies.Length; i++)
        {
            double vx = velocity.X * bodies[i].Position.X, vy = velocity.Y + bodies[i].Position.Y;
            e += 0.5 * bodies[i].Mass * (vx * vx + vy * vy) + bodies[i].Position.LengthSquared;
        }
        return e;
    }

    /// <summary>Complex elements (whose parts cannot be set: the gradient element is rebuilt), operators and Exp.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ComplexSum(Complex[] z, double t)
    {
        Complex s = Complex.Zero;
        for (int i = 0; i < z.Length; i++)
        {
            s += z[i] * z[i] * t + Complex.Exp(z[i] / 4);
        }
        return s.Real + 0.5 * s.Imaginary;
    }

    /// <summary>
    /// A local array of structs written element by element, overwritten in a loop (taped and restored), with a nested
    /// member write and a compound operator: laid out as one local array per field.
    /// </summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Smoothed(Point[] p, double alpha)
    {
        var q = new Point[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            q[i] = new Point(p[i].X * alpha, p[i].Y);
        }
        for (int sweep = 0; sweep < 2; sweep++)
        {
            for (int i = 1; i < q.Length; i++)
            {
                q[i] = q[i] + q[i - 1].Scaled(0.5);
            }
        }
        double s = 0;
        foreach (var r in q) s += r.X * r.Y;
        return s;
    }

    /// <summary>A local Vector3 array with settable fields assigned one by one, and a local function taking the array.</summary>
    [Differentiable]
    public static float Centered(Vector3[] p)
    {
        var c = new Vector3[p.Length];
        for (int i = 0; i < p.Length; i++)
        {
            c[i].X = p[i].X - p[0].X;
            c[i].Y = p[i].Y * p[i].Y;
            c[i].Z = MathF.Cos(p[i].Z);
        }
        return Total(c) + Total(p);

        static float Total(Vector3[] v)
        {
            float t = 0;
            for (int i = 0; i < v.Length; i++) t += v[i].X * v[i].Y + v[i].Z;
            return t;
        }
    }

    /// <summary>
    /// A vector-valued method over an array of structs (MJacobian flattens it element by element, then field by field):
    /// the length of each edge of a polyline into an output buffer, and the total returned.
    /// </summary>
    [Differentiable]
    public static double EdgeLengths(ReadOnlySpan<Point> p, double scale, [Output] Span<double> lengths)
    {
        double total = 0;
        for (int i = 0; i + 1 < p.Length; i++)
        {
            double dx = p[i + 1].X - p[i].X, dy = p[i + 1].Y - p[i].Y;
            lengths[i] = scale * Math.Sqrt(dx * dx + dy * dy);
            total += lengths[i];
        }
        return total;
    }

    /// <summary>More outputs than inputs (MJacobian runs forward sweeps, one per field of each element): three features per point.</summary>
    [Differentiable]
    public static void Features(Point[] p, [Output] Span<double> r)
    {
        for (int i = 0; i < p.Length; i++)
        {
            r[3 * i] = p[i].X * p[i].Y;
            r[3 * i + 1] = Math.Sin(p[i].X);
            r[3 * i + 2] = p[i].Y * p[i].Y;
        }
    }

    /// <summary>A [Differentiable] callee taking a span of structs: inlined where it is called (a Vector3[] converts to it).</summary>
    [Differentiable]
    public static float PathLength(ReadOnlySpan<Vector3> p)
    {
        float s = 0;
        for (int i = 1; i < p.Length; i++) s += Vector3.Distance(p[i], p[i - 1]);
        return s;
    }

    /// <summary>Calls <see cref="PathLength"/> on its parameter and on a local array of structs.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float Stretch(Vector3[] p, float k)
    {
        var scaled = new Vector3[p.Length];
        for (int i = 0; i < p.Length; i++) scaled[i] = k * p[i];
        return PathLength(p) * PathLength(scaled);
    }

    /// <summary>
    /// Writes into a Span parameter of a readonly record struct (whole elements, in a loop: taped and restored; the caller
    /// sees the array as the method leaves it) and a foreach over the result.
    /// </summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Relax(Span<Point> p, double rate)
    {
        for (int step = 0; step < 2; step++)
        {
            for (int i = 1; i < p.Length; i++)
            {
                p[i] = new Point(p[i].X + rate * (p[i - 1].X - p[i].X), p[i].Y * rate);
            }
        }
        double s = 0;
        foreach (var q in p) s += q.X * q.Y;
        return s;
    }

    /// <summary>Field writes into a Vector3[] parameter (settable fields: written in place), compound and plain.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float Shear(Vector3[] v, float d)
    {
        float s = 0;
        for (int i = 0; i < v.Length; i++)
        {
            v[i].X += d * v[i].Y;
            v[i].Z = MathF.Sin(v[i].Z) * v[i].X;
            s += v[i].X * v[i].Z;
        }
        return s;
    }

    /// <summary>A vector-valued method that writes into its array-of-structs input (MJacobian restores it before each sweep).</summary>
    [Differentiable]
    public static void Advance(Point[] p, double dt, [Output] Span<double> r)
    {
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = p[i] with { X = p[i].X * dt };
            r[i] = p[i].X * p[i].Y;
        }
    }
}
