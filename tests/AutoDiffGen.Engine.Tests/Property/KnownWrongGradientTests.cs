using System;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Engine.Tests.Property;

/// <summary>
/// Disagreements the long mode found and that are not explained yet: each is skipped with its finding, so the next
/// session starts from a failing test (remove the Skip to reproduce). Wrong gradients outrank every other work.
/// </summary>
public class KnownWrongGradientTests
{
    /// <summary>
    /// IR seed 120409238 (helper-fusion's long run, 2026-12-02; also fails at 6383882, before loop fusion). At the
    /// point (3, [−0.77], −0.754, 0.526, 0.165), ∂/∂x3 by finite differences is −0.49231364186 at steps 1e−3, 1e−4,
    /// 1e−5 and 1e−6 alike (no branch change in the stencil), while reverse AND forward mode both give −0.49231993302
    /// (they agree to 1e−16): a relative difference of 1.3e−5. Since both modes agree, suspect a derivative rule
    /// shared by both (the program uses Tanh, Log, Sin, Exp, Min, Max, Hypot, Atan2, Sqrt, Pow(·, −0.3), Pow(·, 0.1),
    /// Abs and the callees Scale and Smooth), or a point that is ill-conditioned in a way the interpreter does not
    /// flag yet. The other two partials at that point, and all partials at the other point, agree.
    /// </summary>
    [Fact(Skip = "known disagreement, not explained yet: see the summary (reverse = forward = -0.4923199, FD -0.4923136)")]
    public void Seed_120409238_agrees_with_finite_differences_in_x3()
    {
        var random = RandomIrProgram.Generate(120409238, IrType.Double);
        var calls = random.NewCalls();
        object?[] args = random.Points[0].Select(a => a is double[] array ? array.Clone() : a).ToArray();
        GradientRun run = IrRunner.Gradient(random.Program, args.Select(a => a is double[] array ? array.Clone() : a).ToArray(), calls: calls);
        FiniteDifference fd = GradientCheck.Estimate(random.Function, args, 3, calls);
        Assert.True(fd.SameControlFlow);
        GradientCheck.AssertClose(fd.Value, run.Gradient(3), 1e-6, 1e-8, "∂/∂x3");
    }
}
