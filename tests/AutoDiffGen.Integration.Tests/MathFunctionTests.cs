using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;
using M = AutoDiffGen.Integration.Tests.Functions.MathFunctions;

namespace AutoDiffGen.Integration.Tests;

public class MathFunctionTests
{
    private sealed record Unary(Func<double, double> F, Gradient1 G, Backward1 B, Func<double, double> Exact, double Lo, double Hi);

    private static readonly Dictionary<string, Unary> Unaries = new()
    {
        ["Sin"] = new(M.Sin, M.SinGradient, M.SinBackward, x => 2 * Math.Cos(2 * x), -3, 3),
        ["Cos"] = new(M.Cos, M.CosGradient, M.CosBackward, x => -2 * Math.Sin(2 * x), -3, 3),
        ["Tan"] = new(M.Tan, M.TanGradient, M.TanBackward, x => 0.5 / (Math.Cos(x / 2) * Math.Cos(x / 2)), -2, 2),
        ["Asin"] = new(M.Asin, M.AsinGradient, M.AsinBackward, x => 0.5 / Math.Sqrt(1 - x * x / 4), -1.5, 1.5),
        ["Acos"] = new(M.Acos, M.AcosGradient, M.AcosBackward, x => -0.5 / Math.Sqrt(1 - x * x / 4), -1.5, 1.5),
        ["Atan"] = new(M.Atan, M.AtanGradient, M.AtanBackward, x => 2 / (1 + 4 * x * x), -3, 3),
        ["Sinh"] = new(M.Sinh, M.SinhGradient, M.SinhBackward, Math.Cosh, -3, 3),
        ["Cosh"] = new(M.Cosh, M.CoshGradient, M.CoshBackward, Math.Sinh, -3, 3),
        ["Tanh"] = new(M.Tanh, M.TanhGradient, M.TanhBackward, x => 1 - Math.Tanh(x) * Math.Tanh(x), -3, 3),
        ["Asinh"] = new(M.Asinh, M.AsinhGradient, M.AsinhBackward, x => 1 / Math.Sqrt(x * x + 1), -3, 3),
        ["Acosh"] = new(M.Acosh, M.AcoshGradient, M.AcoshBackward, x => 2 * x / Math.Sqrt((1 + x * x) * (1 + x * x) - 1), 0.3, 2),
        ["Atanh"] = new(M.Atanh, M.AtanhGradient, M.AtanhBackward, x => 0.5 / (1 - x * x / 4), -1.5, 1.5),
        ["Exp"] = new(M.Exp, M.ExpGradient, M.ExpBackward, Math.Exp, -3, 3),
        ["Log"] = new(M.Log, M.LogGradient, M.LogBackward, x => 1 / x, 0.2, 3),
        ["Log10"] = new(M.Log10, M.Log10Gradient, M.Log10Backward, x => 1 / (x * Math.Log(10)), 0.2, 3),
        ["Log2"] = new(M.Log2, M.Log2Gradient, M.Log2Backward, x => 1 / (x * Math.Log(2)), 0.2, 3),
        ["Sqrt"] = new(M.Sqrt, M.SqrtGradient, M.SqrtBackward, x => 0.5 / Math.Sqrt(x), 0.2, 3),
        ["Cbrt"] = new(M.Cbrt, M.CbrtGradient, M.CbrtBackward, x => 1 / (3 * Math.Cbrt(x) * Math.Cbrt(x)), 0.2, 3),
        ["CbrtNegative"] = new(M.Cbrt, M.CbrtGradient, M.CbrtBackward, x => 1 / (3 * Math.Cbrt(x) * Math.Cbrt(x)), -3, -0.2),
        ["Abs"] = new(M.Abs, M.AbsGradient, M.AbsBackward, x => Math.Sign(x), -2, 2),
        ["PowConstant"] = new(M.PowConstant, M.PowConstantGradient, M.PowConstantBackward, x => 3 * x * x, -2, 2),
        // BitIncrement(x) · BitDecrement(2x) ≈ 2x², differentiated as such; the ulps are far below the tolerance.
        ["BitNudges"] = new(M.BitNudges, M.BitNudgesGradient, M.BitNudgesBackward, x => 4 * x, -2, 2),
    };

