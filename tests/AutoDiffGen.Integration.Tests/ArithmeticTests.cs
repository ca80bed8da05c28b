using System;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

public class ArithmeticTests
{
    [Fact]
    public void Reference_function_at_2_5()
    {
        double value = Arithmetic.ReferenceGradient(2, 5, out double dx1, out double dx2);
        Assert.Equal(11.652071, value, 1e-6);
        Assert.Equal(5.5, dx1, 1e-6);
        Assert.Equal(1.716338, dx2, 1e-6);
    }

    [Fact]
    public void Reference_function() =>
        Check.Two(Arithmetic.Reference, Arithmetic.ReferenceGradient, Arithmetic.ReferenceBackward,
            (x, y) => (1 / x + y, x - Math.Cos(y)), 0.5, 3);

    [Fact]
    public void Operators() =>
        Check.Two(Arithmetic.Operators, Arithmetic.OperatorsGradient, Arithmetic.OperatorsBackward,
            (x, y) => (2 * x / (1 + y * y) + 1, -2 * y * (1 + x * x) / ((1 + y * y) * (1 + y * y)) + 1), -2, 2);

    [Fact]
    public void Unary_minus() =>
        Check.One(Arithmetic.UnaryMinus, Arithmetic.UnaryMinusGradient, Arithmetic.UnaryMinusBackward, x => -2 * x - 1, -2, 2);

    [Fact]
    public void Rosenbrock() =>
        Check.Two(Arithmetic.Rosenbrock, Arithmetic.RosenbrockGradient, Arithmetic.RosenbrockBackward,
            (x, y) => (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)), -2, 2, (1, 1), (-1.2, 1));

    [Fact]
    public void Compound_assignment() =>
        Check.Two(Arithmetic.Compound, Arithmetic.CompoundGradient, Arithmetic.CompoundBackward,
            (x, y) => (-y * y / (x * x), 2 * y / x - 1), 0.5, 3);

    [Fact]
    public void Increment_and_decrement_in_statements_and_expressions() =>
        Check.One(Arithmetic.IncrementDecrement, Arithmetic.IncrementDecrementGradient, Arithmetic.IncrementDecrementBackward,
            x => 3 * x * x + 4 * x + 1, -2, 2);

    [Fact]
    public void Postfix_increment_after_a_read_of_the_same_variable() =>
        Check.One(Arithmetic.IncrementAfterRead, Arithmetic.IncrementAfterReadGradient, Arithmetic.IncrementAfterReadBackward,
            x => 2 * x, -2, 2);

    [Fact]
    public void Compound_assignment_whose_right_side_increments_the_target() =>
        Check.One(Arithmetic.CompoundWithIncrementOfTarget, Arithmetic.CompoundWithIncrementOfTargetGradient, Arithmetic.CompoundWithIncrementOfTargetBackward,
            x => 2, -2, 2);

    [Fact]
    public void Const_locals() =>
        Check.One(Arithmetic.ConstLocals, Arithmetic.ConstLocalsGradient, Arithmetic.ConstLocalsBackward, x => 18 * x, -2, 2);

    [Fact]
    public void Reassigned_parameters() =>
        Check.Two(Arithmetic.Reassign, Arithmetic.ReassignGradient, Arithmetic.ReassignBackward,
            (x, y) =>
            {
                double u = x * x;
                return (2 * x * (Math.Cos(u) * (y + u) + Math.Sin(u)), Math.Sin(u));
            }, -1.5, 1.5);

    [Fact]
    public void Reassigned_local() =>
        Check.One(Arithmetic.ReassignLocal, Arithmetic.ReassignLocalGradient, Arithmetic.ReassignLocalBackward,
            x => 3 * x * x / (2 * Math.Sqrt(x * x * x + 1)), 0, 2);

    [Fact]
    public void Float_double_conversions()
    {
        foreach (var p in Check.Points(2, -2, 2))
        {
            double x = p[0];
            float y = (float)p[1];
            double value = Arithmetic.Conversions(x, y);
            double v = Arithmetic.ConversionsGradient(x, y, out double dx, out float dy);
            Check.Same(value, v, "MGradient value", x, y);
            Check.Close(2.0 * y, dx, 1e-6, "∂/∂x", x, y);
            Check.Close((float)x + x, dy, 1e-6, "∂/∂y", x, y);
            Check.Close(AutoDiffGen.Runtime.GradientCheck.CentralDifference(t => Arithmetic.Conversions(t, y), x, step: 1e-3), dx, 1e-3, "finite differences ∂/∂x", x, y);

            double ax = 1;
            float ay = 1;
            Check.Same(value, Arithmetic.ConversionsBackward(x, y, 2.0, ref ax, ref ay), "MBackward value", x, y);
            Check.Close(1 + 2 * dx, ax, 1e-12, "MBackward x", x, y);
            Check.Close(1 + 2.0 * dy, ay, 1e-6, "MBackward y", x, y);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void Integers_mixed_into_arithmetic(int n) =>
        Check.One(x => Arithmetic.IntegerMix(x, n),
            (double x, out double dx) => Arithmetic.IntegerMixGradient(x, n, out dx),
            (double x, double seed, ref double dx) => Arithmetic.IntegerMixBackward(x, n, seed, ref dx),
            x => n * (n * (n + 1) / 2.0) + 2, -2, 2);

    [Fact]
    public void Fan_out_of_one_value()
    {
        Check.Three(Arithmetic.FanOut, Arithmetic.FanOutGradient, Arithmetic.FanOutBackward, (x, y, z) =>
        {
            double s = x * y + y * z + z * x;
            double w = x * (y - z + x);
            double q = 2 + s * s;
            double G(double wv, double sv) => (wv * q - w * 2 * s * sv) / (q * q);
            return (2 * s * (y + z) - G(y - z + 2 * x, y + z),
                    2 * s * (x + z) - G(x, x + z),
                    2 * s * (x + y) - G(-x, x + y));
        }, -1.5, 1.5);
    }

    [Theory]
    [InlineData(7.0, 2.1, -3.0)]  // 7 % 2.1 = 0.7 = 7 − 3 · 2.1
    [InlineData(-5.5, 2.0, 2.0)]  // −1.5 = −5.5 − (−2) · 2: C#'s % truncates toward zero
    [InlineData(3.3, -1.2, 2.0)]  // 0.9 = 3.3 − (−2) · (−1.2): the result has the dividend's sign
    public void Remainder_differentiates_with_respect_to_both_operands(double a, double b, double byDivisor) =>
        // ∂/∂a = 1, ∂/∂b = −trunc(a / b), away from the jumps where a / b is an integer.
        Check.Two(Arithmetic.Remainder, Arithmetic.RemainderGradient, Arithmetic.RemainderBackward, (_, _) => (1.0, byDivisor), new[] { (a, b) });
}
