using System;
using AutoDiffGen;

namespace NeuralNetworks
{
    // The same model in single precision: float overloads of the same methods.
    public static partial class SoftmaxMlp
    {
        /// <summary>
        /// The cross-entropy −log softmax(z)_label of example <paramref name="row"/> of <paramref name="x"/>.
        /// The largest logit is subtracted before exponentiating (log-sum-exp), so large logits do not overflow.
        /// </summary>
        [Differentiable]
        public static float CrossEntropy(
            float[,] w1, float[] b1, float[,] w2, float[] b2,
            [NoDerivative] float[,] x, int row, int label)
        {
            int inputs = x.GetLength(1);
            float[] h = new float[b1.Length];
            for (int i = 0; i < h.Length; i++)
            {
                float a = b1[i];
                for (int j = 0; j < inputs; j++)
                {
                    a += w1[i, j] * x[row, j];
                }
                h[i] = MathF.Max(0, a); // ReLU
            }

            float[] logits = new float[b2.Length];
            float largest = float.NegativeInfinity;
            for (int k = 0; k < logits.Length; k++)
            {
                float z = b2[k];
                for (int i = 0; i < h.Length; i++)
                {
                    z += w2[k, i] * h[i];
                }
                logits[k] = z;
                largest = MathF.Max(largest, z);
            }

            float sum = 0;
            for (int k = 0; k < logits.Length; k++)
            {
                sum += MathF.Exp(logits[k] - largest);
            }
            return MathF.Log(sum) + largest - logits[label];
        }

        /// <summary>The weight decay (λ/2)(‖W1‖²_F + ‖W2‖²_F), in single precision; the biases are not penalised.</summary>
        [Differentiable]
        public static float WeightDecay(float[,] w1, float[,] w2, [NoDerivative] float lambda)
        {
            float sum = 0;
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
            return 0.5f * lambda * sum;
        }

        /// <summary>The training objective J: the mean cross-entropy over all rows of <paramref name="x"/> plus the weight decay, in single precision.</summary>
        [Differentiable]
        public static float Loss(
            float[,] w1, float[] b1, float[,] w2, float[] b2,
            [NoDerivative] float[,] x, [NoDerivative] int[] labels, [NoDerivative] float lambda)
        {
            int n = x.GetLength(0);
            float sum = 0;
            for (int row = 0; row < n; row++)
            {
                sum += CrossEntropy(w1, b1, w2, b2, x, row, labels[row]);
            }
            return sum / n + WeightDecay(w1, w2, lambda);
        }

        /// <summary>The predicted class of example <paramref name="row"/>: the index of the largest logit, in single precision (an ordinary method).</summary>
        public static int Predict(float[,] w1, float[] b1, float[,] w2, float[] b2, float[,] x, int row)
        {
            int inputs = x.GetLength(1);
            var h = new float[b1.Length];
            for (int i = 0; i < h.Length; i++)
            {
                float a = b1[i];
                for (int j = 0; j < inputs; j++)
                {
                    a += w1[i, j] * x[row, j];
                }
                h[i] = MathF.Max(0, a);
            }
            int best = 0;
            float bestLogit = float.NegativeInfinity;
            for (int k = 0; k < b2.Length; k++)
            {
                float z = b2[k];
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
