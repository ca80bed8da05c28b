using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Analysis;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Store or recompute, by cost, for elementary functions in loops (ReverseModeTransform.RecomputeCalls.cs): a value
/// <c>sin x</c>, <c>exp w[i]</c> computed in a loop body is evaluated again in the iteration's reverse from operands that
/// still hold their values (restored or never changed) instead of being taped every iteration, when its cost is within
/// <see cref="RecomputationAnalysis.RecomputeBudget"/>. Each case pins what is taped and what is recomputed, and checks
/// the gradient exactly and against finite differences.
/// </summary>
public class ElementaryRecomputationTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    /// <summary>
    /// The loops of the reverse sweep that reverse iterations: innermost, recording nothing (a checkpointed loop's
    /// segments run forward again in reverse, recording, before they are reversed).
    /// </summary>
    private static IrBlock[] ReversedBodies(ReverseProgram program) =>
        IrQuery.All(program.Reverse).Select(s => s switch { IrLoop l => l.Body, IrRepeat r => r.Body, _ => null }).OfType<IrBlock>()
            .Where(body => !IrQuery.All(body).Any(s => s is IrLoop or IrRepeat or IrTapePush)).ToArray();

    /// <summary>Tape pushes, in either sweep, of a variable that holds a value of <paramref name="function"/>.</summary>
    private static int Taped(ReverseProgram program, MathFunction function)
    {
        var holders = IrQuery.All(program.Forward).OfType<IrAssign>().Where(a => a.Value is IrMathCall call && call.Function == function).Select(a => a.Target).ToHashSet();
        return IrQuery.Pushes(program.Forward).Concat(IrQuery.Pushes(program.Reverse))
            .Count(p => p.Value is IrVariableReference { Variable: var v } && holders.Contains(v));
    }

    /// <summary>The reverse program of <paramref name="f"/>, checked to keep the values of <paramref name="function"/> on the tape, none recomputed.</summary>
    private static ReverseProgram KeptTaped(IrFunction f, MathFunction function)
    {
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(Recomputations(program, function) == 0, IrPrinter.Print(program));
        Assert.True(Taped(program, function) >= 1, IrPrinter.Print(program));
        return program;
    }

    /// <summary>Assignments of reversed iterations whose value calls <paramref name="function"/>: the recomputations.</summary>
    private static int Recomputations(ReverseProgram program, MathFunction function) =>
        ReversedBodies(program).Sum(body => IrQuery.All(body).OfType<IrAssign>().Count(a => a.Value is IrMathCall call && call.Function == function));

    [Fact]
    public void Sine_of_the_restored_state_of_a_recurrence_is_recomputed_not_taped()
    {
        // The benchmark's recurrence: x ← x + h (α sin x − β x + γ); loss += x². x is overwritten every step and comes
        // back from the tape; sin x is evaluated again from it instead of being taped too.
        const int steps = 7;
        var b = new IrBuilder("Recurrence");
        Var x0 = b.Param("x0");
        Var alpha = b.Param("alpha");
        Var beta = b.Param("beta");
        Var gamma = b.Param("gamma");
        Var x = b.Local("x", x0);
        Var loss = b.Local("loss", 0.0);
        b.For("t", 0, steps, t =>
        {
            b.Assign(x, x + 0.01 * (alpha * M.Sin(x) - beta * x + gamma));
            b.Assign(loss, loss + x * x);
        });
        b.Return(loss / (double)steps);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        string printed = IrPrinter.Print(program);
        // x is taped (it is overwritten), sin's value is not.
        Assert.True(Taped(program, MathFunction.Sin) == 0, printed);
        Assert.True(IrQuery.PushesOf(program.Forward, x).Count >= 1, printed);
        Assert.True(Recomputations(program, MathFunction.Sin) >= 1, "sin x assigned again in reverse:\n" + printed);

        double[] point = { 0.3, 1.5, 0.4, 0.2 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, point.Cast<object?>().ToArray(), program: program);
        Assert.True(run.Interpreter.PeakTapeCount == steps, $"one value per step: peak tape {run.Interpreter.PeakTapeCount}\n" + printed);
        // Exact, by the forward recurrence of the tangents of x.
        double value = point[0], total = 0;
        var dx = new[] { 1.0, 0, 0, 0 };
        var dtotal = new double[4];
        for (int t = 0; t < steps; t++)
        {
            double s = Math.Sin(value), c = Math.Cos(value);
            double step = 1 + 0.01 * (point[1] * c - point[2]);
            double[] direct = { 0, 0.01 * s, -0.01 * value, 0.01 };
            for (int p = 0; p < 4; p++) dx[p] = dx[p] * step + direct[p];
            value += 0.01 * (point[1] * s - point[2] * value + point[3]);
            total += value * value;
            for (int p = 0; p < 4; p++) dtotal[p] += 2 * value * dx[p];
        }
        for (int p = 0; p < 4; p++) GradientCheck.AssertClose(dtotal[p] / steps, run.Gradient(p), 1e-12, 1e-12, "∂f/∂p" + p);
    }

    [Fact]
    public void Exponential_whose_partial_is_its_own_value_is_recomputed_once_per_iteration()
    {
        // v ← v · exp(w[i]) for i < 4: the reverse reads exp's value twice (the product's partial, exp's own partial); one
        // recomputation before the first serves both, and only v goes on the tape. f = v₀ exp(Σ w), ∂f/∂w[i] = f.
        var b = new IrBuilder("Product");
        Var w = b.Param("w", Vector);
        Var v = b.Local("v", 1.5);
        b.For("i", 0, 4, i => b.Assign(v, v * M.Exp(w[i])));
        b.Return(v);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        string printed = IrPrinter.Print(program);
        Assert.True(Taped(program, MathFunction.Exp) == 0, printed);
        // Recomputed in the plain loop's reverse and in the checkpointed one's.
        Assert.True(Recomputations(program, MathFunction.Exp) == 2, printed);
        Assert.True(ReversedBodies(program).Sum(body => IrQuery.Expressions(body).OfType<IrMathCall>().Count(c => c.Function == MathFunction.Exp)) == 2,
            "exp called once per reversed iteration:\n" + printed);

        double[] wv = { 0.2, -0.5, 0.7, 0.1 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { wv }, program: program);
        Assert.True(run.Interpreter.PeakTapeCount == 4, $"peak tape {run.Interpreter.PeakTapeCount}\n" + printed);
        double expected = 1.5 * Math.Exp(wv.Sum());
        double[] gradient = (double[])run.Gradients[0]!;
        for (int i = 0; i < 4; i++) GradientCheck.AssertClose(expected, gradient[i], 1e-12, 1e-12, "∂f/∂w" + i);
    }

    [Fact]
    public void An_operand_changed_before_the_reverse_reads_the_value_keeps_it_taped()
    {
        // for i < 4: { s = sin(v); v = v · w; u = u + s · v }: the reverse first reads s in the last statement's reverse,
        // after v has changed (v · w): sin would see the new v. s stays on the tape.
        var b = new IrBuilder("Changed");
        Var w = b.Param("w");
        Var v = b.Local("v", 0.3);
        Var u = b.Local("u", 0.0);
        b.For("i", 0, 4, i =>
        {
            Var s = b.Local("s", M.Sin(v));
            b.Assign(v, v * w);
            b.Assign(u, u + s * v);
        });
        b.Return(u);
        IrFunction f = b.Build();
        ReverseProgram program = KeptTaped(f, MathFunction.Sin);
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 1.1 }, program: program);
        double value = 0.3, dv = 0, du = 0;
        for (int i = 0; i < 4; i++)
        {
            double s = Math.Sin(value), ds = Math.Cos(value) * dv;
            dv = dv * 1.1 + value;
            value *= 1.1;
            du += ds * value + s * dv;
        }
        GradientCheck.AssertClose(du, run.Gradient(0), 1e-12, 1e-12, "∂f/∂w");
    }

    [Fact]
    public void Pow_is_over_the_budget_and_stays_taped_while_a_chain_of_two_elementary_calls_is_recomputed_link_by_link()
    {
        // v ← v · sin(exp(w[i])) + v · pow(w[i], 1.5): exp and sin (one elementary call each, within the budget) are
        // recomputed, sin's from exp's recomputed value; pow is a library call the cost model never recomputes
        // (RecomputeCost.Call): its value is taped beside v.
        var b = new IrBuilder("Budget");
        Var w = b.Param("w", Vector);
        Var v = b.Local("v", 1.2);
        b.For("i", 0, 3, i => b.Assign(v, v * M.Sin(M.Exp(w[i])) + v * M.Pow(w[i], 1.5)));
        b.Return(v);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        string printed = IrPrinter.Print(program);
        Assert.True(Recomputations(program, MathFunction.Exp) >= 1 && Recomputations(program, MathFunction.Sin) >= 1, printed);
        Assert.True(Recomputations(program, MathFunction.Pow) == 0, printed);
        Assert.True(Taped(program, MathFunction.Exp) == 0 && Taped(program, MathFunction.Sin) == 0 && Taped(program, MathFunction.Pow) >= 1, printed);
        double[] wv = { 0.2, 0.5, 0.9 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { wv }, program: program);
        // v and pow's value per iteration.
        Assert.True(run.Interpreter.PeakTapeCount == 6, $"peak tape {run.Interpreter.PeakTapeCount}\n" + printed);
        // Exact: v_{i+1} = v_i · g(w_i), g(w) = sin(eʷ) + w^1.5; ∂f/∂w_i = f · g'(w_i) / g(w_i).
        double fv = 1.2;
        foreach (double wi in wv) fv *= Math.Sin(Math.Exp(wi)) + Math.Pow(wi, 1.5);
        double[] gradient = (double[])run.Gradients[0]!;
        for (int i = 0; i < 3; i++)
        {
            double g = Math.Sin(Math.Exp(wv[i])) + Math.Pow(wv[i], 1.5);
            double dg = Math.Cos(Math.Exp(wv[i])) * Math.Exp(wv[i]) + 1.5 * Math.Pow(wv[i], 0.5);
            GradientCheck.AssertClose(fv * dg / g, gradient[i], 1e-12, 1e-12, "∂f/∂w" + i);
        }
    }

    [Fact]
    public void An_operand_the_reverse_would_not_restore_otherwise_keeps_the_value_taped()
    {
        // The LSTM's inlined sigmoid: for i < 4: { a = v · w; e = exp(−a); v = 1 / (1 + e) }. The reverse reads e (the
        // quotient's partial, exp's own) but never a: recomputing e would tape a instead of e, no saving. e stays taped.
        var b = new IrBuilder("Sigmoid");
        Var w = b.Param("w");
        Var v = b.Local("v", 0.2);
        b.For("i", 0, 4, i =>
        {
            Var a = b.Local("a", v * w);
            Var e = b.Local("e", M.Exp(-a));
            b.Assign(v, 1.0 / (1.0 + e));
        });
        b.Return(v);
        IrFunction f = b.Build();
        ReverseProgram program = KeptTaped(f, MathFunction.Exp);
        Assert.True(IrQuery.Pushes(program.Forward).All(p => p.Value is not IrVariableReference { Variable.PreferredName: "a" }), IrPrinter.Print(program));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 1.3 }, program: program);
        double value = 0.2, derivative = 0;
        for (int i = 0; i < 4; i++)
        {
            double next = 1 / (1 + Math.Exp(-value * 1.3));
            derivative = next * (1 - next) * (derivative * 1.3 + value);
            value = next;
        }
        GradientCheck.AssertClose(derivative, run.Gradient(0), 1e-12, 1e-12, "∂f/∂w");
    }

    [Fact]
    public void A_re_run_iteration_gives_the_value_and_the_reverse_does_not_call_the_function_again()
    {
        // for i < 3: { e = exp(w · x[i]); s += e · e }; return log(s + 1): the loop's iterations are re-run in reverse
        // (RecomputationTests); the re-run computes e right before the iteration's reverse, which reads it from there:
        // one exp per iteration in reverse, not two.
        var b = new IrBuilder("Rerun");
        Var w = b.Param("w");
        Var x = b.Param("x", Vector, differentiable: false);
        Var sum = b.Local("s", 0.0);
        b.For("i", 0, 3, i =>
        {
            Var e = b.Local("e", M.Exp(w * x[i]));
            b.Assign(sum, sum + e * e);
        });
        b.Return(M.Log(sum + 1.0));
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        string printed = IrPrinter.Print(program);
        Assert.True(IrQuery.Pushes(program.Forward).Count == 0, "nothing recorded forward:\n" + printed);
        Assert.True(IrQuery.Expressions(program.Reverse).OfType<IrMathCall>().Count(c => c.Function == MathFunction.Exp) == 1, printed);
        double[] xv = { 0.5, -1.0, 0.25 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.7, xv }, program: program);
        double total = xv.Sum(xi => Math.Exp(2 * 0.7 * xi));
        GradientCheck.AssertClose(xv.Sum(xi => 2 * xi * Math.Exp(2 * 0.7 * xi)) / (total + 1), run.Gradient(0), 1e-12, 1e-12, "∂f/∂w");
    }
    [Fact]
    public void A_recomputation_chosen_in_one_round_stays_when_its_operand_is_no_longer_read_anyway()
    {
        // IR seed 784654003 (a fresh-seed campaign, 2026-12-03), reduced: y = sin(x0 x1); twice: twice:
        // { x0 = x0/2 + ¾ tanh(x1 − x0); k = 0; while (jump == 0 && k < 2) { if (w < x0) jump = 2; if (jump == 0) k++; }
        // if (jump == 2) jump = 0; } then if (jump == 0) y = 2y; return y + x1 + x1 x0.
        // The first round of the transform restores jump in the inner loop's reverse, which re-tests w < x0: x0 is read
        // there anyway, so tanh(x1 − x0) is recomputed from the restored x0 and its own tape restore is dropped as dead.
        // The next round drops jump's restores (nothing reads them), x0 is no longer read anyway, and the recomputation
        // was decided again and left out: the value was neither taped nor recomputed, and every iteration's reverse read
        // the last one's tanh. ∂/∂x0 came out −0.434216 for −0.432295.
        var b = new IrBuilder("StickyRecompute");
        Var x0 = b.Param("x0");
        Var x1 = b.Param("x1");
        Var w = b.Local("w", x1 * 0.5);
        Var y = b.Local("y", M.Sin(x0 * x1));
        Var jump = b.Variable("_jump", IrType.Int, IrVariableRole.Control);
        b.Assign(jump, 0);
        Var outer = b.Local("i", 2, IrType.Int);
        b.While(() => outer > 0, () =>
        {
            b.For("j", 0, 2, j =>
            {
                b.Assign(x0, x0 * 0.5 + M.Tanh(x1 - x0) * 0.75);
                Var k = b.Local("k", 0, IrType.Int);
                Var proceed = b.Variable("_proceed", IrType.Bool, IrVariableRole.Control);
                b.Loop(() =>
                {
                    b.Assign(proceed, E.Eq(jump, 0));
                    b.If(proceed, () => b.Assign(proceed, k < 2), copyCondition: false);
                    return proceed;
                }, () =>
                {
                    b.If(w < x0, () => b.Assign(jump, 2));
                    b.If(E.Eq(jump, 0), () => b.Assign(k, k + 1));
                });
                b.If(E.Eq(jump, 2), () => b.Assign(jump, 0));
            });
            b.Assign(outer, outer - 1);
        });
        b.If(E.Eq(jump, 0), () => b.Assign(y, y * 2));
        b.Return(y + x1 + x1 * x0);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        // tanh's value reaches each iteration's reverse: taped, or recomputed there.
        Assert.True(Taped(program, MathFunction.Tanh) > 0 || ReversedBodies(program).Any(body => IrQuery.Expressions(body).OfType<IrMathCall>().Any(c => c.Function == MathFunction.Tanh)),
            IrPrinter.Print(program));

        foreach (var (a0, a1) in new[] { (1.437, -0.229), (0.3, 0.9), (-0.8, 0.4) })
        {
            GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { a0, a1 }, program: program);
            // Exact, by the tangent recurrence: x0 and its derivatives in x0 and x1 (jump ends 0: each break is reset).
            double v = a0, d0 = 1, d1 = 0;
            for (int step = 0; step < 4; step++)
            {
                double t = Math.Tanh(a1 - v), slope = 0.75 * (1 - t * t);
                (d0, d1) = (0.5 * d0 - slope * d0, 0.5 * d1 + slope * (1 - d1));
                v = 0.5 * v + 0.75 * t;
            }
            double c = Math.Cos(a0 * a1);
            GradientCheck.AssertClose(2 * c * a1 + a1 * d0, run.Gradient(0), 1e-12, 1e-12, "∂f/∂x0");
            GradientCheck.AssertClose(2 * c * a0 + 1 + v + a1 * d1, run.Gradient(1), 1e-12, 1e-12, "∂f/∂x1");
        }
    }
}
