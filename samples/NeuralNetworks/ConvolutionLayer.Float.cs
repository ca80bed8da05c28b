using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    // The same model in single precision: float overloads of the same methods.
    public static partial class ConvolutionLayer
    {
        /// <summary>The pooled feature map's loss J = ½‖maxpool(ReLU(I ⋆ K + b)) − T‖², in single precision.</summary>
        [Differentiable]
        public static float Loss(float[,] image, float[,] kernel, float bias, [NoDerivative] float[,] target)
        {
            int rows = image.GetLength(0) - kernel.GetLength(0) + 1;
            int cols = image.GetLength(1) - kernel.GetLength(1) + 1;

            // Valid cross-correlation and ReLU.
            float[,] feature = new float[rows, cols];
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    float sum = bias;
                    for (int u = 0; u < kernel.GetLength(0); u++)
                    {
                        for (int v = 0; v < kernel.GetLength(1); v++)
                        {
                            sum += image[r + u, c + v] * kernel[u, v];
                        }
                    }
                    feature[r, c] = MathF.Max(0, sum);
                }
            }

            // 2×2 max pooling with stride 2, and the squared error against the target.
            float loss = 0;
            for (int p = 0; p < rows / 2; p++)
            {
                for (int q = 0; q < cols / 2; q++)
                {
                    float top = MathF.Max(feature[2 * p, 2 * q], feature[2 * p, 2 * q + 1]);
                    float bottom = MathF.Max(feature[2 * p + 1, 2 * q], feature[2 * p + 1, 2 * q + 1]);
                    float error = MathF.Max(top, bottom) - target[p, q];
                    loss += 0.5f * error * error;
                }
            }
            return loss;
        }
    }
}
