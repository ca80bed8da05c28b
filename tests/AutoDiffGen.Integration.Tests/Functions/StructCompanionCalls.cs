using System;
using System.Numerics;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>
/// Calls with struct arguments that cannot be inlined, so they go through the callee's companions (the struct rebuilt from
/// its leaves, a zeroed struct adjoint passed to …Backward and scattered back): hand-written derivatives taking structs,
/// a recursive struct callee, and instance methods called on another object.
/// </summary>
public static partial class StructCompanionCalls
{
    // ---- hand-written derivatives taking structs (not [Differentiable]: the …Backward is the derivative)

    /// <summary>‖p‖²: its hand-written …Backward returns the exact gradient, its …Tangent the exact tangent.</summary>
    public static double Bowl(Point p) => p.X * p.X + 3 * p.Y * p.Y;

    public static double BowlBackward(Point p, double seed, ref Point dp)
    {
        dp = new Point(dp.X + seed * 2 * p.X, dp.Y + seed * 6 * p.Y);
        return Bowl(p);
    }

    public static double BowlTangent(Point p, Point dp, out double tangent)
    {
        tangent = 2 * p.X * dp.X + 6 * p.Y * dp.Y;
        return Bowl(p);
    }

    /// <summary>
    /// A deliberately wrong custom derivative, ten times the true one: the caller's gradient must be the one it gives
    /// (the callee is not inlined behind its back).
    /// </summary>
    public static double Tilted(Point p) => p.X * p.Y;

    public static double TiltedBackward(Point p, double seed, ref Point dp)
    {
        dp = new Point(dp.X + 10 * seed * p.Y, dp.Y + 10 * seed * p.X);
        return Tilted(p);
    }

    /// <summary>A float struct: ⟨v, v⟩ with a hand-written derivative.</summary>
    public static float Energy3(Vector3 v, [NoDerivative] float scale) => scale * Vector3.Dot(v, v);

    public static float Energy3Backward(Vector3 v, float scale, float seed, ref Vector3 dv)
    {
        dv += seed * scale * 2 * v;
        return Energy3(v, scale);
    }

    /// <summary>Complex: |c|² with a hand-written derivative (gradient 2·Re, 2·Im).</summary>
    public static double Power(Complex c) => c.Real * c.Real + c.Imaginary * c.Imaginary;

    public static double PowerBackward(Complex c, double seed, ref Complex dc)
    {
        dc += new Complex(2 * seed * c.Real, 2 * seed * c.Imaginary);
        return Power(c);
    }

    /// <summary>Bowl through a struct built from the inputs, twice, with a scalar around it.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ThroughBowl(double a, double b)
    {
        var p = new Point(a * b, a - b);
        return Math.Sin(a) * Bowl(p) + Bowl(new Point(b, 1.5));
    }

    [Differentiable]
    public static double ThroughTilted(double a, double b) => Tilted(new Point(a, b)) + a;

    [Differentiable]
    public static float ThroughEnergy3(Vector3 v, float k) => Energy3(v * k, 0.5f) + k * v.Z;

    [Differentiable]
    public static double ThroughPower(double re, double im) => Power(new Complex(re * im, re)) * im;

    // ---- recursion: a struct callee that calls itself goes through its own companions

    /// <summary>Fold(p, n) = sin(p.X) + Fold((p.Y, p.X/2 + p.Y), n − 1), Fold(p, 0) = p.X · p.Y.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Fold(Point p, [NoDerivative] int n)
    {
        if (n <= 0) return p.X * p.Y;
        return Math.Sin(p.X) + Fold(new Point(p.Y, 0.5 * p.X + p.Y), n - 1);
    }

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double FoldFrom(double a, double b, [NoDerivative] int n) => Fold(new Point(a, b), n) * a;

    // ---- instance methods called on another object

    /// <summary>Calls spring.Stretch(p) on a spring passed in: its companions are called on that object.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double OnSpring(Anchor spring, double a, double b) => spring.Stretch(new Point(a, b)) + spring.Stretch(new Point(b, a * b));
}

/// <summary>A class with an instance [Differentiable] method taking a struct, called from elsewhere on an instance.</summary>
public sealed partial class Anchor
{
    private readonly double _stiffness;
    private readonly Point _rest;

    public Anchor(double stiffness, Point rest)
    {
        _stiffness = stiffness;
        _rest = rest;
    }

    [Differentiable]
    public double Stretch(Point p) => 0.5 * _stiffness * ((p.X - _rest.X) * (p.X - _rest.X) + (p.Y - _rest.Y) * (p.Y - _rest.Y));
}

