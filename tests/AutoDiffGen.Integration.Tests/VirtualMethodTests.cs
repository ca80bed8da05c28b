using System;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;
using Xunit;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Companions of virtual [Differentiable] methods dispatch like the method (README "Virtual methods"): called on a
/// base-typed reference, each differentiates the override that runs. Before, they were not virtual, and
/// <c>potential.EnergyGradient</c> on a <c>MorsePotential</c> typed <c>Potential</c> returned Morse's value with the base's
/// derivative: silently wrong.
/// </summary>
public class VirtualMethodTests
{
    private const double K = 1.5;

    /// <summary>The exact gradient of each level's Energy, by hand (see the doc comments in Functions/VirtualMethods.cs).</summary>
    private static (double Dx, double Dy) Exact(Potential potential, double x, double y) => potential switch
    {
        // k·x·y/(1 + y²): ∂x = k·y/(1 + y²), ∂y = k·x·(1 − y²)/(1 + y²)².
        DampedMorse => (K * y / (1 + y * y), K * x * (1 - y * y) / ((1 + y * y) * (1 + y * y))),
        // k(1 − e^(−x))² + sin(xy): ∂x = 2k(1 − e^(−x))e^(−x) + y·cos(xy), ∂y = x·cos(xy).
        MorsePotential => (2 * K * (1 - Math.Exp(-x)) * Math.Exp(-x) + y * Math.Cos(x * y), x * Math.Cos(x * y)),
        // k·x²·y: ∂x = 2kxy, ∂y = kx².
        _ => (2 * K * x * y, K * x * x),
    };

    public static TheoryData<string> Levels => new() { "base", "override", "sealed override" };

    private static Potential Make(string level) => level switch
    {
        "base" => new Potential(K),
        "override" => new MorsePotential(K),
        _ => new DampedMorse(K),
    };

