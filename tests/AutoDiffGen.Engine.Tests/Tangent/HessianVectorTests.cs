using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using AutoDiffGen.Generator.Engine.Tangent;

namespace AutoDiffGen.Engine.Tests.Tangent;

/// <summary>
/// Hessian-vector products by reverse over forward: the tangent program closed into an IR function
/// (<see cref="TangentFunction"/>), then the reverse transform over it. H·v is checked against a hand-derived Hessian,
/// against central differences of the reverse-mode gradient along v, and for symmetry, ⟨u, H v⟩ = ⟨v, H u⟩.
/// </summary>
public class HessianVectorTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    /// <summary>H·v at the arguments: the gradient, with respect to the method's parameters, of ḟ(p, v).</summary>
    private static object?[] HessianVector(IrFunction f, object?[] args, object?[] direction)
    {
        IrFunction tangent = TangentFunction.Close(TangentRunner.Differentiate(f));
        GradientRun run = IrRunner.Gradient(IrRunner.Differentiate(tangent), args.Concat(direction).ToArray());
        // ḟ's value is the directional derivative: the forward mode's own.
        TangentRun forward = TangentRunner.Tangent(TangentRunner.Differentiate(f), args, direction);
        GradientCheck.AssertClose(forward.TangentValue, IrValues.ToDouble(run.Value), 1e-14, 1e-14, "ḟ's value");
        return run.Gradients.Take(args.Length).ToArray();
    }

    private static double[] Flat(object?[] values) =>
        values.Where(v => v is not null).SelectMany(v => v is double[] a ? a : new[] { IrValues.ToDouble(v) }).ToArray();

    /// <summary>(∇f(x + h v) − ∇f(x − h v)) / 2h, with the reverse-mode gradient.</summary>
    private static double[] GradientDifference(IrFunction f, double[] x, double[] v, Func<double[], object?[]> args, double h = 1e-5)
    {
        var program = IrRunner.Differentiate(f);
        double[] Grad(double t) => Flat(IrRunner.Gradient(program, args(x.Select((a, i) => a + t * v[i]).ToArray())).Gradients);
        double[] plus = Grad(h), minus = Grad(-h);
        return plus.Select((p, i) => (p - minus[i]) / (2 * h)).ToArray();
    }

    [Fact]
    public void Rosenbrock_matches_its_hand_derived_Hessian()
    {
        // f(x, y) = (1 − x)² + 100 (y − x²)²
        var b = new IrBuilder("Rosenbrock");
        Var x = b.Param("x");
        Var y = b.Param("y");
        Var a = b.Local("a", 1.0 - x);
        Var c = b.Local("c", y - x * x);
        b.Return(a * a + 100.0 * c * c);
        IrFunction f = b.Build();
        double X = -1.2, Y = 1.0;
        double[,] h = { { 2 - 400 * (Y - X * X) + 800 * X * X, -400 * X }, { -400 * X, 200 } };
        foreach (double[] v in new[] { new[] { 1.0, 0 }, new[] { 0, 1.0 }, new[] { 0.3, -0.7 } })
        {
            double[] hv = Flat(HessianVector(f, new object?[] { X, Y }, new object?[] { v[0], v[1] }));
            for (int i = 0; i < 2; i++)
            {
                GradientCheck.AssertClose(h[i, 0] * v[0] + h[i, 1] * v[1], hv[i], 1e-12, 1e-12, "(H v)[" + i + "]");
            }
        }
    }

    /// <summary>f(a) = Σᵢ aᵢ² · sin(aᵢ₊₁) + a loop-carried product, with a branch: arrays, loops, overwritten scalars.</summary>
    private static IrFunction LoopWithBranch()
    {
        var b = new IrBuilder("LoopWithBranch");
        Var a = b.Param("a", Vector);
        Var s = b.Local("s", 0.0);
        Var p = b.Local("p", 1.0);
        b.For("i", 0, a.Length - 1, i =>
        {
            b.Assign(s, s + a[i] * a[i] * M.Sin(a[i + 1]));
            b.If(a[i] > 0.0, () => b.Assign(p, p * M.Exp(0.3 * a[i])), () => b.Assign(p, p * (1.0 + a[i] * a[i])));
        });
        b.Return(s + M.Log(p) * p);
        return b.Build();
    }

    [Fact]
    public void Loops_branches_and_arrays_match_differences_of_the_gradient()
    {
        IrFunction f = LoopWithBranch();
        double[] x = { 0.4, -0.9, 1.3, 0.2, -0.35 };
        double[] v = { 0.5, 0.25, -1, 0.75, -0.3 };
        double[] hv = Flat(HessianVector(f, new object?[] { x }, new object?[] { v }));
        double[] fd = GradientDifference(f, x, v, point => new object?[] { point });
        for (int i = 0; i < x.Length; i++) GradientCheck.AssertClose(fd[i], hv[i], 1e-6, 1e-7, "(H v)[" + i + "] vs differences of the gradient");
    }

    [Fact]
    public void Tangents_of_a_loop_s_temporaries_and_declared_locals_are_recomputed_not_taped()
    {
        // Extended Rosenbrock, Σ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ²)², with locals declared in the loop body: the tangents of its
        // temporaries are temporaries of ḟ and those of its locals are declared with them, so the reverse over ḟ tapes
        // nothing per iteration (no checkpoint either: only accumulators carry from one iteration to the next).
        IrFunction f = IrWorkloads.ExtendedRosenbrock();

        ReverseProgram second = IrRunner.Differentiate(TangentFunction.Close(TangentRunner.Differentiate(f)));
        Assert.Empty(IrQuery.All(second.Forward).Concat(IrQuery.All(second.Reverse)).OfType<IrTapePush>());
        double[] point = { -1.2, 1.0, 0.4, -0.7 }, v = { 0.3, -1.1, 0.8, 0.5 };
        double[] hv = Flat(HessianVector(f, new object?[] { point }, new object?[] { v }));
        for (int i = 0; i < point.Length; i++)
        {
            double expected = 0;
            if (i + 1 < point.Length) expected += (1200 * point[i] * point[i] - 400 * point[i + 1] + 2) * v[i] - 400 * point[i] * v[i + 1];
            if (i > 0) expected += -400 * point[i - 1] * v[i - 1] + 200 * v[i];
            GradientCheck.AssertClose(expected, hv[i], 1e-10, 1e-10, "(H v)[" + i + "]");
        }
    }

    [Fact]
    public void Conditional_partials_become_branches_of_the_closed_function()
    {
        // f(x, y) = √(x² + y²) · x + |y|·y: Sqrt's partial is a conditional (0 where the root is 0), Abs's a sign.
        var b = new IrBuilder("Conditionals");
        Var x = b.Param("x");
        Var y = b.Param("y");
        b.Return(M.Sqrt(x * x + y * y) * x + M.Abs(y) * y);
        IrFunction f = b.Build();
        double[] point = { 0.6, -1.7 }, v = { -0.4, 0.9 };
        double[] hv = Flat(HessianVector(f, new object?[] { point[0], point[1] }, new object?[] { v[0], v[1] }));
        double[] fd = GradientDifference(f, point, v, p => new object?[] { p[0], p[1] });
        for (int i = 0; i < 2; i++) GradientCheck.AssertClose(fd[i], hv[i], 1e-6, 1e-7, "(H v)[" + i + "] vs differences of the gradient");
    }

    [Fact]
    public void Hessian_vector_products_are_symmetric()
    {
        IrFunction f = LoopWithBranch();
        double[] x = { 0.4, -0.9, 1.3, 0.2, -0.35 };
        double[] u = { 1, -0.5, 0.25, 0.125, 2 }, v = { 0.5, 0.25, -1, 0.75, -0.3 };
        double[] hu = Flat(HessianVector(f, new object?[] { x }, new object?[] { u }));
        double[] hv = Flat(HessianVector(f, new object?[] { x }, new object?[] { v }));
        double uHv = u.Zip(hv, (p, q) => p * q).Sum(), vHu = v.Zip(hu, (p, q) => p * q).Sum();
        GradientCheck.AssertClose(uHv, vHu, 1e-12, 1e-12, "⟨u, H v⟩ vs ⟨v, H u⟩");
    }

    [Fact]
    public void A_local_array_gets_an_allocated_tangent_and_a_second_derivative()
    {
        // f(x, y) = Σⱼ tⱼ² with t = [x·y, sin x, y³] in a local array: H = [[2y² + 2cos 2x, 4xy], [4xy, 2x² + 30y⁴]].
        var b = new IrBuilder("LocalArray");
        Var x = b.Param("x");
        Var y = b.Param("y");
        Var t = b.Local("t", IrBuilder.NewArray(Vector, 3), Vector);
        b.SetElement(t, new E[] { 0 }, x * y);
        b.SetElement(t, new E[] { 1 }, M.Sin(x));
        b.SetElement(t, new E[] { 2 }, y * y * y);
        Var s = b.Local("s", 0.0);
        b.For("j", 0, 3, j => b.Assign(s, s + t[j] * t[j]));
        b.Return(s);
        IrFunction f = b.Build();
        double X = 0.8, Y = -0.6;
        double[,] h = { { 2 * Y * Y + 2 * Math.Cos(2 * X), 4 * X * Y }, { 4 * X * Y, 2 * X * X + 30 * Math.Pow(Y, 4) } };
        double[] v = { 0.7, -1.1 };
        double[] hv = Flat(HessianVector(f, new object?[] { X, Y }, new object?[] { v[0], v[1] }));
        for (int i = 0; i < 2; i++) GradientCheck.AssertClose(h[i, 0] * v[0] + h[i, 1] * v[1], hv[i], 1e-12, 1e-12, "(H v)[" + i + "]");
    }

    /// <summary>H·v through calls: the callees registered as interpreted IR, each with its MTangent and MBackwardTangent.</summary>
    private static double[] HessianVectorWithCalls(IrFunction f, CallRegistry calls, object?[] args, object?[] direction)
    {
        IrFunction tangent = TangentFunction.Close(TangentRunner.Differentiate(f));
        GradientRun run = IrRunner.Gradient(IrRunner.Differentiate(tangent), args.Concat(direction).ToArray(), calls: calls);
        return Flat(run.Gradients.Take(args.Length).ToArray());
    }

    [Fact]
    public void A_call_becomes_the_callee_s_closed_tangent_reversed_through_its_BackwardTangent()
    {
        // Cube(a) = a³; Caller(x) = Cube(x) · x = x⁴: f'' = 12x².
        var cube = new IrBuilder("Cube");
        Var a = cube.Param("a");
        cube.Return(a * a * a);
        var calls = new CallRegistry();
        calls.RegisterInterpreted(cube.Build());
        var b = new IrBuilder("Caller");
        Var x = b.Param("x");
        b.Return(IrBuilder.Call(IrBuilder.Target("Cube", (IrType.Double, true)), IrType.Double, x) * x);
        IrFunction f = b.Build();

        IrFunction closed = TangentFunction.Close(TangentRunner.Differentiate(f));
        Assert.Contains(IrQuery.Expressions(closed.Body).OfType<IrDifferentiableCall>(), c => c.Target.IsClosedTangent && c.Target.BackwardName == "CubeBackwardTangent");
        double[] hv = HessianVectorWithCalls(f, calls, new object?[] { 0.7 }, new object?[] { -1.3 });
        GradientCheck.AssertClose(12 * 0.7 * 0.7 * -1.3, hv[0], 1e-12, 1e-12, "(H v) through Cube");
        Assert.True(calls.BackwardCounts["CubeTangent"] == 1, "Cube's BackwardTangent runs once");
    }

    [Fact]
    public void Nested_callees_in_a_loop_match_differences_of_the_gradient()
    {
        // Inner(a) = sin(a)·a; Middle(a, b) = Inner(a·b) + Inner(b)·a; Caller(x, y): s = 0; 3 times s = Middle(x, s + y).
        var inner = new IrBuilder("Inner");
        Var a = inner.Param("a");
        inner.Return(M.Sin(a) * a);
        var innerTarget = IrBuilder.Target("Inner", (IrType.Double, true));
        var middle = new IrBuilder("Middle");
        Var p = middle.Param("a");
        Var q = middle.Param("b");
        middle.Return(IrBuilder.Call(innerTarget, IrType.Double, p * q) + IrBuilder.Call(innerTarget, IrType.Double, q) * p);
        var calls = new CallRegistry();
        calls.RegisterInterpreted(inner.Build());
        calls.RegisterInterpreted(middle.Build());
        var b = new IrBuilder("Caller");
        Var x = b.Param("x");
        Var y = b.Param("y");
        Var s = b.Local("s", 0.0);
        var middleTarget = IrBuilder.Target("Middle", (IrType.Double, true), (IrType.Double, true));
        b.For("j", 0, 3, _ => b.Assign(s, IrBuilder.Call(middleTarget, IrType.Double, x, s * 0.5 + y)));
        b.Return(s);
        IrFunction f = b.Build();

        double[] point = { 0.4, -0.9 }, v = { 0.6, 1.1 }, u = { -1.0, 0.3 };
        object?[] Args(double[] at) => new object?[] { at[0], at[1] };
        double[] hv = HessianVectorWithCalls(f, calls, Args(point), new object?[] { v[0], v[1] });
        double[] hu = HessianVectorWithCalls(f, calls, Args(point), new object?[] { u[0], u[1] });
        ReverseProgram gradient = IrRunner.Differentiate(f);
        double[] Grad(double t) => Flat(IrRunner.Gradient(gradient, Args(point.Select((c, i) => c + t * v[i]).ToArray()), calls: calls).Gradients);
        double h = 1e-5;
        double[] plus = Grad(h), minus = Grad(-h);
        for (int i = 0; i < 2; i++) GradientCheck.AssertClose((plus[i] - minus[i]) / (2 * h), hv[i], 1e-6, 1e-6, "(H v)[" + i + "] against differences");
        GradientCheck.AssertClose(u[0] * hv[0] + u[1] * hv[1], v[0] * hu[0] + v[1] * hu[1], 1e-12, 1e-12, "⟨u, H v⟩ = ⟨v, H u⟩");
    }

    [Fact]
    public void A_callee_second_order_cannot_go_through_is_refused_with_its_reason()
    {
        var b = new IrBuilder("Caller");
        Var x = b.Param("x");
        CallTarget refused = IrBuilder.Target("Far", (IrType.Double, true)) with { SecondOrderRefusal = "it calls Far from another assembly, which has no FarBackwardTangent" };
        b.Return(IrBuilder.Call(refused, IrType.Double, x) * x);
        var e = Assert.Throws<NotSupportedException>(() => TangentFunction.Close(TangentRunner.Differentiate(b.Build())));
        Assert.Equal("it calls Far from another assembly, which has no FarBackwardTangent", e.Message);

        var c = new IrBuilder("Caller");
        Var y = c.Param("y");
        CallTarget handWritten = IrBuilder.Target("Custom", (IrType.Double, true)) with { HasTangent = false };
        c.Return(IrBuilder.Call(handWritten, IrType.Double, y) * y);
        e = Assert.Throws<NotSupportedException>(() => TangentFunction.Close(TangentRunner.Differentiate(c.Build())));
        Assert.StartsWith("it calls Custom, whose derivative is a hand-written CustomBackward", e.Message);
    }
}
