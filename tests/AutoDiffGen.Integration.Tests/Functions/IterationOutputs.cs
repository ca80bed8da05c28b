using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>
/// Loops that leave one value per iteration in a local array and rewrite scratch vectors per iteration, with an index
/// advanced in a triangular loop (IterationOutputTests): the GMM's component loop, small. Samples are rows of x (data);
/// each of 2 components has a diagonal l[3c + j] (exponentiated) and 3 off-diagonal entries l[6 + 3c ..].
/// </summary>
public static partial class IterationOutputs
{
    /// <summary>Σ_s log Σ_c exp(−‖Q_c x_s‖²): the sample loop is fused, the component loop recomputed.</summary>
    [Differentiable]
    public static double SoftMinOfComponents(double[] l, [NoDerivative] double[,] x)
    {
        int d = x.GetLength(1);
        double[] xc = new double[d];
        double[] qxc = new double[d];
        double[] main = new double[2];
        double total = 0;
        for (int s = 0; s < x.GetLength(0); s++)
        {
            for (int c = 0; c < 2; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    xc[j] = x[s, j];
                }
                for (int j = 0; j < d; j++)
                {
                    qxc[j] = Math.Exp(l[3 * c + j]) * xc[j];
                }
                int li = 6 + 3 * c;
                for (int j = 0; j < d; j++)
                {
                    for (int m = j + 1; m < d; m++)
                    {
                        qxc[m] += l[li] * xc[j];
                        li++;
                    }
                }
                double squared = 0;
                for (int j = 0; j < d; j++)
                {
                    squared += qxc[j] * qxc[j];
                }
                main[c] = -squared;
            }
            total += Math.Log(Math.Exp(main[0]) + Math.Exp(main[1]));
        }
        return total;
    }

    /// <summary>
    /// The same with the total halved before each sample's term (total = total / 2 + lse): the sample loop carries state
    /// and is not fused, so the component loop stays taped.
    /// </summary>
    [Differentiable]
    public static double DiscountedSoftMinOfComponents(double[] l, [NoDerivative] double[,] x)
    {
        int d = x.GetLength(1);
        double[] xc = new double[d];
        double[] qxc = new double[d];
        double[] main = new double[2];
        double total = 0;
        for (int s = 0; s < x.GetLength(0); s++)
        {
            for (int c = 0; c < 2; c++)
            {
                for (int j = 0; j < d; j++)
                {
                    xc[j] = x[s, j];
                }
                for (int j = 0; j < d; j++)
                {
                    qxc[j] = Math.Exp(l[3 * c + j]) * xc[j];
                }
                int li = 6 + 3 * c;
                for (int j = 0; j < d; j++)
                {
                    for (int m = j + 1; m < d; m++)
                    {
                        qxc[m] += l[li] * xc[j];
                        li++;
                    }
                }
                double squared = 0;
                for (int j = 0; j < d; j++)
                {
                    squared += qxc[j] * qxc[j];
                }
                main[c] = -squared;
            }
            total = total * 0.5 + Math.Log(Math.Exp(main[0]) + Math.Exp(main[1]));
        }
        return total;
    }

    /// <summary>log Σ_c exp(−‖diag(e^l_c) x‖²) for one sample: a component loop at the top level, recomputed.</summary>
    [Differentiable]
    public static double TopLevelSoftMin(double[] l, [NoDerivative] double[] x)
    {
        double[] q = new double[3];
        double[] main = new double[2];
        for (int c = 0; c < 2; c++)
        {
            for (int j = 0; j < 3; j++)
            {
                q[j] = Math.Exp(l[3 * c + j]) * x[j];
            }
            double squared = 0;
            for (int j = 0; j < 3; j++)
            {
                squared += q[j] * q[j];
            }
            main[c] = -squared;
        }
        return Math.Log(Math.Exp(main[0]) + Math.Exp(main[1]));
    }

    /// <summary>The same, reading main (still zero) before the loop: the loop stays taped.</summary>
    [Differentiable]
    public static double TopLevelSoftMinReadBefore(double[] l, [NoDerivative] double[] x)
    {
        double[] q = new double[3];
        double[] main = new double[2];
        double before = main[1] * 0.5;
        for (int c = 0; c < 2; c++)
        {
            for (int j = 0; j < 3; j++)
            {
                q[j] = Math.Exp(l[3 * c + j]) * x[j];
            }
            double squared = 0;
            for (int j = 0; j < 3; j++)
            {
                squared += q[j] * q[j];
            }
            main[c] = -squared;
        }
        return Math.Log(Math.Exp(main[0]) + Math.Exp(main[1])) + before;
    }
}
