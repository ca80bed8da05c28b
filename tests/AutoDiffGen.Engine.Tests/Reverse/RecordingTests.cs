using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// What the forward sweep records: only what the reverse sweep reads and cannot recompute. Each case also checks
/// the gradient, so a recording dropped wrongly fails twice.
/// </summary>
public class RecordingTests
{
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    private static int TapePushes(ReverseProgram program) => IrWalker.AllStatements(program.Forward).Count(s => s is IrTapePush);

    [Fact]
    public void Loop_with_independent_iterations_and_cheap_locals_records_nothing()
    {
        // Rosenbrock: double a = 1 - x[i]; double b = x[i+1] - x[i]*x[i]; sum += a*a + 100*b*b — a and b are
        // recomputed in reverse, the counter and the trip count computed.
        IrFunction f = IrWorkloads.ExtendedRosenbrock();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(TapePushes(program) == 0, IrPrinter.Print(program));
        // Independent iterations, and `return sum` needs nothing the loop computes: one fused loop, no reverse sweep.
        Assert.True(program.SeedBeforeForward && program.Reverse.IsEmpty, IrPrinter.Print(program));
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { new[] { -1.2, 1.0, 0.5, 2.0 } });
        double[] v = { -1.2, 1.0, 0.5, 2.0 };
        var exact = new double[4];
        for (int k = 0; k < 3; k++)
        {
            exact[k] += -2 * (1 - v[k]) - 400 * v[k] * (v[k + 1] - v[k] * v[k]);
            exact[k + 1] += 200 * (v[k + 1] - v[k] * v[k]);
        }
        double[] gradient = (double[])run.Gradients[0]!;
        for (int k = 0; k < 4; k++) GradientCheck.AssertClose(exact[k], gradient[k], 1e-12, 1e-12, "∂f/∂x" + k);
    }

    [Fact]
    public void Loop_whose_result_is_read_after_it_is_not_fused()
    {
        // return Math.Log(sum): the seed of sum needs sum itself, known only after the loop.
        var b = new IrBuilder("LogSum");
        Var x = b.Param("x", Vector);
        Var sum = b.Local("sum", 1.0);
        b.For("i", 0, x.Length, i => b.Assign(sum, sum + x[i] * x[i]));
        b.Return(M.Log(sum));
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.False(program.SeedBeforeForward, IrPrinter.Print(program));
        GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { new[] { 0.3, -0.7, 1.1 } });
    }

    [Fact]
    public void Accumulator_rebuilt_every_outer_iteration_is_recorded_once_per_outer_iteration()
    {
        // z = b; for j: z += w[j] * x[i*n + j]; loss += z * z — the inner restores of z have no reader.
        var b = new IrBuilder("Accumulate");
        Var w = b.Param("w", Vector);
        Var bias = b.Param("bias");
        Var x = b.Param("x", Vector, differentiable: false);
        Var loss = b.Local("loss", 0.0);
        b.For("i", 0, 3, i =>
        {
            Var z = b.Local("z", bias);
            b.For("j", 0, w.Length, j => b.Assign(z, z + w[j] * x[i * 2 + j]));
            b.Assign(loss, loss + z * z);
        });
        b.Return(loss);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        var pushes = IrWalker.AllStatements(program.Forward).OfType<IrLoop>().SelectMany(l => IrWalker.AllStatements(l.Body)).OfType<IrLoop>()
            .SelectMany(inner => IrWalker.AllStatements(inner.Body)).OfType<IrTapePush>().ToList();
        Assert.True(pushes.Count == 0, "the inner loop records nothing:\n" + IrPrinter.Print(program));
        GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { new[] { 0.3, -0.7 }, 0.2, new[] { 1.0, 2.0, -0.5, 0.25, 1.5, -1.0 } });
    }

    [Fact]
    public void Fused_loop_keeps_the_restore_of_a_value_overwritten_within_the_iteration()
    {
        // for i: { double t = x[i] * 2; s += t * t; t = 5; s += t * x[i]; } — the reverse of s += t * t needs the first t.
        var b = new IrBuilder("Overwritten");
        Var x = b.Param("x", Vector);
        Var s = b.Local("s", 0.0);
        b.For("i", 0, x.Length, i =>
        {
            Var t = b.Local("t", x[i] * 2.0);
            b.Assign(s, s + t * t);
            b.Assign(t, 5.0);
            b.Assign(s, s + t * x[i]);
        });
        b.Return(s);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(program.SeedBeforeForward, IrPrinter.Print(program));
        double[] values = { 0.3, -1.1, 2.0 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { values });
        double[] gradient = (double[])run.Gradients[0]!;
        for (int k = 0; k < 3; k++) GradientCheck.AssertClose(8 * values[k] + 5, gradient[k], 1e-12, 1e-12, "∂f/∂x" + k);
    }

    [Fact]
    public void Reversed_inner_loop_is_skipped_when_its_seed_is_zero()
    {
        // for j: { a = b[j]; for k: a += w[k] · x[j·2 + k]; s += max(a, 0) · a } — the ReLU's zero adjoint skips the inner loop.
        var b = new IrBuilder("Relu");
        Var w = b.Param("w", Vector);
        Var bias = b.Param("bias", Vector);
        Var x = b.Param("x", Vector, differentiable: false);
        Var s = b.Local("s", 0.0);
        b.For("j", 0, bias.Length, j =>
        {
            Var a = b.Local("a", bias[j]);
            b.For("k", 0, w.Length, k => b.Assign(a, a + w[k] * x[j * 2 + k]));
            b.Assign(s, s + M.Max(a, 0.0) * a);
        });
        b.Return(s * s);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(IrWalker.AllStatements(program.Reverse).OfType<IrIf>().Any(i => i.Then.Statements.Count == 1 && i.Then.Statements[0] is IrRepeat),
            IrPrinter.Print(program));
        // Rows 0 and 2 have a > 0, row 1 a < 0: both paths, against finite differences.
        GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { new[] { 0.5, -0.25 }, new[] { 0.3, -2.0, 0.1 }, new[] { 1.0, 0.5, 0.2, 1.0, -0.5, 2.0 } });
    }

    [Fact]
    public void Triangular_inner_loop_computes_its_trip_count_and_counter_instead_of_recording_them()
    {
        // e = 0; for i < n: for j = i + 1 .. n − 1: e += tanh(x[i] · x[j]); return e · e   (pairs i < j)
        // The inner loop starts at i + 1, which the loop does not change: its trip count max(0, n − (i + 1)) and the
        // counter's final value are computed in reverse; nothing integer goes on the tape (before: two pushes per
        // outer iteration, the trip count and the counter).
        var b = new IrBuilder("Pairs");
        Var x = b.Param("x", Vector);
        Var e = b.Local("e", 0.0);
        b.For("i", 0, x.Length, i => b.For("j", i + 1, x.Length, j => b.Assign(e, e + M.Tanh(x[i] * x[j]))));
        b.Return(e * e);
        IrFunction f = b.Build();
        ReverseProgram program = IrRunner.Differentiate(f);
        Assert.True(IrQuery.Pushes(program.Forward, IrTypeKind.Integer).Count == 0, IrPrinter.Print(program));
        double[] values = { 0.3, -1.1, 2.0, 0.7 };
        GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { values });
        double pairs = 0;
        for (int i = 0; i < 4; i++) for (int j = i + 1; j < 4; j++) pairs += Math.Tanh(values[i] * values[j]);
        double[] gradient = (double[])run.Gradients[0]!;
        for (int k = 0; k < 4; k++)
        {
            double exact = 0;
            for (int m = 0; m < 4; m++) if (m != k) exact += 2 * pairs * values[m] * (1 - Math.Pow(Math.Tanh(values[k] * values[m]), 2));
            GradientCheck.AssertClose(exact, gradient[k], 1e-12, 1e-12, "∂f/∂x" + k);
        }
    }
}
