using System;

namespace AutoDiffGen.Samples.Tests.Infrastructure
{
    /// <summary>Deterministic random test data and precision conversions.</summary>
    public static class Matrices
    {
        public static double[] Vector(Random random, int n, double scale = 1)
        {
            var v = new double[n];
            for (int i = 0; i < n; i++) v[i] = scale * (2 * random.NextDouble() - 1);
            return v;
        }

        public static double[,] Matrix(Random random, int rows, int cols, double scale = 1)
        {
            var m = new double[rows, cols];
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) m[i, j] = scale * (2 * random.NextDouble() - 1);
            return m;
        }

        public static float[] ToSingle(double[] v) => Array.ConvertAll(v, e => (float)e);

        public static float[,] ToSingle(double[,] m)
        {
            var f = new float[m.GetLength(0), m.GetLength(1)];
            for (int i = 0; i < m.GetLength(0); i++) for (int j = 0; j < m.GetLength(1); j++) f[i, j] = (float)m[i, j];
            return f;
        }

        public static double[,] ToDouble(float[,] m)
        {
            var d = new double[m.GetLength(0), m.GetLength(1)];
            for (int i = 0; i < m.GetLength(0); i++) for (int j = 0; j < m.GetLength(1); j++) d[i, j] = m[i, j];
            return d;
        }

        /// <summary>Double values that are exactly representable in float, so double and float runs see the same data.</summary>
        public static double[] Rounded(double[] v) => Array.ConvertAll(v, e => (double)(float)e);

        /// <inheritdoc cref="Rounded(double[])"/>
        public static double[,] Rounded(double[,] m) => ToDouble(ToSingle(m));
    }
}
