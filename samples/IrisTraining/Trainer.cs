using System;
using System.IO;

namespace IrisTraining
{
    /// <summary>The settings of one training run.</summary>
    public sealed record TrainingOptions
    {
        public bool SinglePrecision { get; init; }
        /// <summary>Train the TensorPrimitives MLP (<c>NeuralNetworks.TensorMlp</c>) instead of the scalar-loop one.</summary>
        public bool Tensor { get; init; }
        public int Hidden { get; init; } = 8;
        public int Epochs { get; init; } = 60;
        public int BatchSize { get; init; } = 10;
        public double LearningRate { get; init; } = 0.1;
        public double Lambda { get; init; } = 1e-3;
        public int Seed { get; init; } = 1;
    }

    /// <summary>What a run produced: the mean training objective of each epoch and the final accuracies.</summary>
    public sealed record TrainingResult(double[] EpochLosses, double TrainLoss, double TestLoss, double TrainAccuracy, double TestAccuracy);

    /// <summary>Minibatch SGD on the softmax MLP: shuffles the training rows each epoch (fixed seed), trains, reports.</summary>
    public static class Trainer
    {
        public static TrainingResult Run(IrisData data, TrainingOptions options, TextWriter? log = null)
        {
            var random = new Random(options.Seed);
            INetwork network = options.Tensor
                ? new TensorNetwork(data.FeatureCount, options.Hidden, data.ClassCount, random)
                : options.SinglePrecision
                ? new NetworkSingle(data.FeatureCount, options.Hidden, data.ClassCount, random)
                : new Network(data.FeatureCount, options.Hidden, data.ClassCount, random);

            int n = data.TrainLabels.Length;
            var order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;

            log?.WriteLine($"{"epoch",5}  {"loss",9}");
            var losses = new double[options.Epochs];
            for (int epoch = 0; epoch < options.Epochs; epoch++)
            {
                random.Shuffle(order);
                losses[epoch] = network.TrainEpoch(data, order, options.BatchSize, options.LearningRate, options.Lambda);
                log?.WriteLine($"{epoch + 1,5}  {losses[epoch],9:F5}");
            }

            return new TrainingResult(
                losses,
                network.Loss(data.TrainFeatures, data.TrainLabels, options.Lambda),
                network.Loss(data.TestFeatures, data.TestLabels, options.Lambda),
                network.Accuracy(data.TrainFeatures, data.TrainLabels),
                network.Accuracy(data.TestFeatures, data.TestLabels));
        }
    }
}
