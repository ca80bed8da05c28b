using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AutoDiffGen;

namespace CurveFitting
{
    /// <summary>
    /// The NIST StRD problem Misra1a, y = b1 (1 − exp(−b2 x)), with its data, starting points and certified values, read
    /// from Data/Misra1a.dat (source: https://www.itl.nist.gov/div898/strd/nls/data/misra1a.shtml).
    /// </summary>
    public sealed partial class Misra1a
    {
        private Misra1a(double[] x, double[] y, IReadOnlyList<double[]> starts, double[] certified, double certifiedResidualSumOfSquares)
        {
            X = x;
            Y = y;
            Starts = starts;
            Certified = certified;
            CertifiedResidualSumOfSquares = certifiedResidualSumOfSquares;
        }

        public double[] X { get; }

        public double[] Y { get; }

        /// <summary>NIST's two starting points (start 1 is the harder, far from the solution).</summary>
        public IReadOnlyList<double[]> Starts { get; }

        /// <summary>The certified estimates (b1, b2).</summary>
        public double[] Certified { get; }

        public double CertifiedResidualSumOfSquares { get; }

        public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Data", "Misra1a.dat");

        /// <summary>
        /// The residuals r[i] = y[i] − b1 (1 − exp(−b2 x[i])): a vector-valued [Differentiable] method. The generator adds
        /// <c>ResidualsJacobian</c> (∂r/∂b, 14 × 2: two forward sweeps), <c>ResidualsTangent</c> and <c>ResidualsBackward</c>.
        /// </summary>
        [Differentiable]
        public static void Residuals(ReadOnlySpan<double> b, [NoDerivative] ReadOnlySpan<double> x, [NoDerivative] ReadOnlySpan<double> y, [Output] Span<double> r)
        {
            for (int i = 0; i < x.Length; i++)
            {
                r[i] = y[i] - b[0] * (1 - Math.Exp(-b[1] * x[i]));
            }
        }

        /// <summary>Reads the data file: '#' lines carry the starting points and certified values, the others "y x".</summary>
        public static Misra1a Load(string path)
        {
            var x = new List<double>();
            var y = new List<double>();
            var starts = new List<double[]>();
            var certified = new double[2];
            double rss = double.NaN;
            foreach (string raw in File.ReadLines(path))
            {
                string line = raw.Trim();
                if (line.Length == 0) continue;
                string[] words = line.TrimStart('#').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (line.StartsWith("#", StringComparison.Ordinal))
                {
                    if (words.Length == 3 && words[0].StartsWith("start", StringComparison.Ordinal)) starts.Add(new[] { Number(words[1]), Number(words[2]) });
                    else if (words.Length == 4 && words[0] == "certified" && words[1] is "b1" or "b2") certified[words[1] == "b1" ? 0 : 1] = Number(words[2]);
                    else if (words.Length == 3 && words[0] == "certified" && words[1] == "residual-sum-of-squares") rss = Number(words[2]);
                    continue;
                }
                y.Add(Number(words[0]));
                x.Add(Number(words[1]));
            }
            return new Misra1a(x.ToArray(), y.ToArray(), starts, certified, rss);
        }

        /// <summary>The model as a least-squares problem for <see cref="LevenbergMarquardt"/>: residuals and their Jacobian, by MJacobian.</summary>
        public void ResidualsAndJacobian(ReadOnlySpan<double> b, Span<double> r, double[,] jacobian) => ResidualsJacobian(b, X, Y, r, jacobian);

        private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