/// <summary>Struct results through companions: a hand-written …Backward taking a struct seed, and an instance method on another object.</summary>
public static partial class StructResultCalls
{
    /// <summary>Rotates by a quarter turn and scales: (−k·p.Y, k·p.X), with a hand-written derivative (vector-valued: a Point seed).</summary>
    public static Point Quarter(Point p, double k) => new(-k * p.Y, k * p.X);

    public static Point QuarterBackward(Point p, double k, Point seed, ref Point dp, ref double dk)
    {
        // ∂/∂p: seed.X·(0, −k) + seed.Y·(k, 0); ∂/∂k: seed.X·(−p.Y) + seed.Y·p.X.
        dp = new Point(dp.X + seed.Y * k, dp.Y - seed.X * k);
        dk += -seed.X * p.Y + seed.Y * p.X;
        return Quarter(p, k);
    }

    public static Point QuarterTangent(Point p, double k, Point dp, double dk, out Point tangent)
    {
        tangent = new Point(-dk * p.Y - k * dp.Y, dk * p.X + k * dp.X);
        return Quarter(p, k);
    }

    /// <summary>Uses the whole result, a field of it, and a result passed on to another companion call.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ThroughQuarter(double a, double b)
    {
        Point q = Quarter(new Point(a, b), a * b);
        return q.X * q.Y + Quarter(q, 2.0).X + StructCompanionCalls.Bowl(Quarter(new Point(b, 0.5), a));
    }

    /// <summary>
    /// A recursive method returning a struct: Spiral(p, c, n) applies (x, y) ↦ (c·y, x·y) n times. Its call of itself goes
    /// through its own companions, one call for the whole struct at every level (the emitter joins the per-field calls).
    /// </summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static Point Spiral(Point p, double c, [NoDerivative] int n) => n <= 0 ? p : Spiral(new Point(c * p.Y, p.X * p.Y), c, n - 1);

    /// <summary>f = r.X + 2·r.X·r.Y with r = Spiral((a, b), c, n).</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ThroughSpiral(double a, double b, double c, [NoDerivative] int n)
    {
        Point r = Spiral(new Point(a, b), c, n);
        return r.X + 2 * r.X * r.Y;
    }

    /// <summary>The float twin of Spiral, on a Vector2.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static Vector2 SpiralF(Vector2 p, float c, [NoDerivative] int n) => n <= 0 ? p : SpiralF(new Vector2(c * p.Y, p.X * p.Y), c, n - 1);

    [Differentiable]
    public static float ThroughSpiralF(float a, float b, float c, [NoDerivative] int n)
    {
        Vector2 r = SpiralF(new Vector2(a, b), c, n);
        return r.X + 2 * r.X * r.Y;
    }

    /// <summary>A float Vector2 result from an instance method of another object (generated companions, not inlined).</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static float OnLens(Lens lens, float x, float y)
    {
        Vector2 image = lens.Project(new Vector2(x, y));
        return image.X * image.Y + image.Y;
    }
}

/// <summary>A class with an instance [Differentiable] method returning a struct.</summary>
public sealed partial class Lens
{
    private readonly float _power;

    public Lens(float power) => _power = power;

    [Differentiable]
    public Vector2 Project(Vector2 v) => new(v.X * _power + v.Y * v.Y, MathF.Sin(v.X) * _power);
}

/// <summary>
/// Overrides whose body is known where they are called (issue 10): an override in a sealed class, called on a value of
/// that class, and a sealed override. Such a call runs that very method, so it goes through that method's own companions
/// like a non-virtual call (a call through the abstract base stays ADG0101: another override's derivative would be missed).
/// </summary>
public abstract partial class Spring
{
    public abstract double Energy(Point p);
}

public sealed partial class StiffSpring : Spring
{
    private readonly double _k;

    public StiffSpring(double k) => _k = k;

    /// <summary>k·(x² + x·y + y²).</summary>
    [Differentiable]
    public override double Energy(Point p) => _k * (p.X * p.X + p.X * p.Y + p.Y * p.Y);
}

public partial class SoftSpring : Spring
{
    /// <summary>x·y²/2.</summary>
    [Differentiable]
    public sealed override double Energy(Point p) => 0.5 * p.X * p.Y * p.Y;
}

public static partial class SealedCalls
{
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double OnStiff(StiffSpring spring, double a, double b) => spring.Energy(new Point(a * b, b)) + a;

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double OnSoft(SoftSpring spring, double a, double b) => spring.Energy(new Point(a, a + b)) * b;
}
