using System;
using System.Numerics;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>
/// Generic math (issue 10): methods written once for any IEEE floating-point type, the .NET 7+ idiom for numeric code.
/// Their companions are generic too, with the same type parameters and constraints; the tests instantiate them at
/// double and at float.
/// </summary>
public static partial class GenericMath
{
    /// <summary>The Rosenbrock function, (1 − x)² + 100 (y − x²)², with its constants spelled for T.</summary>
    [Differentiable]
    public static T Rosenbrock<T>(T x, T y) where T : IFloatingPointIeee754<T>
    {
        T a = T.One - x;
        T b = y - x * x;
        return a * a + T.CreateChecked(100) * b * b;
    }

    /// <summary>Σ w[i]·s[i]² over an array and a read-only span of T, n times over (a passive int).</summary>
    [Differentiable]
    public static T WeightedSquares<T>(T[] w, ReadOnlySpan<T> s, [NoDerivative] int n) where T : IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int k = 0; k < n; k++)
        {
            for (int i = 0; i < w.Length; i++)
            {
                sum += w[i] * s[i] * s[i];
            }
        }
        return sum / T.CreateChecked(n);
    }

    /// <summary>A branch on an active value, and a loop with a foreach over T[].</summary>
    [Differentiable]
    public static T Piecewise<T>(T x, T[] c) where T : IFloatingPointIeee754<T>
    {
        T result = x > T.Zero ? x * x : -x;
        foreach (T value in c)
        {
            if (value < x) result += value * x;
            else result -= value;
        }
        return result;
    }

    /// <summary>The functions of the rule table through T: Exp, Log, Sqrt, Pow, Atan2, Max, Sin, Tanh, Hypot, and T.Pi.</summary>
    [Differentiable]
    public static T Functions<T>(T x, T y) where T : IFloatingPointIeee754<T> =>
        T.Exp(x / T.CreateChecked(2)) + T.Log(y) * T.Sqrt(x) + T.Pow(x, y) + T.Atan2(y, x) + T.Max(x, y * T.CreateTruncating(0.5))
        + T.Sin(x) * T.Tanh(y) + T.Hypot(x, y) + T.Pi * x + T.Cbrt(y) - T.Abs(x - y);

    /// <summary>More of generic math's functions: ExpM1, LogP1, FusedMultiplyAdd, CopySign, Log10, Log2, Cosh, Asin.</summary>
    [Differentiable]
    public static T MoreFunctions<T>(T x) where T : IFloatingPointIeee754<T> =>
        T.ExpM1(x) + T.LogP1(x) + T.FusedMultiplyAdd(x, x, T.One) + T.CopySign(x, T.NegativeOne) + T.Log10(x + T.One) + T.Log2(x + T.One)
        + T.Cosh(x) + T.Asin(x / T.CreateChecked(4)) + T.E * T.Tan(x / T.CreateChecked(3));

    /// <summary>A call of another generic [Differentiable] method: the type argument is passed through.</summary>
    [Differentiable]
    public static T CallsRosenbrock<T>(T x, T y) where T : IFloatingPointIeee754<T> =>
        Rosenbrock(x * T.CreateChecked(2), y) + T.Sqrt(Rosenbrock<T>(y, x) + T.One);

    /// <summary>An integer converted to T (a passive value), and a double converted to T (differentiated like a cast).</summary>
    [Differentiable]
    public static T Conversions<T>(T x, double scale) where T : IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int i = 1; i <= 3; i++)
        {
            sum += T.CreateChecked(i) * x;
        }
        return sum * T.CreateChecked(scale * scale);
    }

    /// <summary>A double [Differentiable] method called from a generic one: T to double and back with CreateChecked.</summary>
    [Differentiable]
    public static T CallsDouble<T>(T x) where T : IFloatingPointIeee754<T> => T.CreateChecked(Cube(double.CreateChecked(x))) + x;

    [Differentiable]
    public static double Cube(double v) => v * v * v;

    /// <summary>Vector-valued: out[i] = x·s[i]² + y, out[n] = x·y; with MJacobian (and MTangent, which MJacobian runs).</summary>
    [Differentiable]
    public static void Field<T>(T x, T y, ReadOnlySpan<T> s, [Output] Span<T> output) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < s.Length; i++)
        {
            output[i] = x * s[i] * s[i] + y;
        }
        output[s.Length] = T.Sin(x * y);
    }

    /// <summary>MTangent asked for: forward mode in T.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static T Forward<T>(T x, T y) where T : IFloatingPointIeee754<T> => T.Exp(x) * y + T.Sqrt(x * x + y * y) / (T.One + x * x);
}

/// <summary>A generic method inside a generic type: the companions live in the same partial type and see its type parameter.</summary>
public static partial class Scaled<TScale> where TScale : struct
{
    [Differentiable]
    public static T Norm<T>(T x, T y, [NoDerivative] TScale tag) where T : IFloatingPointIeee754<T> => T.Sqrt(x * x + y * y) + T.CreateTruncating(0.25) * x;
}

/// <summary>A non-generic method of a generic type whose type parameter is a generic real: the companions use the type's T.</summary>
public static partial class Model<T> where T : IFloatingPointIeee754<T>
{
    [Differentiable]
    public static T Energy(T x, T[] w)
    {
        T sum = T.Zero;
        for (int i = 0; i < w.Length; i++) sum += w[i] * T.Exp(-x * T.CreateChecked(i));
        return sum;
    }
}

/// <summary>Generic math with a smaller constraint set: only what the method and its derivative use.</summary>
public static partial class GenericMathNarrow
{
    /// <summary>A polynomial needs nothing beyond INumber&lt;T&gt;.</summary>
    [Differentiable]
    public static T Cubic<T>(T x) where T : INumber<T> => x * x * x - T.CreateChecked(2) * x + T.One;

    /// <summary>Sqrt, whose derivative needs only arithmetic and ==, from IRootFunctions&lt;T&gt;.</summary>
    [Differentiable]
    public static T Root<T>(T x) where T : INumberBase<T>, IRootFunctions<T> => T.Sqrt(x) * x;
}
