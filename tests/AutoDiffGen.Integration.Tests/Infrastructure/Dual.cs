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
}
