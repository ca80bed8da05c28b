using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    /// <summary>
    /// A classifier with one hidden ReLU layer, a softmax output and weight decay:
    /// h = ReLU(W1 x + b1), z = W2 h + b2, p = softmax(z), per-example loss −log p_label (cross-entropy),
    /// J = (1/n) Σ −log p_label + (λ/2)(‖W1‖²_F + ‖W2‖²_F).
    /// Textbook gradient: δz = p − onehot(label); ∇W2 = δz hᵀ, ∇b2 = δz; δh = W2ᵀ δz; δa = δh ⊙ [a &gt; 0];
    /// ∇W1 = δa xᵀ, ∇b1 = δa; averaged over the examples, plus λW1 and λW2.
    /// Weights are stored as W[output, input], so aᵢ = bᵢ + Σⱼ Wᵢⱼ xⱼ.
    /// </summary>
    public static partial class SoftmaxMlp
    {
        /// <summary>
        /// The cross-entropy −log softmax(z)_label of example <paramref name="row"/> of <paramref name="x"/>.
        /// The largest logit is subtracted before exponentiating (log-sum-exp), so large logits do not overflow.
        /// </summary>
        [Differentiable]
        public static double CrossEntropy(
            double[,] w1, double[] b1, double[,] w2, double[] b2,
            [NoDerivative] double[,] x, int row, int label)
        {
            int inputs = x.GetLength(1);
            double[] h = new double[b1.Length];
            for (int i = 0; i < h.Length; i++)
            {
                double a = b1[i];
                for (int j = 0; j < inputs; j++)
                {
                    a += w1[i, j] * x[row, j];
                }
                h[i] = Math.Max(0, a); // ReLU
            }

            double[] logits = new double[b2.Length];
            double largest = double.NegativeInfinity;
            for (int k = 0; k < logits.Length; k++)
            {
                double z = b2[k];
                for (int i = 0; i < h.Length; i++)
                {
                    z += w2[k, i] * h[i];
                }
                logits[k] = z;
                largest = Math.Max(largest, z);
            }

            double sum = 0;
            for (int k = 0; k < logits.Length; k++)
            {
                sum += Math.Exp(logits[k] - largest);
            }
            return Math.Log(sum) + largest - logits[label];
        }

        /// <summary>The weight decay (λ/2)(‖W1‖²_F + ‖W2‖²_F); the biases are not penalised.</summary>
        [Differentiable]
        public static double WeightDecay(double[,] w1, double[,] w2, [NoDerivative] double lambda)
        {
            double sum = 0;
            for (int i = 0; i < w1.GetLength(0); i++)
            {
                for (int j = 0; j < w1.GetLength(1); j++)
                {
                    sum += w1[i, j] * w1[i, j];
                }
            }
            for (int i = 0; i < w2.GetLength(0); i++)
            {
                for (int j = 0; j < w2.GetLength(1); j++)
                {
                    sum += w2[i, j] * w2[i, j];
                }
            }
            return 0.5 * lambda * sum;
        }

        /// <summary>The training objective J: the mean cross-entropy over all rows of <paramref name="x"/> plus the weight decay.</summary>
        [Differentiable]
        public static double Loss(
            double[,] w1, double[] b1, double[,] w2, double[] b2,
            [NoDerivative] double[,] x, [NoDerivative] int[] labels, [NoDerivative] double lambda)
        {
            int n = x.GetLength(0);
            double sum = 0;
            for (int row = 0; row < n; row++)
            {
                sum += CrossEntropy(w1, b1, w2, b2, x, row, labels[row]);
            }
            return sum / n + WeightDecay(w1, w2, lambda);
        }

        /// <summary>The predicted class of example <paramref name="row"/>: the index of the largest logit (an ordinary method).</summary>
        public static int Predict(double[,] w1, double[] b1, double[,] w2, double[] b2, double[,] x, int row)
        {
            int inputs = x.GetLength(1);
            var h = new double[b1.Length];
            for (int i = 0; i < h.Length; i++)
            {
                double a = b1[i];
                for (int j = 0; j < inputs; j++)
                {
                    a += w1[i, j] * x[row, j];
                }
                h[i] = Math.Max(0, a);
            }
            int best = 0;
            double bestLogit = double.NegativeInfinity;
            for (int k = 0; k < b2.Length; k++)
            {
                double z = b2[k];
                for (int i = 0; i < h.Length; i++)
                {
                    z += w2[k, i] * h[i];
                }
                if (z > bestLogit)
                {
                    bestLogit = z;
                    best = k;
                }
            }
            return best;
        }
    }
}
