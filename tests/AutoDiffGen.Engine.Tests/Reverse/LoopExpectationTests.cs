using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Expectations before taped loops (ReverseModeTransform.Expectations.cs): a counted taped loop that no recording loop
/// encloses tells the tape its whole recording before it runs (<c>tape.Expect(n)</c>), so that the tape rents exactly
/// that; inside a loop that records, it does not (the enclosing loop's recording serves it). Each case pins where the
/// expectations are, that they are exact, and checks the gradient exactly and against finite differences.
/// </summary>
public class LoopExpectationTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    /// <summary>
    /// total = Σᵢ vᵢ², vᵢ from v = x[i] by <paramref name="steps"/> steps v ← v + tanh(w v) (carried by the inner loop
    /// only: each outer iteration starts again from x[i]), or, when <paramref name="carriedAcrossSamples"/>, from the v
    /// the previous sample left (v + tanh(w v + x[i])): then the outer loop carries v too.
    /// </summary>
    private static IrFunction Samples(int steps, bool carriedAcrossSamples)
    {
        var b = new IrBuilder("Samples" + steps + (carriedAcrossSamples ? "Carried" : ""));
        Var w = b.Param("w");
        Var x = b.Param("x", Vector, differentiable: false);
        Var n = b.Param("n", IrType.Int, differentiable: false);
        Var total = b.Local("total", 0.0);
        Var? carried = carriedAcrossSamples ? b.Local("v", 0.5) : null;
        b.For("i", 0, n, i =>
        {
            Var v = carried ?? b.Local("v", x[i]);
            b.For("c", 0, steps, c => b.Assign(v, carried is null ? v + M.Tanh(w * v) : v + M.Tanh(w * v + x[i])));
            b.Assign(total, total + v * v);
        });
        b.Return(total);
        return b.Build();
    }

    /// <summary>The exact ∂total/∂w of <see cref="Samples"/>, by the forward recurrence of dv/dw.</summary>
    private static double ExactDerivative(double w, double[] x, int steps, bool carriedAcrossSamples)
    {
        double derivative = 0, v = 0.5, dv = 0;
        foreach (double sample in x)
        {
            if (!carriedAcrossSamples) (v, dv) = (sample, 0);
            for (int c = 0; c < steps; c++)
            {
                double t = Math.Tanh(w * v + (carriedAcrossSamples ? sample : 0));
                dv = dv * (1 + (1 - t * t) * w) + (1 - t * t) * v;
                v += t;
            }
            derivative += 2 * v * dv;
        }
        return derivative;
    }

    [Fact]
    public void A_taped_loop_in_a_fused_iteration_expects_exactly_its_recording()
    {
        const int steps = 7;
        var x = new[] { 0.3, -0.8, 1.1, 0.05 };
        IrFunction f = Samples(steps, carriedAcrossSamples: false);
        ReverseProgram program = IrRunner.Differentiate(f);
        // The sample loop is fused (each sample reversed right after it); the step loop inside it is taped.
        Assert.True(IrQuery.FusedLoops(program.Forward).SequenceEqual(new[] { true }), IrPrinter.Print(program));
        const double w = 0.6;
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { w, x, x.Length }, program: program);
        GradientCheck.AssertClose(ExactDerivative(w, x, steps, carriedAcrossSamples: false), run.Gradient(0), 1e-12, 1e-12, "∂total/∂w");
        // One expectation per sample (the first rents, the tape holds the room for the others), each exactly what the
        // sample's step loop records, which is all the tape ever holds.
        int perSample = run.Interpreter.Pushes["double"] / x.Length;
        Assert.True(perSample >= steps, $"{perSample} values per sample");
        Assert.Equal(Enumerable.Repeat(("double", perSample), x.Length), run.Interpreter.Expectations);
        Assert.Equal(perSample, run.Interpreter.PeakTapeCount);
    }

    [Fact]
    public void A_taped_loop_inside_a_loop_that_records_expects_nothing_of_its_own()
    {
        const int steps = 7;
        var x = new[] { 0.3, -0.8, 1.1, 0.05 };
        IrFunction f = Samples(steps, carriedAcrossSamples: true);
        ReverseProgram program = IrRunner.Differentiate(f);
        // v carries from sample to sample: the sample loop is not fused; it records, its step loop within its recording.
        Assert.True(IrQuery.FusedLoops(program.Forward).All(fused => !fused), IrPrinter.Print(program));
        const double w = 0.6;
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { w, x, x.Length }, program: program);
        GradientCheck.AssertClose(ExactDerivative(w, x, steps, carriedAcrossSamples: true), run.Gradient(0), 1e-12, 1e-12, "∂total/∂w");
        // Only the sample loop's own expectation (its taped run, Checkpoint.cs), for the whole recording: none per sample.
        Assert.Equal(new[] { ("double", run.Interpreter.Pushes["double"]) }, run.Interpreter.Expectations);
    }

    [Fact]
    public void A_taped_loop_whose_count_changes_from_one_fused_iteration_to_the_next_expects_nothing()
    {
        // total = Σᵢ vᵢ², vᵢ from x[i] by i steps v ← v + tanh(w v): the sample loop is fused, the step loop taped, but its
        // recording grows with i; an expectation per sample would rent a little more each time (a small chunk per sample).
        var b = new IrBuilder("TriangularSamples");
        Var w = b.Param("w");
        Var x = b.Param("x", Vector, differentiable: false);
        Var n = b.Param("n", IrType.Int, differentiable: false);
        Var total = b.Local("total", 0.0);
        b.For("i", 0, n, i =>
        {
            Var v = b.Local("v", x[i]);
            b.For("c", 0, i, c => b.Assign(v, v + M.Tanh(w * v)));
            b.Assign(total, total + v * v);
        });
        b.Return(total);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(IrQuery.FusedLoops(program.Forward).SequenceEqual(new[] { true }), IrPrinter.Print(program));
        var x0 = new[] { 0.3, -0.8, 1.1, 0.05, 0.7 };
        const double w0 = 0.6;
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { w0, x0, x0.Length }, program: program);
        double exact = 0;
        for (int i = 0; i < x0.Length; i++) exact += ExactDerivative(w0, new[] { x0[i] }, i, carriedAcrossSamples: false);
        GradientCheck.AssertClose(exact, run.Gradient(0), 1e-12, 1e-12, "∂total/∂w");
        Assert.True(run.Interpreter.Pushes["double"] > 0);
        Assert.Empty(run.Interpreter.Expectations);
    }
}
