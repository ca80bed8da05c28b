using System;
using System.Globalization;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>A point of a random program: the array argument (empty when M takes none), the doubles and n.</summary>
public sealed record HarnessPoint(double[] Array, double[] Scalars, int N)
{
    public int Dimension => Array.Length + Scalars.Length;

    /// <summary>The point with coordinate <paramref name="k"/> (array elements first, then the doubles) set to <paramref name="x"/>.</summary>
    public HarnessPoint With(int k, double x)
    {
        double[] array = (double[])Array.Clone(), scalars = (double[])Scalars.Clone();
        if (k < array.Length) array[k] = x;
        else scalars[k - array.Length] = x;
        return new HarnessPoint(array, scalars, N);
    }

    public double this[int k] => k < Array.Length ? Array[k] : Scalars[k - Array.Length];

    public override string ToString() =>
        $"(a = [{string.Join(", ", Array.Select(R))}], {string.Join(", ", Scalars.Select(R))}, n = {N})";

    private static string R(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// Calls the entry points <see cref="RandomProgramGenerator.WriteHarness"/> adds to a random program — M, MGradient and
/// MBackward behind one signature for every program — and takes central differences of M over every coordinate.
/// </summary>
public sealed class HarnessProbe
{
    private readonly MethodInfo _value, _gradient, _backward;
    private readonly MethodInfo? _tangent;

    public HarnessProbe(Type type)
    {
        _value = type.GetMethod("Value") ?? throw new ArgumentException("no Value on " + type);
        _gradient = type.GetMethod("Gradient") ?? throw new ArgumentException("no Gradient on " + type);
        _backward = type.GetMethod("Backward") ?? throw new ArgumentException("no Backward on " + type);
        _tangent = type.GetMethod("Tangent"); // absent when M does not ask for forward mode
    }

    public double Value(HarnessPoint p) => (double)Call(_value, p.Array, p.Scalars, p.N)!;

    public (double Value, double[] Gradient) Gradient(HarnessPoint p)
    {
        var g = new double[p.Dimension];
        double value = (double)Call(_gradient, p.Array, p.Scalars, p.N, g)!;
        return (value, g);
    }

    /// <summary>MBackward with <paramref name="seed"/> and the adjoints preset to <paramref name="adjoints"/>.</summary>
    public (double Value, double[] Adjoints) Backward(HarnessPoint p, double seed, double[] adjoints)
    {
        var g = (double[])adjoints.Clone();
        double value = (double)Call(_backward, p.Array, p.Scalars, p.N, seed, g)!;
        return (value, g);
    }

    /// <summary>MTangent along <paramref name="direction"/> (laid out as the gradient): the value and the tangent of the result.</summary>
    public bool HasTangent => _tangent is not null;

    public (double Value, double Tangent) Tangent(HarnessPoint p, double[] direction)
    {
        if (_tangent is null) throw new InvalidOperationException("M has no MTangent");
        object?[] args = { p.Array.Clone(), p.Scalars, p.N, direction, null };
        try
        {
            double value = (double)_tangent.Invoke(null, args)!;
            return (value, (double)args[4]!);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    public double[] FiniteDifferences(HarnessPoint p, double step) =>
        Enumerable.Range(0, p.Dimension).Select(k => GradientCheck.CentralDifference(x => Value(p.With(k, x)), p[k], step)).ToArray();

    /// <summary>
    /// Whether the point itself lies on the branch its finite-difference stencil sees: the forward and backward
    /// one-sided differences agree (to within what curvature explains). A comparison that is a tie up to rounding
    /// (<c>s &lt;= p</c> where s equals p mathematically) can send the point down one arm and both neighbours down the
    /// other; central differences then agree at every step and check the wrong arm, while the one-sided ones jump.
    /// </summary>
    public bool CentreMatchesStencil(HarnessPoint p, double step)
    {
        double centre = Value(p);
        for (int k = 0; k < p.Dimension; k++)
        {
            double h = step * Math.Max(1.0, Math.Abs(p[k]));
            double up = Value(p.With(k, p[k] + h)), down = Value(p.With(k, p[k] - h));
            double forward = (up - centre) / h, backward = (centre - down) / h;
            if (!(Math.Abs(forward - backward) <= 1e-2 * Math.Max(1, Math.Abs(forward) + Math.Abs(backward)))) return false;
        }
        return true;
    }

    private static object? Call(MethodInfo method, params object[] args)
    {
        try
        {
            return method.Invoke(null, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
