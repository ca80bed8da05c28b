using System;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>One method per Math function, each composed with a little arithmetic so the chain rule is exercised.</summary>
public static partial class MathFunctions
{
    [Differentiable] public static double Sin(double x) => Math.Sin(2 * x);
    [Differentiable] public static double Cos(double x) => Math.Cos(2 * x);
    [Differentiable] public static double Tan(double x) => Math.Tan(x / 2);
    [Differentiable] public static double Asin(double x) => Math.Asin(x / 2);
    [Differentiable] public static double Acos(double x) => Math.Acos(x / 2);
    [Differentiable] public static double Atan(double x) => Math.Atan(2 * x);
    [Differentiable] public static double Sinh(double x) => Math.Sinh(x);
    [Differentiable] public static double Cosh(double x) => Math.Cosh(x);
    [Differentiable] public static double Tanh(double x) => Math.Tanh(x);
    [Differentiable] public static double Asinh(double x) => Math.Asinh(x);
    [Differentiable] public static double Acosh(double x) => Math.Acosh(1 + x * x);
    [Differentiable] public static double Atanh(double x) => Math.Atanh(x / 2);
    [Differentiable] public static double Exp(double x) => Math.Exp(x);
    [Differentiable] public static double Log(double x) => Math.Log(x);
    [Differentiable] public static double Log10(double x) => Math.Log10(x);
    [Differentiable] public static double Log2(double x) => Math.Log2(x);
    [Differentiable] public static double Sqrt(double x) => Math.Sqrt(x);
    [Differentiable] public static double Cbrt(double x) => Math.Cbrt(x);
    [Differentiable] public static double Abs(double x) => Math.Abs(x);
    [Differentiable] public static double PowConstant(double x) => Math.Pow(x, 3);

    [Differentiable] public static double Atan2(double y, double x) => Math.Atan2(y, x);
    [Differentiable] public static double LogBase(double x, double b) => Math.Log(x, b);
    [Differentiable] public static double Pow(double x, double y) => Math.Pow(x, y);
    [Differentiable] public static double Max(double x, double y) => Math.Max(x, y);
    [Differentiable] public static double Min(double x, double y) => Math.Min(x, y);
    [Differentiable] public static double Hypot(double x, double y) => double.Hypot(x, y);
    [Differentiable] public static double Clamp(double v, double lo, double hi) => Math.Clamp(v, lo, hi);
    [Differentiable] public static double FusedMultiplyAdd(double x, double y, double z) => Math.FusedMultiplyAdd(x, y, z);

    /// <summary>The sign argument also reaches the result directly, so both partials are checked.</summary>
#pragma warning disable ADG0201 // the sign argument gets no gradient through CopySign: that is what is tested
    [Differentiable] public static double CopySign(double x, double y) => Math.CopySign(x - 0.5, y) + 0.25 * y;
#pragma warning restore ADG0201

    /// <summary>The exponent is an int computed from a passive argument: 2ⁿ⁺¹ scales the gradient.</summary>
    [Differentiable] public static double ScaleB(double x, int n) => Math.ScaleB(x * x, n + 1);
    [Differentiable] public static double BitNudges(double x) => Math.BitIncrement(x) * Math.BitDecrement(2 * x);
}

/// <summary>The float overloads: MathF and float.Hypot.</summary>
public static partial class FloatFunctions
{
    [Differentiable] public static float Sin(float x) => MathF.Sin(2 * x);
    [Differentiable] public static float Exp(float x) => MathF.Exp(x) * x;
    [Differentiable] public static float Log(float x) => MathF.Log(x) + MathF.Log2(x) + MathF.Log10(x);
    [Differentiable] public static float Sqrt(float x) => MathF.Sqrt(x) + MathF.Cbrt(x);
    [Differentiable] public static float Tanh(float x) => MathF.Tanh(x) + MathF.Atan(x) + MathF.Asinh(x);
    [Differentiable] public static float Abs(float x) => MathF.Abs(x) * x;
    [Differentiable] public static float Pow(float x, float y) => MathF.Pow(x, y);
    [Differentiable] public static float Atan2(float y, float x) => MathF.Atan2(y, x);
    [Differentiable] public static float Hypot(float x, float y) => float.Hypot(x, y);
    [Differentiable] public static float MaxMin(float x, float y) => MathF.Max(x, y) - MathF.Min(x * 0.5f, y);
#pragma warning disable ADG0201 // the sign argument gets no gradient through CopySign: that is what is tested
    [Differentiable] public static float CopySign(float x, float y) => MathF.CopySign(x - 0.5f, y) + 0.25f * y;
#pragma warning restore ADG0201
    [Differentiable] public static float ScaleB(float x) => MathF.ScaleB(x * x, -2);
    [Differentiable] public static float BitNudges(float x) => MathF.BitIncrement(x) * MathF.BitDecrement(2 * x);

    /// <summary>A float method with locals, a loop and a double intermediate.</summary>
    [Differentiable]
    public static float Mixed(float x, float y)
    {
        float s = 0;
        for (int i = 0; i < 3; i++)
        {
            s += MathF.Sin(x * i) * y;
        }
        double d = s;
        return (float)(d * 0.5) + MathF.FusedMultiplyAdd(x, y, s);
    }
}

/// <summary>
/// Values the result does not depend on where a partial is undefined: a zero adjoint times ∞ or NaN must not reach the
/// gradient (design.md: code the result does not depend on is never differentiated).
/// </summary>
public static partial class NaNSafeFunctions
{
    /// <summary>√x replaced by 0 below 0: f ≡ 0 there, so f′ = 0, not 0 · NaN.</summary>
    [Differentiable]
    public static double GuardedSqrt(double x)
    {
        double r = Math.Sqrt(x);
        if (x < 0) r = 0;
        return r;
    }

    /// <summary>A log overwritten before anything reads it: at x = 0 its partial is ∞, yet f′ = 2.</summary>
    [Differentiable]
    public static double OverwrittenLog(double x)
    {
        double y = Math.Log(x);
        y = x * 2;
        return y;
    }

    /// <summary>atan2(x − x, x − x) ≡ 0: at the origin Atan2's partials are 0/0, the subgradient is 0.</summary>
    [Differentiable]
    public static double Atan2AtOrigin(double x)
    {
        double z = x - x;
        return Math.Atan2(z, z) + x;
    }

    /// <summary>
    /// e^(e^(e^(e^(2x)))) overflows to ∞ near x = 1 and tanh(x · ∞) saturates to 1, so f(x) = 1 + x there and f′ = 1. A
    /// known gap (README, How it works, NaN safety): the reverse sweep multiplies tanh's partial, exactly 0, by ∞.
    /// </summary>
    [Differentiable]
    public static double SaturatedOverflow(double x)
    {
        double b = Math.Exp(Math.Exp(Math.Exp(Math.Exp(2 * x))));
        return Math.Tanh(x * b) + x;
    }

    /// <summary>The guard in a loop: each iteration's √ is discarded when its argument is negative.</summary>
    [Differentiable]
    public static double GuardedSqrtSum(double x)
    {
        double s = 0;
        for (int i = -2; i <= 2; i++)
        {
            double r = Math.Sqrt(x + i);
            if (x + i < 0) r = 0;
            s += r;
        }
        return s;
    }
}
