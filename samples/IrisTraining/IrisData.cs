using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace IrisTraining
{
    /// <summary>
    /// Fisher's Iris data (150 flowers, 4 measurements in cm, 3 species; see Data/README.md), split into a training
    /// and a held-out test set and standardised with the training set's mean and standard deviation.
    /// </summary>
    public sealed class IrisData
    {
        public IrisData(string[] classNames, double[,] trainFeatures, int[] trainLabels, double[,] testFeatures, int[] testLabels)
        {
            ClassNames = classNames;
            TrainFeatures = trainFeatures;
            TrainLabels = trainLabels;
            TestFeatures = testFeatures;
            TestLabels = testLabels;
        }

        /// <summary>The species, in the order of their first appearance in the file; a label is an index into this.</summary>
        public string[] ClassNames { get; }

        public double[,] TrainFeatures { get; }
        public int[] TrainLabels { get; }
        public double[,] TestFeatures { get; }
        public int[] TestLabels { get; }

        public int FeatureCount => TrainFeatures.GetLength(1);
        public int ClassCount => ClassNames.Length;

        /// <summary>The path of the CSV copied beside the program.</summary>
        public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Data", "iris.csv");

        /// <summary>
        /// Reads the CSV (header, then four numbers and the species per line) and splits each species at random
        /// (fixed seed): <paramref name="testPerClass"/> flowers of each go to the test set, the rest to training.
        /// </summary>
        public static IrisData Load(string path, int testPerClass = 10, int seed = 2024)
        {
            var rows = new List<double[]>();
            var species = new List<string>();
            foreach (string line in File.ReadLines(path))
            {
                string[] fields = line.Split(',');
                if (fields.Length != 5 || !double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    continue; // the header and blank lines
                }
                var features = new double[4];
                for (int j = 0; j < 4; j++)
                {
                    features[j] = double.Parse(fields[j], NumberStyles.Float, CultureInfo.InvariantCulture);
                }
                rows.Add(features);
                species.Add(fields[4].Trim());
            }

            var classNames = new List<string>();
            var labels = new int[rows.Count];
            for (int i = 0; i < rows.Count; i++)
            {
                int label = classNames.IndexOf(species[i]);
                if (label < 0)
                {
                    label = classNames.Count;
                    classNames.Add(species[i]);
                }
                labels[i] = label;
            }

            // Stratified split: shuffle each class's rows with a fixed seed, the first testPerClass go to the test set.
            var random = new Random(seed);
            var train = new List<int>();
            var test = new List<int>();
            for (int c = 0; c < classNames.Count; c++)
            {
                var members = new List<int>();
                for (int i = 0; i < rows.Count; i++)
                {
                    if (labels[i] == c) members.Add(i);
                }
                int[] shuffled = members.ToArray();
                random.Shuffle(shuffled);
                for (int k = 0; k < shuffled.Length; k++)
                {
                    (k < testPerClass ? test : train).Add(shuffled[k]);
                }
            }
            int[] trainRows = train.ToArray();
            int[] testRows = test.ToArray();
            random.Shuffle(trainRows);

            // Standardise with the training set's statistics only, so nothing leaks from the test set.
            var mean = new double[4];
            var deviation = new double[4];
            foreach (int i in trainRows)
            {
                for (int j = 0; j < 4; j++) mean[j] += rows[i][j] / trainRows.Length;
            }
            foreach (int i in trainRows)
            {
                for (int j = 0; j < 4; j++) deviation[j] += (rows[i][j] - mean[j]) * (rows[i][j] - mean[j]) / trainRows.Length;
            }
            for (int j = 0; j < 4; j++) deviation[j] = Math.Sqrt(deviation[j]);

            (double[,] features, int[] selected) Take(int[] indices)
            {
                var features = new double[indices.Length, 4];
                var selected = new int[indices.Length];
                for (int k = 0; k < indices.Length; k++)
                {
                    for (int j = 0; j < 4; j++) features[k, j] = (rows[indices[k]][j] - mean[j]) / deviation[j];
                    selected[k] = labels[indices[k]];
                }
                return (features, selected);
            }

            (double[,] trainFeatures, int[] trainLabels) = Take(trainRows);
            (double[,] testFeatures, int[] testLabels) = Take(testRows);
            return new IrisData(classNames.ToArray(), trainFeatures, trainLabels, testFeatures, testLabels);
        }
    }
}
