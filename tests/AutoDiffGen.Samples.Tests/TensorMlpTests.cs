using System;
using System.Linq;
using NeuralNetworks;

namespace AutoDiffGen.Samples.Tests
{
    /// <summary>The TensorPrimitives MLP: its generated gradient against the scalar-loop textbook gradient and finite differences.</summary>
    public sealed class TensorMlpTests
    {
        private const int Inputs = 5, Hidden = 4, Classes = 3;

        private static double[] Random(int n, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        }

        /// <summary>The textbook backward pass of tanh MLP + softmax cross-entropy, in scalar loops.</summary>
        private static void Reference(double[] w1, double[] b1, double[] w2, double[] b2, double[] x, int label, double[] dw1, double[] db1, double[] dw2, double[] db2)
        {
            var h = new double[Hidden];
            for (int i = 0; i < Hidden; i++)
            {
                double a = b1[i];
                for (int j = 0; j < Inputs; j++) a += w1[i * Inputs + j] * x[j];
                h[i] = Math.Tanh(a);
            }
            var z = new double[Classes];
            for (int k = 0; k < Classes; k++)
            {
                z[k] = b2[k];
                for (int i = 0; i < Hidden; i++) z[k] += w2[k * Hidden + i] * h[i];
            }
            double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
            var dz = z.Select(v => Math.Exp(v - max) / sum).ToArray();
            dz[label] -= 1;
            var dh = new double[Hidden];
            for (int k = 0; k < Classes; k++)
            {
                db2[k] = dz[k];
                for (int i = 0; i < Hidden; i++)
                {
                    dw2[k * Hidden + i] = dz[k] * h[i];
                    dh[i] += dz[k] * w2[k * Hidden + i];
                }
            }
            for (int i = 0; i < Hidden; i++)
            {
                double da = dh[i] * (1 - h[i] * h[i]);
                db1[i] = da;
                for (int j = 0; j < Inputs; j++) dw1[i * Inputs + j] = da * x[j];
            }
        }

        [Theory]
        [InlineData(0)]
        [InlineData(2)]
        public void CrossEntropy_gradient_is_the_textbook_gradient(int label)
        {
            double[] w1 = Random(Hidden * Inputs, 1), b1 = Random(Hidden, 2), w2 = Random(Classes * Hidden, 3), b2 = Random(Classes, 4), x = Random(Inputs, 5);
            var g = new[] { new double[w1.Length], new double[Hidden], new double[w2.Length], new double[Classes] };
            var e = new[] { new double[w1.Length], new double[Hidden], new double[w2.Length], new double[Classes] };
            double value = TensorMlp.CrossEntropyGradient(w1, b1, w2, b2, x, label, g[0], g[1], g[2], g[3]);
            Assert.Equal(TensorMlp.CrossEntropy(w1, b1, w2, b2, x, label), value, 12);
            Reference(w1, b1, w2, b2, x, label, e[0], e[1], e[2], e[3]);
            var parameters = new[] { w1, b1, w2, b2 };
            for (int p = 0; p < 4; p++)
            {
                for (int i = 0; i < parameters[p].Length; i++)
                {
                    Assert.Equal(e[p][i], g[p][i], 12);
                    double saved = parameters[p][i];
                    parameters[p][i] = saved + 1e-6;
                    double up = TensorMlp.CrossEntropy(w1, b1, w2, b2, x, label);
                    parameters[p][i] = saved - 1e-6;
                    double down = TensorMlp.CrossEntropy(w1, b1, w2, b2, x, label);
                    parameters[p][i] = saved;
                    Assert.Equal((up - down) / 2e-6, g[p][i], 6);
                }
            }
        }

        [Fact]
        public void BatchLoss_gradient_is_the_mean_of_the_example_gradients()
        {
            const int batch = 3;
            double[] w1 = Random(Hidden * Inputs, 1), b1 = Random(Hidden, 2), w2 = Random(Classes * Hidden, 3), b2 = Random(Classes, 4), xs = Random(batch * Inputs, 6);
            int[] labels = { 2, 0, 1 };
            var g = new[] { new double[w1.Length], new double[Hidden], new double[w2.Length], new double[Classes] };
            double value = TensorMlp.BatchLossGradient(w1, b1, w2, b2, xs, labels, g[0], g[1], g[2], g[3]);
            var e = new[] { new double[w1.Length], new double[Hidden], new double[w2.Length], new double[Classes] };
            double expected = 0;
            for (int n = 0; n < batch; n++)
            {
                double[] x = xs.Skip(n * Inputs).Take(Inputs).ToArray();
                expected += TensorMlp.CrossEntropyBackward(w1, b1, w2, b2, x, labels[n], 1.0 / batch, e[0], e[1], e[2], e[3]) / batch;
            }
            Assert.Equal(expected, value, 12);
            for (int p = 0; p < 4; p++)
            {
                for (int i = 0; i < g[p].Length; i++) Assert.Equal(e[p][i], g[p][i], 12);
            }
        }
    }
}