    public static IEnumerable<object[]> UnaryNames()
    {
        foreach (string name in Unaries.Keys) yield return new object[] { name };
    }

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void Unary_function(string name)
    {
        Unary u = Unaries[name];
        Check.One(u.F, u.G, u.B, u.Exact, u.Lo, u.Hi);
    }

    [Fact]
    public void Atan2() =>
        Check.Two(M.Atan2, M.Atan2Gradient, M.Atan2Backward, (y, x) => (x / (x * x + y * y), -y / (x * x + y * y)), 0.3, 2, (-1, 0.5));

    /// <summary>
    /// Arguments whose squares underflow (1e−178, float 1e−25) or overflow (1e200): the partials are x / (x² + y²) and
    /// −y / (x² + y²) all the same. The rule once divided by x² + y², which is 0 or ∞ there (IR property seed 120409238).
    /// </summary>
    [Theory]
    [InlineData(1e-178, 2.0, -1.0)]
    [InlineData(1e200, 1.0, 3.0)]
    public void Atan2_where_the_squares_underflow_or_overflow(double unit, double k, double m)
    {
        M.Atan2Gradient(k * unit, m * unit, out double dy, out double dx);
        double denominator = (k * k + m * m) * unit;
        Assert.Equal(m / denominator, dy, 1e-15 * Math.Abs(m / denominator));
        Assert.Equal(-k / denominator, dx, 1e-15 * Math.Abs(k / denominator));
        FloatFunctions.Atan2Gradient(2e-25f, -1e-25f, out float fy, out float fx);
        Assert.Equal(-1 / 5e-25, fy, 1e-6 / 5e-25);
        Assert.Equal(-2 / 5e-25, fx, 1e-6 * 2 / 5e-25);
    }

    [Fact]
    public void Log_with_a_base() =>
        Check.Two(M.LogBase, M.LogBaseGradient, M.LogBaseBackward,
            (x, b) => (1 / (x * Math.Log(b)), -Math.Log(x) / (b * Math.Log(b) * Math.Log(b))), 1.5, 4);

    [Fact]
    public void Pow() =>
        Check.Two(M.Pow, M.PowGradient, M.PowBackward, (x, y) => (y * Math.Pow(x, y - 1), Math.Pow(x, y) * Math.Log(x)), 0.5, 2);

    [Fact]
    public void Max() =>
        Check.Two(M.Max, M.MaxGradient, M.MaxBackward, (x, y) => x >= y ? (1, 0) : (0, 1), -2, 2);

    [Fact]
    public void Min() =>
        Check.Two(M.Min, M.MinGradient, M.MinBackward, (x, y) => x <= y ? (1, 0) : (0, 1), -2, 2);

    [Fact]
    public void Hypot() =>
        Check.Two(M.Hypot, M.HypotGradient, M.HypotBackward,
            (x, y) => (x / Math.Sqrt(x * x + y * y), y / Math.Sqrt(x * x + y * y)), -2, 2);

    [Fact]
    public void Fused_multiply_add() =>
        Check.Three(M.FusedMultiplyAdd, M.FusedMultiplyAddGradient, M.FusedMultiplyAddBackward, (x, y, z) => (y, x, 1), -2, 2);

