using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Integration.Tests.Infrastructure;
using D = AutoDiffGen.Integration.Tests.Functions.DoubleMembers;
using F = AutoDiffGen.Integration.Tests.Functions.FloatMembers;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// double.* and float.* static math members (issue 10): the rule table's entries for them, against the exact derivative
/// and central finite differences, through MGradient and MBackward.
/// </summary>
public class IeeeMemberTests
{
    private static readonly double Ln2 = Math.Log(2), Ln10 = Math.Log(10);

    private static double Sq(double v) => v * v;

    private static double ClassicsExact(double x) =>
        0.5 / Math.Sqrt(x) + Math.Cos(2 * x) - Math.Exp(-x) + 1 / x + 1 / (3 * Sq(Math.Cbrt(x))) + 1 - Sq(Math.Tanh(x)) + Math.Sign(x - 1);

    private sealed record Unary(Func<double, double> F, Gradient1 G, Backward1 B, Func<double, double> Exact, double Lo, double Hi);

    private static readonly Dictionary<string, Unary> Unaries = new()
    {
        ["Classics"] = new(D.Classics, D.ClassicsGradient, D.ClassicsBackward, ClassicsExact, 0.2, 3),
        ["ExpM1"] = new(D.ExpM1, D.ExpM1Gradient, D.ExpM1Backward, x => 2 * Math.Exp(2 * x), -3, 1.5),
        ["Exp2"] = new(D.Exp2, D.Exp2Gradient, D.Exp2Backward, x => Math.Pow(2, x) * Ln2, -3, 3),
        ["Exp2M1"] = new(D.Exp2M1, D.Exp2M1Gradient, D.Exp2M1Backward, x => Math.Pow(2, x) * Ln2, -3, 3),
        ["Exp10"] = new(D.Exp10, D.Exp10Gradient, D.Exp10Backward, x => 0.5 * Math.Pow(10, x / 2) * Ln10, -3, 3),
        ["Exp10M1"] = new(D.Exp10M1, D.Exp10M1Gradient, D.Exp10M1Backward, x => 0.5 * Math.Pow(10, x / 2) * Ln10, -3, 3),
        ["LogP1"] = new(D.LogP1, D.LogP1Gradient, D.LogP1Backward, x => 1 / (1 + x), -0.8, 3),
        ["Log2P1"] = new(D.Log2P1, D.Log2P1Gradient, D.Log2P1Backward, x => 1 / ((1 + x) * Ln2), -0.8, 3),
        ["Log10P1"] = new(D.Log10P1, D.Log10P1Gradient, D.Log10P1Backward, x => 1 / ((1 + x) * Ln10), -0.8, 3),
        ["SinPi"] = new(D.SinPi, D.SinPiGradient, D.SinPiBackward, x => Math.PI * Math.Cos(Math.PI * x), -2, 2),
        ["CosPi"] = new(D.CosPi, D.CosPiGradient, D.CosPiBackward, x => -Math.PI * Math.Sin(Math.PI * x), -2, 2),
        ["TanPi"] = new(D.TanPi, D.TanPiGradient, D.TanPiBackward, x => Math.PI / 5 / Sq(Math.Cos(Math.PI * x / 5)), -2, 2),
        ["AsinPi"] = new(D.AsinPi, D.AsinPiGradient, D.AsinPiBackward, x => 0.5 / (Math.PI * Math.Sqrt(1 - x * x / 4)), -1.5, 1.5),
        ["AcosPi"] = new(D.AcosPi, D.AcosPiGradient, D.AcosPiBackward, x => -0.5 / (Math.PI * Math.Sqrt(1 - x * x / 4)), -1.5, 1.5),
        ["AtanPi"] = new(D.AtanPi, D.AtanPiGradient, D.AtanPiBackward, x => 1 / (Math.PI * (1 + x * x)), -3, 3),
        ["Angles"] = new(D.Angles, D.AnglesGradient, D.AnglesBackward, x => Math.Cos(x * Math.PI / 180) * Math.PI / 180 + 2 * x * 180 / Math.PI, -90, 90),
    };

