using System;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// A virtual [Differentiable] method called per loop iteration through a base-class reference (README "Virtual
/// methods"): the bond energy of a chain of particles in the plane, Σᵢ bond.Energy(‖pᵢ₊₁ − pᵢ‖), where <c>bond</c> is
/// declared <see cref="BondPotential"/> and is a <see cref="MorseBond"/> at run time, so every call, primal and
/// derivative, dispatches through a virtual method. The hand-written gradient dispatches the same way, through a
/// hand-written virtual <see cref="BondPotential.EnergyAndSlope"/>.
/// </summary>
public static partial class BondedChain
{
    /// <summary>The chain's energy; <paramref name="positions"/> holds x₀, y₀, x₁, y₁, ….</summary>
    [Differentiable]
    public static double Energy(BondPotential bond, double[] positions)
    {
        int n = positions.Length / 2;
        double total = 0;
        for (int i = 0; i + 1 < n; i++)
        {
            double dx = positions[2 * i + 2] - positions[2 * i];
            double dy = positions[2 * i + 3] - positions[2 * i + 1];
            total += bond.Energy(Math.Sqrt(dx * dx + dy * dy));
        }
        return total;
    }

    /// <summary>The hand-written gradient: one pass, dE/dr from the bond's own hand-written slope, along the bond's direction.</summary>
    public static double HandGradient(BondPotential bond, double[] positions, Span<double> dpositions)
    {
        int n = positions.Length / 2;
        dpositions.Clear();
        double total = 0;
        for (int i = 0; i + 1 < n; i++)
        {
            double dx = positions[2 * i + 2] - positions[2 * i];
            double dy = positions[2 * i + 3] - positions[2 * i + 1];
            double r = Math.Sqrt(dx * dx + dy * dy);
            total += bond.EnergyAndSlope(r, out double slope);
            double gx = slope * dx / r, gy = slope * dy / r;
            dpositions[2 * i + 2] += gx;
            dpositions[2 * i] -= gx;
            dpositions[2 * i + 3] += gy;
            dpositions[2 * i + 1] -= gy;
        }
        return total;
    }
}

/// <summary>A harmonic bond, ½ k (r − r₀)².</summary>
public partial class BondPotential
{
    protected readonly double Stiffness;
    protected readonly double Rest;

    public BondPotential(double stiffness, double rest) => (Stiffness, Rest) = (stiffness, rest);

    [Differentiable]
    public virtual double Energy(double r)
    {
        double stretch = r - Rest;
        return 0.5 * Stiffness * stretch * stretch;
    }

    /// <summary>The hand-written energy and its derivative in r.</summary>
    public virtual double EnergyAndSlope(double r, out double slope)
    {
        double stretch = r - Rest;
        slope = Stiffness * stretch;
        return 0.5 * Stiffness * stretch * stretch;
    }
}

/// <summary>A Morse bond, D (1 − e^(−a (r − r₀)))².</summary>
public sealed partial class MorseBond : BondPotential
{
    private readonly double _width;

    public MorseBond(double depth, double rest, double width) : base(depth, rest) => _width = width;

    [Differentiable]
    public override double Energy(double r)
    {
        double well = 1 - Math.Exp(-_width * (r - Rest));
        return Stiffness * well * well;
    }

    public override double EnergyAndSlope(double r, out double slope)
    {
        double decay = Math.Exp(-_width * (r - Rest));
        double well = 1 - decay;
        slope = 2 * Stiffness * well * _width * decay;
        return Stiffness * well * well;
    }
}
