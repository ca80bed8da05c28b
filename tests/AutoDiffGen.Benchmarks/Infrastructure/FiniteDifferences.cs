using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoDiffGen.Benchmarks.Infrastructure;

/// <summary>
/// Central finite differences, the naive baseline: two evaluations of the function per input, so O(n) evaluations
/// of an O(n) function. Perturbs the inputs in place and restores them; allocates nothing.
/// </summary>
public static class FiniteDifferences
{
    /// <summary>The relative step, about the cube root of double precision (as GradientCheck uses).</summary>
    public const double Step = 6.0554544523933395e-6;

    /// <summary>
    /// Writes into <paramref name="gradient"/> the central difference of <paramref name="f"/> with respect to the
    /// first <paramref name="count"/> elements of <paramref name="x"/> (the rest of <paramref name="gradient"/> is
    /// left as it is). <paramref name="x"/> is the storage <paramref name="f"/> reads.
    /// </summary>
    public static void Central(Func<double> f, Span<double> x, Span<double> gradient, int count)
    {
        for (int i = 0; i < count; i++)
        {
            double xi = x[i];
            double h = Step * Math.Max(1.0, Math.Abs(xi));
            x[i] = xi + h;
            double up = f();
            x[i] = xi - h;
            double down = f();
            x[i] = xi;
            gradient[i] = (up - down) / (2 * h);
        }
    }

    /// <summary>The elements of a matrix as one span, row-major, so matrices go through <see cref="Central"/> too.</summary>
    public static Span<double> Flat(double[,] matrix) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(matrix)), matrix.Length);
}
