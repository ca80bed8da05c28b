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

    /// <summary>
    /// Σ_{j≤i} l[li++] x_i x_j: the packed lower triangle read through an index advanced inside the subscript, forward
    /// and reverse (issue 12).
    /// </summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double PackedTriangleRead(double[] l, double[] x)
    {
        double s = 0;
        int li = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                s += l[li++] * x[i] * x[j];
            }
        }
        return s;
    }

    /// <summary>
    /// As <see cref="PackedTriangleRead"/>, but li also feeds values: each term adds 0.01·li·x_j (li already advanced),
    /// and the result adds li·x_0 after the loops (li = n(n+1)/2 then).
    /// </summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double PackedTriangleIndexAsValue(double[] l, double[] x)
    {
        double s = 0;
        int li = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                s += l[li++] * x[i] * x[j];
                s += 0.01 * li * x[j];
            }
        }
        return s + li * x[0];
    }

    /// <summary>Two values per triangle entry, interleaved: l[li] x_i x_j + l[li + 1] x_j, then li += 2.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double PackedTrianglePairs(double[] l, double[] x)
    {
        double s = 0;
        int li = 0;
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                s += l[li] * x[i] * x[j] + l[li + 1] * x[j];
                li += 2;
            }
        }
        return s;
    }
}
