using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    /// <summary>
    /// A residual block on a one-dimensional signal: z = Conv(ReLU(Conv(x, w1)), w2) + x, with the loss
    /// J = ½‖z − t‖². Conv is a "same" cross-correlation with an odd-length kernel and zero padding, so z has the
    /// length of x. The input x reaches z along two paths, the skip connection and the convolutions, and its
    /// gradient is the sum of both: δx = δz + Convᵀ(δa, w1), with δz = z − t, δh = Convᵀ(δz, w2), δa = δh ⊙ [a &gt; 0],
    /// δw2[u] = Σᵢ δzᵢ h[i + u − r], δw1[u] = Σᵢ δaᵢ x[i + u − r] (r = kernel radius).
    /// </summary>
    public static partial class ResidualBlock
    {
        /// <summary>
        /// Element <paramref name="i"/> of the same-size cross-correlation Σᵤ kernel[u]·signal[i + u − r], where r is
        /// half the kernel length and samples outside the signal count as zero.
        /// </summary>
        [Differentiable]
        public static double Conv(double[] signal, double[] kernel, int i)
        {
            int radius = kernel.Length / 2;
            double sum = 0;
            for (int u = 0; u < kernel.Length; u++)
            {
                int k = i + u - radius;
                if (k >= 0 && k < signal.Length)
                {
                    sum += kernel[u] * signal[k];
                }
            }
            return sum;
        }

        /// <summary>J = ½‖Conv(ReLU(Conv(x, w1)), w2) + x − t‖².</summary>
        [Differentiable]
        public static double Loss(double[] x, double[] w1, double[] w2, [NoDerivative] double[] target)
        {
            double[] h = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                h[i] = Math.Max(0, Conv(x, w1, i));
            }

            double loss = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double z = Conv(h, w2, i) + x[i];
                double error = z - target[i];
                loss += 0.5 * error * error;
            }
            return loss;
        }
    }
}
