using System;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>
/// double.IsNaN, IsFinite, IsNegative… on values that depend on a differentiable parameter: passive conditions, like
/// comparisons (the gradient is that of the branch taken).
/// </summary>
public static partial class Predicates
{
    /// <summary>A guard and a branch on predicates: log |x|, and 0 for NaN or infinite inputs.</summary>
    [Differentiable]
    public static double GuardedLogAbs(double x)
    {
        if (double.IsNaN(x) || !double.IsFinite(x)) return 0;
        return double.IsNegative(x) ? Math.Log(-x) : Math.Log(x);
    }

    /// <summary>A predicate stored in a bool and on an intermediate value.</summary>
    [Differentiable]
    public static double Flags(double x, double y)
    {
        double p = x * y;
        bool special = double.IsInfinity(p) || double.IsSubnormal(p) || double.IsPositiveInfinity(x) || double.IsNegativeInfinity(y);
        bool whole = double.IsInteger(p) && !double.IsOddInteger(p) && double.IsEvenInteger(p) && double.IsNormal(p) && double.IsRealNumber(p);
        double s = special ? 0 : p;
        return whole ? 2 * s : double.IsPositive(y) ? s + x : s - y;
    }
}

public static partial class FloatPredicates
{
    [Differentiable]
    public static float GuardedLogAbs(float x)
    {
        if (float.IsNaN(x) || !float.IsFinite(x)) return 0;
        return float.IsNegative(x) ? MathF.Log(-x) : MathF.Log(x);
    }
}
