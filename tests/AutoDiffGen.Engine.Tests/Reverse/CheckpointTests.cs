using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Checkpointing of loops with real loop-carried state (ReverseModeTransform.Checkpoint.cs): the forward sweep records
/// the loop's state every k ≈ √n iterations and nothing else; the reverse re-runs each segment from its checkpoint,
/// recording, and reverses it. A run whose whole recording fits the tape budget (or of fewer than 64 iterations) is
/// taped as before: the choice is made at run time, on the trip count times the recording per iteration. Each case pins
/// the decision (checkpointed or not), the peak tape size where it matters, and checks the gradient exactly and against
/// finite differences.
/// </summary>
public class CheckpointTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    private static bool Checkpointed(ReverseProgram program) => program.ExtraVariables.Any(v => v.PreferredName == "_stride");

    /// <summary>v ← v + tanh(w v), n steps from v = 0.5; returns v².</summary>
    private static IrFunction ScalarRecurrence(int steps)
    {
        var b = new IrBuilder("Recurrence" + steps);
        Var w = b.Param("w");
        Var v = b.Local("v", 0.5);
        b.For("i", 0, steps, i => b.Assign(v, v + M.Tanh(v * w)));
        b.Return(v * v);
        return b.Build();
    }

    [Fact]
    public void Scalar_recurrence_within_the_tape_budget_is_taped_not_re_run()
    {
        foreach (int steps in new[] { 1, 2, 63, 64, 65, 1000, 20000 })
        {
            IrFunction f = ScalarRecurrence(steps);
            ReverseProgram program = IrRunner.Differentiate(f);
            // The checkpointed form is there (the choice is made at run time) but not taken: 2 n values fit the budget.
            Assert.True(Checkpointed(program), IrPrinter.Print(program));
            const double w = 0.7;
            GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { w }, program: program);
            // Exact: dv/dw by the forward recurrence dv' = dv (1 + (1 − t²) w) + (1 − t²) v.
            double value = 0.5, derivative = 0;
            for (int i = 0; i < steps; i++)
            {
                double t = Math.Tanh(value * w);
                derivative = derivative * (1 + (1 - t * t) * w) + (1 - t * t) * value;
                value += t;
            }
            GradientCheck.AssertClose(2 * value * derivative, run.Gradient(0), 1e-12, 1e-12, $"∂f/∂w, {steps} steps");
            // Taped: one value per step, v (tanh's value is recomputed from the restored v: ElementaryRecomputationTests).
            Assert.True(run.Interpreter.PeakTapeCount == steps, $"{steps} steps, taped: peak tape {run.Interpreter.PeakTapeCount}");
            // ... which the tape is told before the loop, so that it rents exactly that (Tape<T>.Expect).
            Assert.Equal(new[] { ("double", steps) }, run.Interpreter.Expectations);
        }
    }

    /// <summary>
    /// s = copy of x (m elements); n steps of s[j] ← s[j] + tanh(w s[j]) for every j; returns Σ s[j]². Each step records
    /// two values per element, 2 m n in all (s[j], and tanh's value: an element of an array the loop writes is not an
    /// operand the reverse recomputes from, ReverseModeTransform.RecomputeCalls.cs).
    /// </summary>
    private static IrFunction VectorRecurrence(int steps, int m)
    {
        var b = new IrBuilder("VectorRecurrence" + steps);
        Var w = b.Param("w");
        Var x = b.Param("x", Vector, differentiable: false);
        Var s = b.Local("s", IrBuilder.NewArray(Vector, m), Vector);
        b.For("j", 0, m, j => b.SetElement(s, new E[] { j }, x[j]));
        b.For("t", 0, steps, t => b.For("j", 0, m, j => b.SetElement(s, new E[] { j }, s[j] + M.Tanh(w * s[j]))));
        Var loss = b.Local("loss", 0.0);
        b.For("j", 0, m, j => b.Assign(loss, loss + s[j] * s[j]));
        b.Return(loss);
        return b.Build();
    }

    [Fact]
    public void A_recording_beyond_the_tape_budget_is_checkpointed_and_one_within_it_taped()
    {
        // 2 m n values against the budget: n = budget / (2 m) exactly fits, one step more does not.
        const int m = 512;
        const int fits = ReverseModeTransform.TapeBudget / (2 * m);
        double[] xv = Enumerable.Range(0, m).Select(j => 0.8 * Math.Sin(j)).ToArray();
        const double w = -0.3;
        foreach (int steps in new[] { fits, fits + 1 })
        {
            IrFunction f = VectorRecurrence(steps, m);
            ReverseProgram program = IrRunner.Differentiate(f);
            Assert.True(Checkpointed(program), IrPrinter.Print(program));
            GradientRun run = steps > fits
                ? GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { w, xv }, program: program)
                : IrRunner.Gradient(program, new object?[] { w, xv });
            // Exact: each element runs the scalar recurrence from its own start.
            double expected = 0;
            foreach (double start in xv)
            {
                double value = start, derivative = 0;
                for (int i = 0; i < steps; i++)
                {
                    double t = Math.Tanh(w * value);
                    derivative = derivative * (1 + (1 - t * t) * w) + (1 - t * t) * value;
                    value += t;
                }
                expected += 2 * value * derivative;
            }
            GradientCheck.AssertClose(expected, run.Gradient(0), 1e-10, 1e-12, $"∂f/∂w, {steps} steps");
            int peak = run.Interpreter.PeakTapeCount;
            if (steps == fits) Assert.True(peak >= 2 * m * steps, $"{steps} steps within the budget, taped: peak tape {peak}");
            // Checkpointed: √n checkpoints of m values, and one segment of √n steps recorded (2 m values each).
            else Assert.True(peak <= 3 * m * ((int)Math.Sqrt(steps) + 2), $"{steps} steps beyond the budget: peak tape {peak}");
            // The taped run expects its whole recording (the budget exactly); the checkpointed run expects nothing. The
            // loop copying x into s records nothing: its restores would give back the new array's zeros, which nothing
            // reads (they looked live while a checkpoint took s back element by element, a loop that read s.Length).
            var expectations = steps == fits ? new[] { ("double", ReverseModeTransform.TapeBudget) } : Array.Empty<(string, int)>();
            Assert.Equal(expectations, run.Interpreter.Expectations);
        }
    }

    [Fact]
    public void Array_state_and_an_accumulator_are_checkpointed_together()
    {
        // s = new double[2]; loss = 0; for i < 100: { a = s[0]; s[0] = tanh(w · s[0] + s[1]); s[1] = a · u + x[i]; loss += s[0]²; }
        // return loss. The state is s (both elements) and loss; a is per iteration.
        const int steps = 100;
        var b = new IrBuilder("ArrayState");
        Var w = b.Param("w");
        Var u = b.Param("u");
        Var x = b.Param("x", Vector, differentiable: false);
        Var s = b.Local("s", IrBuilder.NewArray(Vector, 2), Vector);
        Var loss = b.Local("loss", 0.0);
        b.For("i", 0, steps, i =>
        {
            Var a = b.Local("a", s[0]);
            b.SetElement(s, new E[] { 0 }, M.Tanh(w * s[0] + s[1]));
            b.SetElement(s, new E[] { 1 }, a * u + x[i]);
            b.Assign(loss, loss + s[0] * s[0]);
        });
        b.Return(loss);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(Checkpointed(program), IrPrinter.Print(program));

        double[] xv = Enumerable.Range(0, steps).Select(i => 0.3 * Math.Sin(i)).ToArray();
        const double wv = 0.9, uv = -0.6;
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { wv, uv, xv }, program: program);
        // Exact, by forward-mode tangents of (s0, s1) with respect to w and u.
        double s0 = 0, s1 = 0, total = 0;
        double s0w = 0, s1w = 0, s0u = 0, s1u = 0, dw = 0, du = 0;
        for (int i = 0; i < steps; i++)
        {
            double t = Math.Tanh(wv * s0 + s1), g = 1 - t * t;
            double n0w = g * (s0 + wv * s0w + s1w), n0u = g * (wv * s0u + s1u);
            double n1w = s0w * uv, n1u = s0u * uv + s0;
            s1 = s0 * uv + xv[i];
            s0 = t;
            (s0w, s0u, s1w, s1u) = (n0w, n0u, n1w, n1u);
            total += s0 * s0;
            dw += 2 * s0 * s0w;
            du += 2 * s0 * s0u;
        }
        GradientCheck.AssertClose(total, IrValues.ToDouble(run.Value), 1e-12, 1e-12, "value");
        GradientCheck.AssertClose(dw, run.Gradient(0), 1e-12, 1e-12, "∂f/∂w");
        GradientCheck.AssertClose(du, run.Gradient(1), 1e-12, 1e-12, "∂f/∂u");
        // 100 steps of 4 values each (a, tanh's value, s[0], s[1]) fit the budget many times over: taped, not re-run.
        Assert.True(run.Interpreter.PeakTapeCount <= 4 * steps, $"peak tape {run.Interpreter.PeakTapeCount}\n" + IrPrinter.Print(program));
    }

    /// <summary>
    /// s = copy of x (m elements); n steps of { y[j] = w s[j] for every j (a scratch vector, filled first); s[j] ← s[j] +
    /// tanh(y[j]) for every j }; returns Σ s[j]². The LSTM's shape: y is rewritten before it is read every step, s carries.
    /// </summary>
    private static IrFunction ScratchAndState(int steps, int m)
    {
        var b = new IrBuilder("ScratchAndState" + steps);
        Var w = b.Param("w");
        Var x = b.Param("x", Vector, differentiable: false);
        Var s = b.Local("s", IrBuilder.NewArray(Vector, m), Vector);
        Var y = b.Local("y", IrBuilder.NewArray(Vector, m), Vector);
        b.For("j", 0, m, j => b.SetElement(s, new E[] { j }, x[j]));
        b.For("t", 0, steps, t =>
        {
            b.For("j", 0, m, j => b.SetElement(y, new E[] { j }, w * s[j]));
            b.For("j", 0, m, j => b.SetElement(s, new E[] { j }, s[j] + M.Tanh(y[j])));
        });
        Var loss = b.Local("loss", 0.0);
        b.For("j", 0, m, j => b.Assign(loss, loss + s[j] * s[j]));
        b.Return(loss);
        return b.Build();
    }

    /// <summary>Element restores (<c>a[i] = pop</c>) of <paramref name="name"/> in the reverse sweep.</summary>
    private static int ElementRestores(ReverseProgram program, string name) =>
        IrWalker.AllStatements(program.Reverse).OfType<IrElementWrite>().Count(w => w.Array.PreferredName == name && w.Value is IrTapePop);

    [Fact]
    public void A_checkpoint_takes_arrays_back_whole_so_a_scratch_vectors_element_restores_are_dead()
    {
        // The reversed step starts by taking y back whole (its snapshot, ReverseModeTransform.Snapshots.cs), and a
        // segment's re-run starts from its checkpoint, which takes y back whole too: nothing reads the old y that the
        // reverse of the fill would restore, in the taped run or the checkpointed one (which share the reversed step).
        // Before the checkpoint popped arrays whole (element by element), the re-run's reads of y after its element
        // writes made that restore look live, and every step pushed and popped y twice. s carries from step to step:
        // its element restores stay.
        const int m = 64;
        int beyond = ReverseModeTransform.TapeBudget / (2 * m) + 1;
        double[] xv = Enumerable.Range(0, m).Select(j => 0.8 * Math.Sin(j + 1)).ToArray();
        const double w = 0.6;
        foreach (int steps in new[] { 100, beyond })
        {
            IrFunction f = ScratchAndState(steps, m);
            ReverseProgram program = IrRunner.Differentiate(f);
            Assert.True(Checkpointed(program), IrPrinter.Print(program));
            Assert.True(ElementRestores(program, "y") == 0, IrPrinter.Print(program));
            Assert.True(ElementRestores(program, "s") > 0, IrPrinter.Print(program));
            Assert.Contains(IrWalker.AllStatements(program.Reverse).OfType<IrTapePopSpan>(), pop => pop.Target.Variable?.PreferredName == "s");

            GradientRun run = steps == 100
                ? GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { w, xv }, program: program)
                : IrRunner.Gradient(program, new object?[] { w, xv });
            double expected = 0;
            foreach (double start in xv)
            {
                double value = start, derivative = 0;
                for (int i = 0; i < steps; i++)
                {
                    double t = Math.Tanh(w * value);
                    derivative = derivative * (1 + (1 - t * t) * w) + (1 - t * t) * value;
                    value += t;
                }
                expected += 2 * value * derivative;
            }
            GradientCheck.AssertClose(expected, run.Gradient(0), 1e-10, 1e-12, $"∂f/∂w, {steps} steps");
            // Taped: per step s, tanh's value and y's snapshot (3 m); checkpointed: √n checkpoints and one segment.
            int peak = run.Interpreter.PeakTapeCount;
            if (steps == 100) Assert.True(peak <= 3 * m * steps + m, $"{steps} steps, taped: peak tape {peak}");
            else Assert.True(peak <= 5 * m * ((int)Math.Sqrt(steps) + 2), $"{steps} steps, checkpointed: peak tape {peak}");
        }
    }

    [Fact]
    public void Array_as_long_as_the_loop_is_taped_not_checkpointed()
    {
        // p = new double[x.Length]; p[0] = 1; for i = 1 .. x.Length − 1: p[i] = p[i − 1] · tanh(w + x[i]); return p[^1]:
        // a checkpoint of p would be O(n), √n of them O(n √n): the loop is taped as before.
        var b = new IrBuilder("Prefix");
        Var w = b.Param("w");
        Var x = b.Param("x", Vector, differentiable: false);
        Var n = b.Local("n", x.Length, IrType.Int);
        Var p = b.Local("p", IrBuilder.NewArray(Vector, n), Vector);
        b.SetElement(p, new E[] { 0 }, 1.0);
        b.For("i", 1, n, i => b.SetElement(p, new E[] { i }, p[i - 1] * M.Tanh(w + x[i])));
        b.Return(p[n - 1]);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.False(Checkpointed(program), IrPrinter.Print(program));
        double[] xv = { 0.1, -0.4, 0.8, 0.3, -0.2 };
        GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.5, xv }, program: program);
    }

    [Fact]
    public void Recurrence_inside_an_outer_loop_is_not_checkpointed_on_its_own()
    {
        // for j < 3: { v = x[j]; for i < 5: v = v + tanh(v · w); loss += v²; }: the inner loop runs inside another loop;
        // only outermost loops are checkpointed (here the outer loop's state is only the accumulator: not checkpointed either).
        var b = new IrBuilder("Nested");
        Var w = b.Param("w");
        Var x = b.Param("x", Vector, differentiable: false);
        Var loss = b.Local("loss", 0.0);
        b.For("j", 0, 3, j =>
        {
            Var v = b.Local("v", x[j]);
            b.For("i", 0, 5, i => b.Assign(v, v + M.Tanh(v * w)));
            b.Assign(loss, loss + v * v);
        });
        b.Return(M.Log(loss + 1.0));
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.False(Checkpointed(program), IrPrinter.Print(program));
        GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { 0.8, new[] { 0.3, -0.5, 1.1 } }, program: program);
    }

    /// <summary>
    /// v ← v + tanh(w v) when v &gt; 0, else v ← w v − 1, n steps: a branch decision (a bool) and doubles per step, the
    /// two arms recording differently.
    /// </summary>
    private static IrFunction BranchyRecurrence(int steps)
    {
        var b = new IrBuilder("BranchyRecurrence" + steps);
        Var w = b.Param("w");
        Var v = b.Local("v", 0.5);
        b.For("i", 0, steps, i => b.If(v > 0.0, () => b.Assign(v, v + M.Tanh(v * w)), () => b.Assign(v, w * v - 1.0)));
        b.Return(v * v);
        return b.Build();
    }

    [Theory]
    [InlineData(10)]
    [InlineData(300)]
    public void A_taped_run_expects_on_every_tape_it_records_at_least_what_it_records(int steps)
    {
        IrFunction f = BranchyRecurrence(steps);
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(Checkpointed(program), IrPrinter.Print(program));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { -0.45 }, program: program);
        // Exact, by dual numbers: the same recurrence carrying dv/dw.
        double value = 0.5, derivative = 0;
        for (int i = 0; i < steps; i++)
        {
            if (value > 0)
            {
                double t = Math.Tanh(value * -0.45);
                derivative = derivative * (1 + (1 - t * t) * -0.45) + (1 - t * t) * value;
                value += t;
            }
            else
            {
                derivative = value + -0.45 * derivative;
                value = -0.45 * value - 1;
            }
        }
        GradientCheck.AssertClose(2 * value * derivative, run.Gradient(0), 1e-12, 1e-12, $"∂f/∂w, {steps} steps");
        // One expectation per tape the loop records on, each an upper bound (both arms counted) of what it pushed.
        var expected = run.Interpreter.Expectations.ToDictionary(e => e.Type, e => e.Count);
        Assert.Equal(run.Interpreter.Pushes.Keys.OrderBy(k => k, StringComparer.Ordinal), expected.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (type, pushed) in run.Interpreter.Pushes)
        {
            Assert.True(pushed <= expected[type], $"{type}: {pushed} pushed, {expected[type]} expected");
            Assert.True(expected[type] <= 3 * steps, $"{type}: {expected[type]} expected for {steps} steps");
        }
    }
}
