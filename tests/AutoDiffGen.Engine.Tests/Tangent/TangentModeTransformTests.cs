using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Tangent;

namespace AutoDiffGen.Engine.Tests.Tangent;

/// <summary>
/// The tangent transform on hand-built IR: the tangent program computes the function's own value and, along a
/// direction, the exact directional derivative (hand-derived, and the reverse mode's gradient dotted with it), with no
/// tape and a tangent only for active values.
/// </summary>
public class TangentModeTransformTests
{
    /// <summary>The tangent along each unit direction equals the reverse-mode partial and the hand-derived one.</summary>
    private static void AssertColumns(IrFunction f, object?[] args, double[] exact, CallRegistry? calls = null, double tolerance = 1e-13)
    {
        TangentProgram program = TangentRunner.Differentiate(f);
        GradientRun reverse = IrRunner.Gradient(IrRunner.Differentiate(f), args, calls: calls);
        int[] scalars = f.Parameters.Select((p, i) => (p, i)).Where(x => x.p.IsDifferentiableParameter).Select(x => x.i).ToArray();
        Assert.Equal(exact.Length, scalars.Length);
        for (int k = 0; k < scalars.Length; k++)
        {
            object?[] direction = scalars.Select((_, j) => (object?)IrValues.Explicit(j == k ? 1.0 : 0.0, f.Parameters[scalars[j]].Type)).ToArray();
            TangentRun run = TangentRunner.Tangent(program, args, direction, calls);
            Assert.Equal(IrRunner.Run(f, args, calls), run.Value);
            GradientCheck.AssertClose(exact[k], run.TangentValue, tolerance, tolerance, "hand-derived ∂/∂" + f.Parameters[scalars[k]].PreferredName);
            GradientCheck.AssertClose(reverse.Gradient(scalars[k]), run.TangentValue, tolerance, tolerance, "reverse-mode ∂/∂" + f.Parameters[scalars[k]].PreferredName);
        }
    }

    [Fact]
    public void Straight_line_code_uses_the_rule_tables_partials_and_no_tape()
    {
        // f(x, y) = sin(x) · y + x / y − exp(x · y)
        var b = new IrBuilder("F");
        Var x = b.Param("x");
        Var y = b.Param("y");
        b.Return(M.Sin(x) * y + x / y - M.Exp(x * y));
        IrFunction f = b.Build();
        TangentProgram program = TangentRunner.Differentiate(f);
        Assert.DoesNotContain(IrQuery.All(program.Body), s => s is IrTapePush);
        double X = 0.7, Y = -1.3;
        AssertColumns(f, new object?[] { X, Y }, new[] { Math.Cos(X) * Y + 1 / Y - Y * Math.Exp(X * Y), Math.Sin(X) - X / (Y * Y) - X * Math.Exp(X * Y) });
    }

