using System;

namespace AutoDiffGen.Benchmarks.Infrastructure;

/// <summary>Deterministic inputs: every run of every benchmark sees the same numbers.</summary>
public static class Data
{
    public static Random Rng(int seed) => new(seed);

    public static double[] Vector(Random rng, int length, double scale = 1.0)
    {
        var v = new double[length];
        for (int i = 0; i < length; i++) v[i] = scale * (2 * rng.NextDouble() - 1);
        return v;
    }

    public static double[,] Matrix(Random rng, int rows, int columns, double scale = 1.0)
    {
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++)
                m[i, j] = scale * (2 * rng.NextDouble() - 1);
        return m;
    }
}
