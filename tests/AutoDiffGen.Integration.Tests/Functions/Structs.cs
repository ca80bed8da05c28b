using System;
using System.Numerics;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>A positional record struct of doubles: a gradient of the same type, built by its constructor.</summary>
public readonly record struct Point(double X, double Y)
{
    public double Norm() => Math.Sqrt(X * X + Y * Y);

    public double LengthSquared => X * X + Y * Y;

    public Point Scaled(double k) => new(k * X, k * Y);

    public static Point operator +(Point a, Point b) => new(a.X + b.X, a.Y + b.Y);
}

/// <summary>A mutable struct with fields and a constructor whose code the generator inlines.</summary>
public struct Particle
{
    public Point Position;
    public double Mass;

    public Particle(Point position, double mass)
    {
        Position = position;
        Mass = mass;
    }

    public void Push(double dx, double dy) => Position = new Point(Position.X + dx, Position.Y + dy);

    public readonly double Energy => 0.5 * Mass * Position.LengthSquared;
}

/// <summary>Structs of reals (api.md v2) by scalar replacement: parameters, locals, new, with, tuples, members, Vector3, Complex.</summary>
public static partial class Structs
{
    /// <summary>A record struct parameter, its fields, a user method and a computed property inlined.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double PointFunction(Point p, double k)
    {
        Point q = p with { Y = p.Y * k };
        var r = q.Scaled(2) + new Point(1, p.X);
        return r.Norm() + q.LengthSquared + p.X * r.Y;
    }

    /// <summary>
    /// A user operator whose argument calls the same operator, in a loop (C# long mode, seed 352944421: the inner
    /// p + p rebound the outer call's parameter a, so the value itself came out wrong).
    /// </summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double NestedOperator(Point p, double k)
    {
        for (int i = 0; i < 2; i++) p = p.Scaled(k) + new Point(Math.Sin((p + p).X), 1.25);
        return p.X * p.Y;
    }

    /// <summary>Two struct parameters, a swap through a tuple and a struct local reassigned in a loop.</summary>
    [Differentiable]
    public static double TwoPoints(Point a, Point b, int steps)
    {
        Point s = a;
        for (int i = 0; i < steps; i++)
        {
            (s, b) = (b, s with { X = s.X * 0.5 });
            s = new Point(s.Y, s.X + b.Y);
        }
        return s.X * s.Y + b.X;
    }

    /// <summary>A mutable struct local, field writes, a constructor and a mutating method inlined, a nested struct.</summary>
    [Differentiable]
    public static double ParticleEnergy(Point start, double mass, double push)
    {
        var particle = new Particle(start, mass);
        particle.Push(push, push * push);
        particle.Position = particle.Position with { X = particle.Position.X + 1 };
        particle.Mass *= 2;
        return particle.Energy;
    }

    /// <summary>Tuple-typed locals and parameters: Item1, named elements, a tuple returned by a local function.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double TupleValues((double A, double B) t, double x)
    {
        var u = (x * t.A, t.B + x);
        (double Sum, double Product) Both(double a, double b) => (a + b, a * b);
        var both = Both(u.Item1, u.Item2);
        var (s, p) = both;
        return s * p + t.Item1 * both.Product;
    }

    /// <summary>Vector3: operators, Dot, Cross, Length, Normalize, Distance, Lerp.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float VectorFunction(Vector3 a, Vector3 b, float t)
    {
        Vector3 c = Vector3.Cross(a, b) + 2 * a - b / 3;
        Vector3 n = Vector3.Normalize(c);
        Vector3 m = Vector3.Lerp(a, b, t);
        float d = Vector3.Distance(a, m) + Vector3.DistanceSquared(b, n);
        return Vector3.Dot(n, b) * m.Length() + d + m.LengthSquared() + (-a).Z;
    }

    /// <summary>Vector2 and a Vector3 built from it.</summary>
    [Differentiable]
    public static float Vector2Function(Vector2 p, float z)
    {
        var v = new Vector3(p, z);
        v += new Vector3(1f);
        v *= p.X;
        return v.X * v.Y + v.Z + Vector2.Dot(p, p * new Vector2(2, 3));
    }

    /// <summary>Complex: operators with reals, Exp, Log, Magnitude, Abs, Real, Imaginary, Conjugate.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ComplexFunction(Complex z, double x)
    {
        Complex w = z * z + x * z - Complex.One;
        Complex e = Complex.Exp(w / (1 + z * Complex.Conjugate(z)));
        Complex l = Complex.Log(z);
        return e.Real + e.Imaginary * l.Imaginary + w.Magnitude + Complex.Abs(l) + z.Phase;
    }

    /// <summary>A struct of floats with a float result.</summary>
    [Differentiable]
    public static float FloatPair((float, float) p) => p.Item1 * p.Item2 + MathF.Sin(p.Item1);

    /// <summary><c>x ?? throw</c> on an array parameter.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double CoalesceThrow(double[] x, double y)
    {
        _ = x ?? throw new ArgumentNullException(nameof(x));
        double s = y;
        for (int i = 0; i < (x ?? throw new ArgumentNullException(nameof(x))).Length; i++) s += x[i] * x[i];
        return s;
    }
}
