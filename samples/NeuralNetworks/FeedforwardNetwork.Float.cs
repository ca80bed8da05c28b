using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    // The same model in single precision: float overloads of the same methods.
    public static partial class FeedforwardNetwork
    {
        /// <summary>Unit <paramref name="i"/> of a layer: hᵢ = f(aᵢ) with aᵢ = bᵢ + Σⱼ Wᵢⱼ inputⱼ and f = tanh, in single precision.</summary>
        [Differentiable]
        public static float Unit(float[,] w, float[] b, float[] input, int i)
        {
            float a = b[i];
            for (int j = 0; j < input.Length; j++)
            {
                a += w[i, j] * input[j];
            }
            return MathF.Tanh(a);
        }

        /// <summary>The weight-decay term Ω for one layer: ½‖W‖²_F, in single precision.</summary>
        [Differentiable]
        public static float Penalty(float[,] w)
        {
            float sum = 0;
            for (int i = 0; i < w.GetLength(0); i++)
            {
                for (int j = 0; j < w.GetLength(1); j++)
                {
                    sum += w[i, j] * w[i, j];
                }
            }
            return 0.5f * sum;
        }

        /// <summary>The cost J = ½‖ŷ − y‖² + λΩ(θ) of one example (x, y), Algorithm 6.3, in single precision.</summary>
        [Differentiable]
        public static float Loss(
            float[,] w1, float[] b1, float[,] w2, float[] b2, float[,] w3, float[] b3,
            [NoDerivative] float[] x, [NoDerivative] float[] y, [NoDerivative] float lambda)
        {
            float[] h1 = new float[b1.Length];
            for (int i = 0; i < h1.Length; i++)
            {
                h1[i] = Unit(w1, b1, x, i);
            }

            float[] h2 = new float[b2.Length];
            for (int i = 0; i < h2.Length; i++)
            {
                h2[i] = Unit(w2, b2, h1, i);
            }

            float[] yHat = new float[b3.Length];
            for (int i = 0; i < yHat.Length; i++)
            {
                yHat[i] = Unit(w3, b3, h2, i);
            }

            float loss = 0;
            for (int i = 0; i < yHat.Length; i++)
            {
                float error = yHat[i] - y[i];
                loss += 0.5f * error * error;
            }
            return loss + lambda * (Penalty(w1) + Penalty(w2) + Penalty(w3));
        }
    }
}
