using System;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>Loops bounded by an enclosing counter (j = i + 1 .. n, j = 0 .. i) and an index advanced in the body (li++).</summary>
public class TriangularLoopTests
{
    [Fact]
    public void Packed_lower_triangular_quadratic_form()
    {
        // f = Σ_i Σ_{j≤i} x_i L_ij x_j, L packed row by row: ∂f/∂L_ij = x_i x_j, ∂f/∂x_k = Σ_{j≤k} L_kj x_j + Σ_{i≥k} x_i L_ik.
        Shape[] shapes = { Shape.Vector("l", 10), Shape.Vector("x", 4) };
        ArrayCheck.Gradient(shapes,
            p => TriangularLoops.PackedQuadraticForm(p.Vector(0), p.Vector(1)),
            (p, g) => TriangularLoops.PackedQuadraticFormGradient(p.Vector(0), p.Vector(1), g.Vector(0), g.Vector(1)),
            (p, seed, g) => TriangularLoops.PackedQuadraticFormBackward(p.Vector(0), p.Vector(1), seed, g.Vector(0), g.Vector(1)),
            (p, e) =>
            {
                double[] l = p.Vector(0), x = p.Vector(1), dl = e.Vector(0), dx = e.Vector(1);
                int li = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    for (int j = 0; j <= i; j++, li++)
                    {
                        dl[li] = x[i] * x[j];
                        dx[i] += l[li] * x[j];
                        dx[j] += x[i] * l[li];
                    }
                }
            },
            ArrayCheck.Points(shapes, -2, 2));
    }

    [Fact]
    public void Pair_interactions_over_the_strict_upper_triangle()
    {
        // f = E², E = Σ_{i<j} tanh(x_i x_j): ∂f/∂x_k = 2E Σ_{m≠k} x_m (1 − tanh²(x_k x_m)).
        Shape[] shapes = { Shape.Vector("x", 5) };
        ArrayCheck.Gradient(shapes,
            p => TriangularLoops.PairInteractions(p.Vector(0)),
            (p, g) => TriangularLoops.PairInteractionsGradient(p.Vector(0), g.Vector(0)),
            (p, seed, g) => TriangularLoops.PairInteractionsBackward(p.Vector(0), seed, g.Vector(0)),
            (p, e) =>
            {
                double[] x = p.Vector(0), dx = e.Vector(0);
                double energy = 0;
                for (int i = 0; i < x.Length; i++) for (int j = i + 1; j < x.Length; j++) energy += Math.Tanh(x[i] * x[j]);
                for (int k = 0; k < x.Length; k++)
                {
                    for (int m = 0; m < x.Length; m++)
                    {
                        if (m != k) dx[k] += 2 * energy * x[m] * (1 - Math.Pow(Math.Tanh(x[k] * x[m]), 2));
                    }
                }
            },
            ArrayCheck.Points(shapes, -1.5, 1.5));
    }
}
