using System;
using System.Diagnostics;
using System.Globalization;

namespace IrisTraining
{
    /// <summary>
    /// Trains the softmax MLP of the NeuralNetworks sample on Fisher's Iris data with minibatch SGD, using the gradients
    /// AutoDiffGen generated. Usage: <c>dotnet run --project samples/IrisTraining [-- --float | --tensor] [--epochs N] [--hidden H]</c>.
    /// Exits with 1 if the test accuracy is below 90%.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            var options = new TrainingOptions();
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--tensor":
                        options = options with { Tensor = true };
                        break;
                    case "--float":
                        options = options with { SinglePrecision = true };
                        break;
                    case "--epochs" when i + 1 < args.Length:
                        options = options with { Epochs = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                        break;
                    case "--hidden" when i + 1 < args.Length:
                        options = options with { Hidden = int.Parse(args[++i], CultureInfo.InvariantCulture) };
                        break;
                    default:
                        Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: IrisTraining [--float | --tensor] [--epochs N] [--hidden H]");
                        return 2;
                }
            }

            IrisData data = IrisData.Load(IrisData.DefaultPath);
            Console.WriteLine(
                $"Iris: {data.TrainLabels.Length} training and {data.TestLabels.Length} test flowers, {data.FeatureCount} standardised features, " +
                $"classes {string.Join(", ", data.ClassNames)}");
            Console.WriteLine(
                $"Softmax MLP {data.FeatureCount} → {options.Hidden} ReLU → {data.ClassCount}, {(options.SinglePrecision ? "float" : "double")}, " +
                $"minibatch SGD: batch {options.BatchSize}, learning rate {options.LearningRate}, weight decay λ = {options.Lambda}, {options.Epochs} epochs");
            Console.WriteLine();

            var stopwatch = Stopwatch.StartNew();
            TrainingResult result = Trainer.Run(data, options, Console.Out);
            stopwatch.Stop();

            Console.WriteLine();
            Console.WriteLine($"final objective: train {result.TrainLoss:F5}, test {result.TestLoss:F5}");
            Console.WriteLine($"train accuracy: {result.TrainAccuracy:P1}");
            Console.WriteLine($"test accuracy:  {result.TestAccuracy:P1}");
            Console.WriteLine($"({stopwatch.Elapsed.TotalSeconds:F2} s)");
            return result.TestAccuracy >= 0.9 ? 0 : 1;
        }
    }
}
