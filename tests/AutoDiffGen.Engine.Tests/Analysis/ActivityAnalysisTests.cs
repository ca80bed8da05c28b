using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Analysis;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Analysis;

/// <summary>
/// Activity analysis: only values that depend on a differentiable parameter and reach the result get adjoints, and the
/// reverse sweep never touches the others (which keeps NaN from dead branches out of gradients).
/// </summary>
public class ActivityAnalysisTests
{
    private static bool HasAdjoint(ReverseProgram program, IrVariable variable) => program.Adjoints.ContainsKey(variable);

    [Fact]
    public void Branch_computing_a_value_that_never_reaches_the_result_gets_no_adjoint()
    {
        // if (x < 0) { dead = log(x) · sqrt(x) }  f = x · x    — evaluated at x = −2, where log x is NaN.
        var b = new IrBuilder("Dead");
        Var x = b.Param("x");
        Var dead = b.Local("dead", 0.0);
        b.If(x < 0.0, () => b.Assign(dead, M.Log(x) * M.Sqrt(x)));
        b.Return(x * x);
        IrFunction f = b.Build();
        ActivityAnalysis activity = ActivityAnalysis.Analyze(f);
        Assert.Contains(dead.Variable, activity.Varied);
        Assert.DoesNotContain(dead.Variable, activity.Useful);
        Assert.False(activity.IsActive(dead));

        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.False(HasAdjoint(program, dead));
        Assert.False(IrQuery.Reads(program.Reverse, dead), IrPrinter.Print(program));
        Assert.DoesNotContain(IrQuery.All(program.Reverse), s => s is IrIf); // the branch has nothing to reverse
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { -2.0 });
        Assert.Equal(-4.0, run.Gradient(0));
    }

    [Fact]
    public void Parameter_that_never_reaches_the_result_is_not_active()
    {
        // f(x, y) = x · x, with y feeding only a dead local.
        var b = new IrBuilder("Unused");
        Var x = b.Param("x");
        Var y = b.Param("y");
        Var scratch = b.Local("scratch", y * 3.0 + x);
        b.Return(x * x);
        IrFunction f = b.Build();
        ActivityAnalysis activity = ActivityAnalysis.Analyze(f);
        Assert.Contains(y.Variable, activity.Varied);
        Assert.False(activity.IsActive(y));
        Assert.False(activity.IsActive(scratch));
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.False(HasAdjoint(program, y));
        GradientRun run = IrRunner.Gradient(program, new object?[] { 1.5, 4.0 });
        Assert.Equal(3.0, run.Gradient(0));
        Assert.Equal(0.0, run.Gradients[1]); // reported as an exact zero of the parameter's type
    }

    [Fact]
    public void Passive_parameter_gets_no_adjoint()
    {
        // f(x, [NoDerivative] c) = x · c + c · c
        var b = new IrBuilder("Scaled");
        Var x = b.Param("x");
        Var c = b.Param("c", differentiable: false);
        Var k = b.Local("k", c * 2.0);
        b.Return(x * c + c * k);
        IrFunction f = b.Build();
        Assert.False(c.Variable.IsDifferentiableParameter);
        ActivityAnalysis activity = ActivityAnalysis.Analyze(f);
        Assert.DoesNotContain(c.Variable, activity.Varied);
        Assert.DoesNotContain(k.Variable, activity.Varied); // depends only on passive data
        Assert.True(activity.IsActive(x));
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.False(HasAdjoint(program, c));
        Assert.False(HasAdjoint(program, k));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.5, 3.0 });
        Assert.Equal(3.0, run.Gradient(0));
        Assert.Null(run.Gradients[1]);
    }

    [Fact]
    public void Integers_and_bools_are_never_active()
    {
        var b = new IrBuilder("Passive");
        Var x = b.Param("x");
        Var k = b.Local("k", x.To(IrType.Int));
        Var flag = b.Local("flag", x > 1.0);
        Var y = b.Local("y", x * k.To(IrType.Double));
        b.If(flag, () => b.Assign(y, y * 2.0));
        b.Return(y);
        IrFunction f = b.Build();
        ActivityAnalysis activity = ActivityAnalysis.Analyze(f);
        Assert.False(activity.IsActive(k));
        Assert.False(activity.IsActive(flag));
        Assert.True(activity.IsActive(y));
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.All(program.Adjoints.Keys, v => Assert.True(v.Type.IsDifferentiable));
        GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 2.5 });
    }

    [Fact]
    public void Value_used_only_in_a_condition_is_not_useful()
    {
        // t = x · x (only compared); f = t > 1 ? x : 2x   (as an if)
        var b = new IrBuilder("Threshold");
        Var x = b.Param("x");
        Var t = b.Local("t", x * x);
        b.If(t > 1.0, () => b.Return(x), () => b.Return(x * 2.0));
        IrFunction f = b.Build();
        ActivityAnalysis activity = ActivityAnalysis.Analyze(f);
        Assert.DoesNotContain(t.Variable, activity.Useful);
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.False(HasAdjoint(program, t));
        Assert.Equal(1.0, GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 1.5 }, program: program).Gradient(0));
        Assert.Equal(2.0, GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.5 }, program: program).Gradient(0));
    }

    [Fact]
    public void Constant_result_has_no_active_variables()
    {
        var b = new IrBuilder("Constant");
        Var x = b.Param("x");
        Var y = b.Local("y", x * 3.0);
        b.Return(2.0);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.False(HasAdjoint(program, x));
        Assert.False(HasAdjoint(program, y));
        Assert.Equal(0.0, IrRunner.Gradient(program, new object?[] { 1.0 }).Gradients[0]);
    }

    [Fact]
    public void Overwritten_value_keeps_the_variable_active_and_the_gradient_right()
    {
        // t = sin(x); t = 2; f = t · x   → ∂f/∂x = 2 (the sin path is cut by the overwrite)
        var b = new IrBuilder("Overwrite");
        Var x = b.Param("x");
        Var t = b.Local("t", M.Sin(x));
        b.Assign(t, 2.0);
        b.Return(t * x);
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(b.Build(), new object?[] { 0.3 });
        Assert.Equal(2.0, run.Gradient(0));
    }

    [Fact]
    public void Activity_flows_through_loops_to_a_fixed_point()
    {
        // a = 0; b = 0; c = 0; for i < 3 { c = b; b = a; a = x }  f = c  — x reaches c only after three iterations.
        var b = new IrBuilder("Shift");
        Var x = b.Param("x");
        Var a = b.Local("a", 0.0);
        Var bb = b.Local("b", 0.0);
        Var c = b.Local("c", 0.0);
        b.For("i", 0, 3, _ => { b.Assign(c, bb); b.Assign(bb, a); b.Assign(a, x * 1.5); });
        b.Return(c * c);
        IrFunction f = b.Build();
        ActivityAnalysis activity = ActivityAnalysis.Analyze(f);
        Assert.True(activity.IsActive(a) && activity.IsActive(bb) && activity.IsActive(c));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.7 });
        Assert.Equal(2 * 1.5 * 0.7 * 1.5, run.Gradient(0), 14);
    }
}
