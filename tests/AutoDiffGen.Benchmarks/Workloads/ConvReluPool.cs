using System;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// A convolution layer on one image: F filters of K×K (valid convolution, stride 1), ReLU, 2×2 max pooling, and a
/// squared error against a target map. Filters are rows of <c>kernels</c> (F × K·K); the activation map is a local
/// F × O² matrix, O = size − K + 1.
/// </summary>
public static partial class ConvReluPool
{
    [Differentiable]
    public static double Loss(double[,] kernels, double[] bias, [NoDerivative] double[,] image, [NoDerivative] double[,] target, [NoDerivative] int k)
    {
        int filters = bias.Length;
        int size = image.GetLength(0);
        int o = size - k + 1;
        int p = o / 2;
        double[,] act = new double[filters, o * o];
        for (int f = 0; f < filters; f++)
        {
            for (int r = 0; r < o; r++)
            {
                for (int c = 0; c < o; c++)
                {
                    double a = bias[f];
                    for (int u = 0; u < k; u++)
                    {
                        for (int v = 0; v < k; v++)
                        {
                            a += kernels[f, u * k + v] * image[r + u, c + v];
                        }
                    }
                    act[f, r * o + c] = Math.Max(a, 0);
                }
            }
        }
        double loss = 0;
        for (int f = 0; f < filters; f++)
        {
            for (int r = 0; r < p; r++)
            {
                for (int c = 0; c < p; c++)
                {
                    int i = 2 * r * o + 2 * c;
                    double m = Math.Max(Math.Max(act[f, i], act[f, i + 1]), Math.Max(act[f, i + o], act[f, i + o + 1]));
                    double e = m - target[f, r * p + c];
                    loss += e * e;
                }
            }
        }
        return loss;
    }

    /// <summary>
    /// The hand-written gradient: the forward pass into the same activation map (allocated, as the function does),
    /// then for each pooling window the error flows to the selected cell only, and through ReLU to the kernel and bias.
    /// </summary>
    public static double HandGradient(double[,] kernels, double[] bias, double[,] image, double[,] target, int k, double[,] dkernels, Span<double> dbias)
    {
        int filters = bias.Length;
        int size = image.GetLength(0);
        int o = size - k + 1;
        int p = o / 2;
        Array.Clear(dkernels);
        dbias.Clear();
        double[,] act = new double[filters, o * o];
        for (int f = 0; f < filters; f++)
        {
            for (int r = 0; r < o; r++)
            {
                for (int c = 0; c < o; c++)
                {
                    double a = bias[f];
                    for (int u = 0; u < k; u++)
                    {
                        for (int v = 0; v < k; v++)
                        {
                            a += kernels[f, u * k + v] * image[r + u, c + v];
                        }
                    }
                    act[f, r * o + c] = Math.Max(a, 0);
                }
            }
        }
        double loss = 0;
        for (int f = 0; f < filters; f++)
        {
            for (int r = 0; r < p; r++)
            {
                for (int c = 0; c < p; c++)
                {
                    int i = 2 * r * o + 2 * c;
                    // The first maximal cell of the window, in the order Math.Max(Math.Max(a, b), Math.Max(c, d)) selects it.
                    int top = act[f, i] >= act[f, i + 1] ? i : i + 1;
                    int bottom = act[f, i + o] >= act[f, i + o + 1] ? i + o : i + o + 1;
                    int best = act[f, top] >= act[f, bottom] ? top : bottom;
                    double e = act[f, best] - target[f, r * p + c];
                    loss += e * e;
                    if (act[f, best] <= 0) continue; // ReLU inactive (or tie at 0): no gradient, as Math.Max(a, 0) gives.
                    double g = 2 * e;
                    int br = best / o;
                    int bc = best % o;
                    dbias[f] += g;
                    for (int u = 0; u < k; u++)
                    {
                        for (int v = 0; v < k; v++)
                        {
                            dkernels[f, u * k + v] += g * image[br + u, bc + v];
                        }
                    }
                }
            }
        }
        return loss;
    }
}
