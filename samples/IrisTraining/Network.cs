using System;
using NeuralNetworks;

namespace IrisTraining
{
    /// <summary>A classifier the trainer can train: one epoch of minibatch SGD, the objective, the accuracy.</summary>
    public interface INetwork
    {
        /// <summary>One pass over the rows in <paramref name="order"/>, one SGD step per minibatch; returns the mean objective seen.</summary>
        double TrainEpoch(IrisData data, int[] order, int batchSize, double learningRate, double lambda);

        /// <summary>The objective J (mean cross-entropy plus weight decay) on a data set.</summary>
        double Loss(double[,] features, int[] labels, double lambda);

        /// <summary>The fraction of rows whose predicted class is the label.</summary>
        double Accuracy(double[,] features, int[] labels);
    }

    /// <summary>
    /// The softmax MLP of <see cref="SoftmaxMlp"/> (inputs → hidden ReLU units → classes) in double precision,
    /// trained with minibatch SGD. Each minibatch's gradient is accumulated by the generated
    /// <c>SoftmaxMlp.CrossEntropyBackward</c>, one call per example with seed 1/B, and
    /// <c>SoftmaxMlp.WeightDecayBackward</c>, once per minibatch.
    /// </summary>
    public sealed class Network : INetwork
    {
        private readonly double[,] _w1, _w2, _dw1, _dw2;
        private readonly double[] _b1, _b2, _db1, _db2;

        public Network(int inputs, int hidden, int classes, Random random)
        {
            // He initialisation for the ReLU layer, Glorot-like for the output; zero biases.
            _w1 = Init.Normal(random, hidden, inputs, Math.Sqrt(2.0 / inputs));
            _w2 = Init.Normal(random, classes, hidden, Math.Sqrt(1.0 / hidden));
            _b1 = new double[hidden];
            _b2 = new double[classes];
            _dw1 = new double[hidden, inputs];
            _dw2 = new double[classes, hidden];
            _db1 = new double[hidden];
            _db2 = new double[classes];
        }

        public double TrainEpoch(IrisData data, int[] order, int batchSize, double learningRate, double lambda)
        {
            double[,] x = data.TrainFeatures;
            int[] labels = data.TrainLabels;
            double total = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int size = Math.Min(batchSize, order.Length - start);

                // The minibatch gradient of J = (1/B) Σ CE + λΩ, accumulated into cleared buffers by the generated pullbacks.
                Array.Clear(_dw1);
                Array.Clear(_db1);
                Array.Clear(_dw2);
                Array.Clear(_db2);
                double loss = SoftmaxMlp.WeightDecayBackward(_w1, _w2, lambda, 1.0, _dw1, _dw2);
                for (int k = start; k < start + size; k++)
                {
                    int row = order[k];
                    loss += SoftmaxMlp.CrossEntropyBackward(_w1, _b1, _w2, _b2, x, row, labels[row], 1.0 / size, _dw1, _db1, _dw2, _db2) / size;
                }

                // θ ← θ − η∇J.
                Step(_w1, _dw1, learningRate);
                Step(_b1, _db1, learningRate);
                Step(_w2, _dw2, learningRate);
                Step(_b2, _db2, learningRate);
                total += loss * size;
            }
            return total / order.Length;
        }

        public double Loss(double[,] features, int[] labels, double lambda) => SoftmaxMlp.Loss(_w1, _b1, _w2, _b2, features, labels, lambda);

        public double Accuracy(double[,] features, int[] labels)
        {
            int correct = 0;
            for (int row = 0; row < labels.Length; row++)
            {
                if (SoftmaxMlp.Predict(_w1, _b1, _w2, _b2, features, row) == labels[row]) correct++;
            }
            return (double)correct / labels.Length;
        }

        private static void Step(double[,] parameter, double[,] gradient, double learningRate)
        {
            for (int i = 0; i < parameter.GetLength(0); i++)
            {
                for (int j = 0; j < parameter.GetLength(1); j++)
                {
                    parameter[i, j] -= learningRate * gradient[i, j];
                }
            }
        }

