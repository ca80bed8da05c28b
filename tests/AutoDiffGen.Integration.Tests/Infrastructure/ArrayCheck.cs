using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Integration.Tests.Infrastructure;

/// <summary>The shape of one differentiable input of a method over arrays; its elements are a slice of a flat vector.</summary>
public abstract record Shape(string Name)
{
    public abstract int Size { get; }

    /// <summary>How element <paramref name="i"/> of this input's slice is written in C#: a[2], m[1, 0], r[1][2], x.</summary>
    public abstract string Element(int i);

    public static Shape Scalar(string name) => new ScalarShape(name);

    public static Shape Vector(string name, int length) => new VectorShape(name, length);

    public static Shape Matrix(string name, int rows, int columns) => new MatrixShape(name, rows, columns);

    public static Shape Jagged(string name, params int[] rowLengths) => new JaggedShape(name, rowLengths);
}

public sealed record ScalarShape(string Name) : Shape(Name)
{
    public override int Size => 1;

    public override string Element(int i) => Name;
}

public sealed record VectorShape(string Name, int Length) : Shape(Name)
{
    public override int Size => Length;

    public override string Element(int i) => $"{Name}[{i}]";
}

public sealed record MatrixShape(string Name, int Rows, int Columns) : Shape(Name)
{
    public override int Size => Rows * Columns;

    public override string Element(int i) => $"{Name}[{i / Columns}, {i % Columns}]";
}

public sealed record JaggedShape(string Name, int[] RowLengths) : Shape(Name)
{
    public override int Size => RowLengths.Sum();

    public override string Element(int i)
    {
        int row = 0;
        while (i >= RowLengths[row])
        {
            i -= RowLengths[row];
            row++;
        }
        return $"{Name}[{row}][{i}]";
    }
}

/// <summary>
/// The inputs (or gradients) of one call, stored as one flat vector and handed out as fresh arrays of the right
/// shapes; <see cref="Flush"/> copies what the call left in those arrays back into the flat vector.
/// </summary>
public sealed class Args
{
    private readonly Shape[] _shapes;
    private readonly int[] _offsets;
    private readonly double[] _flat;
    private readonly List<Action> _writeBack = new();

    public Args(Shape[] shapes, double[] flat)
    {
        _shapes = shapes;
        _offsets = new int[shapes.Length];
        for (int k = 1; k < shapes.Length; k++) _offsets[k] = _offsets[k - 1] + shapes[k - 1].Size;
        if (flat.Length != shapes.Sum(s => s.Size)) throw new ArgumentException("The flat vector does not fit the shapes.", nameof(flat));
        _flat = (double[])flat.Clone();
    }

    public double Scalar(int k) => _flat[Offset<ScalarShape>(k)];

    public float ScalarF(int k) => (float)Scalar(k);

    /// <summary>The scalar input k as a variable, for an out or ref gradient argument.</summary>
    public ref double Ref(int k) => ref _flat[Offset<ScalarShape>(k)];

    public double[] Vector(int k)
    {
        int offset = Offset<VectorShape>(k);
        var v = _flat.AsSpan(offset, _shapes[k].Size).ToArray();
        _writeBack.Add(() => v.CopyTo(_flat, offset));
        return v;
    }

    public float[] VectorF(int k)
    {
        int offset = Offset<VectorShape>(k);
        var v = _flat.AsSpan(offset, _shapes[k].Size).ToArray().Select(e => (float)e).ToArray();
        _writeBack.Add(() =>
        {
            for (int i = 0; i < v.Length; i++) _flat[offset + i] = v[i];
        });
        return v;
    }

    public double[,] Matrix(int k) => Matrix<double>(k, e => e, e => e);

    public float[,] MatrixF(int k) => Matrix<float>(k, e => (float)e, e => e);

    public double[][] Jagged(int k)
    {
        int offset = Offset<JaggedShape>(k);
        int[] lengths = ((JaggedShape)_shapes[k]).RowLengths;
        var rows = new double[lengths.Length][];
        for (int i = 0, at = offset; i < lengths.Length; at += lengths[i], i++) rows[i] = _flat.AsSpan(at, lengths[i]).ToArray();
        _writeBack.Add(() =>
        {
            for (int i = 0, at = offset; i < lengths.Length; at += lengths[i], i++) rows[i].CopyTo(_flat, at);
        });
        return rows;
    }

    /// <summary>Copies the arrays handed out back into the flat vector and returns a copy of it.</summary>
    public double[] Flush()
    {
        foreach (Action write in _writeBack) write();
        return (double[])_flat.Clone();
    }

    private T[,] Matrix<T>(int k, Func<double, T> from, Func<T, double> to)
    {
        int offset = Offset<MatrixShape>(k);
        var shape = (MatrixShape)_shapes[k];
        var m = new T[shape.Rows, shape.Columns];
        for (int i = 0; i < shape.Rows; i++)
            for (int j = 0; j < shape.Columns; j++)
                m[i, j] = from(_flat[offset + i * shape.Columns + j]);
        _writeBack.Add(() =>
        {
            for (int i = 0; i < shape.Rows; i++)
                for (int j = 0; j < shape.Columns; j++)
                    _flat[offset + i * shape.Columns + j] = to(m[i, j]);
        });
        return m;
    }

    private int Offset<TShape>(int k) where TShape : Shape =>
        _shapes[k] is TShape ? _offsets[k] : throw new InvalidOperationException($"Input {k} ({_shapes[k]}) is not a {typeof(TShape).Name}.");
}

