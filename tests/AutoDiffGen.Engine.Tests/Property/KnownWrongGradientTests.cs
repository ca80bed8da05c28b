using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Engine.Tests.Property;

/// <summary>
/// Wrong gradients the long mode found and that are not fixed yet: each is skipped with its finding, so the next session
/// starts from a failing test (remove the Skip to reproduce). Wrong gradients outrank every other work.
/// </summary>
public class KnownWrongGradientTests
{
    /// <summary>
    /// IR seed 707696612 (long mode, base seed 707646980, 2026-12-02; also fails at ca5e5a8, so it predates that day's
    /// merges). Around x0 = 1.049 the function is x0 + constant (finite differences give slope 1.000000000000 at eight
    /// points from 0.949 to 1.149), but reverse mode gives 1.0111 and the excess varies smoothly with x0 (1.0137 at 0.949,
    /// 1.0092 at 1.149): an adjoint reaches x0 through a path that does not affect the value on this execution. Suspects: an
    /// array adjoint not cleared when a[0] or a[i] is overwritten (a[0] = f(atan2(x0, v1)) feeds only a branch and
    /// dead code), or a stale adjoint of a variable overwritten inside the nested loops with early exits.
    /// </summary>
    [Fact(Skip = "known wrong gradient, not fixed yet: see the summary (reverse 1.0111 against exact slope 1)")]
    public void Seed_707696612_gets_the_slope_of_an_affine_function_right()
    {
        var random = RandomIrProgram.Generate(707696612, IrType.Double);
        var calls = random.NewCalls();
        foreach (double x0 in new[] { 0.949, 1.049, 1.149 })
        {
            object?[] args = random.Points[1].Select(a => a is double[] array ? array.Clone() : a).ToArray();
            args[0] = x0;
            GradientRun run = IrRunner.Gradient(random.Program, args.Select(a => a is double[] array ? array.Clone() : a).ToArray(), calls: calls);
            FiniteDifference fd = GradientCheck.Estimate(random.Function, args, 0, calls);
            GradientCheck.AssertClose(fd.Value, run.Gradient(0), 1e-6, 1e-8, "∂/∂x0 at x0 = " + x0);
        }
    }
}
