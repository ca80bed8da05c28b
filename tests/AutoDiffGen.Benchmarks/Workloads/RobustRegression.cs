using System;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// A helper call per loop iteration: linear regression with the pseudo-Huber loss √(1 + r²) − 1 of each residual,
/// the loss a <c>[Differentiable]</c> helper the per-row loop calls, averaged over the rows.
/// </summary>
public static partial class RobustRegression
{
    [Differentiable]
    public static double PseudoHuber(double r) => Math.Sqrt(1 + r * r) - 1;

    [Differentiable]
    public static double Loss(double[] w, double b, [NoDerivative] double[,] x, [NoDerivative] double[] y)
    {
        int n = x.GetLength(0);
        int m = w.Length;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double r = b - y[i];
            for (int j = 0; j < m; j++)
            {
                r += w[j] * x[i, j];
            }
            total += PseudoHuber(r);
        }
        return total / n;
    }

    /// <summary>The hand-written gradient: one pass, dL/dr = r / √(1 + r²) / n per row, into dw and db.</summary>
    public static double HandGradient(double[] w, double b, double[,] x, double[] y, Span<double> dw, out double db)
    {
        int n = x.GetLength(0);
        int m = w.Length;
        dw.Clear();
        double total = 0;
        double gb = 0;
        double scale = 1.0 / n;
        for (int i = 0; i < n; i++)
        {
            double r = b - y[i];
            for (int j = 0; j < m; j++) r += w[j] * x[i, j];
            double root = Math.Sqrt(1 + r * r);
            total += root - 1;
            double dr = r / root * scale;
            gb += dr;
            for (int j = 0; j < m; j++) dw[j] += dr * x[i, j];
        }
        db = gb;
        return total / n;
    }
}
