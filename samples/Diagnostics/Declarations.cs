// Declarations a [Differentiable] method cannot have. Each "expect" mark names the diagnostics reported on its line.
using System.Collections.Generic;
using System.Numerics;
using System.Threading.Tasks;
using AutoDiffGen;

namespace DiagnosticsSample;

public static class NotPartial // expect: ADG0001
{
    [Differentiable]
    public static double Square(double x) => x * x;
}

public static partial class Declarations
{
    [Differentiable]
    public static int Steps(double x) => (int)(x * 10); // expect: ADG0002

    [Differentiable]
    public static double ByReference(ref double x) => x * x; // expect: ADG0003

    [Differentiable]
    public static T Identity<T>(T x) => x; // expect: ADG0106

    [Differentiable]
    public static T Power<T>(T x, T y) where T : INumberBase<T>, IPowerFunctions<T> => T.Pow(x, y); // expect: ADG0106

    [Differentiable]
    public static double Norm2(Direction v) => v.X * v.X; // expect: ADG0104

    [Differentiable]
    public static double Weighted(Sample s) => s.Value * s.Value; // expect: ADG0105

    [Differentiable]
    public static async Task<double> Later(double x) // expect: ADG0004
    {
        await Task.Yield();
        return x * x;
    }

    [Differentiable]
    public static IEnumerable<double> Sequence(double x) // expect: ADG0004
    {
        yield return x;
    }

    [Differentiable]
    public static double Cube(double x) => x * x * x;

    public static double CubeGradient(double x, out double dx) // expect: ADG0006
    {
        dx = 3 * x * x;
        return x * x * x;
    }
}

public record struct Sample(double Value, string Label);

/// <summary>A struct of doubles whose value the generated code cannot build (a readonly field set by a constructor): its gradient cannot be returned.</summary>
public readonly struct Direction
{
    public readonly double X;

    public Direction(double x) => X = x;
}

public partial class Potential
{
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public virtual double Energy(double x, double y) => x * x * y;
}

public partial class Morse : Potential
{
    public override double Energy(double x, double y) => System.Math.Exp(-x) * y; // expect: ADG0107
}

public partial class Harmonic : Potential
{
    [Differentiable]
    public override double Energy(double x, double y) => x * x + y * y; // expect: ADG0107
}
