using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// A loop that leaves one value per iteration in a local array and rewrites scratch vectors per iteration (the GMM's
/// component loop, small), recomputed in reverse where that is sound (a fused loop around it, or none; nothing reading
/// the array before it) and taped where it is not: the gradient is the same either way, checked against a hand-derived
/// gradient and central differences.
/// </summary>
public class IterationOutputTests
{
    private static readonly double[,] Samples = { { 1.0, 0.5, -0.3 }, { 0.7, -0.8, 0.6 }, { -0.4, 0.9, 0.2 } };
    private static readonly double[] FirstSample = { 1.0, 0.5, -0.3 };
    private static readonly Shape[] Mixture = { Shape.Vector("l", 12) };
    private static readonly Shape[] TopLevel = { Shape.Vector("l", 6) };

    [Fact]
    public void Component_loop_in_a_fused_sample_loop()
    {
        ArrayCheck.Gradient(Mixture,
            p => IterationOutputs.SoftMinOfComponents(p.Vector(0), Samples),
            (p, g) => IterationOutputs.SoftMinOfComponentsGradient(p.Vector(0), Samples, g.Vector(0)),
            (p, seed, g) => IterationOutputs.SoftMinOfComponentsBackward(p.Vector(0), Samples, seed, g.Vector(0)),
            (p, e) => ExactMixture(p.Vector(0), e.Vector(0), 1.0),
            ArrayCheck.Points(Mixture, -0.6, 0.6));
    }

    [Fact]
    public void Component_loop_in_a_sample_loop_that_carries_state()
    {
        ArrayCheck.Gradient(Mixture,
            p => IterationOutputs.DiscountedSoftMinOfComponents(p.Vector(0), Samples),
            (p, g) => IterationOutputs.DiscountedSoftMinOfComponentsGradient(p.Vector(0), Samples, g.Vector(0)),
            (p, seed, g) => IterationOutputs.DiscountedSoftMinOfComponentsBackward(p.Vector(0), Samples, seed, g.Vector(0)),
            (p, e) => ExactMixture(p.Vector(0), e.Vector(0), 0.5),
            ArrayCheck.Points(Mixture, -0.6, 0.6));
    }

    [Fact]
    public void Component_loop_at_the_top_level()
    {
        ArrayCheck.Gradient(TopLevel,
            p => IterationOutputs.TopLevelSoftMin(p.Vector(0), FirstSample),
            (p, g) => IterationOutputs.TopLevelSoftMinGradient(p.Vector(0), FirstSample, g.Vector(0)),
            (p, seed, g) => IterationOutputs.TopLevelSoftMinBackward(p.Vector(0), FirstSample, seed, g.Vector(0)),
            (p, e) => ExactTopLevel(p.Vector(0), e.Vector(0)),
            ArrayCheck.Points(TopLevel, -0.6, 0.6));
    }

    [Fact]
    public void Component_loop_at_the_top_level_whose_output_is_read_before_it()
    {
        ArrayCheck.Gradient(TopLevel,
            p => IterationOutputs.TopLevelSoftMinReadBefore(p.Vector(0), FirstSample),
            (p, g) => IterationOutputs.TopLevelSoftMinReadBeforeGradient(p.Vector(0), FirstSample, g.Vector(0)),
            (p, seed, g) => IterationOutputs.TopLevelSoftMinReadBeforeBackward(p.Vector(0), FirstSample, seed, g.Vector(0)),
            (p, e) => ExactTopLevel(p.Vector(0), e.Vector(0)),
            ArrayCheck.Points(TopLevel, -0.6, 0.6));
    }

    /// <summary>
    /// Per sample s (weight discount^(2 − s)) and component c: q = Q_c x_s, Q_c lower triangular with diagonal e^l[3c + j]
    /// and off-diagonal l[6 + 3c ..] column by column; w_c = softmax(−‖q‖²); ∂/∂Q_c[m, j] = −2 w_c q_m x_j.
    /// </summary>
    private static void ExactMixture(double[] l, double[] dl, double discount)
    {
        double[,] x = Samples;
        for (int s = 0; s < 3; s++)
        {
            double weightOfSample = Math.Pow(discount, 2 - s);
            var qs = new double[2][];
            var main = new double[2];
            for (int c = 0; c < 2; c++)
            {
                var q = new double[3];
                for (int j = 0; j < 3; j++) q[j] = Math.Exp(l[3 * c + j]) * x[s, j];
                int li = 6 + 3 * c;
                for (int j = 0; j < 3; j++)
                {
                    for (int m = j + 1; m < 3; m++) q[m] += l[li++] * x[s, j];
                }
                qs[c] = q;
                main[c] = -q.Sum(v => v * v);
            }
            double lse = Math.Log(Math.Exp(main[0]) + Math.Exp(main[1]));
            for (int c = 0; c < 2; c++)
            {
                double w = weightOfSample * Math.Exp(main[c] - lse);
                for (int j = 0; j < 3; j++) dl[3 * c + j] += -2 * w * qs[c][j] * Math.Exp(l[3 * c + j]) * x[s, j];
                int li = 6 + 3 * c;
                for (int j = 0; j < 3; j++)
                {
                    for (int m = j + 1; m < 3; m++) dl[li++] += -2 * w * qs[c][m] * x[s, j];
                }
            }
        }
    }

    /// <summary>f = log Σ_c exp(−sq_c), sq_c = Σ_j (e^l[3c+j] x_j)²: ∂f/∂l[3c + j] = −2 w_c (e^l[3c+j] x_j)².</summary>
    private static void ExactTopLevel(double[] l, double[] dl)
    {
        double[,] x = Samples;
        var sq = new double[2];
        for (int c = 0; c < 2; c++)
        {
            for (int j = 0; j < 3; j++) sq[c] += Math.Pow(Math.Exp(l[3 * c + j]) * x[0, j], 2);
        }
        double lse = Math.Log(Math.Exp(-sq[0]) + Math.Exp(-sq[1]));
        for (int c = 0; c < 2; c++)
        {
            double w = Math.Exp(-sq[c] - lse);
            for (int j = 0; j < 3; j++) dl[3 * c + j] = -2 * w * Math.Pow(Math.Exp(l[3 * c + j]) * x[0, j], 2);
        }
    }
}
