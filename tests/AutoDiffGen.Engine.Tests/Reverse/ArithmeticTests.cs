using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>The arithmetic operators, conversions, fan-out and reassignment in straight-line code.</summary>
public class ArithmeticTests
{
    private static double[] Gradient(IrFunction f, params object?[] args)
    {
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args);
        return run.Gradients.Select(g => g is null ? double.NaN : IrValues.ToDouble(g)).ToArray();
    }

    private static IrFunction Binary(Func<E, E, E> op, IrType type)
    {
        var b = new IrBuilder("Op", type);
        Var x = b.Param("x", type);
        Var y = b.Param("y", type);
        b.Return(op(x, y));
        return b.Build();
    }

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void Add_subtract_multiply_divide(string typeName)
    {
        IrType type = typeName == "float" ? IrType.Float : IrType.Double;
        object X = type == IrType.Float ? (object)1.75f : 1.75, Y = type == IrType.Float ? (object)(-0.625f) : -0.625; // exact in binary
        double x = 1.75, y = -0.625;
        Assert.Equal(new[] { 1.0, 1.0 }, Gradient(Binary((a, b) => a + b, type), X, Y));
        Assert.Equal(new[] { 1.0, -1.0 }, Gradient(Binary((a, b) => a - b, type), X, Y));
        Assert.Equal(new[] { y, x }, Gradient(Binary((a, b) => a * b, type), X, Y));
        double[] quotient = Gradient(Binary((a, b) => a / b, type), X, Y);
        GradientCheck.AssertClose(1 / y, quotient[0], 1e-7, 0, "∂(x/y)/∂x");
        GradientCheck.AssertClose(-x / (y * y), quotient[1], 1e-7, 0, "∂(x/y)/∂y");
        Assert.Equal(new[] { -1.0, 0.0 }, Gradient(Binary((a, b) => -a, type), X, Y));
    }

    [Theory]
    [InlineData("double")]
    [InlineData("float")]
    public void Remainder_with_an_active_divisor(string typeName)
    {
        // x % y = x − trunc(x/y)·y: ∂/∂x = 1, ∂/∂y = −trunc(x/y).
        IrType type = typeName == "float" ? IrType.Float : IrType.Double;
        object X = type == IrType.Float ? (object)7.3f : 7.3, Y = type == IrType.Float ? (object)2.1f : 2.1;
        double[] g = Gradient(Binary((a, b) => a % b, type), X, Y);
        Assert.Equal(1.0, g[0]);
        Assert.Equal(-3.0, g[1]);
        g = Gradient(Binary((a, b) => a % b, type), type == IrType.Float ? (object)(-7.3f) : -7.3, Y);
        Assert.Equal(3.0, g[1]);
    }

    [Fact]
    public void Constants_on_either_side()
    {
        var b = new IrBuilder();
        Var x = b.Param("x");
        b.Return(2.0 / x + (3.0 - x) * 4.0 - x / 5.0 + 1.0);
        double X = 0.8;
        double[] g = Gradient(b.Build(), X);
        GradientCheck.AssertClose(-2 / (X * X) - 4 - 0.2, g[0], 1e-14, 0, "∂f/∂x");
    }

    [Fact]
    public void Same_variable_on_both_sides()
    {
        Assert.Equal(new[] { 2 * 1.5, 0.0 }, Gradient(Binary((a, _) => a * a, IrType.Double), 1.5, 9.0));
        Assert.Equal(new[] { 2.0, 0.0 }, Gradient(Binary((a, _) => a + a, IrType.Double), 1.5, 9.0));
        Assert.Equal(new[] { 0.0, 0.0 }, Gradient(Binary((a, _) => a - a, IrType.Double), 1.5, 9.0));
        Assert.Equal(new[] { 0.0, 0.0 }, Gradient(Binary((a, _) => a / a, IrType.Double), 1.5, 9.0));
    }

    [Fact]
    public void Conversions_between_float_and_double()
    {
        // double f(float a, double x) = (double)(a * a) * x + (float)x
        var b = new IrBuilder();
        Var a = b.Param("a", IrType.Float);
        Var x = b.Param("x");
        Var sq = b.Temp(a * a);
        Var narrowed = b.Temp(x.To(IrType.Float));
        b.Return(sq.To(IrType.Double) * x + narrowed.To(IrType.Double));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(b.Build(), new object?[] { 1.5f, 0.25 }, relative: 1e-3, absolute: 1e-6); // (float)x quantizes the stencil
        Assert.IsType<float>(run.Gradients[0]);
        Assert.IsType<double>(run.Gradients[1]);
        Assert.Equal(2 * 1.5 * 0.25, run.Gradient(0), 6);
        Assert.Equal(1.5 * 1.5 + 1, run.Gradient(1), 6);
    }

    [Fact]
    public void Conversion_to_int_stops_the_gradient()
    {
        // f(x) = x · (int)x: the truncation is piecewise constant, so ∂f/∂x = (int)x.
        var b = new IrBuilder();
        Var x = b.Param("x");
        Var k = b.Local("k", x.To(IrType.Int));
        b.Return(x * k);
        double[] g = Gradient(b.Build(), 2.7);
        Assert.Equal(2.0, g[0]);
    }

    [Fact]
    public void Fan_out_sums_every_use()
    {
        // y = x²; z = sin x; w = y + z + x; f = w · x + y · z
        var b = new IrBuilder();
        Var x = b.Param("x");
        Var y = b.Local("y", x * x);
        Var z = b.Local("z", M.Sin(x));
        Var w = b.Local("w", y + z + x);
        b.Return(w * x + y * z);
        double X = 0.9;
        double w0 = X * X + Math.Sin(X) + X;
        double exact = (2 * X + Math.Cos(X) + 1) * X + w0 + 2 * X * Math.Sin(X) + X * X * Math.Cos(X);
        GradientCheck.AssertClose(exact, Gradient(b.Build(), X)[0], 1e-14, 0, "∂f/∂x");
    }

    [Fact]
    public void Reassigned_locals_and_parameters_in_straight_line_code()
    {
        // x = x · x; y = x + 1; y = y · x; x = sin(y); f = x + y   (x is a parameter)
        var b = new IrBuilder();
        Var x = b.Param("x");
        b.Assign(x, x * x);
        Var y = b.Local("y", x + 1);
        b.Assign(y, y * x);
        b.Assign(x, M.Sin(y));
        b.Return(x + y);
        double X = 0.7, x2 = X * X, y1 = (x2 + 1) * x2;
        double dy1 = (2 * x2 + 1) * 2 * X;
        double exact = (Math.Cos(y1) + 1) * dy1;
        GradientCheck.AssertClose(exact, Gradient(b.Build(), X)[0], 1e-13, 0, "∂f/∂x");
    }

    [Fact]
    public void Self_updates_in_place()
    {
        // s = x; s = s + x·x; s = s − sin x; s = cos(x) + s; f = s · s
        var b = new IrBuilder();
        Var x = b.Param("x");
        Var s = b.Local("s", x);
        b.Assign(s, s + x * x);
        b.Assign(s, s - M.Sin(x));
        b.Assign(s, M.Cos(x) + s);
        b.Return(s * s);
        IrFunction f = b.Build();
        Assert.Contains(f.Body.Statements.OfType<IrAssign>(), a => a.Target == s.Variable && a.Value is IrBinary { Right: IrVariableReference r } && r.Variable == s.Variable);
        double X = 0.6, s0 = X + X * X - Math.Sin(X) + Math.Cos(X);
        double exact = 2 * s0 * (1 + 2 * X - Math.Cos(X) - Math.Sin(X));
        GradientCheck.AssertClose(exact, Gradient(f, X)[0], 1e-13, 0, "∂f/∂x");
    }

    [Fact]
    public void Copies_and_negation_chains()
    {
        var b = new IrBuilder();
        Var x = b.Param("x");
        Var a = b.Local("a", x);
        Var c = b.Local("c", -a);
        Var d = b.Local("d", c);
        b.Assign(a, d * d * d);
        b.Return(a);
        GradientCheck.AssertClose(-3 * 1.1 * 1.1, Gradient(b.Build(), 1.1)[0], 1e-14, 0, "∂(−x)³/∂x");
    }
}
