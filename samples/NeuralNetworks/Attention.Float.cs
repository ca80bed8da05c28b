using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    // The same model in single precision: float overloads of the same methods.
    public static partial class Attention
    {
        /// <summary>J = ½ Σᵢ ‖Σⱼ softmax(xᵢ·Y)ⱼ vⱼ − tᵢ‖², in single precision.</summary>
        [Differentiable]
        public static float Loss(float[][] x, float[][] y, float[][] v, [NoDerivative] float[][] target)
        {
            int queries = x.Length;
            int keys = y.Length;
            int width = x[0].Length;

            // One row of weights, reused for every query.
            float[] s = new float[keys];
            float loss = 0;
            for (int i = 0; i < queries; i++)
            {
                // Scores zᵢⱼ = xᵢ·yⱼ, kept in s.
                float largest = float.NegativeInfinity;
                for (int j = 0; j < keys; j++)
                {
                    float z = 0;
                    for (int k = 0; k < width; k++)
                    {
                        z += x[i][k] * y[j][k];
                    }
                    s[j] = z;
                    largest = MathF.Max(largest, z);
                }

                // sᵢ = softmax(zᵢ), computed in place.
                float total = 0;
                for (int j = 0; j < keys; j++)
                {
                    s[j] = MathF.Exp(s[j] - largest);
                    total += s[j];
                }
                for (int j = 0; j < keys; j++)
                {
                    s[j] /= total;
                }

                // oᵢ = Σⱼ sᵢⱼ vⱼ and its squared error.
                for (int c = 0; c < v[0].Length; c++)
                {
                    float o = 0;
                    for (int j = 0; j < keys; j++)
                    {
                        o += s[j] * v[j][c];
                    }
                    float error = o - target[i][c];
                    loss += 0.5f * error * error;
                }
            }
            return loss;
        }
    }
}
