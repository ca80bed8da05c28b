using System;
using System.Numerics;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>A struct of reals holding a nested one, for extended property patterns (<c>{ Start.X: &gt; 0 }</c>).</summary>
public readonly record struct Segment(Point Start, Point End);

/// <summary>
/// Property, positional and list patterns (issue 10) in is-expressions and switch arms: conditions like comparisons, the
/// gradient is that of the arm taken; a var pattern binds a differentiable value (a field, an element).
/// </summary>
public static partial class Patterns
{
    /// <summary>A switch on a record struct: property patterns with relational subpatterns, a named match with a guard, a positional pattern.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double StructArms(Point p, double k) => p switch
    {
        { X: > 0, Y: > 0 } => p.X * p.Y * k,
        { X: <= 0 } q when q.Y > 1 => q.Y * q.Y - k * q.X,
        (var a, > 0) => a * k + Math.Sin(p.Y),
        _ => p.X + p.Y * k,
    };

    /// <summary>Extended and nested property patterns on a struct holding structs, var patterns binding fields and a nested struct.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double NestedStruct(Segment s, double k)
    {
        double r = k;
        if (s is { Start.X: > 0, End: { Y: var endY } end }) r += s.Start.X * endY + end.X * k;
        if (s is { Start: (< 0, var y) } and not { End.X: > 1 }) r *= y;
        return r;
    }

    /// <summary>Positional patterns on a tuple built in place, with or/not combinators.</summary>
    [Differentiable]
    public static double TupleArms(double x, double y) => (x, y) switch
    {
        (> 0, > 0) => x * y,
        (< 0, var b) and (_, not 0) => b * b - x,
        var (a, b) => a + 2 * b,
    };

    /// <summary>Property patterns on an array: its Length (data) in an is-expression and in switch arms with guards.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ArrayLength(double[] x, double k)
    {
        if (x is not { Length: > 0 }) return k;
        return x switch
        {
            { Length: 1 } => x[0] * x[0] * k,
            { Length: > 3 } when x[3] > 0 => x[3] * x[0] + k,
            _ => x[0] + x[1] * k,
        };
    }

    /// <summary>List patterns on an array: exact lengths, a slice '..' with elements after it counted from the end, var and relational elements.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double ListArms(double[] x, double k)
    {
        double r = x switch
        {
            [] => k,
            [var a] => a * a * k,
            [var a, var b] => a * b + k,
            [> 0, .., var last] => x[0] * last * k,
            [_, var second, .., var beforeLast, _] => second * beforeLast - k,
            _ => k * k,
        };
        if (x is [.., > 1]) r += x[x.Length - 1] * k;
        return r;
    }

    /// <summary>A list pattern and a Length pattern on a read-only span of floats.</summary>
    [Differentiable]
    public static float SpanListFloat(ReadOnlySpan<float> x, float k)
    {
        if (x is [var first, _, .., var last] && first > 0) return first * last * k;
        return x is { Length: > 1 } ? x[1] * k : k;
    }

    /// <summary>
    /// List patterns with var elements on an array of a generic real (C# long mode, base seed 731713, generic twins: a var
    /// pattern of type T was refused, since T is not known to be a value type).
    /// </summary>
    [Differentiable]
    public static T GenericList<T>(T[] x, T k) where T : IFloatingPointIeee754<T> => x switch
    {
        [var a] => a * a * k,
        [var a, .., var b] => a * b + k,
        _ => k,
    };

    /// <summary>Property patterns on a Vector2 (floats): its fields.</summary>
    [Differentiable]
    public static float VectorArmsFloat(Vector2 v, float k) => v switch
    {
        { X: > 0, Y: var y } => v.X * y * k,
        { Y: < 0 } => v.Y * v.Y + k,
        _ => v.X * k,
    };

    /// <summary>Positional patterns on a tuple with or/not combinators under second order: the Hessian of the arm taken.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Hessian)]
    public static double TupleArmsSecondOrder(double x, double y) => (x, y) switch
    {
        (> 0, > 0) => x * x * y,
        (< 0, var b) and (_, not 0) => b * b * x - Math.Sin(x),
        var (a, b) => a * b * b,
    };

    /// <summary>List patterns (exact length, a slice with the last element, var elements) under second order.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Hessian)]
    public static double ListArmsSecondOrder(double[] x, double w) => x switch
    {
        [var a, var b] => a * a * b * w,
        [> 0, .., var last] => x[0] * last * last + w * w * x[1],
        _ => x[0] * x[1] * x[2] * w,
    };
}
