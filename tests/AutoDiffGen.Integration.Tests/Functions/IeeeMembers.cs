using System;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>
/// The static math members of double: those Math also has (double.Sqrt, double.Max…), follow the same rules; and those
/// only the generic-math interfaces have (ExpM1, SinPi, RootN, MaxMagnitude…). Each composed with a little arithmetic.
/// </summary>
public static partial class DoubleMembers
{
    [Differentiable]
    public static double Classics(double x) =>
        double.Sqrt(x) + double.Sin(x) * double.Cos(x) + double.Exp(-x) + double.Log(x) + double.Cbrt(x) + double.Tanh(x) + double.Abs(x - 1);

    [Differentiable]
    public static double Classics2(double x, double y) =>
        double.Pow(x, y) + double.Max(x, y) - double.Min(x, 2 * y) + double.Hypot(x, y) + double.Atan2(y, x) + double.FusedMultiplyAdd(x, y, x);

    [Differentiable] public static double ExpM1(double x) => double.ExpM1(2 * x);
    [Differentiable] public static double Exp2(double x) => double.Exp2(x);
    [Differentiable] public static double Exp2M1(double x) => double.Exp2M1(x);
    [Differentiable] public static double Exp10(double x) => double.Exp10(x / 2);
    [Differentiable] public static double Exp10M1(double x) => double.Exp10M1(x / 2);
    [Differentiable] public static double LogP1(double x) => double.LogP1(x);
    [Differentiable] public static double Log2P1(double x) => double.Log2P1(x);
    [Differentiable] public static double Log10P1(double x) => double.Log10P1(x);
    [Differentiable] public static double SinPi(double x) => double.SinPi(x);
    [Differentiable] public static double CosPi(double x) => double.CosPi(x);
    [Differentiable] public static double TanPi(double x) => double.TanPi(x / 5);
    [Differentiable] public static double AsinPi(double x) => double.AsinPi(x / 2);
    [Differentiable] public static double AcosPi(double x) => double.AcosPi(x / 2);
    [Differentiable] public static double AtanPi(double x) => double.AtanPi(x);
    [Differentiable] public static double Angles(double x) => double.Sin(double.DegreesToRadians(x)) + double.RadiansToDegrees(x) * x;

    [Differentiable] public static double Atan2Pi(double y, double x) => double.Atan2Pi(y, x);
    [Differentiable] public static double MaxMagnitude(double x, double y) => double.MaxMagnitude(x, y) * 2;
    [Differentiable] public static double MinMagnitude(double x, double y) => Math.MinMagnitude(x, y) * 2;
    [Differentiable] public static double MaxMagnitudeNumber(double x, double y) => double.MaxMagnitudeNumber(x, y);
    [Differentiable] public static double MinMagnitudeNumber(double x, double y) => double.MinMagnitudeNumber(x, y);
    [Differentiable] public static double MaxNumber(double x, double y) => double.MaxNumber(x, y);
    [Differentiable] public static double MinNumber(double x, double y) => double.MinNumber(x, y);
#pragma warning disable ADG0201 // the sign argument gets no gradient through CopySign: that is what is tested
    [Differentiable] public static double CopySign(double x, double y) => double.CopySign(x, y) * y;
#pragma warning restore ADG0201
    [Differentiable] public static double Lerp(double a, double b, double t) => double.Lerp(a, b, t);

    [Differentiable] public static double RootN(double x, int n) => double.RootN(x * x + 0.5, n);
    [Differentiable] public static double ScaleB(double x, int n) => double.ScaleB(x, n) * x;
}

/// <summary>The same members of float.</summary>
public static partial class FloatMembers
{
    [Differentiable]
    public static float Classics(float x) =>
        float.Sqrt(x) + float.Sin(x) * float.Cos(x) + float.Exp(-x) + float.Log(x) + float.Cbrt(x) + float.Tanh(x) + float.Abs(x - 1);

    [Differentiable] public static float Exponentials(float x) => float.ExpM1(x) + float.Exp2(x) + float.Exp2M1(x) + float.Exp10(x / 4) + float.Exp10M1(x / 4);
    [Differentiable] public static float Logarithms(float x) => float.LogP1(x) + float.Log2P1(x) + float.Log10P1(x);
    [Differentiable] public static float HalfTurns(float x) => float.SinPi(x) + float.CosPi(x) + float.TanPi(x / 5) + float.AsinPi(x / 2) + float.AcosPi(x / 3) + float.AtanPi(x);
    [Differentiable] public static float RootN(float x) => float.RootN(x * x + 0.5f, 3) + float.ScaleB(x, 2);
    [Differentiable] public static float Selections(float x, float y) => float.MaxMagnitude(x, y) + float.MinMagnitude(x, 2 * y) + float.MaxNumber(x, y) - float.MinNumber(x, y);
#pragma warning disable ADG0201 // the sign argument gets no gradient through CopySign: that is what is tested
    [Differentiable] public static float Blend(float x, float y) => float.Lerp(x, y, 0.25f) + float.CopySign(x, y) * y + float.Atan2Pi(y, x) + float.Hypot(x, y);
#pragma warning restore ADG0201
}
