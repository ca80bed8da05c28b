using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Differentiable calls: in reverse each becomes an <see cref="IrBackwardCall"/> seeded with the adjoint of the call's
/// result. Callees are registered by name: by hand (a custom …Backward) or as interpreted IR (joint mode, recursion).
/// </summary>
public class CallTests
{
    [Fact]
    public void Hand_written_backward_is_called_with_the_result_adjoint()
    {
        // Sq(a) = a², Backward adds seed · 2a;  f(x, y) = Sq(x · y) · 3 + x
        var calls = new CallRegistry();
        calls.Register("Sq", a => (double)a[0]! * (double)a[0]!, (a, seed) => new object?[] { (double)seed! * 2 * (double)a[0]! });
        CallTarget sq = IrBuilder.Target("Sq", (IrType.Double, true));
        var b = new IrBuilder("UsesSq");
        Var x = b.Param("x");
        Var y = b.Param("y");
        b.Return(IrBuilder.Call(sq, IrType.Double, x * y) * 3.0 + x);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        IrBackwardCall backward = Assert.Single(IrQuery.All(program.Reverse).OfType<IrBackwardCall>());
        Assert.Equal("Sq", backward.Call.Target.MethodName);
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.6, -1.1 }, calls, program: program);
        Assert.Equal(1, calls.BackwardCounts["Sq"]);
        Assert.Equal(3 * 2 * 0.6 * 1.1 * 1.1 + 1, run.Gradient(0), 13);
        Assert.Equal(3 * 2 * 0.6 * 0.6 * -1.1, run.Gradient(1), 13);
    }

    private static IrFunction Scale()
    {
        // G(a, [NoDerivative] k) = sin(a) · k
        var b = new IrBuilder("G");
        Var a = b.Param("a");
        Var k = b.Param("k", differentiable: false);
        b.Return(M.Sin(a) * k);
        return b.Build();
    }

    [Fact]
    public void Interpreted_callee_with_a_passive_parameter()
    {
        var calls = new CallRegistry();
        calls.RegisterInterpreted(Scale());
        CallTarget g = IrBuilder.Target("G", (IrType.Double, true), (IrType.Double, false));
        // f(x, [NoDerivative] c) = G(x · x, c) · x
        var b = new IrBuilder("UsesG");
        Var x = b.Param("x");
        Var c = b.Param("c", differentiable: false);
        b.Return(IrBuilder.Call(g, IrType.Double, x * x, c) * x);
        IrFunction f = b.Build();
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.8, 2.5 }, calls);
        double X = 0.8;
        Assert.Equal(Math.Cos(X * X) * 2 * X * 2.5 * X + Math.Sin(X * X) * 2.5, run.Gradient(0), 13);
    }

    [Fact]
    public void Active_value_passed_to_a_passive_parameter_of_the_callee_gets_no_gradient()
    {
        // Pins current behaviour: the callee declares k [NoDerivative], so c's path through it is dropped even though
        // f depends on c (nothing reports it; see the test report).
        var calls = new CallRegistry();
        calls.RegisterInterpreted(Scale());
        var b = new IrBuilder("UsesGActively");
        Var x = b.Param("x");
        Var c = b.Param("c");
        b.Return(IrBuilder.Call(IrBuilder.Target("G", (IrType.Double, true), (IrType.Double, false)), IrType.Double, x, c));
        IrFunction f = b.Build();
        GradientRun run = IrRunner.Gradient(IrRunner.Differentiate(f), new object?[] { 0.8, 2.5 }, calls: calls);
        Assert.Equal(0.0, run.Gradient(1));
        Assert.NotEqual(0.0, GradientCheck.Estimate(f, new object?[] { 0.8, 2.5 }, 1, calls).Value);
    }

    [Fact]
    public void One_variable_in_two_differentiable_arguments()
    {
        // H(a, b) = a · b;  f(x) = H(x, x) → 2x
        var hb = new IrBuilder("H");
        Var a = hb.Param("a");
        Var bb = hb.Param("b");
        hb.Return(a * bb);
        var calls = new CallRegistry();
        calls.RegisterInterpreted(hb.Build());
        var b = new IrBuilder("UsesH");
        Var x = b.Param("x");
        b.Return(IrBuilder.Call(IrBuilder.Target("H", (IrType.Double, true), (IrType.Double, true)), IrType.Double, x, x));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(b.Build(), new object?[] { 1.7 }, calls);
        Assert.Equal(3.4, run.Gradient(0), 14);
    }

    [Fact]
    public void Constant_argument_to_a_differentiable_parameter()
    {
        var calls = new CallRegistry();
        calls.RegisterInterpreted(Scale());
        var hb = new IrBuilder("H2");
        Var p = hb.Param("p");
        Var q = hb.Param("q");
        hb.Return(p * q * q);
        calls.RegisterInterpreted(hb.Build());
        var b = new IrBuilder("UsesH2");
        Var x = b.Param("x");
        b.Return(IrBuilder.Call(IrBuilder.Target("H2", (IrType.Double, true), (IrType.Double, true)), IrType.Double, 2.0, x));
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        IrBackwardCall backward = Assert.Single(IrQuery.All(program.Reverse).OfType<IrBackwardCall>());
        Assert.Null(backward.Adjoints[0]);
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 1.5 }, calls, program: program);
        Assert.Equal(2 * 2 * 1.5, run.Gradient(0), 14);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void Recursion(int n)
    {
        // Power(x, n) = n == 0 ? 1 : x · Power(x, n − 1)
        var b = new IrBuilder("Power");
        Var x = b.Param("x");
        Var k = b.Param("n", IrType.Int);
        CallTarget self = b.SelfTarget();
        b.If(E.Eq(k, 0), () => b.Return(1.0), () => b.Return(x * IrBuilder.Call(self, IrType.Double, x, k - 1)));
        IrFunction f = b.Build();
        var calls = new CallRegistry();
        calls.RegisterInterpreted(f);
        GradientRun run = IrRunner.Gradient(IrRunner.Differentiate(f), new object?[] { 1.2, n }, calls: calls);
        Assert.Equal(Math.Pow(1.2, n), (double)run.Value!, 13);
        Assert.Equal(n * Math.Pow(1.2, n - 1), run.Gradient(0), 13);
        Assert.Equal(n, calls.BackwardCounts.GetValueOrDefault("Power"));
    }

    [Fact]
    public void Call_inside_a_loop_sees_each_iterations_argument()
    {
        // Step(a) = sin(a) + 0.5 a;  y = x; for i < n { y = Step(y) }  f = y
        var sb = new IrBuilder("Step");
        Var a = sb.Param("a");
        sb.Return(M.Sin(a) + a * 0.5);
        var calls = new CallRegistry();
        calls.RegisterInterpreted(sb.Build());
        CallTarget step = IrBuilder.Target("Step", (IrType.Double, true));
        var b = new IrBuilder("Iterate");
        Var x = b.Param("x");
        Var n = b.Param("n", IrType.Int);
        Var y = b.Local("y", x);
        b.For("i", 0, n, _ => b.Assign(y, IrBuilder.Call(step, IrType.Double, y)));
        b.Return(y);
        IrFunction f = b.Build();
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.9, 5 }, calls);
        double v = 0.9, dv = 1;
        for (int i = 0; i < 5; i++) { dv *= Math.Cos(v) + 0.5; v = Math.Sin(v) + 0.5 * v; }
        Assert.Equal(dv, run.Gradient(0), 13);
        Assert.Equal(5, calls.BackwardCounts["Step"]);
    }
}