    [Fact]
    public void Passive_values_get_no_tangent()
    {
        // f(x, [NoDerivative] c) = x · c + c · c: c · c is passive, so nothing is computed for it.
        var b = new IrBuilder("F");
        Var x = b.Param("x");
        Var c = b.Param("c", differentiable: false);
        Var cc = b.Local("cc", c * c);
        b.Return(x * c + cc);
        IrFunction f = b.Build();
        TangentProgram program = TangentRunner.Differentiate(f);
        Assert.False(program.Tangents.ContainsKey(cc));
        Assert.False(program.Tangents.ContainsKey(c));
        AssertColumns(f, new object?[] { 2.0, 3.0 }, new[] { 3.0 });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    public void A_loop_with_a_self_referencing_product(int n)
    {
        // y = 1; for (i = 0; i < n; i++) y = y · x: the product reads its own target, so the tangent reads the old y.
        var b = new IrBuilder("Power");
        Var x = b.Param("x");
        Var count = b.Param("n", IrType.Int);
        Var y = b.Local("y", 1.0);
        b.For("i", 0, count, _ => b.Assign(y, y * x));
        b.Return(y);
        AssertColumns(b.Build(), new object?[] { 1.3, n }, new[] { n * Math.Pow(1.3, n - 1) });
    }

    [Fact]
    public void An_accumulation_updates_the_tangent_in_place()
    {
        // s = 0; for (i = 0; i < 4; i++) s = s + x · i − s · 0 ... written as s = s + x·i (a self-update) and s = s − y.
        var b = new IrBuilder("Sum");
        Var x = b.Param("x");
        Var y = b.Param("y");
        Var s = b.Local("s", 0.0);
        b.For("i", 0, 4, i =>
        {
            b.Assign(s, s + x * i.To(IrType.Double));
            b.Assign(s, s - y);
        });
        b.Return(s * s);
        IrFunction f = b.Build();
        double X = 0.5, Y = 0.25, S = 6 * X - 4 * Y;
        AssertColumns(f, new object?[] { X, Y }, new[] { 2 * S * 6, 2 * S * -4 });
    }

    [Fact]
    public void Branches_take_the_primals_path()
    {
        // if (x > y) r = x · x else r = sin(y) · x; return r · y
        var b = new IrBuilder("Branch");
        Var x = b.Param("x");
        Var y = b.Param("y");
        Var r = b.Local("r", 0.0);
        b.If(x > y, () => b.Assign(r, x * x), () => b.Assign(r, M.Sin(y) * x));
        b.Return(r * y);
        IrFunction f = b.Build();
        AssertColumns(f, new object?[] { 2.0, 1.0 }, new[] { 4.0, 4.0 });
        AssertColumns(f, new object?[] { 0.5, 1.0 }, new[] { Math.Sin(1.0), 0.5 * Math.Sin(1.0) + 0.5 * Math.Cos(1.0) });
    }

    [Fact]
    public void Arrays_local_arrays_get_a_pooled_tangent_array_returned_in_cleanup()
    {
        // a = new double[n]; for i: a[i] = w[i] · x; s = Σ a[i] · a[i]
        var b = new IrBuilder("Arrays");
        Var w = b.Param("w", IrType.ArrayOf(IrType.Double, ArrayLayout.Vector));
        Var x = b.Param("x");
        Var a = b.Local("a", IrBuilder.NewArray(IrType.ArrayOf(IrType.Double, ArrayLayout.Vector), w.Length), IrType.ArrayOf(IrType.Double, ArrayLayout.Vector));
        b.For("i", 0, w.Length, i => b.SetElement(a, new E[] { i }, w[i] * x));
        Var s = b.Local("s", 0.0);
        b.For("j", 0, w.Length, j => b.Assign(s, s + a[j] * a[j]));
        b.Return(s);
        IrFunction f = b.Build();
        TangentProgram program = TangentRunner.Differentiate(f);
        Assert.Single(program.Cleanup.Statements);
        double[] W = { 0.5, -1.0, 2.0 };
        double X = 0.75;
        // ∂s/∂w[k] = 2 w[k] x², ∂s/∂x = 2 x Σ w²: along (dw, dx).
        double[] dw = { 1.0, 0.5, -0.25 };
        double dx = 2.0;
        TangentRun run = TangentRunner.Tangent(program, new object?[] { W, X }, new object?[] { dw, dx });
        double exact = W.Zip(dw, (wk, d) => 2 * wk * X * X * d).Sum() + 2 * X * W.Sum(wk => wk * wk) * dx;
        GradientCheck.AssertClose(exact, run.TangentValue, 1e-13, 1e-13, "directional derivative");
    }

    [Fact]
    public void An_input_array_the_method_writes_into_gets_a_copy_of_its_tangent()
    {
        // w[0] = w[0] · w[1]; return w[0] + x · w[1]
        var b = new IrBuilder("InPlace");
        Var w = b.Param("w", IrType.ArrayOf(IrType.Double, ArrayLayout.Vector));
        Var x = b.Param("x");
        b.SetElement(w, new E[] { 0 }, w[0] * w[1]);
        b.Return(w[0] + x * w[1]);
        IrFunction f = b.Build();
        TangentProgram program = TangentRunner.Differentiate(f);
        // The caller's tangent is copied by a typed buffer operation (not C# text), which the interpreter runs.
        Assert.Contains(IrQuery.All(program.Prologue), s => s is IrEffect { Expression: IrBufferCall { Operation: BufferOperation.CopyTo } });
        double[] dw = { 0.5, -2.0 };
        TangentRun run = TangentRunner.Tangent(program, new object?[] { new[] { 3.0, 4.0 }, 1.5 }, new object?[] { dw, 1.0 });
        // value = w0 w1 + x w1: tangent = (w1 dw0 + w0 dw1) + (dx w1 + x dw1)
        GradientCheck.AssertClose(4 * 0.5 + 3 * -2.0 + 4 + 1.5 * -2.0, run.TangentValue, 1e-14, 1e-14, "directional derivative");
        Assert.Equal(new[] { 0.5, -2.0 }, dw); // the caller's tangent is read-only
    }

    [Fact]
    public void Calls_run_the_callees_tangent()
    {
        // Smooth(a) = sin(a) · a; F(x) = Smooth(x · x) + Smooth(2)
        var callee = new IrBuilder("Smooth");
        Var a = callee.Param("a");
        callee.Return(M.Sin(a) * a);
        IrFunction smooth = callee.Build();
        var calls = new CallRegistry();
        calls.RegisterInterpreted(smooth);
        CallTarget target = IrBuilder.Target("Smooth", (IrType.Double, true));

        var b = new IrBuilder("F");
        Var x = b.Param("x");
        b.Return(IrBuilder.Call(target, IrType.Double, x * x) + IrBuilder.Call(target, IrType.Double, 2.0));
        IrFunction f = b.Build();
        TangentProgram program = TangentRunner.Differentiate(f);
        // One tangent call (the active one); Smooth(2) is passive and runs as a plain call.
        Assert.Single(IrQuery.All(program.Body).OfType<IrTangentCall>());
        double X = 0.8, u = X * X;
        AssertColumns(f, new object?[] { X }, new[] { (Math.Cos(u) * u + Math.Sin(u)) * 2 * X }, calls);
    }

    [Fact]
    public void Mixed_precision_converts_tangents_with_their_values()
    {
        // f(float x, double y) = (double)(x · x) · y
        var b = new IrBuilder("Mixed");
        Var x = b.Param("x", IrType.Float);
        Var y = b.Param("y");
        b.Return((x * x).To(IrType.Double) * y);
        IrFunction f = b.Build();
        float X = 1.5f;
        AssertColumns(f, new object?[] { X, 2.0 }, new[] { 2.0 * X * 2.0, (double)(X * X) }, tolerance: 1e-7);
    }
}
