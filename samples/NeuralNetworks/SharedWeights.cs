using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    /// <summary>
    /// One weight matrix used twice: Y = ReLU(X·W)·W with the loss J = ½‖Y − T‖² (X is n×d data, W is d×d).
    /// Textbook gradient, summed over both uses of W: with A = X·W, H = ReLU(A), δY = Y − T,
    /// ∇W = Hᵀ δY (second use) + Xᵀ ((δY Wᵀ) ⊙ [A &gt; 0]) (first use).
    /// </summary>
    public static partial class SharedWeights
    {
        /// <summary>J = ½‖ReLU(X·W)·W − T‖².</summary>
        [Differentiable]
        public static double Loss(double[,] w, [NoDerivative] double[,] x, [NoDerivative] double[,] target)
        {
            int n = x.GetLength(0);
            int d = w.GetLength(0);

            double[,] h = new double[n, d];
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < d; k++)
                {
                    double a = 0;
                    for (int j = 0; j < d; j++)
                    {
                        a += x[i, j] * w[j, k];
                    }
                    h[i, k] = Math.Max(0, a);
                }
            }

            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < d; k++)
                {
                    double y = 0;
                    for (int j = 0; j < d; j++)
                    {
                        y += h[i, j] * w[j, k];
                    }
                    double error = y - target[i, k];
                    loss += 0.5 * error * error;
                }
            }
            return loss;
        }
    }
}
