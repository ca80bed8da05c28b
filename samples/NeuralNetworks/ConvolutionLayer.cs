using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    /// <summary>
    /// A convolution layer as in a CNN: the valid cross-correlation C = I ⋆ K + b of an image with a kernel,
    /// ReLU R = max(0, C), 2×2 max pooling with stride 2, P[p, q] = max of R over rows 2p, 2p+1 and columns 2q, 2q+1,
    /// and the loss J = ½‖P − T‖². Textbook gradient, with δC = ∂J/∂C (the pooled error routed to each window's
    /// maximum, times [C &gt; 0]): δK = I ⋆ δC, δb = Σ δC and δI = pad(δC) ⋆ flip(K), the full convolution of δC with K.
    /// </summary>
    public static partial class ConvolutionLayer
    {
        /// <summary>The pooled feature map's loss J = ½‖maxpool(ReLU(I ⋆ K + b)) − T‖².</summary>
        [Differentiable]
        public static double Loss(double[,] image, double[,] kernel, double bias, [NoDerivative] double[,] target)
        {
            int rows = image.GetLength(0) - kernel.GetLength(0) + 1;
            int cols = image.GetLength(1) - kernel.GetLength(1) + 1;

            // Valid cross-correlation and ReLU.
            double[,] feature = new double[rows, cols];
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    double sum = bias;
                    for (int u = 0; u < kernel.GetLength(0); u++)
                    {
                        for (int v = 0; v < kernel.GetLength(1); v++)
                        {
                            sum += image[r + u, c + v] * kernel[u, v];
                        }
                    }
                    feature[r, c] = Math.Max(0, sum);
                }
            }

            // 2×2 max pooling with stride 2, and the squared error against the target.
            double loss = 0;
            for (int p = 0; p < rows / 2; p++)
            {
                for (int q = 0; q < cols / 2; q++)
                {
                    double top = Math.Max(feature[2 * p, 2 * q], feature[2 * p, 2 * q + 1]);
                    double bottom = Math.Max(feature[2 * p + 1, 2 * q], feature[2 * p + 1, 2 * q + 1]);
                    double error = Math.Max(top, bottom) - target[p, q];
                    loss += 0.5 * error * error;
                }
            }
            return loss;
        }
    }
}
