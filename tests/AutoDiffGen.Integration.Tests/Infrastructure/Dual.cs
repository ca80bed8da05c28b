using System;

namespace AutoDiffGen.Integration.Tests.Infrastructure;

/// <summary>
/// A forward-mode dual number v + d·ε (ε² = 0): the exact chain rule, independent of the generator, for hand-derived
/// gradients of recurrences where a closed form is unwieldy. Run the method's recurrence once per input with that
/// input's d = 1 and the others' d = 0; the result's d is that partial derivative.
/// </summary>
public readonly record struct Dual(double V, double D)
{
    public static Dual Constant(double v) => new(v, 0);

    public static Dual Variable(double v) => new(v, 1);

    public static implicit operator Dual(double v) => new(v, 0);

    public static Dual operator +(Dual a, Dual b) => new(a.V + b.V, a.D + b.D);

    public static Dual operator -(Dual a, Dual b) => new(a.V - b.V, a.D - b.D);

    public static Dual operator -(Dual a) => new(-a.V, -a.D);

    public static Dual operator *(Dual a, Dual b) => new(a.V * b.V, a.D * b.V + a.V * b.D);

    public static Dual operator /(Dual a, Dual b) => new(a.V / b.V, (a.D * b.V - a.V * b.D) / (b.V * b.V));

    public static Dual Sin(Dual a) => new(Math.Sin(a.V), Math.Cos(a.V) * a.D);

    public static Dual Tanh(Dual a)
    {
        double t = Math.Tanh(a.V);
        return new(t, (1 - t * t) * a.D);
    }

    public static Dual Exp(Dual a)
    {
        double e = Math.Exp(a.V);
        return new(e, e * a.D);
    }

    public static Dual Cos(Dual a) => new(Math.Cos(a.V), -Math.Sin(a.V) * a.D);

    public static Dual Atan(Dual a) => new(Math.Atan(a.V), a.D / (1 + a.V * a.V));

    public static Dual Sqrt(Dual a)
    {
        double s = Math.Sqrt(a.V);
        return new(s, 0.5 / s * a.D);
    }

    public static Dual Log(Dual a) => new(Math.Log(a.V), a.D / a.V);

    /// <summary>a^n for a constant exponent, as Math.Pow(a, n): n a^(n−1) da.</summary>
    public static Dual Pow(Dual a, double n) => new(Math.Pow(a.V, n), n * Math.Pow(a.V, n - 1) * a.D);

    // Comparisons look at the value only: a branch is not differentiated.
    public static bool operator <(Dual a, Dual b) => a.V < b.V;

    public static bool operator >(Dual a, Dual b) => a.V > b.V;

    public static bool operator <=(Dual a, Dual b) => a.V <= b.V;

    public static bool operator >=(Dual a, Dual b) => a.V >= b.V;
}
