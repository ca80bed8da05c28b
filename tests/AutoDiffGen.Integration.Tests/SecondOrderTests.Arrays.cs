using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// MHessianVector and MHessian of methods with matrix and jagged parameters and of methods that write into an input array
/// (Functions/SecondOrderArrays.cs): hand-derived Hessians, central differences of the generated gradient, H·v =
/// MHessian·v and symmetry (HessianCheck, over the flattened inputs: arrays row-major, in parameter order), float, and
/// 0 bytes per warm call.
/// </summary>
public partial class SecondOrderTests
{
    // ---------------------------------------------------------------- flattening helpers

    private static double[,] ToMatrix(double[] flat, int rows, int columns)
    {
        var a = new double[rows, columns];
        for (int k = 0; k < rows * columns; k++) a[k / columns, k % columns] = flat[k];
        return a;
    }

    private static double[] Flatten(double[,] a) => a.Cast<double>().ToArray();

    private static double[][] ToJagged(double[] flat, int[] rowLengths)
    {
        var x = new double[rowLengths.Length][];
        int k = 0;
        for (int i = 0; i < rowLengths.Length; i++)
        {
            x[i] = new double[rowLengths[i]];
            for (int j = 0; j < rowLengths[i]; j++) x[i][j] = flat[k++];
        }
        return x;
    }

    private static double[] Flatten(double[][] x) => x.SelectMany(row => row).ToArray();

    // ---------------------------------------------------------------- the companions of one shape, as HessianCheck reads them

    private delegate double ArrayAndScalarGradient(double[] x, double w, Span<double> dx, out double dw);

    private delegate double ArrayAndScalarHessianVector(double[] x, double w, ReadOnlySpan<double> vx, double vw, Span<double> dx, out double dw, Span<double> hvx, out double hw);

    private delegate double ArrayAndScalarHessian(double[] x, double w, Span<double> dx, out double dw, double[,] hessian);

    /// <summary>A method of an array of <paramref name="n"/> and a scalar, flattened (x, w).</summary>
    private static void CheckArrayAndScalar(int n, Func<double[], double, double> f, ArrayAndScalarGradient gradient, ArrayAndScalarHessianVector hessianVector,
        ArrayAndScalarHessian hessian, Func<double[], double[,]>? exact, double[][] points) =>
        HessianCheck.All(p => f(p[..n], p[n]),
            p =>
            {
                var g = new double[n];
                gradient(p[..n], p[n], g, out double dw);
                return g.Append(dw).ToArray();
            },
            (p, v) =>
            {
                double[] g = new double[n], hv = new double[n];
                double value = hessianVector(p[..n], p[n], v[..n], v[n], g, out double dw, hv, out double hw);
                return (value, g.Append(dw).ToArray(), hv.Append(hw).ToArray());
            },
            p =>
            {
                var g = new double[n];
                var h = new double[n + 1, n + 1];
                double value = hessian(p[..n], p[n], g, out double dw, h);
                return (value, g.Append(dw).ToArray(), h);
            },
            exact, points);

    private delegate double MatrixGradient(double[,] a, double[,] da);

    private delegate double MatrixHessianVector(double[,] a, double[,] va, double[,] da, double[,] hva);

    private delegate double MatrixHessian(double[,] a, double[,] da, double[,] hessian);

    /// <summary>A method of one rows × columns matrix, flattened row-major.</summary>
    private static void CheckMatrix(int rows, int columns, Func<double[,], double> f, MatrixGradient gradient, MatrixHessianVector hessianVector, MatrixHessian hessian,
        Func<double[], double[,]>? exact, double[][] points) =>
        HessianCheck.All(p => f(ToMatrix(p, rows, columns)),
            p =>
            {
                var g = new double[rows, columns];
                gradient(ToMatrix(p, rows, columns), g);
                return Flatten(g);
            },
            (p, v) =>
            {
                double[,] g = new double[rows, columns], hv = new double[rows, columns];
                double value = hessianVector(ToMatrix(p, rows, columns), ToMatrix(v, rows, columns), g, hv);
                return (value, Flatten(g), Flatten(hv));
            },
            p =>
            {
                var g = new double[rows, columns];
                var h = new double[p.Length, p.Length];
                double value = hessian(ToMatrix(p, rows, columns), g, h);
                return (value, Flatten(g), h);
            },
            exact, points);

    private delegate double JaggedGradient(double[][] x, double[][] dx);

    private delegate double JaggedHessianVector(double[][] x, double[][] vx, double[][] dx, double[][] hvx);

    private delegate double JaggedHessian(double[][] x, double[][] dx, double[,] hessian);

