using System;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// Mean negative log-likelihood of logistic regression on a dense batch (rows of <c>x</c>, labels 0/1 in <c>y</c>),
/// written with the numerically stable softplus: log(1 + eᶻ) = log(1 + e^−|z|) + max(z, 0).
/// </summary>
public static partial class LogisticRegression
{
    [Differentiable]
    public static double Loss(double[] w, double b, [NoDerivative] double[,] x, [NoDerivative] double[] y)
    {
        int rows = x.GetLength(0);
        int features = x.GetLength(1);
        double loss = 0;
        for (int i = 0; i < rows; i++)
        {
            double z = b;
            for (int j = 0; j < features; j++)
            {
                z += w[j] * x[i, j];
            }
            loss += Math.Log(1 + Math.Exp(-Math.Abs(z))) + Math.Max(z, 0) - y[i] * z;
        }
        return loss / rows;
    }

    /// <summary>The hand-written gradient: per row one dot product, then dL/dz = σ(z) − y scattered into dw.</summary>
    public static double HandGradient(ReadOnlySpan<double> w, double b, double[,] x, ReadOnlySpan<double> y, Span<double> dw, out double db)
    {
        int rows = x.GetLength(0);
        int features = x.GetLength(1);
        dw.Clear();
        double loss = 0;
        double gb = 0;
        double scale = 1.0 / rows;
        for (int i = 0; i < rows; i++)
        {
            double z = b;
            for (int j = 0; j < features; j++)
            {
                z += w[j] * x[i, j];
            }
            double e = Math.Exp(-Math.Abs(z));
            loss += Math.Log(1 + e) + Math.Max(z, 0) - y[i] * z;
            double sigmoid = z >= 0 ? 1 / (1 + e) : e / (1 + e);
            double g = (sigmoid - y[i]) * scale;
            gb += g;
            for (int j = 0; j < features; j++)
            {
                dw[j] += g * x[i, j];
            }
        }
        db = gb;
        return loss * scale;
    }
}
