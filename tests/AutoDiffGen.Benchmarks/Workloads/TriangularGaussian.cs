using System;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// A triangular-loop objective: the negative log-likelihood of samples under a Gaussian whose precision is given by
/// its Cholesky factor L (lower triangular, positive diagonal), up to constants: ½ Σₛ ‖L (xₛ − μ)‖² − n Σᵢ log Lᵢᵢ.
/// The product L r runs over the lower triangle, <c>for (j = 0; j &lt;= i; j++)</c>; r is scratch rewritten per sample.
/// </summary>
public static partial class TriangularGaussian
{
    [Differentiable]
    public static double NegLogLikelihood(double[,] l, double[] mu, [NoDerivative] double[,] x)
    {
        int n = x.GetLength(0);
        int d = mu.Length;
        double[] r = new double[d];
        double quadratic = 0;
        for (int s = 0; s < n; s++)
        {
            for (int i = 0; i < d; i++)
            {
                r[i] = x[s, i] - mu[i];
            }
            for (int i = 0; i < d; i++)
            {
                double y = 0;
                for (int j = 0; j <= i; j++)
                {
                    y += l[i, j] * r[j];
                }
                quadratic += y * y;
            }
        }
        double logDeterminant = 0;
        for (int i = 0; i < d; i++)
        {
            logDeterminant += Math.Log(l[i, i]);
        }
        return 0.5 * quadratic - n * logDeterminant;
    }

    /// <summary>
    /// The hand-written gradient: per sample, r and y = L r on the stack; dL[i, j] += yᵢ rⱼ, dr = Lᵀ y, dμ −= dr; then
    /// dLᵢᵢ −= n / Lᵢᵢ. Memory: 2 d doubles, whatever n is.
    /// </summary>
    public static double HandGradient(double[,] l, double[] mu, double[,] x, double[,] dl, Span<double> dmu)
    {
        int n = x.GetLength(0);
        int d = mu.Length;
        Array.Clear(dl);
        dmu.Clear();
        Span<double> r = stackalloc double[d];
        Span<double> dr = stackalloc double[d];
        double quadratic = 0;
        for (int s = 0; s < n; s++)
        {
            for (int i = 0; i < d; i++)
            {
                r[i] = x[s, i] - mu[i];
                dr[i] = 0;
            }
            for (int i = 0; i < d; i++)
            {
                double y = 0;
                for (int j = 0; j <= i; j++) y += l[i, j] * r[j];
                quadratic += y * y;
                for (int j = 0; j <= i; j++)
                {
                    dl[i, j] += y * r[j];
                    dr[j] += l[i, j] * y;
                }
            }
            for (int i = 0; i < d; i++) dmu[i] -= dr[i];
        }
        double logDeterminant = 0;
        for (int i = 0; i < d; i++)
        {
            logDeterminant += Math.Log(l[i, i]);
            dl[i, i] -= n / l[i, i];
        }
        return 0.5 * quadratic - n * logDeterminant;
    }
}