/// <summary>Tolerances and finite-difference step for one floating-point type.</summary>
public sealed record Precision(double Exact, double FiniteDifferences, double Step, double Accumulation)
{
    public static readonly Precision Double = new(Check.ExactTolerance, Check.FiniteDifferenceTolerance, GradientCheck.DefaultStep, 1e-12);

    /// <summary>Float methods: hand-derived gradients (computed in double) to float precision, finite differences with a float-sized step.</summary>
    public static readonly Precision Float = new(1e-5, 2e-3, 1e-3, 1e-5);
}

/// <summary>
/// Checks a method over arrays and its generated companions at a few points, the array counterpart of <see cref="Check"/>:
/// every differentiable input is a slice of one flat vector θ, and for each θ
/// <list type="bullet">
/// <item>MGradient returns M's value exactly, leaves the inputs as M itself leaves them, and overwrites the gradient
/// buffers (they start filled with junk) with the hand-derived gradient and with central finite differences in every element;</item>
/// <item>MBackward, given adjoint buffers pre-filled with 1s and seed 1.5, returns the value and leaves 1 + 1.5·gradient.</item>
/// </list>
/// </summary>
public static class ArrayCheck
{
    public const double Seed = 1.5;
    private const double Junk = 7.25;

    /// <summary>Random points for the flat vector of <paramref name="shapes"/>, as <see cref="Check.Points"/>.</summary>
    public static double[][] Points(Shape[] shapes, double lo, double hi, int count = 4, int seed = 12345) =>
        Check.Points(shapes.Sum(s => s.Size), lo, hi, count, seed);

    /// <param name="shapes">The differentiable inputs, in declaration order (Args index k is shapes[k]).</param>
    /// <param name="f">Calls M on the inputs.</param>
    /// <param name="gradient">Calls MGradient on the inputs (first Args) with the gradient buffers (second Args).</param>
    /// <param name="backward">Calls MBackward on the inputs with the seed and the adjoint buffers.</param>
    /// <param name="exact">Writes the hand-derived gradient at the inputs (first Args) into the second Args, which starts at zero.</param>
    public static void Gradient(Shape[] shapes, Func<Args, double> f, Func<Args, Args, double> gradient, Func<Args, double, Args, double> backward,
        Action<Args, Args> exact, IEnumerable<double[]> points, Precision? precision = null)
    {
        Precision tolerance = precision ?? Precision.Double;
        int size = shapes.Sum(s => s.Size);
        foreach (double[] theta in points)
        {
            if (theta.Length != size) throw new ArgumentException($"A point has {theta.Length} coordinates, the shapes {size}.", nameof(points));

            var forF = new Args(shapes, theta);
            double value = f(forF);
            double[] afterF = forF.Flush();

            var forGradient = new Args(shapes, theta);
            var g = new Args(shapes, Enumerable.Repeat(Junk, size).ToArray());
            Check.Same(value, gradient(forGradient, g), "MGradient value", theta);
            double[] grad = g.Flush();
            SameInputs(shapes, afterF, forGradient.Flush(), "MGradient", theta);

            var e = new Args(shapes, new double[size]);
            exact(new Args(shapes, theta), e);
            double[] expected = e.Flush();
            double[] fd = GradientCheck.CentralDifference(t => f(new Args(shapes, t)), (double[])theta.Clone(), tolerance.Step);
            for (int i = 0; i < size; i++)
            {
                string element = Element(shapes, i);
                Check.Close(expected[i], grad[i], tolerance.Exact, $"hand-derived ∂/∂{element}", theta);
                Check.Close(fd[i], grad[i], tolerance.FiniteDifferences, $"finite differences ∂/∂{element}", theta);
            }

            var forBackward = new Args(shapes, theta);
            var adjoint = new Args(shapes, Enumerable.Repeat(1.0, size).ToArray());
            Check.Same(value, backward(forBackward, Seed, adjoint), "MBackward value", theta);
            double[] accumulated = adjoint.Flush();
            SameInputs(shapes, afterF, forBackward.Flush(), "MBackward", theta);
            for (int i = 0; i < size; i++)
            {
                Check.Close(1 + Seed * grad[i], accumulated[i], tolerance.Accumulation, $"MBackward accumulation into {Element(shapes, i)} (pre-filled with 1)", theta);
            }
        }
    }

    /// <summary>api.md: an array gradient of the wrong length or shape is an ArgumentException naming the gradient parameter.</summary>
    public static void RejectsBuffer(string gradientName, Action call)
    {
        var exception = Assert.Throws<ArgumentException>(call);
        Assert.Equal(gradientName, exception.ParamName);
        Assert.Contains("'" + gradientName + "'", exception.Message);
    }

    private static string Element(Shape[] shapes, int i)
    {
        foreach (Shape s in shapes)
        {
            if (i < s.Size) return s.Element(i);
            i -= s.Size;
        }
        throw new ArgumentOutOfRangeException(nameof(i));
    }

    private static void SameInputs(Shape[] shapes, double[] afterM, double[] afterCompanion, string companion, double[] at)
    {
        for (int i = 0; i < afterM.Length; i++)
        {
            if (!afterM[i].Equals(afterCompanion[i]))
            {
                throw new Xunit.Sdk.XunitException(
                    $"{companion} left input {Element(shapes, i)} as {afterCompanion[i]:R}, the method itself as {afterM[i]:R} (at {string.Join(", ", at)})");
            }
        }
    }
}
