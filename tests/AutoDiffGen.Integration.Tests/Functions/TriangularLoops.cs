using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>Loops whose bounds depend on an enclosing counter, and an index advanced in the body (TriangularLoopTests).</summary>
public static partial class TriangularLoops
{
    /// <summary>xᵀ L x with L lower-triangular, stored packed row by row: l[li++] for j ≤ i.</summary>
    [Differentiable]
    public static double PackedQuadraticForm(double[] l, double[] x)
    {
        double sum = 0;
        int li = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                sum += x[i] * l[li] * x[j];
                li++;
            }
        }
        return sum;
    }

    /// <summary>Σ_{i&lt;j} tanh(x_i x_j): the strictly upper triangle, inner loop from i + 1.</summary>
    [Differentiable]
    public static double PairInteractions(double[] x)
    {
        double energy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = i + 1; j < x.Length; j++)
            {
                double p = x[i] * x[j];
                energy += Math.Tanh(p);
            }
        }
        return energy * energy;
    }
}