    /// <summary>A method of one jagged array with rows of <paramref name="lengths"/>, flattened row after row.</summary>
    private static void CheckJagged(int[] lengths, Func<double[][], double> f, JaggedGradient gradient, JaggedHessianVector hessianVector, JaggedHessian hessian,
        Func<double[], double[,]>? exact, double[][] points) =>
        HessianCheck.All(p => f(ToJagged(p, lengths)),
            p =>
            {
                double[][] g = ToJagged(new double[p.Length], lengths);
                gradient(ToJagged(p, lengths), g);
                return Flatten(g);
            },
            (p, v) =>
            {
                double[][] g = ToJagged(new double[p.Length], lengths), hv = ToJagged(new double[p.Length], lengths);
                double value = hessianVector(ToJagged(p, lengths), ToJagged(v, lengths), g, hv);
                return (value, Flatten(g), Flatten(hv));
            },
            p =>
            {
                double[][] g = ToJagged(new double[p.Length], lengths);
                var h = new double[p.Length, p.Length];
                double value = hessian(ToJagged(p, lengths), g, h);
                return (value, Flatten(g), h);
            },
            exact, points);

    // ---------------------------------------------------------------- a matrix and a scalar

    /// <summary>∂²/∂p∂q of s·Σ aᵢⱼ³ + C², C = Σ aᵢⱼ aᵢ,ⱼ₊₁, over (a row-major, s).</summary>
    private static double[,] MatrixEnergyHessian(double[] p, int rows, int columns)
    {
        int n = rows * columns;
        double s = p[n], chain = 0;
        double[] dChain = new double[n];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j + 1 < columns; j++)
            {
                int at = i * columns + j;
                chain += p[at] * p[at + 1];
                dChain[at] += p[at + 1];
                dChain[at + 1] += p[at];
            }
        }
        var h = new double[n + 1, n + 1];
        for (int a = 0; a < n; a++)
        {
            for (int b = 0; b < n; b++)
            {
                h[a, b] = 2 * dChain[a] * dChain[b];
                if (a / columns == b / columns && Math.Abs(a - b) == 1) h[a, b] += 2 * chain;
            }
            h[a, a] += 6 * s * p[a];
            h[a, n] = h[n, a] = 3 * p[a] * p[a];
        }
        return h;
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    [InlineData(1, 4)]
    public void A_matrix_and_a_scalar_flatten_row_major_then_the_scalar(int rows, int columns)
    {
        int n = rows * columns;
        HessianCheck.All(p => SecondOrderArrays.MatrixEnergy(ToMatrix(p, rows, columns), p[n]),
            p =>
            {
                var g = new double[rows, columns];
                SecondOrderArrays.MatrixEnergyGradient(ToMatrix(p, rows, columns), p[n], g, out double ds);
                return Flatten(g).Append(ds).ToArray();
            },
            (p, v) =>
            {
                double[,] g = new double[rows, columns], hv = new double[rows, columns];
                double value = SecondOrderArrays.MatrixEnergyHessianVector(ToMatrix(p, rows, columns), p[n], ToMatrix(v, rows, columns), v[n], g, out double ds, hv, out double hs);
                return (value, Flatten(g).Append(ds).ToArray(), Flatten(hv).Append(hs).ToArray());
            },
            p =>
            {
                var g = new double[rows, columns];
                var h = new double[n + 1, n + 1];
                double value = SecondOrderArrays.MatrixEnergyHessian(ToMatrix(p, rows, columns), p[n], g, out double ds, h);
                return (value, Flatten(g).Append(ds).ToArray(), h);
            },
            p => MatrixEnergyHessian(p, rows, columns), Points(n + 1, -1.2, 1.2, 3));
    }

    [Fact]
    public void A_float_matrix_gets_float_companions_close_to_the_double_Hessian()
    {
        float[,] a = { { 0.5f, -0.8f, 1.1f }, { -0.3f, 0.9f, 0.2f } };
        float s = 0.7f;
        var h = new float[7, 7];
        var g = new float[2, 3];
        float value = SecondOrderArrays.MatrixEnergyFloatHessian(a, s, g, out float ds, h);
        Assert.Equal(SecondOrderArrays.MatrixEnergyFloat(a, s), value);
        double[] p = a.Cast<float>().Select(e => (double)e).Append(s).ToArray();
        double[,] exact = MatrixEnergyHessian(p, 2, 3);
        for (int i = 0; i < 7; i++)
        {
            for (int j = 0; j < 7; j++) Check.Close(exact[i, j], h[i, j], 1e-4, "float MHessian[" + i + ", " + j + "]", p);
        }
        var v = new float[2, 3];
        v[1, 2] = 1;
        var hv = new float[2, 3];
        SecondOrderArrays.MatrixEnergyFloatHessianVector(a, s, v, 0f, g, out _, hv, out float hs);
        for (int k = 0; k < 6; k++) Check.Close(exact[k, 5], hv[k / 3, k % 3], 1e-4, "float (H·e5)[" + k + "]", p);
        Check.Close(exact[6, 5], hs, 1e-4, "float (H·e5)[s]", p);
    }

    // ---------------------------------------------------------------- ragged rows

    /// <summary>∂²/∂p∂q of Σᵢ log(1 + rᵢ) + Σᵢ xᵢ₀ xᵢ₊₁,₀ over the rows one after another.</summary>
    private static double[,] JaggedRowsHessian(double[] p, int[] rowLengths)
    {
        int n = p.Length;
        var h = new double[n, n];
        int start = 0;
        for (int i = 0; i < rowLengths.Length; i++)
        {
            double r = 0;
            for (int j = 0; j < rowLengths[i]; j++) r += p[start + j] * p[start + j];
            for (int j = 0; j < rowLengths[i]; j++)
            {
                for (int l = 0; l < rowLengths[i]; l++)
                {
                    h[start + j, start + l] = (j == l ? 2 / (1 + r) : 0) - 4 * p[start + j] * p[start + l] / ((1 + r) * (1 + r));
                }
            }
            if (i + 1 < rowLengths.Length)
            {
                int next = start + rowLengths[i];
                h[start, next] += 1;
                h[next, start] += 1;
            }
            start += rowLengths[i];
        }
        return h;
    }

    [Fact]
    public void Ragged_rows_of_a_jagged_array_flatten_row_by_row()
    {
        int[] lengths = { 2, 3, 1 };
        CheckJagged(lengths, SecondOrderArrays.JaggedRows, SecondOrderArrays.JaggedRowsGradient, SecondOrderArrays.JaggedRowsHessianVector, SecondOrderArrays.JaggedRowsHessian,
            p => JaggedRowsHessian(p, lengths), Points(6, -1.5, 1.5));
    }

    [Fact]
    public void A_float_jagged_array_gets_float_companions_close_to_the_double_Hessian()
    {
        int[] lengths = { 3, 2 };
        double[] p = { 0.4, -0.9, 1.3, 0.2, -0.6 };
        float[][] x = { new[] { 0.4f, -0.9f, 1.3f }, new[] { 0.2f, -0.6f } };
        float[][] g = { new float[3], new float[2] };
        var h = new float[5, 5];
        float value = SecondOrderArrays.JaggedRowsFloatHessian(x, g, h);
        Assert.Equal(SecondOrderArrays.JaggedRowsFloat(x), value);
        double[,] exact = JaggedRowsHessian(p.Select(e => (double)(float)e).ToArray(), lengths);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++) Check.Close(exact[i, j], h[i, j], 1e-4, "float MHessian[" + i + ", " + j + "]", p);
        }
    }

    [Fact]
    public void Matrix_and_jagged_buffers_of_the_wrong_shape_are_rejected_naming_the_parameter()
    {
        var a = new double[2, 3];
        var wrongDirection = Assert.Throws<ArgumentException>(() => SecondOrderArrays.MatrixEnergyHessianVector(a, 1, new double[3, 2], 0, new double[2, 3], out _, new double[2, 3], out _));
        Assert.Equal("va", wrongDirection.ParamName);
        var wrongProduct = Assert.Throws<ArgumentException>(() => SecondOrderArrays.MatrixEnergyHessianVector(a, 1, new double[2, 3], 0, new double[2, 3], out _, new double[2, 2], out _));
        Assert.Equal("hva", wrongProduct.ParamName);
        var wrongGradient = Assert.Throws<ArgumentException>(() => SecondOrderArrays.MatrixEnergyHessian(a, 1, new double[1, 3], out _, new double[7, 7]));
        Assert.Equal("da", wrongGradient.ParamName);
        var wrongHessian = Assert.Throws<ArgumentException>(() => SecondOrderArrays.MatrixEnergyHessian(a, 1, new double[2, 3], out _, new double[6, 6]));
        Assert.Equal("hessian", wrongHessian.ParamName);
        double[][] x = { new double[] { 1, 2 }, new double[] { 3 } };
        var wrongRow = Assert.Throws<ArgumentException>(() => SecondOrderArrays.JaggedRowsHessianVector(x, new[] { new double[2], new double[2] }, new[] { new double[2], new double[1] }, new[] { new double[2], new double[1] }));
        Assert.Equal("vx", wrongRow.ParamName);
        var wrongJaggedHessian = Assert.Throws<ArgumentException>(() => SecondOrderArrays.JaggedRowsHessian(x, new[] { new double[2], new double[1] }, new double[2, 2]));
        Assert.Equal("hessian", wrongJaggedHessian.ParamName);
    }

    // ---------------------------------------------------------------- an input the method writes into

    /// <summary>∂²/∂p∂q of Σ yᵢ yᵢ₊₁ + w Σ yᵢ², yᵢ = xᵢ sin xᵢ, over (x at entry, w).</summary>
    private static double[,] OverwritesInputHessian(double[] p)
    {
        int n = p.Length - 1;
        double w = p[n];
        double[] y = new double[n], dy = new double[n], ddy = new double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = p[i] * Math.Sin(p[i]);
            dy[i] = Math.Sin(p[i]) + p[i] * Math.Cos(p[i]);
            ddy[i] = 2 * Math.Cos(p[i]) - p[i] * Math.Sin(p[i]);
        }
        var h = new double[n + 1, n + 1];
        for (int i = 0; i < n; i++)
        {
            double neighbours = (i > 0 ? y[i - 1] : 0) + (i + 1 < n ? y[i + 1] : 0);
            h[i, i] = ddy[i] * (neighbours + 2 * w * y[i]) + 2 * w * dy[i] * dy[i];
            if (i + 1 < n) h[i, i + 1] = h[i + 1, i] = dy[i] * dy[i + 1];
            h[i, n] = h[n, i] = 2 * y[i] * dy[i];
        }
        return h;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    public void An_input_the_method_overwrites_is_differentiated_at_its_entry_values(int n)
    {
        // Each companion gets its own copy of x (p[..n] copies; the method overwrites it).
        CheckArrayAndScalar(n, SecondOrderArrays.OverwritesInput, SecondOrderArrays.OverwritesInputGradient, SecondOrderArrays.OverwritesInputHessianVector, SecondOrderArrays.OverwritesInputHessian,
            OverwritesInputHessian, Points(n + 1, -1.5, 1.5, 3));
    }

    [Fact]
    public void List_patterns_match_the_Hessian_of_the_arm_taken()
    {
        // Three elements: [> 0, .., var last] => x0·x2² + w²·x1 when x0 > 0, otherwise x0·x1·x2·w (flattened x0, x1, x2, w).
        static double[,] Exact(double[] p)
        {
            double x0 = p[0], x1 = p[1], x2 = p[2], w = p[3];
            return x0 > 0
                ? new double[,] { { 0, 0, 2 * x2, 0 }, { 0, 0, 0, 2 * w }, { 2 * x2, 0, 2 * x0, 0 }, { 0, 2 * w, 0, 2 * x1 } }
                : new double[,] { { 0, x2 * w, x1 * w, x1 * x2 }, { x2 * w, 0, x0 * w, x0 * x2 }, { x1 * w, x0 * w, 0, x0 * x1 }, { x1 * x2, x0 * x2, x0 * x1, 0 } };
        }
        CheckArrayAndScalar(3, Patterns.ListArmsSecondOrder, Patterns.ListArmsSecondOrderGradient, Patterns.ListArmsSecondOrderHessianVector, Patterns.ListArmsSecondOrderHessian,
            Exact, new[] { new[] { 0.7, -0.4, 1.3, 0.9 }, new[] { 1.5, 0.2, -0.8, -1.1 }, new[] { -0.6, 1.2, 0.5, 0.8 }, new[] { -1.4, -0.3, -0.9, 1.6 } });
        // Two elements: a²·b·w, through the exact-length arm (flattened a, b, w).
        CheckArrayAndScalar(2, Patterns.ListArmsSecondOrder, Patterns.ListArmsSecondOrderGradient, Patterns.ListArmsSecondOrderHessianVector, Patterns.ListArmsSecondOrderHessian,
            p => new double[,] { { 2 * p[1] * p[2], 2 * p[0] * p[2], 2 * p[0] * p[1] }, { 2 * p[0] * p[2], 0, p[0] * p[0] }, { 2 * p[0] * p[1], p[0] * p[0], 0 } },
            new[] { new[] { 0.7, -0.4, 1.3 }, new[] { -1.5, 0.2, -0.8 } });
    }

    [Fact]
    public void The_companions_leave_a_written_input_as_the_method_does()
    {
        double[] x = { 0.3, -1.1, 0.8 }, expected = (double[])x.Clone();
        SecondOrderArrays.OverwritesInput(expected, 0.5);
        SecondOrderArrays.OverwritesInputHessianVector(x, 0.5, new double[] { 1, 0, 0 }, 0, new double[3], out _, new double[3], out _);
        Assert.Equal(expected, x);
    }

    [Fact]
    public void MGradient_and_MBackward_leave_a_written_input_as_the_method_does()
    {
        double[] x = { 0.3, -1.1, 0.8 }, expected = (double[])x.Clone(), y = (double[])x.Clone();
        SecondOrderArrays.OverwritesInput(expected, 0.5);
        SecondOrderArrays.OverwritesInputGradient(x, 0.5, new double[3], out _);
        Assert.Equal(expected, x);
        double dw = 0;
        SecondOrderArrays.OverwritesInputBackward(y, 0.5, 1.0, new double[3], ref dw);
        Assert.Equal(expected, y);
    }

    [Fact]
    public void MGradient_and_MBackward_leave_a_written_span_of_structs_as_the_method_does()
    {
        Point[] start = { new(0.3, 0.9), new(-1.1, 0.4), new(0.8, -0.7) };
        Point[] expected = (Point[])start.Clone(), p = (Point[])start.Clone(), q = (Point[])start.Clone();
        SecondOrderStructs.Relax(expected, 0.5);
        SecondOrderStructs.RelaxGradient(p, 0.5, new Point[3], out _);
        Assert.Equal(expected, p);
        double dk = 0;
        SecondOrderStructs.RelaxBackward(q, 0.5, 1.0, new Point[3], ref dk);
        Assert.Equal(expected, q);
    }

    [Fact]
    public void A_float_input_the_method_overwrites()
    {
        double[] p = { 0.7, -0.4, 1.2, 0.25 };
        float[] x = { 0.7f, -0.4f, 1.2f };
        var h = new float[4, 4];
        float[] g = new float[3];
        SecondOrderArrays.OverwritesInputFloatHessian(x, 0.25f, g, out _, h);
        double[,] exact = OverwritesInputHessian(p.Select(e => (double)(float)e).ToArray());
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++) Check.Close(exact[i, j], h[i, j], 1e-4, "float MHessian[" + i + ", " + j + "]", p);
        }
    }

    [Fact]
    public void A_matrix_the_method_overwrites_matches_differences_of_the_gradient()
    {
        const int rows = 2, columns = 3, n = rows * columns;
        CheckMatrix(rows, columns, SecondOrderArrays.OverwritesMatrix, SecondOrderArrays.OverwritesMatrixGradient, SecondOrderArrays.OverwritesMatrixHessianVector, SecondOrderArrays.OverwritesMatrixHessian,
            null, Points(n, -1.2, 1.2, 3));
    }

    [Fact]
    public void A_jagged_array_the_method_overwrites_matches_differences_of_the_gradient()
    {
        int[] lengths = { 3, 1, 2 };
        CheckJagged(lengths, SecondOrderArrays.OverwritesJagged, SecondOrderArrays.OverwritesJaggedGradient, SecondOrderArrays.OverwritesJaggedHessianVector, SecondOrderArrays.OverwritesJaggedHessian,
            null, Points(6, -1.2, 1.2, 3));
    }

    // ---------------------------------------------------------------- MTangent of a method that writes into its matrix or jagged input

    /// <summary>
    /// ∇f at the entry values a of OverwritesMatrix (y = a∘a; f = Σᵢ Σⱼ₊₁<c sin(yᵢⱼ) yᵢ,ⱼ₊₁):
    /// ∂f/∂aₖₗ = 2aₖₗ ([l + 1 < c] cos(yₖₗ) yₖ,ₗ₊₁ + [l ≥ 1] sin(yₖ,ₗ₋₁)).
    /// </summary>
    private static double[] OverwritesMatrixGradientExact(double[] p, int rows, int columns)
    {
        double Y(int i, int j) => p[i * columns + j] * p[i * columns + j];
        var g = new double[p.Length];
        for (int k = 0; k < rows; k++)
        {
            for (int l = 0; l < columns; l++)
            {
                double inner = (l + 1 < columns ? Math.Cos(Y(k, l)) * Y(k, l + 1) : 0) + (l >= 1 ? Math.Sin(Y(k, l - 1)) : 0);
                g[k * columns + l] = 2 * p[k * columns + l] * inner;
            }
        }
        return g;
    }

    /// <summary>OverwritesJagged over dual numbers (an independent chain rule): yᵢ₀ = xᵢ₀, yᵢⱼ = xᵢⱼ xᵢ₀; f = Σᵢ₊₁<n Σⱼ yᵢⱼ² yᵢ₊₁,₀.</summary>
    private static double[] OverwritesJaggedGradientExact(double[] p, int[] lengths)
    {
        var g = new double[p.Length];
        for (int input = 0; input < p.Length; input++)
        {
            var x = new Dual[lengths.Length][];
            int k = 0;
            for (int i = 0; i < lengths.Length; i++)
            {
                x[i] = new Dual[lengths[i]];
                for (int j = 0; j < lengths[i]; j++, k++) x[i][j] = k == input ? Dual.Variable(p[k]) : Dual.Constant(p[k]);
            }
            for (int i = 0; i < x.Length; i++) for (int j = 1; j < x[i].Length; j++) x[i][j] = x[i][j] * x[i][0];
            Dual f = 0;
            for (int i = 0; i + 1 < x.Length; i++) for (int j = 0; j < x[i].Length; j++) f = f + x[i][j] * x[i][j] * x[i + 1][0];
            g[input] = f.D;
        }
        return g;
    }

    [Fact]
    public void MTangent_of_a_method_that_overwrites_its_matrix_matches_the_exact_gradient_differences_and_MBackward()
    {
        const int rows = 2, columns = 3, n = rows * columns;
        double[][] points = Points(n, -1.2, 1.2, 3);
        TangentCheck.Directional(p => SecondOrderArrays.OverwritesMatrix(ToMatrix(p, rows, columns)),
            (p, v) =>
            {
                double[,] a = ToMatrix(p, rows, columns), da = ToMatrix(v, rows, columns);
                double value = SecondOrderArrays.OverwritesMatrixTangent(a, da, out double t);
                Assert.Equal(v, Flatten(da)); // the direction is read only: the method's writes go to a rented copy
                return (value, t);
            },
            p => OverwritesMatrixGradientExact(p, rows, columns), points);
        // The dot-product test: ⟨MTangent(v), w⟩ = ⟨v, MBackward(w)⟩ for a scalar seed w.
        var random = new Random(31);
        foreach (double[] p in points)
        {
            double[] v = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            double w = random.NextDouble() * 2 - 1;
            SecondOrderArrays.OverwritesMatrixTangent(ToMatrix(p, rows, columns), ToMatrix(v, rows, columns), out double t);
            var backward = new double[rows, columns];
            SecondOrderArrays.OverwritesMatrixBackward(ToMatrix(p, rows, columns), w, backward);
            Check.Close(t * w, v.Zip(Flatten(backward), (a, b) => a * b).Sum(), 1e-12, "⟨MTangent(v), w⟩ = ⟨v, MBackward(w)⟩", p);
            double[,] written = ToMatrix(p, rows, columns), expected = ToMatrix(p, rows, columns);
            SecondOrderArrays.OverwritesMatrixTangent(written, ToMatrix(v, rows, columns), out _);
            SecondOrderArrays.OverwritesMatrix(expected);
            Assert.Equal(Flatten(expected), Flatten(written)); // MTangent leaves the input as the method does
        }
    }

    [Fact]
    public void MTangent_of_a_method_that_overwrites_its_jagged_input_matches_the_exact_gradient_differences_and_MBackward()
    {
        int[] lengths = { 3, 1, 2 };
        double[][] points = Points(6, -1.2, 1.2, 3);
        TangentCheck.Directional(p => SecondOrderArrays.OverwritesJagged(ToJagged(p, lengths)),
            (p, v) =>
            {
                double[][] x = ToJagged(p, lengths), dx = ToJagged(v, lengths);
                double value = SecondOrderArrays.OverwritesJaggedTangent(x, dx, out double t);
                Assert.Equal(v, Flatten(dx));
                return (value, t);
            },
            p => OverwritesJaggedGradientExact(p, lengths), points);
        var random = new Random(37);
        foreach (double[] p in points)
        {
            double[] v = Enumerable.Range(0, p.Length).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            double w = random.NextDouble() * 2 - 1;
            SecondOrderArrays.OverwritesJaggedTangent(ToJagged(p, lengths), ToJagged(v, lengths), out double t);
            double[][] backward = ToJagged(new double[p.Length], lengths);
            SecondOrderArrays.OverwritesJaggedBackward(ToJagged(p, lengths), w, backward);
            Check.Close(t * w, v.Zip(Flatten(backward), (a, b) => a * b).Sum(), 1e-12, "⟨MTangent(v), w⟩ = ⟨v, MBackward(w)⟩", p);
        }
        // The generated gradient against the dual-number one too (HessianCheck compares it with differences only).
        foreach (double[] p in points)
        {
            double[][] g = ToJagged(new double[p.Length], lengths);
            SecondOrderArrays.OverwritesJaggedGradient(ToJagged(p, lengths), g);
            double[] exact = OverwritesJaggedGradientExact(p, lengths);
            for (int k = 0; k < p.Length; k++) Check.Close(exact[k], Flatten(g)[k], Check.ExactTolerance, "∂f/∂x[" + k + "]", p);
        }
    }

    [Fact]
    public void A_float_jagged_array_written_at_constant_indices()
    {
        // m = {{a, b}, {c}}: m₀₁ ← a·b, then f = a·b·c, H = [[0, c, b], [c, 0, a], [b, a, 0]].
        float a = 0.6f, b = -1.3f, c = 0.9f;
        float[][] m = { new[] { a, b }, new[] { c } };
        float[][] g = { new float[2], new float[1] };
        var h = new float[3, 3];
        float value = SecondOrderArrays.OverwritesJaggedAtConstantsHessian(m, g, h);
        Assert.Equal(a * b * c, value, 5);
        Assert.Equal(a * b, m[0][1]); // left as the method leaves it
        double[,] exact = { { 0, c, b }, { c, 0, a }, { b, a, 0 } };
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++) Check.Close(exact[i, j], h[i, j], 1e-5, "float MHessian[" + i + ", " + j + "]", a, b, c);
        }
        Check.Close(b * c, g[0][0], 1e-5, "∂f/∂a", a, b, c);
        Check.Close(a * c, g[0][1], 1e-5, "∂f/∂b", a, b, c);
        Check.Close(a * b, g[1][0], 1e-5, "∂f/∂c", a, b, c);
    }

    // ---------------------------------------------------------------- through calls of helpers taking matrices and jagged arrays

    [Fact]
    public void Through_a_helper_taking_a_matrix_matches_differences_of_the_gradient()
    {
        const int rows = 3, columns = 2, n = rows * columns;
        CheckMatrix(rows, columns, SecondOrderArrays.RowEnergyProduct, SecondOrderArrays.RowEnergyProductGradient, SecondOrderArrays.RowEnergyProductHessianVector, SecondOrderArrays.RowEnergyProductHessian,
            null, Points(n, -1.2, 1.2, 3));
    }

    /// <summary>∂²/∂p∂q of w² Σᵢ (i + 1) Sᵢ², Sᵢ = Σⱼ xᵢⱼ, over (x row by row, w).</summary>
    private static double[,] WeightedRowsHessian(double[] p, int[] lengths)
    {
        int n = p.Length - 1;
        double w = p[n];
        var h = new double[n + 1, n + 1];
        int start = 0;
        double total = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            double s = 0;
            for (int j = 0; j < lengths[i]; j++) s += p[start + j];
            total += (i + 1) * s * s;
            for (int j = 0; j < lengths[i]; j++)
            {
                for (int l = 0; l < lengths[i]; l++) h[start + j, start + l] = 2 * w * w * (i + 1);
                h[start + j, n] = h[n, start + j] = 4 * w * (i + 1) * s;
            }
            start += lengths[i];
        }
        h[n, n] = 2 * total;
        return h;
    }

    [Fact]
    public void Through_a_helper_taking_a_jagged_array_matches_its_hand_derived_Hessian()
    {
        int[] lengths = { 2, 1, 3 };
        HessianCheck.All(p => SecondOrderArrays.WeightedRows(ToJagged(p, lengths), p[^1]),
            p =>
            {
                double[][] g = ToJagged(new double[p.Length - 1], lengths);
                SecondOrderArrays.WeightedRowsGradient(ToJagged(p, lengths), p[^1], g, out double dw);
                return Flatten(g).Append(dw).ToArray();
            },
            (p, v) =>
            {
                double[][] g = ToJagged(new double[p.Length - 1], lengths), hv = ToJagged(new double[p.Length - 1], lengths);
                double value = SecondOrderArrays.WeightedRowsHessianVector(ToJagged(p, lengths), p[^1], ToJagged(v, lengths), v[^1], g, out double dw, hv, out double hw);
                return (value, Flatten(g).Append(dw).ToArray(), Flatten(hv).Append(hw).ToArray());
            },
            p =>
            {
                double[][] g = ToJagged(new double[p.Length - 1], lengths);
                var h = new double[p.Length, p.Length];
                double value = SecondOrderArrays.WeightedRowsHessian(ToJagged(p, lengths), p[^1], g, out double dw, h);
                return (value, Flatten(g).Append(dw).ToArray(), h);
            },
            p => WeightedRowsHessian(p, lengths), Points(7, -1.2, 1.2, 3));
    }

    [Fact]
    public void A_float_matrix_in_a_double_method_gets_a_double_Hessian()
    {
        // f = s² a₀₀ a₀₁ + a₁₀² a₁₁ over (a₀₀, a₀₁, a₁₀, a₁₁, s).
        float[,] a = { { 0.5f, -1.5f }, { 0.75f, 2f } };
        double s = 1.25, a00 = a[0, 0], a01 = a[0, 1], a10 = a[1, 0], a11 = a[1, 1];
        var h = new double[5, 5];
        var g = new float[2, 2];
        double value = SecondOrderArrays.MixedMatrixHessian(a, s, g, out double ds, h);
        Assert.Equal(SecondOrderArrays.MixedMatrix(a, s), value);
        double[,] exact =
        {
            { 0, s * s, 0, 0, 2 * s * a01 },
            { s * s, 0, 0, 0, 2 * s * a00 },
            { 0, 0, 2 * a11, 2 * a10, 0 },
            { 0, 0, 2 * a10, 0, 0 },
            { 2 * s * a01, 2 * s * a00, 0, 0, 2 * a00 * a01 },
        };
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 5; j++) Check.Close(exact[i, j], h[i, j], 1e-6, "MHessian[" + i + ", " + j + "]", a00, a01, a10, a11, s);
        }
        Check.Close(2 * s * a00 * a01, ds, 1e-12, "∂f/∂s", s);
    }

    // ---------------------------------------------------------------- allocation

    [Fact]
    public void Warm_calls_with_matrices_jagged_arrays_and_written_inputs_allocate_nothing()
    {
        double[,] a = { { 0.5, -0.8, 1.1 }, { -0.3, 0.9, 0.2 } };
        double[,] va = { { 1, 0, -1 }, { 0.5, 2, 0 } }, ga = new double[2, 3], hva = new double[2, 3];
        var ha = new double[7, 7];
        double[][] x = { new[] { 0.4, -0.9, 1.3 }, new[] { 0.2, -0.6 } };
        double[][] vx = { new[] { 1.0, 0, 0 }, new[] { 0, 1.0 } }, gx = { new double[3], new double[2] }, hvx = { new double[3], new double[2] };
        var hx = new double[5, 5];
        double[] w = { 0.3, -1.1, 0.8 }, vw = { 1, 2, 3 }, gw = new double[3], hvw = new double[3];
        // Inputs the method writes into (given their entry values back before each call): the tangent copy, the local
        // adjoint and, in MBackwardTangent, the copy's adjoint are rented from the runtime's shaped scratch.
        double[,] wa = new double[2, 3], wva = { { 1, 0, -1 }, { 0.5, 2, 0 } }, wga = new double[2, 3], whva = new double[2, 3];
        var wha = new double[6, 6];
        double[][] wx = { new double[3], new double[1], new double[2] };
        double[][] wvx = { new[] { 1.0, 0, 0.5 }, new[] { -1.0 }, new[] { 0, 2.0 } }, wgx = { new double[3], new double[1], new double[2] }, whvx = { new double[3], new double[1], new double[2] };
        var whx = new double[6, 6];
        void Reset()
        {
            for (int k = 0; k < 6; k++) wa[k / 3, k % 3] = 0.3 + 0.1 * k;
            for (int k = 0; k < 3; k++) wx[0][k] = 0.5 - 0.2 * k;
            wx[1][0] = 0.7; wx[2][0] = -0.4; wx[2][1] = 0.9;
        }
        // Made once, before the measured calls (a lambda made in Run would be an allocation of the test's own).
        Action[] writers =
        {
            () => SecondOrderArrays.OverwritesMatrixTangent(wa, wva, out _),
            () => SecondOrderArrays.OverwritesMatrixGradient(wa, wga),
            () => SecondOrderArrays.OverwritesMatrixHessianVector(wa, wva, wga, whva),
            () => SecondOrderArrays.OverwritesMatrixHessian(wa, wga, wha),
            () => SecondOrderArrays.OverwritesJaggedTangent(wx, wvx, out _),
            () => SecondOrderArrays.OverwritesJaggedGradient(wx, wgx),
            () => SecondOrderArrays.OverwritesJaggedHessianVector(wx, wvx, wgx, whvx),
            () => SecondOrderArrays.OverwritesJaggedHessian(wx, wgx, whx),
        };
        void Run()
        {
            foreach (Action writer in writers)
            {
                Reset();
                writer();
            }
            SecondOrderArrays.MatrixEnergyHessianVector(a, 0.7, va, 1, ga, out _, hva, out _);
            SecondOrderArrays.MatrixEnergyHessian(a, 0.7, ga, out _, ha);
            SecondOrderArrays.JaggedRowsHessianVector(x, vx, gx, hvx);
            SecondOrderArrays.JaggedRowsHessian(x, gx, hx);
            w[0] = 0.3; w[1] = -1.1; w[2] = 0.8;
            SecondOrderArrays.OverwritesInputHessianVector(w, 0.5, vw, 1, gw, out _, hvw, out _);
        }
        // Arrays of shapes this thread no longer uses (an earlier problem's) fill its shaped scratch first: the scratch keeps
        // the newest, so the calls' own shapes are still found on every warm call.
        for (int k = 1; k <= 40; k++)
        {
            AutoDiffGen.Runtime.AdjointArrays.ReturnShaped(AutoDiffGen.Runtime.AdjointArrays.RentZeroedShaped(new double[k, 11]));
            AutoDiffGen.Runtime.AdjointArrays.ReturnShaped(AutoDiffGen.Runtime.AdjointArrays.RentZeroedShaped(new double[k][]));
        }
        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
