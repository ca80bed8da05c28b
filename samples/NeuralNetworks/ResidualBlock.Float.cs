using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    // The same model in single precision: float overloads of the same methods.
    public static partial class ResidualBlock
    {
        /// <summary>
        /// Element <paramref name="i"/> of the same-size cross-correlation Σᵤ kernel[u]·signal[i + u − r], where r is
        /// half the kernel length and samples outside the signal count as zero.
        /// </summary>
        [Differentiable]
        public static float Conv(float[] signal, float[] kernel, int i)
        {
            int radius = kernel.Length / 2;
            float sum = 0;
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

        /// <summary>J = ½‖Conv(ReLU(Conv(x, w1)), w2) + x − t‖², in single precision.</summary>
        [Differentiable]
        public static float Loss(float[] x, float[] w1, float[] w2, [NoDerivative] float[] target)
        {
            float[] h = new float[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                h[i] = MathF.Max(0, Conv(x, w1, i));
            }

            float loss = 0;
            for (int i = 0; i < x.Length; i++)
            {
                float z = Conv(h, w2, i) + x[i];
                float error = z - target[i];
                loss += 0.5f * error * error;
            }
            return loss;
        }
    }
}
