using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>
/// A class hierarchy of [Differentiable] virtual methods (README "Virtual methods"): the companions of a virtual method are
/// virtual and an override's override them, so a companion called on a base-typed reference differentiates the override
/// that the primal call runs. Three levels: a virtual base, an open override, a sealed override.
/// </summary>
public partial class Potential
{
    protected readonly double K;

    public Potential(double k) => K = k;

    /// <summary>k·x²·y.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public virtual double Energy(double x, double y) => K * x * x * y;
}

public partial class MorsePotential : Potential
{
    public MorsePotential(double k) : base(k) { }

    /// <summary>k·(1 − e^(−x))² + sin(x·y).</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public override double Energy(double x, double y)
    {
        double well = 1 - Math.Exp(-x);
        return K * well * well + Math.Sin(x * y);
    }
}

public sealed partial class DampedMorse : MorsePotential
{
    public DampedMorse(double k) : base(k) { }

    /// <summary>k·x·y / (1 + y²).</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public sealed override double Energy(double x, double y) => K * x * y / (1 + y * y);
}

/// <summary>A virtual method asking for reverse mode only, overridden in a class that stays open.</summary>
public partial class Loss
{
    /// <summary>(x − y)².</summary>
    [Differentiable]
    public virtual double Of(double x, double y) => (x - y) * (x - y);
}

public partial class HuberLikeLoss : Loss
{
    /// <summary>√(1 + (x − y)²) − 1.</summary>
    [Differentiable]
    public override double Of(double x, double y) => Math.Sqrt(1 + (x - y) * (x - y)) - 1;
}

/// <summary>Calls of a virtual [Differentiable] method on a base-typed receiver: they go through its virtual companions.</summary>
public static partial class PotentialSums
{
    /// <summary>E(x, y) + E(y, x·y), E being whichever override <paramref name="potential"/> runs.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Pair(Potential potential, double x, double y) => potential.Energy(x, y) + potential.Energy(y, x * y);

    /// <summary>
    /// Σᵢ near.Of(xᵢ, xᵢ₊₁) + far.Of(xᵢ, 2xᵢ₊₁): a loop whose iterations are reversed as they run, each virtual call's value
    /// taken from its pullback on the same receiver (Reverse/PullbackValues.cs), so the two receivers must not be mixed up.
    /// </summary>
    [Differentiable]
    public static double Chain(Loss near, Loss far, double[] xs)
    {
        double total = 0;
        for (int i = 0; i + 1 < xs.Length; i++)
        {
            total += near.Of(xs[i], xs[i + 1]) + far.Of(xs[i], 2 * xs[i + 1]);
        }
        return total;
    }
}
