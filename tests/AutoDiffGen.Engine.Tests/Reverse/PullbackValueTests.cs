using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// A helper's value from its pullback in a fused iteration (Reverse/PullbackValues.cs): when the pullback's seed is known
/// where the helper is called, <c>t = F(a)</c> becomes <c>t = FBackward(a, seed, …)</c> and the helper's forward runs once
/// per iteration instead of twice. Pinned on the IR, checked exactly and against finite differences.
/// </summary>
public class PullbackValueTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    private static CallRegistry Cube()
    {
        var calls = new CallRegistry();
        calls.Register("Cube", a => (double)a[0]! * (double)a[0]! * (double)a[0]!, (a, seed) => new object?[] { (double)seed! * 3 * (double)a[0]! * (double)a[0]! });
        return calls;
    }

    /// <summary><c>F(double w, [NoDerivative] double[] x) { t = 0; for (i = 0; i &lt; 3; i++) body; return t; }</c></summary>
    private static IrFunction LoopOverX(string name, System.Action<IrBuilder, Var, Var, Var, Var> body)
    {
        var b = new IrBuilder(name);
        Var w = b.Param("w");
        Var x = b.Param("x", Vector, differentiable: false);
        Var t = b.Local("t", 0.0);
        b.For("i", 0, 3, i => body(b, w, x, t, i));
        b.Return(t);
        return b.Build();
    }

    /// <summary>Whether the block calls a helper for its value alone (<c>t = F(…)</c>).</summary>
    private static bool PlainCalls(IrBlock block) => IrQuery.All(block).OfType<IrAssign>().Any(a => a.Value is IrDifferentiableCall);

    private static readonly CallTarget CubeTarget = IrBuilder.Target("Cube", (IrType.Double, true));

    [Fact]
    public void Helper_value_comes_from_its_pullback_when_the_seed_is_known_at_the_call()
    {
        // for i < 3: { t += Cube(w · x[i]); t += w · w }  return t: fused, the adjoint of t known before the loop.
        IrFunction f = LoopOverX("HelperInLoop", (b, w, x, t, i) =>
        {
            b.Assign(t, t + IrBuilder.Call(CubeTarget, IrType.Double, w * x[i]));
            b.Assign(t, t + w * w);
        });
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(program.SeedBeforeForward, IrPrinter.Print(program));
        Assert.True(!PlainCalls(program.Forward), "no plain call of the helper:\n" + IrPrinter.Print(program));
        Assert.True(IrQuery.All(program.Forward).OfType<IrBackwardCall>().Count(c => c.Result is not null) == 1, IrPrinter.Print(program));

        double[] xv = { 0.5, -1.5, 2.0 };
        const double wv = 0.8;
        CallRegistry calls = Cube();
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { wv, xv }, calls, program: program);
        double value = xv.Sum(v => wv * wv * wv * v * v * v) + 3 * wv * wv;
        double gradient = xv.Sum(v => 3 * wv * wv * v * v * v) + 6 * wv;
        GradientCheck.AssertClose(value, IrValues.ToDouble(run.Value), 1e-12, 1e-12, "f");
        GradientCheck.AssertClose(gradient, run.Gradient(0), 1e-12, 1e-12, "∂f/∂w");
        Assert.Equal(3, calls.BackwardCounts["Cube"]);
    }

    [Fact]
    public void Two_helpers_in_one_sum_both_take_their_values_from_their_pullbacks()
    {
        // for i < 3: t += Cube(w · x[i]) + Cube(w + x[i]): both seeds copy the sum's adjoint (s̄ = t̄; c̄₁ = s̄; c̄₂ = s̄). The
        // first call's pullback takes s̄ = t̄ along to its call, which is before the second call, so the second follows.
        IrFunction f = LoopOverX("TwoHelpers", (b, w, x, t, i) =>
            b.Assign(t, t + (IrBuilder.Call(CubeTarget, IrType.Double, w * x[i]) + IrBuilder.Call(CubeTarget, IrType.Double, w + x[i]))));
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(!PlainCalls(program.Forward), "no plain call of the helper:\n" + IrPrinter.Print(program));
        Assert.True(IrQuery.All(program.Forward).OfType<IrBackwardCall>().Count(c => c.Result is not null) == 2, IrPrinter.Print(program));

        double[] xv = { 0.5, -1.5, 2.0 };
        const double wv = 0.8;
        CallRegistry calls = Cube();
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { wv, xv }, calls, program: program);
        double value = xv.Sum(v => System.Math.Pow(wv * v, 3) + System.Math.Pow(wv + v, 3));
        double gradient = xv.Sum(v => 3 * wv * wv * v * v * v + 3 * (wv + v) * (wv + v));
        GradientCheck.AssertClose(value, IrValues.ToDouble(run.Value), 1e-12, 1e-12, "f");
        GradientCheck.AssertClose(gradient, run.Gradient(0), 1e-12, 1e-12, "∂f/∂w");
        Assert.Equal(6, calls.BackwardCounts["Cube"]);
    }

    [Fact]
    public void Helper_stays_a_plain_call_when_its_seed_depends_on_what_follows_it()
    {
        // for i < 3: { c = Cube(w · x[i]); t += c · c }: the pullback's seed 2c·t̄ needs c, the call's own value: the
        // pullback cannot run at the call, so the helper is called plainly and its pullback runs in the reverse.
        IrFunction f = LoopOverX("SeedAfterCall", (b, w, x, t, i) =>
        {
            Var c = b.Local("c", IrBuilder.Call(CubeTarget, IrType.Double, w * x[i]));
            b.Assign(t, t + c * c);
        });
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(IrQuery.All(program.Forward).OfType<IrBackwardCall>().All(c => c.Result is null), IrPrinter.Print(program));
        Assert.True(PlainCalls(program.Forward), IrPrinter.Print(program));

        double[] xv = { 0.5, -1.5, 2.0 };
        const double wv = 0.8;
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { wv, xv }, Cube(), program: program);
        // t = Σ (w x)^6, ∂t/∂w = Σ 6 w^5 x^6.
        GradientCheck.AssertClose(xv.Sum(v => 6 * System.Math.Pow(wv, 5) * System.Math.Pow(v, 6)), run.Gradient(0), 1e-12, 1e-12, "∂f/∂w");
    }
}