    public static IEnumerable<object[]> UnaryNames() => Unaries.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(UnaryNames))]
    public void Double_member(string name)
    {
        Unary u = Unaries[name];
        Check.One(u.F, u.G, u.B, u.Exact, u.Lo, u.Hi);
    }

    [Fact]
    public void Double_members_shared_with_Math() =>
        Check.Two(D.Classics2, D.Classics2Gradient, D.Classics2Backward, (x, y) =>
        {
            double h = Math.Sqrt(x * x + y * y);
            double dx = y * Math.Pow(x, y - 1) + (x >= y ? 1 : 0) - (x <= 2 * y ? 1 : 0) + x / h - y / (h * h) + y + 1;
            double dy = Math.Pow(x, y) * Math.Log(x) + (x >= y ? 0 : 1) - (x <= 2 * y ? 0 : 2) + y / h + x / (h * h) + x;
            return (dx, dy);
        }, 0.3, 2);

    [Fact]
    public void Atan2Pi() =>
        Check.Two(D.Atan2Pi, D.Atan2PiGradient, D.Atan2PiBackward, (y, x) => (x / (Math.PI * (x * x + y * y)), -y / (Math.PI * (x * x + y * y))), -2, 2);

    [Fact]
    public void MaxMagnitude_follows_the_larger_magnitude() =>
        Check.Two(D.MaxMagnitude, D.MaxMagnitudeGradient, D.MaxMagnitudeBackward, (x, y) => Math.Abs(x) >= Math.Abs(y) ? (2, 0) : (0, 2), -2, 2);

    [Fact]
    public void MinMagnitude_follows_the_smaller_magnitude() =>
        Check.Two(D.MinMagnitude, D.MinMagnitudeGradient, D.MinMagnitudeBackward, (x, y) => Math.Abs(x) <= Math.Abs(y) ? (2, 0) : (0, 2), -2, 2);

    [Fact]
    public void MagnitudeNumber_selections() 
    {
        Check.Two(D.MaxMagnitudeNumber, D.MaxMagnitudeNumberGradient, D.MaxMagnitudeNumberBackward, (x, y) => Math.Abs(x) >= Math.Abs(y) ? (1, 0) : (0, 1), -2, 2);
        Check.Two(D.MinMagnitudeNumber, D.MinMagnitudeNumberGradient, D.MinMagnitudeNumberBackward, (x, y) => Math.Abs(x) <= Math.Abs(y) ? (1, 0) : (0, 1), -2, 2);
    }

    [Fact]
    public void Number_selections()
    {
        Check.Two(D.MaxNumber, D.MaxNumberGradient, D.MaxNumberBackward, (x, y) => x >= y ? (1, 0) : (0, 1), -2, 2);
        Check.Two(D.MinNumber, D.MinNumberGradient, D.MinNumberBackward, (x, y) => x <= y ? (1, 0) : (0, 1), -2, 2);
    }

    [Theory]
    [InlineData(-0.5, 0.5, 0.0, 1.0)]           // equal magnitudes: MaxMagnitude returns the positive one, the second
    [InlineData(0.5, -0.5, 1.0, 0.0)]
    [InlineData(0.7, 0.7, 1.0, 0.0)]            // equal: the first
    public void MaxMagnitude_on_ties_differentiates_the_argument_it_returns(double x, double y, double dxExpected, double dyExpected)
    {
        D.MaxMagnitudeNumberGradient(x, y, out double dx, out double dy);
        Assert.Equal((dxExpected, dyExpected), (dx, dy));
    }

    [Fact]
    public void Number_selections_ignore_NaN()
    {
        // MaxNumber(NaN, y) is y: the gradient goes to y, and x (not in the result) gets 0.
        Assert.Equal(0.5, D.MaxNumberGradient(double.NaN, 0.5, out double dx, out double dy));
        Assert.Equal((0.0, 1.0), (dx, dy));
        Assert.Equal(0.5, D.MinNumberGradient(0.5, double.NaN, out dx, out dy));
        Assert.Equal((1.0, 0.0), (dx, dy));
    }

    [Fact]
    public void CopySign() =>
        Check.Two(D.CopySign, D.CopySignGradient, D.CopySignBackward, (x, y) => (Math.Sign(x) * Math.Sign(y) * y, Math.CopySign(x, y)), -2, 2);

    [Fact]
    public void Lerp() =>
        Check.Three(D.Lerp, D.LerpGradient, D.LerpBackward, (a, b, t) => (1 - t, t, b - a), -2, 2);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(-3)]
    public void RootN(int n)
    {
        foreach (double x in Check.Points(1, -2, 2).Select(p => p[0]))
        {
            double u = x * x + 0.5;
            double value = D.RootNGradient(x, n, out double dx);
            Assert.Equal(D.RootN(x, n), value);
            Check.Close(2 * x * Math.Pow(u, 1.0 / n - 1) / n, dx, Check.ExactTolerance, "hand-derived", x);
            Check.Close(AutoDiffGen.Runtime.GradientCheck.CentralDifference(t => D.RootN(t, n), x), dx, Check.FiniteDifferenceTolerance, "finite differences", x);
            double adjoint = 0.5;
            Assert.Equal(value, D.RootNBackward(x, n, 2, ref adjoint));
            Check.Close(0.5 + 2 * dx, adjoint, 1e-12, "MBackward accumulation", x);
        }
    }

    [Fact]
    public void ScaleB()
    {
        foreach (double x in Check.Points(1, -2, 2).Select(p => p[0]))
        {
            D.ScaleBGradient(x, 3, out double dx);
            Check.Close(16 * x, dx, Check.ExactTolerance, "hand-derived", x);
            Check.Close(AutoDiffGen.Runtime.GradientCheck.CentralDifference(t => D.ScaleB(t, 3), x), dx, Check.FiniteDifferenceTolerance, "finite differences", x);
        }
    }

    [Fact] public void Float_classics() => Check.OneFloat(F.Classics, F.ClassicsGradient, F.ClassicsBackward, ClassicsExact, 0.2f, 3);

    [Fact]
    public void Float_exponentials() =>
        Check.OneFloat(F.Exponentials, F.ExponentialsGradient, F.ExponentialsBackward,
            x => Math.Exp(x) + 2 * Math.Pow(2, x) * Ln2 + 2 * 0.25 * Math.Pow(10, x / 4) * Ln10, -2, 2);

    [Fact]
    public void Float_logarithms() =>
        Check.OneFloat(F.Logarithms, F.LogarithmsGradient, F.LogarithmsBackward, x => (1 + 1 / Ln2 + 1 / Ln10) / (1 + x), -0.5f, 3);

    [Fact]
    public void Float_half_turns() =>
        Check.OneFloat(F.HalfTurns, F.HalfTurnsGradient, F.HalfTurnsBackward, x =>
            Math.PI * (Math.Cos(Math.PI * x) - Math.Sin(Math.PI * x)) + Math.PI / 5 / Sq(Math.Cos(Math.PI * x / 5))
            + 0.5 / (Math.PI * Math.Sqrt(1 - x * x / 4)) - 1 / 3.0 / (Math.PI * Math.Sqrt(1 - x * x / 9)) + 1 / (Math.PI * (1 + x * x)), -1.5f, 1.5f);

    [Fact]
    public void Float_root_and_scale() =>
        Check.OneFloat(F.RootN, F.RootNGradient, F.RootNBackward, x => 2 * x / (3 * Sq(Math.Cbrt(x * x + 0.5))) + 4, -2, 2);

    [Fact]
    public void Float_selections() =>
        Check.TwoFloat(F.Selections, F.SelectionsGradient, F.SelectionsBackward, (x, y) =>
        {
            var (ax, ay) = Math.Abs(x) >= Math.Abs(y) ? (1, 0) : (0, 1);
            var (bx, by) = Math.Abs(x) <= Math.Abs(2 * y) ? (1, 0) : (0, 2);
            var (cx, cy) = x >= y ? (1, 0) : (0, 1);
            var (dx, dy) = x <= y ? (1, 0) : (0, 1);
            return (ax + bx + cx - dx, ay + by + cy - dy);
        }, -2, 2);

    [Fact]
    public void Float_blend() =>
        Check.TwoFloat(F.Blend, F.BlendGradient, F.BlendBackward, (x, y) =>
        {
            double r2 = x * x + y * y, h = Math.Sqrt(r2);
            return (0.75 + Math.Sign(x) * Math.Sign(y) * y - y / (Math.PI * r2) + x / h,
                0.25 + Math.CopySign(x, y) + x / (Math.PI * r2) + y / h);
        }, -2, 2);
}
