using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    /// <summary>
    /// The deep feedforward network of Goodfellow, Bengio and Courville, <i>Deep Learning</i>, §6.5, Algorithm 6.3
    /// (forward) with depth l = 3 and f = tanh: h(0) = x; for k = 1…l: a(k) = b(k) + W(k) h(k−1), h(k) = f(a(k));
    /// ŷ = h(l); J = L(ŷ, y) + λΩ(θ) with L = ½‖ŷ − y‖² and the weight decay Ω = ½ Σₖ ‖W(k)‖²_F.
    /// Its gradient is Algorithm 6.4 (back-propagation): g ← ∇ŷ J = ŷ − y; for k = l…1: g ← g ⊙ f′(a(k)),
    /// ∇b(k) J = g, ∇W(k) J = g h(k−1)ᵀ + λW(k), g ← W(k)ᵀ g. The generator derives exactly that from the code below.
    /// </summary>
    public static partial class FeedforwardNetwork
    {
        /// <summary>Unit <paramref name="i"/> of a layer: hᵢ = f(aᵢ) with aᵢ = bᵢ + Σⱼ Wᵢⱼ inputⱼ and f = tanh.</summary>
        [Differentiable]
        public static double Unit(double[,] w, double[] b, double[] input, int i)
        {
            double a = b[i];
            for (int j = 0; j < input.Length; j++)
            {
                a += w[i, j] * input[j];
            }
            return Math.Tanh(a);
        }

        /// <summary>The weight-decay term Ω for one layer: ½‖W‖²_F, the sum of the squares of its weights.</summary>
        [Differentiable]
        public static double Penalty(double[,] w)
        {
            double sum = 0;
            for (int i = 0; i < w.GetLength(0); i++)
            {
                for (int j = 0; j < w.GetLength(1); j++)
                {
                    sum += w[i, j] * w[i, j];
                }
            }
            return 0.5 * sum;
        }

        /// <summary>The cost J = ½‖ŷ − y‖² + λΩ(θ) of one example (x, y), Algorithm 6.3.</summary>
        [Differentiable]
        public static double Loss(
            double[,] w1, double[] b1, double[,] w2, double[] b2, double[,] w3, double[] b3,
            [NoDerivative] double[] x, [NoDerivative] double[] y, [NoDerivative] double lambda)
        {
            double[] h1 = new double[b1.Length];
            for (int i = 0; i < h1.Length; i++)
            {
                h1[i] = Unit(w1, b1, x, i);
            }

            double[] h2 = new double[b2.Length];
            for (int i = 0; i < h2.Length; i++)
            {
                h2[i] = Unit(w2, b2, h1, i);
            }

            double[] yHat = new double[b3.Length];
            for (int i = 0; i < yHat.Length; i++)
            {
                yHat[i] = Unit(w3, b3, h2, i);
            }

            double loss = 0;
            for (int i = 0; i < yHat.Length; i++)
            {
                double error = yHat[i] - y[i];
                loss += 0.5 * error * error;
            }
            return loss + lambda * (Penalty(w1) + Penalty(w2) + Penalty(w3));
        }
    }
}
