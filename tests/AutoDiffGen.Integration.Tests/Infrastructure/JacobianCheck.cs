using System;
using System.Linq;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Integration.Tests.Infrastructure;

/// <summary>
/// Checks the companions of a vector-valued method over flattened inputs x (n) and outputs y (m): MJacobian, MTangent
/// and MBackward return the method's own outputs bit for bit; MJacobian equals the exact Jacobian (when given) and
/// central finite differences column by column; MTangent along each unit input is that column and MBackward with each
/// unit seed that row (so the Jacobian = stacked tangents = stacked pullbacks); and the dot-product test
/// ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩ holds for random v and w, to round-off.
/// </summary>
public static class JacobianCheck
{
    /// <summary>The companions over flattened vectors, as a test wires them to a method.</summary>
    public sealed record Companions(
        Func<double[], double[]> Outputs,
        Func<double[], (double[] Outputs, double[,] Jacobian)> Jacobian,
        Func<double[], double[], (double[] Outputs, double[] Tangent)> Tangent,
        Func<double[], double[], (double[] Outputs, double[] Adjoint)> Backward);

    /// <summary>A float Jacobian or Hessian (a method whose inputs and outputs are all float, or structs of floats) as doubles, for the checks.</summary>
    public static double[,] Widen(float[,] values)
    {
        var result = new double[values.GetLength(0), values.GetLength(1)];
        for (int i = 0; i < result.GetLength(0); i++) for (int j = 0; j < result.GetLength(1); j++) result[i, j] = values[i, j];
        return result;
    }

    public static void Full(Companions companions, int outputs, double[][] points, Func<double[], double[,]>? exact = null,
        double exactTolerance = Check.ExactTolerance, double fdTolerance = Check.FiniteDifferenceTolerance, double fdStep = GradientCheck.DefaultStep,
        double dotProductTolerance = 1e-12)
    {
        var random = new Random(4242);
        foreach (double[] x in points)
        {
            int n = x.Length;
            double[] y = companions.Outputs((double[])x.Clone());
            Assert.Equal(outputs, y.Length);
            var (yJ, J) = companions.Jacobian((double[])x.Clone());
            SameOutputs(y, yJ, "MJacobian", x);
            Assert.Equal(outputs, J.GetLength(0));
            Assert.Equal(n, J.GetLength(1));

            double[,] fd = FiniteDifferenceJacobian(companions.Outputs, x, outputs, fdStep);
            double[,]? known = exact?.Invoke((double[])x.Clone());
            for (int i = 0; i < outputs; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    if (known is not null) Check.Close(known[i, j], J[i, j], exactTolerance, $"exact J[{i}, {j}]", x);
                    Check.Close(fd[i, j], J[i, j], fdTolerance, $"finite-difference J[{i}, {j}]", x);
                }
            }

            for (int j = 0; j < n; j++)
            {
                var (yt, column) = companions.Tangent((double[])x.Clone(), Unit(n, j));
                SameOutputs(y, yt, "MTangent", x);
                for (int i = 0; i < outputs; i++) Check.Close(J[i, j], column[i], exactTolerance, $"MTangent along input {j}, output {i}", x);
            }
            for (int i = 0; i < outputs; i++)
            {
                var (yb, row) = companions.Backward((double[])x.Clone(), Unit(outputs, i));
                SameOutputs(y, yb, "MBackward", x);
                for (int j = 0; j < n; j++) Check.Close(J[i, j], row[j], exactTolerance, $"MBackward with seed {i}, input {j}", x);
            }
            for (int trial = 0; trial < 3; trial++)
            {
                double[] v = Random(random, n), w = Random(random, outputs);
                double[] jv = companions.Tangent((double[])x.Clone(), v).Tangent;
                double[] jtw = companions.Backward((double[])x.Clone(), w).Adjoint;
                double left = jv.Zip(w, (a, b) => a * b).Sum(), right = v.Zip(jtw, (a, b) => a * b).Sum();
                double scale = jv.Select(Math.Abs).Zip(w, (a, b) => a * Math.Abs(b)).Sum() + 1;
                Assert.True(Math.Abs(left - right) <= dotProductTolerance * scale, $"dot-product test: ⟨J·v, w⟩ = {left:R}, ⟨v, Jᵀ·w⟩ = {right:R}");
            }
        }
    }

    /// <summary>Column j by central differences of every output along input j.</summary>
    /// <param name="step">The relative step: the default suits double; float code needs a larger one (its round-off is 1e-7).</param>
    public static double[,] FiniteDifferenceJacobian(Func<double[], double[]> f, double[] x, int outputs, double step = GradientCheck.DefaultStep)
    {
        var J = new double[outputs, x.Length];
        for (int j = 0; j < x.Length; j++)
        {
            double h = step * Math.Max(1.0, Math.Abs(x[j]));
            double[] up = (double[])x.Clone(), down = (double[])x.Clone();
            up[j] += h;
            down[j] -= h;
            double[] fu = f(up), fd = f(down);
            for (int i = 0; i < outputs; i++) J[i, j] = (fu[i] - fd[i]) / (2 * h);
        }
        return J;
    }

    private static void SameOutputs(double[] expected, double[] actual, string companion, double[] at)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Check.Same(expected[i], actual[i], companion + " output " + i, at);
    }

    private static double[] Unit(int n, int k) => Enumerable.Range(0, n).Select(i => i == k ? 1.0 : 0.0).ToArray();

    private static double[] Random(Random random, int n) => Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 6)).ToArray();
}
