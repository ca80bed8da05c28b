using System;
using System.Numerics;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>A readonly record struct of doubles with user operators: written whole into an [Output] array (<c>r[i] = v * k</c>).</summary>
public readonly record struct Velocity(double X, double Y)
{
    public static Velocity operator *(Velocity v, double k) => new(v.X * k, v.Y * k);

    public static Velocity operator +(Velocity a, Velocity b) => new(a.X + b.X, a.Y + b.Y);
}

/// <summary>
/// [Output] arrays and spans of structs of reals (api.md v2, issue 10): MBackward takes a <c>ReadOnlySpan&lt;S&gt;</c> seed,
/// MTangent a <c>Span&lt;S&gt;</c> tangent, MJacobian flattens them element by element, then field by field.
/// </summary>
public static partial class StructArrayOutputs
{
    /// <summary>Whole elements of a readonly record struct built with user operators, from an input array of the same struct.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static void Step(ReadOnlySpan<Velocity> v, double dt, [Output] Velocity[] r)
    {
        int n = v.Length;
        for (int i = 0; i < n; i++)
        {
            r[i] = v[i] * dt + v[(i + 1) % n] * (dt * dt);
        }
    }

    /// <summary>
    /// A mutable record struct (settable properties, a nested readonly struct) written field by field, one field read back
    /// after it is written, and a whole element rebuilt with <c>with</c>.
    /// </summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static void Place(ReadOnlySpan<double> m, double g, [Output] Span<Body> r)
    {
        for (int i = 0; i < m.Length; i++)
        {
            r[i].Mass = m[i] * m[i];
            r[i].Position = new Point(g * r[i].Mass, Math.Sin(m[i]) + g);
            r[i] = r[i] with { Mass = r[i].Mass * g };
        }
    }

    /// <summary>A readonly record struct output rebuilt with <c>with</c> from its own value (no settable member: every write rebuilds the element).</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static void Polar(ReadOnlySpan<double> radius, double theta, [Output] Span<Point> r)
    {
        for (int i = 0; i < radius.Length; i++)
        {
            r[i] = new Point(radius[i], 0);
            r[i] = r[i] with { Y = r[i].X * Math.Sin(theta * (i + 1)) };
            r[i] = r[i] with { X = r[i].X * Math.Cos(theta * (i + 1)) };
        }
    }

    /// <summary>float throughout: Vector2 outputs built whole, then a field written in place (Vector2's fields are settable).</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static void Rotate(float angle, ReadOnlySpan<Vector2> v, [Output] Span<Vector2> r)
    {
        float c = MathF.Cos(angle), s = MathF.Sin(angle);
        for (int i = 0; i < v.Length; i++)
        {
            r[i] = new Vector2(c * v[i].X - s * v[i].Y, s * v[i].X + c * v[i].Y);
            r[i].Y *= v[i].X;
        }
    }

    /// <summary>
    /// A Vector3 output written with Vector3's operators, a field overwritten from the others, and an element written twice
    /// through a branch; with a returned float beside it (outputs: the return value, then r).
    /// </summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float Scale(Vector3[] p, float k, [Output] Vector3[] r)
    {
        float total = 0;
        for (int i = 0; i < p.Length; i++)
        {
            r[i] = p[i] * k;
            r[i].Z = r[i].X * r[i].Y;
            if (r[i].Z > 0) r[i] = r[i] + new Vector3(k, 0, 0);
            total += r[i].Length();
        }
        return total;
    }

    /// <summary>Complex outputs (parts not settable: every write rebuilds the element) from Complex operators with reals and Complex.Exp.</summary>
    [Differentiable]
    public static void Phasors(ReadOnlySpan<double> a, double omega, [Output] Complex[] r)
    {
        for (int i = 0; i < a.Length; i++)
        {
            r[i] = Complex.Exp(new Complex(0, omega * (i + 1))) * a[i];
            r[i] += r[i] * r[i].Real;
        }
    }

    /// <summary>A local function writing into the output (inlined: the output passed whole) and a foreach reading it back.</summary>
    [Differentiable]
    public static double Fill(ReadOnlySpan<double> x, [Output] Span<Point> r)
    {
        for (int i = 0; i < x.Length; i++) Put(r, i, x[i]);
        double s = 0;
        foreach (Point q in r) s += q.X * q.Y;
        return s;

        static void Put(Span<Point> target, int i, double v) => target[i] = new Point(v * v, Math.Exp(v));
    }

    /// <summary>A double[] output and a Point[] output together, with an out scalar between them (flattened in declaration order).</summary>
    [Differentiable]
    public static void Split(double[] x, [Output] double[] sums, out double product, [Output] Point[] pairs)
    {
        product = 1;
        for (int i = 0; i < pairs.Length; i++)
        {
            pairs[i] = new Point(x[2 * i] * x[2 * i + 1], x[2 * i] - x[2 * i + 1]);
            sums[i] = pairs[i].X + pairs[i].Y;
            product *= pairs[i].Y;
        }
    }
}
