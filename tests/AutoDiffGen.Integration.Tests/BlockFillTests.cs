using System;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// A scratch array written as interleaved blocks each step (the LSTM's gates), recorded once per step by the engine
/// (ReverseModeTransform.BlockFills.cs), and the same with a gap between the blocks (restored write by write): MGradient
/// and MBackward against the hand-derived gradient and central differences.
/// </summary>
public class BlockFillTests
{
    private const int Units = 3;
    private const int Steps = 5;

    /// <summary>
    /// The gradient of <see cref="BlockFills.GatedRecurrence"/> by forward tangents, unit by unit: each unit's h depends on
    /// its three weights and on every x_t, so its tangent has 3 + Steps components.
    /// </summary>
    private static void Exact(double[] w, double[] x, double[] dw, double[] dx)
    {
        int p = 3 + x.Length;
        for (int i = 0; i < Units; i++)
        {
            double h = 0.5;
            var dh = new double[p];
            double w0 = w[i], w1 = w[Units + i], w2 = w[2 * Units + i];
            for (int t = 0; t < x.Length; t++)
            {
                double a = Math.Tanh(w0 * h + x[t]), c = Math.Tanh(w2 * h), g = w1 * x[t];
                var next = new double[p];
                for (int k = 0; k < p; k++)
                {
                    double dza = w0 * dh[k] + (k == 0 ? h : 0) + (k == 3 + t ? 1 : 0);
                    double dzc = w2 * dh[k] + (k == 2 ? h : 0);
                    double dg = (k == 1 ? x[t] : 0) + (k == 3 + t ? w1 : 0);
                    next[k] = c * (1 - a * a) * dza + a * (1 - c * c) * dzc + dg;
                }
                h = a * c + g;
                dh = next;
                dw[i] += 2 * h * dh[0];
                dw[Units + i] += 2 * h * dh[1];
                dw[2 * Units + i] += 2 * h * dh[2];
                for (int s = 0; s < x.Length; s++) dx[s] += 2 * h * dh[3 + s];
            }
        }
    }

    private static readonly Shape[] Shapes = { Shape.Vector("w", 3 * Units), Shape.Vector("x", Steps) };

    [Fact]
    public void Interleaved_blocks_covering_the_scratch_array()
    {
        ArrayCheck.Gradient(Shapes,
            p => BlockFills.GatedRecurrence(p.Vector(0), p.Vector(1), Units),
            (p, g) => BlockFills.GatedRecurrenceGradient(p.Vector(0), p.Vector(1), Units, g.Vector(0), g.Vector(1)),
            (p, seed, g) => BlockFills.GatedRecurrenceBackward(p.Vector(0), p.Vector(1), Units, seed, g.Vector(0), g.Vector(1)),
            (p, e) => Exact(p.Vector(0), p.Vector(1), e.Vector(0), e.Vector(1)),
            ArrayCheck.Points(Shapes, -1, 1));
    }

    [Fact]
    public void Interleaved_blocks_with_a_gap()
    {
        ArrayCheck.Gradient(Shapes,
            p => BlockFills.GatedRecurrenceWithGap(p.Vector(0), p.Vector(1), Units),
            (p, g) => BlockFills.GatedRecurrenceWithGapGradient(p.Vector(0), p.Vector(1), Units, g.Vector(0), g.Vector(1)),
            (p, seed, g) => BlockFills.GatedRecurrenceWithGapBackward(p.Vector(0), p.Vector(1), Units, seed, g.Vector(0), g.Vector(1)),
            (p, e) => Exact(p.Vector(0), p.Vector(1), e.Vector(0), e.Vector(1)),
            ArrayCheck.Points(Shapes, -1, 1));
    }

    [Fact]
    public void A_fill_whose_bound_is_a_parameter_reassigned_after_the_allocation_is_not_a_whole_fill()
    {
        // total = x₀ (w³ + 2w² + 3w): ∂x₀ = w³ + 2w² + 3w, ∂w = x₀ (3w² + 4w + 3), ∂x_i = 0 for i > 0.
        Shape[] shapes = { Shape.Vector("x", 4), Shape.Scalar("w") };
        ArrayCheck.Gradient(shapes,
            p => BlockFills.CarriedPastTheFill(p.Vector(0), p.Scalar(1), 4),
            (p, g) => BlockFills.CarriedPastTheFillGradient(p.Vector(0), p.Scalar(1), 4, g.Vector(0), out g.Ref(1)),
            (p, seed, g) => BlockFills.CarriedPastTheFillBackward(p.Vector(0), p.Scalar(1), 4, seed, g.Vector(0), ref g.Ref(1)),
            (p, e) =>
            {
                double x0 = p.Vector(0)[0], w = p.Scalar(1);
                e.Vector(0)[0] = w * w * w + 2 * w * w + 3 * w;
                e.Ref(1) = x0 * (3 * w * w + 4 * w + 3);
            },
            ArrayCheck.Points(shapes, -1.2, 1.2));
    }
}
