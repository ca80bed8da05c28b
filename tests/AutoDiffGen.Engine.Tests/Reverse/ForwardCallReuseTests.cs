using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Math calls of a partial that the method already keeps in a local (ReverseModeTransform.ForwardValues.cs): the
/// reverse reads the local — cos θ for the partial of sin θ and sin θ for that of cos θ, as in a Rodrigues rotation —
/// only where the local surely holds that value. Gradients checked exactly and against finite differences.
/// </summary>
public class ForwardCallReuseTests
{
    private static int CallsOf(IrBlock block, MathFunction function) =>
        IrQuery.Expressions(block).Count(e => e is IrMathCall call && call.Function == function);

    /// <summary>
    /// f(a, x, y) = x cos θ + y sin θ, θ = √(a²) (in a branch taken when a ≠ 0, as the Rodrigues rotation of the bundle
    /// adjustment), else x + y a.
    /// </summary>
    private static IrFunction Rotation()
    {
        var b = new IrBuilder("Rotation");
        Var a = b.Param("a");
        Var x = b.Param("x");
        Var y = b.Param("y");
        Var r = b.Local("r");
        b.If(Ne(a, 0.0), () =>
        {
            Var theta = b.Local("theta", M.Sqrt(a * a));
            Var cos = b.Local("cos", M.Cos(theta));
            Var sin = b.Local("sin", M.Sin(theta));
            b.Assign(r, x * cos + y * sin);
        }, () => b.Assign(r, x + y * a));
        b.Return(r);
        return b.Build();
    }

    private static E Ne(E left, E right) => E.Ne(left, right);

    [Fact]
    public void Partials_of_sin_and_cos_read_the_locals_the_branch_computed()
    {
        IrFunction f = Rotation();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(CallsOf(program.Reverse, MathFunction.Cos) == 0 && CallsOf(program.Reverse, MathFunction.Sin) == 0,
            "the reverse calls neither cos nor sin again:\n" + IrPrinter.Print(program));
        foreach (double a in new[] { 0.8, -1.3, 0.0 })
        {
            object?[] args = { a, 0.6, -1.7 };
            GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, args, program: program);
            double t = Math.Abs(a), da = a == 0 ? -1.7 : Math.Sign(a) * (-0.6 * Math.Sin(t) - 1.7 * Math.Cos(t));
            GradientCheck.AssertClose(da, (double)run.Gradients[0]!, 1e-12, 1e-12, "∂f/∂a at " + a);
            GradientCheck.AssertClose(a == 0 ? 1.0 : Math.Cos(t), (double)run.Gradients[1]!, 1e-12, 1e-12, "∂f/∂x at " + a);
            GradientCheck.AssertClose(a == 0 ? 0.0 : Math.Sin(t), (double)run.Gradients[2]!, 1e-12, 1e-12, "∂f/∂y at " + a);
        }
    }

    [Fact]
    public void A_local_assigned_in_a_loop_is_not_read_for_a_partial()
    {
        // for i < 3: { c = cos(w·x[i]); s += c · sin(w·x[i]) } — c changes every iteration: each reverse iteration calls
        // sin and cos again (or restores), it does not read c as it was left.
        var b = new IrBuilder("InLoop");
        Var w = b.Param("w");
        Var x = b.Param("x", IrType.ArrayOf(IrType.Double, ArrayLayout.Vector), differentiable: false);
        Var sum = b.Local("sum", 0.0);
        Var c = b.Local("c", 0.0);
        b.For("i", 0, 3, i =>
        {
            b.Assign(c, M.Cos(w * x[i]));
            b.Assign(sum, sum + c * M.Sin(w * x[i]));
        });
        b.Return(M.Log(2.0 + sum));
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        double[] xs = { 0.4, -1.2, 2.5 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.9, xs }, program: program);
        double total = xs.Sum(v => Math.Cos(0.9 * v) * Math.Sin(0.9 * v));
        double exact = xs.Sum(v => v * Math.Cos(2 * 0.9 * v)) / (2.0 + total);
        GradientCheck.AssertClose(exact, (double)run.Gradients[0]!, 1e-12, 1e-12, "∂f/∂w");
    }
}
