using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    // The same model in single precision: float overloads of the same methods.
    public static partial class SharedWeights
    {
        /// <summary>J = ½‖ReLU(X·W)·W − T‖², in single precision.</summary>
        [Differentiable]
        public static float Loss(float[,] w, [NoDerivative] float[,] x, [NoDerivative] float[,] target)
        {
            int n = x.GetLength(0);
            int d = w.GetLength(0);

            float[,] h = new float[n, d];
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < d; k++)
                {
                    float a = 0;
                    for (int j = 0; j < d; j++)
                    {
                        a += x[i, j] * w[j, k];
                    }
                    h[i, k] = MathF.Max(0, a);
                }
            }

            float loss = 0;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < d; k++)
                {
                    float y = 0;
                    for (int j = 0; j < d; j++)
                    {
                        y += h[i, j] * w[j, k];
                    }
                    float error = y - target[i, k];
                    loss += 0.5f * error * error;
                }
            }
            return loss;
        }
    }
}