    [Fact]
    public void CopySign_is_plus_or_minus_one_in_the_magnitude_and_zero_in_the_sign() =>
        Check.Two(M.CopySign, M.CopySignGradient, M.CopySignBackward, (x, y) => (Math.Sign(x - 0.5) * Math.Sign(y), 0.25), -2, 2);

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    [InlineData(-4)]
    public void ScaleB_scales_the_gradient_by_two_to_the_n(int n)
    {
        foreach (double x in Check.Points(1, -2, 2).Select(p => p[0]))
        {
            double value = M.ScaleBGradient(x, n, out double dx);
            Assert.Equal(M.ScaleB(x, n), value);
            Check.Close(2 * x * Math.Pow(2, n + 1), dx, Check.ExactTolerance, "hand-derived", x);
            Check.Close(AutoDiffGen.Runtime.GradientCheck.CentralDifference(t => M.ScaleB(t, n), x), dx, Check.FiniteDifferenceTolerance, "finite differences", x);
            double adjoint = 0.5;
            Assert.Equal(value, M.ScaleBBackward(x, n, 2, ref adjoint));
            Check.Close(0.5 + 2 * dx, adjoint, 1e-12, "MBackward accumulation", x);
        }
    }

    [Theory]
    [InlineData(0.5, 1.0, 1.0)]     // a zero magnitude (+0): its sign bit agrees with y's
    [InlineData(0.5, -1.0, -1.0)]
    [InlineData(0.5, 0.0, 1.0)]     // +0 as the sign: positive
    [InlineData(-1.5, -0.0, 1.0)]   // −0 as the sign: negative, like the magnitude
    public void CopySign_subgradient_follows_the_sign_bits(double x, double y, double dxExpected)
    {
        M.CopySignGradient(x, y, out double dx, out double dy);
        Assert.Equal((dxExpected, 0.25), (dx, dy));
    }

    [Theory]
    [InlineData(0.3, -1.0, 1.0, 1, 0, 0)]   // inside: the value
    [InlineData(-2.0, -1.0, 1.0, 0, 1, 0)]  // below: the lower bound
    [InlineData(2.5, -1.0, 1.0, 0, 0, 1)]   // above: the upper bound
    [InlineData(-1.0, -1.0, 1.0, 1, 0, 0)]  // tie with the lower bound: the value
    [InlineData(1.0, -1.0, 1.0, 1, 0, 0)]   // tie with the upper bound: the value
    public void Clamp_selects_value_min_or_max(double v, double lo, double hi, double dv, double dlo, double dhi)
    {
        double value = M.ClampGradient(v, lo, hi, out double gv, out double glo, out double ghi);
        Assert.Equal(Math.Clamp(v, lo, hi), value);
        Assert.Equal((dv, dlo, dhi), (gv, glo, ghi));

        double av = 1, alo = 1, ahi = 1;
        M.ClampBackward(v, lo, hi, 2, ref av, ref alo, ref ahi);
        Assert.Equal((1 + 2 * dv, 1 + 2 * dlo, 1 + 2 * dhi), (av, alo, ahi));
    }

    [Fact]
    public void Clamp_matches_finite_differences_away_from_ties()
    {
        foreach (var (v, lo, hi) in new[] { (0.3, -1.0, 1.0), (-2.0, -1.0, 1.5), (2.5, -1.0, 1.0), (0.1, -0.5, 0.7) })
        {
            M.ClampGradient(v, lo, hi, out double gv, out double glo, out double ghi);
            double[] fd = AutoDiffGen.Runtime.GradientCheck.CentralDifference(p => M.Clamp(p[0], p[1], p[2]), new[] { v, lo, hi });
            Check.Close(fd[0], gv, 1e-6, "∂/∂value", v, lo, hi);
            Check.Close(fd[1], glo, 1e-6, "∂/∂min", v, lo, hi);
            Check.Close(fd[2], ghi, 1e-6, "∂/∂max", v, lo, hi);
        }
    }

    [Fact]
    public void Abs_has_subgradient_zero_at_zero()
    {
        Assert.Equal(0.0, M.AbsGradient(0.0, out double dx));
        Assert.Equal(0.0, dx);
    }