    [Theory]
    [MemberData(nameof(Levels))]
    public void Gradient_and_pullback_through_a_base_reference_differentiate_the_override_that_runs(string level)
    {
        Potential potential = Make(level);
        Check.Two((x, y) => potential.Energy(x, y),
            (double x, double y, out double dx, out double dy) => potential.EnergyGradient(x, y, out dx, out dy),
            (double x, double y, double seed, ref double dx, ref double dy) => potential.EnergyBackward(x, y, seed, ref dx, ref dy),
            (x, y) => Exact(potential, x, y), -1.5, 1.5);
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Tangent_and_Hessian_through_a_base_reference_differentiate_the_override_that_runs(string level)
    {
        Potential potential = Make(level);
        foreach (var (x, y) in new[] { (0.7, -0.4), (-1.2, 0.9), (0.3, 1.3) })
        {
            // Dot-product test: the tangent along v is the gradient · v.
            double value = potential.EnergyGradient(x, y, out double dx, out double dy);
            Check.Close(potential.Energy(x, y), value, Check.ExactTolerance, level + ": MGradient's value", x, y);
            potential.EnergyTangent(x, y, 0.3, -1.1, out double tangent);
            Check.Close(0.3 * dx - 1.1 * dy, tangent, Check.ExactTolerance, level + ": MTangent against the gradient", x, y);
            var (ex, ey) = Exact(potential, x, y);
            Check.Close(ex, dx, Check.ExactTolerance, level + ": ∂x exact", x, y);
            Check.Close(ey, dy, Check.ExactTolerance, level + ": ∂y exact", x, y);

            var hessian = new double[2, 2];
            potential.EnergyHessian(x, y, out _, out _, hessian);
            CheckHessian((u, v) => Exact(potential, u, v), hessian, level, x, y);
        }
    }

    [Fact]
    public void A_reverse_only_override_in_an_open_class_overrides_the_base_companions()
    {
        Loss loss = new HuberLikeLoss();
        // √(1 + d²) − 1 with d = x − y: ∂x = d/√(1 + d²) = −∂y.
        Check.Two((x, y) => loss.Of(x, y),
            (double x, double y, out double dx, out double dy) => loss.OfGradient(x, y, out dx, out dy),
            (double x, double y, double seed, ref double dx, ref double dy) => loss.OfBackward(x, y, seed, ref dx, ref dy),
            (x, y) => ((x - y) / Math.Sqrt(1 + (x - y) * (x - y)), -(x - y) / Math.Sqrt(1 + (x - y) * (x - y))), -2, 2);
        Assert.True(typeof(Loss).GetMethod(nameof(Loss.OfGradient))!.IsVirtual, "a virtual method's companions are virtual");
        Assert.True(typeof(DampedMorse).GetMethod(nameof(DampedMorse.EnergyGradient))!.IsFinal, "a sealed override's companions are sealed");
    }

    /// <summary>The exact gradient of PotentialSums.Pair = E(x, y) + E(y, x·y), by the chain rule on <see cref="Exact"/>.</summary>
    private static (double Dx, double Dy) ExactPair(Potential potential, double x, double y)
    {
        var (ax, ay) = Exact(potential, x, y);
        var (bx, by) = Exact(potential, y, x * y);
        return (ax + by * y, ay + bx + by * x);
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void A_differentiable_caller_goes_through_the_virtual_companions_of_the_override_that_runs(string level)
    {
        Potential potential = Make(level);
        Check.Two((x, y) => PotentialSums.Pair(potential, x, y),
            (double x, double y, out double dx, out double dy) => PotentialSums.PairGradient(potential, x, y, out dx, out dy),
            (double x, double y, double seed, ref double dx, ref double dy) => PotentialSums.PairBackward(potential, x, y, seed, ref dx, ref dy),
            (x, y) => ExactPair(potential, x, y), -1.2, 1.2);
        foreach (var (x, y) in new[] { (0.7, -0.4), (-1.1, 0.8) })
        {
            PotentialSums.PairGradient(potential, x, y, out double dx, out double dy);
            PotentialSums.PairTangent(potential, x, y, -0.6, 1.3, out double tangent);
            Check.Close(-0.6 * dx + 1.3 * dy, tangent, Check.ExactTolerance, level + ": MTangent against the gradient", x, y);
            var hessian = new double[2, 2];
            PotentialSums.PairHessian(potential, x, y, out _, out _, hessian);
            CheckHessian((u, v) => ExactPair(potential, u, v), hessian, level, x, y);
        }
    }

    public static TheoryData<string, string> LossPairs => new() { { "base", "override" }, { "override", "base" }, { "override", "override" } };

    private static Loss MakeLoss(string level) => level == "base" ? new Loss() : new HuberLikeLoss();

    /// <summary>∂/∂x and ∂/∂y of <see cref="Loss.Of"/> for the override <paramref name="loss"/> runs, d = x − y.</summary>
    private static (double Dx, double Dy) ExactLoss(Loss loss, double x, double y)
    {
        double d = x - y;
        double dx = loss is HuberLikeLoss ? d / Math.Sqrt(1 + d * d) : 2 * d;
        return (dx, -dx);
    }

    [Theory]
    [MemberData(nameof(LossPairs))]
    public void Virtual_calls_in_a_loop_take_their_values_from_the_pullback_on_the_same_receiver(string nearLevel, string farLevel)
    {
        // Chain's iterations are reversed as they run, and each call's value comes from its …Backward (one virtual call per
        // call site instead of two): near's value must come from near's pullback, far's from far's.
        Loss near = MakeLoss(nearLevel), far = MakeLoss(farLevel);
        Shape[] shapes = { Shape.Vector("xs", 5) };
        ArrayCheck.Gradient(shapes,
            p => PotentialSums.Chain(near, far, p.Vector(0)),
            (p, g) => PotentialSums.ChainGradient(near, far, p.Vector(0), g.Vector(0)),
            (p, seed, g) => PotentialSums.ChainBackward(near, far, p.Vector(0), seed, g.Vector(0)),
            (p, e) =>
            {
                double[] xs = p.Vector(0), dxs = e.Vector(0);
                for (int i = 0; i + 1 < xs.Length; i++)
                {
                    var (a, b) = ExactLoss(near, xs[i], xs[i + 1]);
                    var (c, d) = ExactLoss(far, xs[i], 2 * xs[i + 1]);
                    dxs[i] += a + c;
                    dxs[i + 1] += b + 2 * d;
                }
            },
            ArrayCheck.Points(shapes, -1.5, 1.5));
    }

    /// <summary>A 2 × 2 Hessian against central differences of the exact gradient, and symmetric.</summary>
    private static void CheckHessian(Func<double, double, (double Dx, double Dy)> exactGradient, double[,] hessian, string level, double x, double y)
    {
        const double h = 1e-5;
        var (xp, yp) = exactGradient(x + h, y);
        var (xm, ym) = exactGradient(x - h, y);
        var (xq, yq) = exactGradient(x, y + h);
        var (xn, yn) = exactGradient(x, y - h);
        Check.Close((xp - xm) / (2 * h), hessian[0, 0], 1e-6, level + ": H[0,0]", x, y);
        Check.Close((yp - ym) / (2 * h), hessian[1, 0], 1e-6, level + ": H[1,0]", x, y);
        Check.Close((xq - xn) / (2 * h), hessian[0, 1], 1e-6, level + ": H[0,1]", x, y);
        Check.Close((yq - yn) / (2 * h), hessian[1, 1], 1e-6, level + ": H[1,1]", x, y);
        Check.Close(hessian[0, 1], hessian[1, 0], Check.ExactTolerance, level + ": H symmetric", x, y);
    }
}
