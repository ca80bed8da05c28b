using System;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// The ADBench Gaussian mixture model objective (Srajer, Kukelova, Fitzgibbon, "A benchmark of selected algorithmic
/// differentiation tools on some problems in computer vision and machine learning", 2018), written as a user would:
/// the negative log-likelihood up to constants, Σᵢ logsumexpₖ(αₖ + Σⱼ log qₖⱼ − ½‖Qₖ(xᵢ − μₖ)‖²) − n logsumexp(α),
/// plus the Wishart prior. Qₖ is lower triangular with diagonal exp(icf[k, j]) and, below it, icf[k, d..] column by
/// column. Scratch vectors xc and qxc are rewritten for every (sample, component) pair; the off-diagonal part is a
/// triangular loop <c>for (l = j + 1; l &lt; d; l++)</c> with an index <c>li++</c> advanced in its body.
/// </summary>
public static partial class GaussianMixture
{
    /// <summary>log Σₖ exp(v[k]), shifted by the maximum so that it cannot overflow.</summary>
    [Differentiable]
    public static double LogSumExp(double[] v)
    {
        double max = v[0];
        for (int k = 1; k < v.Length; k++)
        {
            if (v[k] > max) max = v[k];
        }
        double sum = 0;
        for (int k = 0; k < v.Length; k++)
        {
            sum += Math.Exp(v[k] - max);
        }
        return Math.Log(sum) + max;
    }

    [Differentiable]
    public static double Objective(double[] alphas, double[,] means, double[,] icf, [NoDerivative] double[,] x,
        [NoDerivative] double wishartGamma, [NoDerivative] int wishartM)
    {
        int n = x.GetLength(0);
        int d = x.GetLength(1);
        int k = alphas.Length;
        double[] xc = new double[d];
        double[] qxc = new double[d];
        double[] main = new double[k];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < k; c++)
            {
                double sumLogDiag = 0;
                for (int j = 0; j < d; j++)
                {
                    xc[j] = x[i, j] - means[c, j];
                    sumLogDiag += icf[c, j];
                }
                for (int j = 0; j < d; j++)
                {
                    qxc[j] = Math.Exp(icf[c, j]) * xc[j];
                }
                int li = d;
                for (int j = 0; j < d; j++)
                {
                    for (int l = j + 1; l < d; l++)
                    {
                        qxc[l] += icf[c, li] * xc[j];
                        li++;
                    }
                }
                double squared = 0;
                for (int j = 0; j < d; j++)
                {
                    squared += qxc[j] * qxc[j];
                }
                main[c] = alphas[c] + sumLogDiag - 0.5 * squared;
            }
            total += LogSumExp(main);
        }

        double prior = 0;
        int offDiagonal = icf.GetLength(1);
        for (int c = 0; c < k; c++)
        {
            double frobenius = 0;
            double sumLogDiag = 0;
            for (int j = 0; j < d; j++)
            {
                frobenius += Math.Exp(2 * icf[c, j]);
                sumLogDiag += icf[c, j];
            }
            for (int j = d; j < offDiagonal; j++)
            {
                frobenius += icf[c, j] * icf[c, j];
            }
            prior += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumLogDiag;
        }
        return total - n * LogSumExp(alphas) + prior;
    }

    /// <summary>
    /// The hand-written gradient: per sample, a forward pass over the components that keeps each component's xc and
    /// Qxc (K × d, on the stack), the softmax weights wₖ = exp(mainₖ − lse), then the backward pass of each component
    /// (dQxc = −wₖ Qxc, through the triangular product to the diagonal, the off-diagonal entries and the mean).
    /// Memory: 2 K d + K doubles, whatever n is.
    /// </summary>
    public static double HandGradient(double[] alphas, double[,] means, double[,] icf, double[,] x, double wishartGamma, int wishartM,
        Span<double> dalphas, double[,] dmeans, double[,] dicf)
    {
        int n = x.GetLength(0);
        int d = x.GetLength(1);
        int k = alphas.Length;
        int width = icf.GetLength(1);
        dalphas.Clear();
        Array.Clear(dmeans);
        Array.Clear(dicf);
        Span<double> xcs = stackalloc double[k * d];
        Span<double> qxcs = stackalloc double[k * d];
        Span<double> main = stackalloc double[k];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                Span<double> xc = xcs.Slice(c * d, d);
                Span<double> qxc = qxcs.Slice(c * d, d);
                double sumLogDiag = 0;
                for (int j = 0; j < d; j++)
                {
                    xc[j] = x[i, j] - means[c, j];
                    sumLogDiag += icf[c, j];
                    qxc[j] = Math.Exp(icf[c, j]) * xc[j];
                }
                int li = d;
                for (int j = 0; j < d; j++)
                {
                    double xj = xc[j];
                    for (int l = j + 1; l < d; l++)
                    {
                        qxc[l] += icf[c, li++] * xj;
                    }
                }
                double squared = 0;
                for (int j = 0; j < d; j++) squared += qxc[j] * qxc[j];
                main[c] = alphas[c] + sumLogDiag - 0.5 * squared;
                if (main[c] > max) max = main[c];
            }
            double sum = 0;
            for (int c = 0; c < k; c++) sum += Math.Exp(main[c] - max);
            double lse = Math.Log(sum) + max;
            total += lse;
            for (int c = 0; c < k; c++)
            {
                double w = Math.Exp(main[c] - lse);
                Span<double> xc = xcs.Slice(c * d, d);
                Span<double> qxc = qxcs.Slice(c * d, d);
                dalphas[c] += w;
                // dQxc = −w Qxc; Qxc[l] = e^{icf[c,l]} xc[l] + Σ_{j<l} L[l,j] xc[j].
                for (int j = 0; j < d; j++)
                {
                    double dq = -w * qxc[j];
                    double diagonal = Math.Exp(icf[c, j]);
                    dicf[c, j] += w + dq * diagonal * xc[j];
                    qxc[j] = dq;   // from here on qxc holds dQxc
                }
                int li = d;
                for (int j = 0; j < d; j++)
                {
                    double dxj = Math.Exp(icf[c, j]) * qxc[j];
                    double xj = xc[j];
                    for (int l = j + 1; l < d; l++)
                    {
                        dicf[c, li] += qxc[l] * xj;
                        dxj += icf[c, li] * qxc[l];
                        li++;
                    }
                    dmeans[c, j] -= dxj;
                }
            }
        }

        // − n logsumexp(α)
        double amax = double.NegativeInfinity;
        for (int c = 0; c < k; c++) if (alphas[c] > amax) amax = alphas[c];
        double asum = 0;
        for (int c = 0; c < k; c++) asum += Math.Exp(alphas[c] - amax);
        double alse = Math.Log(asum) + amax;
        for (int c = 0; c < k; c++) dalphas[c] -= n * Math.Exp(alphas[c] - alse);

        double prior = 0;
        double g2 = wishartGamma * wishartGamma;
        for (int c = 0; c < k; c++)
        {
            double frobenius = 0;
            double sumLogDiag = 0;
            for (int j = 0; j < d; j++)
            {
                double e2 = Math.Exp(2 * icf[c, j]);
                frobenius += e2;
                sumLogDiag += icf[c, j];
                dicf[c, j] += g2 * e2 - wishartM;
            }
            for (int j = d; j < width; j++)
            {
                frobenius += icf[c, j] * icf[c, j];
                dicf[c, j] += g2 * icf[c, j];
            }
            prior += 0.5 * g2 * frobenius - wishartM * sumLogDiag;
        }
        return total - n * alse + prior;
    }
}