    [Fact]
    public void Max_and_min_take_the_first_argument_on_ties()
    {
        M.MaxGradient(1.5, 1.5, out double dx, out double dy);
        Assert.Equal((1.0, 0.0), (dx, dy));
        M.MinGradient(-0.5, -0.5, out dx, out dy);
        Assert.Equal((1.0, 0.0), (dx, dy));
    }

    [Fact] public void Float_sin() => Check.OneFloat(FloatFunctions.Sin, FloatFunctions.SinGradient, FloatFunctions.SinBackward, x => 2 * Math.Cos(2 * x), -3, 3);
    [Fact] public void Float_exp() => Check.OneFloat(FloatFunctions.Exp, FloatFunctions.ExpGradient, FloatFunctions.ExpBackward, x => Math.Exp(x) * (1 + x), -2, 2);
    [Fact] public void Float_logs() => Check.OneFloat(FloatFunctions.Log, FloatFunctions.LogGradient, FloatFunctions.LogBackward, x => (1 + 1 / Math.Log(2) + 1 / Math.Log(10)) / x, 0.5f, 3);
    [Fact] public void Float_roots() => Check.OneFloat(FloatFunctions.Sqrt, FloatFunctions.SqrtGradient, FloatFunctions.SqrtBackward, x => 0.5 / Math.Sqrt(x) + 1 / (3 * Math.Cbrt(x) * Math.Cbrt(x)), 0.5f, 3);
    [Fact] public void Float_hyperbolic() => Check.OneFloat(FloatFunctions.Tanh, FloatFunctions.TanhGradient, FloatFunctions.TanhBackward, x => 1 - Math.Tanh(x) * Math.Tanh(x) + 1 / (1 + x * x) + 1 / Math.Sqrt(1 + x * x), -2, 2);
    [Fact] public void Float_abs() => Check.OneFloat(FloatFunctions.Abs, FloatFunctions.AbsGradient, FloatFunctions.AbsBackward, x => 2 * Math.Abs(x), -2, 2);
    [Fact] public void Float_pow() => Check.TwoFloat(FloatFunctions.Pow, FloatFunctions.PowGradient, FloatFunctions.PowBackward, (x, y) => (y * Math.Pow(x, y - 1), Math.Pow(x, y) * Math.Log(x)), 0.5f, 2);
    [Fact] public void Float_atan2() => Check.TwoFloat(FloatFunctions.Atan2, FloatFunctions.Atan2Gradient, FloatFunctions.Atan2Backward, (y, x) => (x / (x * x + y * y), -y / (x * x + y * y)), 0.3f, 2);
    [Fact] public void Float_hypot() => Check.TwoFloat(FloatFunctions.Hypot, FloatFunctions.HypotGradient, FloatFunctions.HypotBackward, (x, y) => (x / Math.Sqrt(x * x + y * y), y / Math.Sqrt(x * x + y * y)), -2, 2);

    [Fact]
    public void Float_max_min() =>
        Check.TwoFloat(FloatFunctions.MaxMin, FloatFunctions.MaxMinGradient, FloatFunctions.MaxMinBackward,
            (x, y) => ((x >= y ? 1 : 0) - (x * 0.5 <= y ? 0.5 : 0), (x >= y ? 0 : 1) - (x * 0.5 <= y ? 0 : 1)), -2, 2);

    [Fact]
    public void Float_copysign() =>
        Check.TwoFloat(FloatFunctions.CopySign, FloatFunctions.CopySignGradient, FloatFunctions.CopySignBackward,
            (x, y) => (Math.Sign(x - 0.5) * Math.Sign(y), 0.25), -2, 2);

    [Fact] public void Float_scaleb() => Check.OneFloat(FloatFunctions.ScaleB, FloatFunctions.ScaleBGradient, FloatFunctions.ScaleBBackward, x => 2 * x / 4, -2, 2);
    [Fact] public void Float_bit_nudges() => Check.OneFloat(FloatFunctions.BitNudges, FloatFunctions.BitNudgesGradient, FloatFunctions.BitNudgesBackward, x => 4 * x, -2, 2);

