using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    /// <summary>
    /// An attention-style block on sequences of vectors stored as jagged arrays (x[i] is the i-th query vector):
    /// each query xᵢ scores every key yⱼ by zᵢⱼ = xᵢ·yⱼ, the
    /// scores become weights sᵢ = softmax(zᵢ), and the output is the weighted mean of the values, oᵢ = Σⱼ sᵢⱼ vⱼ;
    /// loss J = ½ Σᵢ ‖oᵢ − tᵢ‖². Textbook gradient: δoᵢ = oᵢ − tᵢ, δsᵢⱼ = vⱼ·δoᵢ, δvⱼ = Σᵢ sᵢⱼ δoᵢ, and through
    /// the softmax δzᵢ = Jⁱ δsᵢ with its Jacobian Jⁱ = diag(sᵢ) − sᵢ sᵢᵀ; then δxᵢ = Σⱼ δzᵢⱼ yⱼ, δyⱼ = Σᵢ δzᵢⱼ xᵢ.
    /// </summary>
    public static partial class Attention
    {
        /// <summary>J = ½ Σᵢ ‖Σⱼ softmax(xᵢ·Y)ⱼ vⱼ − tᵢ‖².</summary>
        [Differentiable]
        public static double Loss(double[][] x, double[][] y, double[][] v, [NoDerivative] double[][] target)
        {
            int queries = x.Length;
            int keys = y.Length;
            int width = x[0].Length;

            // One row of weights, reused for every query.
            double[] s = new double[keys];
            double loss = 0;
            for (int i = 0; i < queries; i++)
            {
                // Scores zᵢⱼ = xᵢ·yⱼ, kept in s.
                double largest = double.NegativeInfinity;
                for (int j = 0; j < keys; j++)
                {
                    double z = 0;
                    for (int k = 0; k < width; k++)
                    {
                        z += x[i][k] * y[j][k];
                    }
                    s[j] = z;
                    largest = Math.Max(largest, z);
                }

                // sᵢ = softmax(zᵢ), computed in place.
                double total = 0;
                for (int j = 0; j < keys; j++)
                {
                    s[j] = Math.Exp(s[j] - largest);
                    total += s[j];
                }
                for (int j = 0; j < keys; j++)
                {
                    s[j] /= total;
                }

                // oᵢ = Σⱼ sᵢⱼ vⱼ and its squared error.
                for (int c = 0; c < v[0].Length; c++)
                {
                    double o = 0;
                    for (int j = 0; j < keys; j++)
                    {
                        o += s[j] * v[j][c];
                    }
                    double error = o - target[i][c];
                    loss += 0.5 * error * error;
                }
            }
            return loss;
        }
    }
}
