using System;
using NeuralNetworks;

namespace IrisTraining
{
    /// <summary>
    /// The MLP of <see cref="TensorMlp"/> (TensorPrimitives, tanh hidden units, row-major weights) trained with minibatch
    /// SGD through the generated <c>TensorMlp.CrossEntropyBackward</c>, one call per example with seed 1/B; weight decay
    /// is applied in the step (θ ← θ − η(∇ + λθ)).
    /// </summary>
    public sealed class TensorNetwork : INetwork
    {
        private readonly double[] _w1, _b1, _w2, _b2, _dw1, _db1, _dw2, _db2;
        private readonly int _inputs;

        public TensorNetwork(int inputs, int hidden, int classes, Random random)
        {
            _inputs = inputs;
            _w1 = Flatten(Init.Normal(random, hidden, inputs, Math.Sqrt(1.0 / inputs)));
            _w2 = Flatten(Init.Normal(random, classes, hidden, Math.Sqrt(1.0 / hidden)));
            _b1 = new double[hidden];
            _b2 = new double[classes];
            _dw1 = new double[_w1.Length];
            _dw2 = new double[_w2.Length];
            _db1 = new double[hidden];
            _db2 = new double[classes];
        }

        public double TrainEpoch(IrisData data, int[] order, int batchSize, double learningRate, double lambda)
        {
            double total = 0;
            var x = new double[_inputs];
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int size = Math.Min(batchSize, order.Length - start);
                Array.Clear(_dw1);
                Array.Clear(_db1);
                Array.Clear(_dw2);
                Array.Clear(_db2);
                for (int k = start; k < start + size; k++)
                {
                    int row = order[k];
                    Row(data.TrainFeatures, row, x);
                    total += TensorMlp.CrossEntropyBackward(_w1, _b1, _w2, _b2, x, data.TrainLabels[row], 1.0 / size, _dw1, _db1, _dw2, _db2);
                }
                Step(_w1, _dw1, learningRate, lambda);
                Step(_b1, _db1, learningRate, 0);
                Step(_w2, _dw2, learningRate, lambda);
                Step(_b2, _db2, learningRate, 0);
            }
            return total / order.Length;
        }

        public double Loss(double[,] features, int[] labels, double lambda)
        {
            double total = 0;
            var x = new double[_inputs];
            for (int row = 0; row < labels.Length; row++)
            {
                Row(features, row, x);
                total += TensorMlp.CrossEntropy(_w1, _b1, _w2, _b2, x, labels[row]);
            }
            double decay = 0;
            foreach (double w in _w1) decay += w * w;
            foreach (double w in _w2) decay += w * w;
            return total / labels.Length + lambda / 2 * decay;
        }

        public double Accuracy(double[,] features, int[] labels)
        {
            int correct = 0;
            var x = new double[_inputs];
            for (int row = 0; row < labels.Length; row++)
            {
                Row(features, row, x);
                if (TensorMlp.Predict(_w1, _b1, _w2, _b2, x) == labels[row]) correct++;
            }
            return (double)correct / labels.Length;
        }

        private static void Row(double[,] features, int row, double[] x)
        {
            for (int j = 0; j < x.Length; j++) x[j] = features[row, j];
        }

        private static double[] Flatten(double[,] m)
        {
            var flat = new double[m.Length];
            Buffer.BlockCopy(m, 0, flat, 0, m.Length * sizeof(double));
            return flat;
        }

        private static void Step(double[] parameter, double[] gradient, double learningRate, double lambda)
        {
            for (int i = 0; i < parameter.Length; i++) parameter[i] -= learningRate * (gradient[i] + lambda * parameter[i]);
        }
    }
}
