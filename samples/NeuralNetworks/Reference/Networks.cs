using System;

namespace NeuralNetworks
{
    public static partial class ReferenceGradients
    {
        /// <summary>
        /// Back-propagation for the deep feedforward network, Goodfellow et al. Algorithms 6.3 and 6.4, for any depth
        /// l = <c>weights.Length</c>, with f = tanh (f′(a) = 1 − tanh²a), L = ½‖ŷ − y‖², Ω = ½ Σₖ ‖W(k)‖²_F:
        /// <code>
        /// forward:  h(0) = x; a(k) = b(k) + W(k) h(k−1); h(k) = f(a(k)); ŷ = h(l); J = L(ŷ, y) + λΩ
        /// backward: g ← ∇ŷ J = ŷ − y
        ///           for k = l … 1:  g ← g ⊙ f′(a(k));  ∇b(k) J = g;  ∇W(k) J = g h(k−1)ᵀ + λW(k);  g ← W(k)ᵀ g
        /// </code>
        /// Layer k (1-based in the book) is index k − 1 here.
        /// </summary>
        public static double Feedforward(
            double[][,] weights, double[][] biases, double[] x, double[] y, double lambda,
            out double[][,] dWeights, out double[][] dBiases)
        {
            int l = weights.Length;
            var a = new double[l + 1][];
            var h = new double[l + 1][];

            // Algorithm 6.3: forward propagation.
            h[0] = x;
            for (int k = 1; k <= l; k++)
            {
                a[k] = MatVec(weights[k - 1], h[k - 1]);
                AddScaled(a[k], biases[k - 1]);
                h[k] = new double[a[k].Length];
                for (int i = 0; i < a[k].Length; i++)
                {
                    h[k][i] = Math.Tanh(a[k][i]);
                }
            }
            double[] yHat = h[l];
            double loss = 0;
            for (int i = 0; i < yHat.Length; i++)
            {
                loss += 0.5 * (yHat[i] - y[i]) * (yHat[i] - y[i]);
            }
            double omega = 0;
            foreach (double[,] w in weights)
            {
                omega += 0.5 * SquaredNorm(w);
            }

            // Algorithm 6.4: backward computation.
            dWeights = new double[l][,];
            dBiases = new double[l][];
            var g = new double[yHat.Length];
            for (int i = 0; i < g.Length; i++)
            {
                g[i] = yHat[i] - y[i];
            }
            for (int k = l; k >= 1; k--)
            {
                for (int i = 0; i < g.Length; i++)
                {
                    g[i] *= 1 - Math.Tanh(a[k][i]) * Math.Tanh(a[k][i]);
                }
                dBiases[k - 1] = (double[])g.Clone();
                dWeights[k - 1] = Outer(g, h[k - 1]);
                AddScaled(dWeights[k - 1], weights[k - 1], lambda);
                g = MatVec(Transpose(weights[k - 1]), g);
            }
            return loss + lambda * omega;
        }

        /// <summary>
        /// The one-hidden-layer ReLU classifier with softmax cross-entropy and weight decay. Per example:
        /// a = W1x + b1, h = ReLU(a), z = W2h + b2, p = softmax(z), loss −log p_label;
        /// δz = p − onehot(label), ∇W2 = δz hᵀ, ∇b2 = δz, δh = W2ᵀδz, δa = δh ⊙ [a &gt; 0], ∇W1 = δa xᵀ, ∇b1 = δa.
        /// Averaged over the rows of <paramref name="x"/>, plus λW1 and λW2 from (λ/2)(‖W1‖² + ‖W2‖²).
        /// </summary>
        public static double SoftmaxMlp(
            double[,] w1, double[] b1, double[,] w2, double[] b2, double[,] x, int[] labels, double lambda,
            out double[,] dw1, out double[] db1, out double[,] dw2, out double[] db2)
        {
            int n = x.GetLength(0), inputs = x.GetLength(1);
            dw1 = new double[w1.GetLength(0), w1.GetLength(1)];
            db1 = new double[b1.Length];
            dw2 = new double[w2.GetLength(0), w2.GetLength(1)];
            db2 = new double[b2.Length];
            double loss = 0;
            for (int row = 0; row < n; row++)
            {
                var input = new double[inputs];
                for (int j = 0; j < inputs; j++)
                {
                    input[j] = x[row, j];
                }
                double[] a = MatVec(w1, input);
                AddScaled(a, b1);
                var h = new double[a.Length];
                for (int i = 0; i < a.Length; i++)
                {
                    h[i] = Math.Max(0, a[i]);
                }
                double[] z = MatVec(w2, h);
                AddScaled(z, b2);
                double[] p = Softmax(z);
                loss -= Math.Log(p[labels[row]]);

                double[] deltaZ = (double[])p.Clone();
                deltaZ[labels[row]] -= 1;
                AddScaled(dw2, Outer(deltaZ, h), 1.0 / n);
                AddScaled(db2, deltaZ, 1.0 / n);
                double[] deltaA = MatVec(Transpose(w2), deltaZ);
                for (int i = 0; i < deltaA.Length; i++)
                {
                    if (a[i] <= 0) deltaA[i] = 0;
                }
                AddScaled(dw1, Outer(deltaA, input), 1.0 / n);
                AddScaled(db1, deltaA, 1.0 / n);
            }
            AddScaled(dw1, w1, lambda);
            AddScaled(dw2, w2, lambda);
            return loss / n + 0.5 * lambda * (SquaredNorm(w1) + SquaredNorm(w2));
        }
    }
}