        private static void Step(double[] parameter, double[] gradient, double learningRate)
        {
            for (int i = 0; i < parameter.Length; i++)
            {
                parameter[i] -= learningRate * gradient[i];
            }
        }
    }

    /// <summary>The same network in single precision: float weights, float data, the float overloads of the model.</summary>
    public sealed class NetworkSingle : INetwork
    {
        private readonly float[,] _w1, _w2, _dw1, _dw2;
        private readonly float[] _b1, _b2, _db1, _db2;
        private float[,]? _features;
        private double[,]? _featuresSource;

        public NetworkSingle(int inputs, int hidden, int classes, Random random)
        {
            _w1 = Init.ToSingle(Init.Normal(random, hidden, inputs, Math.Sqrt(2.0 / inputs)));
            _w2 = Init.ToSingle(Init.Normal(random, classes, hidden, Math.Sqrt(1.0 / hidden)));
            _b1 = new float[hidden];
            _b2 = new float[classes];
            _dw1 = new float[hidden, inputs];
            _dw2 = new float[classes, hidden];
            _db1 = new float[hidden];
            _db2 = new float[classes];
        }

        public double TrainEpoch(IrisData data, int[] order, int batchSize, double learningRate, double lambda)
        {
            float[,] x = Single(data.TrainFeatures);
            int[] labels = data.TrainLabels;
            float rate = (float)learningRate;
            double total = 0;
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int size = Math.Min(batchSize, order.Length - start);

                Array.Clear(_dw1);
                Array.Clear(_db1);
                Array.Clear(_dw2);
                Array.Clear(_db2);
                float loss = SoftmaxMlp.WeightDecayBackward(_w1, _w2, (float)lambda, 1f, _dw1, _dw2);
                for (int k = start; k < start + size; k++)
                {
                    int row = order[k];
                    loss += SoftmaxMlp.CrossEntropyBackward(_w1, _b1, _w2, _b2, x, row, labels[row], 1f / size, _dw1, _db1, _dw2, _db2) / size;
                }

                Step(_w1, _dw1, rate);
                Step(_b1, _db1, rate);
                Step(_w2, _dw2, rate);
                Step(_b2, _db2, rate);
                total += (double)loss * size;
            }
            return total / order.Length;
        }

        public double Loss(double[,] features, int[] labels, double lambda)
            => SoftmaxMlp.Loss(_w1, _b1, _w2, _b2, Init.ToSingle(features), labels, (float)lambda);

        public double Accuracy(double[,] features, int[] labels)
        {
            float[,] x = Init.ToSingle(features);
            int correct = 0;
            for (int row = 0; row < labels.Length; row++)
            {
                if (SoftmaxMlp.Predict(_w1, _b1, _w2, _b2, x, row) == labels[row]) correct++;
            }
            return (double)correct / labels.Length;
        }

        // The training features in float, converted once.
        private float[,] Single(double[,] features)
        {
            if (!ReferenceEquals(features, _featuresSource))
            {
                _features = Init.ToSingle(features);
                _featuresSource = features;
            }
            return _features!;
        }

        private static void Step(float[,] parameter, float[,] gradient, float learningRate)
        {
            for (int i = 0; i < parameter.GetLength(0); i++)
            {
                for (int j = 0; j < parameter.GetLength(1); j++)
                {
                    parameter[i, j] -= learningRate * gradient[i, j];
                }
            }
        }

        private static void Step(float[] parameter, float[] gradient, float learningRate)
        {
            for (int i = 0; i < parameter.Length; i++)
            {
                parameter[i] -= learningRate * gradient[i];
            }
        }
    }

    internal static class Init
    {
        /// <summary>A rows×cols matrix of independent N(0, σ²) draws (Box–Muller).</summary>
        public static double[,] Normal(Random random, int rows, int cols, double sigma)
        {
            var m = new double[rows, cols];
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < cols; j++)
                {
                    double u1 = 1.0 - random.NextDouble();
                    double u2 = random.NextDouble();
                    m[i, j] = sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                }
            }
            return m;
        }

        public static float[,] ToSingle(double[,] m)
        {
            var f = new float[m.GetLength(0), m.GetLength(1)];
            for (int i = 0; i < m.GetLength(0); i++)
            {
                for (int j = 0; j < m.GetLength(1); j++)
                {
                    f[i, j] = (float)m[i, j];
                }
            }
            return f;
        }
    }
}