    [Fact]
    public void Float_method_with_loop_and_double_intermediate() =>
        Check.TwoFloat(FloatFunctions.Mixed, FloatFunctions.MixedGradient, FloatFunctions.MixedBackward, (x, y) =>
        {
            double sx = 0, sy = 0;
            for (int i = 0; i < 3; i++)
            {
                sx += y * i * Math.Cos(i * x);
                sy += Math.Sin(i * x);
            }
            return (1.5 * sx + y, 1.5 * sy + x);
        }, -1.5f, 1.5f);
}

/// <summary>Zero adjoints never multiply undefined partials into NaN gradients (exact values; finite differences away from the kinks).</summary>
public class NaNSafetyTests
{
    [Fact]
    public void Value_replaced_by_a_guard_has_a_zero_gradient_where_it_is_undefined()
    {
        Assert.Equal(0.0, Gradient(NaNSafeFunctions.GuardedSqrtGradient, -1));
        Check.One(NaNSafeFunctions.GuardedSqrt, NaNSafeFunctions.GuardedSqrtGradient, NaNSafeFunctions.GuardedSqrtBackward, x => 0.5 / Math.Sqrt(x), 0.2, 3);
        Check.One(NaNSafeFunctions.GuardedSqrt, NaNSafeFunctions.GuardedSqrtGradient, NaNSafeFunctions.GuardedSqrtBackward, x => 0, -3, -0.2);
    }

    [Fact]
    public void Value_overwritten_before_any_read_is_not_differentiated() =>
        Check.One(NaNSafeFunctions.OverwrittenLog, NaNSafeFunctions.OverwrittenLogGradient, NaNSafeFunctions.OverwrittenLogBackward, x => 2, -2, 2, 0.0);

    [Fact]
    public void Atan2_at_the_origin_has_a_zero_subgradient() =>
        Check.One(NaNSafeFunctions.Atan2AtOrigin, NaNSafeFunctions.Atan2AtOriginGradient, NaNSafeFunctions.Atan2AtOriginBackward, x => 1, -2, 2, 0.0);

    [Fact]
    public void Guard_inside_a_loop()
    {
        static double Exact(double x)
        {
            double d = 0;
            for (int i = -2; i <= 2; i++) if (x + i > 0) d += 0.5 / Math.Sqrt(x + i);
            return d;
        }
        foreach (double x in new[] { -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5 })
        {
            Assert.Equal(Exact(x), Gradient(NaNSafeFunctions.GuardedSqrtSumGradient, x), 12);
        }
        Check.One(NaNSafeFunctions.GuardedSqrtSum, NaNSafeFunctions.GuardedSqrtSumGradient, NaNSafeFunctions.GuardedSqrtSumBackward, Exact, 0.1, 0.9);
    }

    // A known gap, kept as the regression test of its fix (it fails today with NaN): ZeroAdjoints knows the partials that
    // select (Max, Min, Clamp, Abs), not those that underflow to exactly 0 where a function saturates (tanh' beyond
    // |x| ≈ 19, e^x below −745), so a zero adjoint meets the ∞ of an overflowed value. Guarding every contribution after
    // a tanh or exp costs time on the LSTM and GMM workloads, whose benchmarks must decide it (README, NaN safety).
    [Fact(Skip = "known gap: 0 · ∞ after an overflow that tanh saturates (README, How it works, NaN safety)")]
    public void Overflow_saturated_by_tanh_keeps_the_gradient_finite()
    {
        Assert.Equal(2.0, NaNSafeFunctions.SaturatedOverflow(1.0));
        Assert.Equal(1.0, Gradient(NaNSafeFunctions.SaturatedOverflowGradient, 1.0));
    }

    private static double Gradient(Gradient1 gradient, double x)
    {
        gradient(x, out double dx);
        return dx;
    }
}
