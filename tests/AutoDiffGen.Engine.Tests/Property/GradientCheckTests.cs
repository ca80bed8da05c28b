using System;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Engine.Tests.Property;

/// <summary>
/// The finite-difference oracle of the property tests: where it may not be trusted, it says so instead of failing a
/// right gradient. Found by the long mode (seed 722182381): an expansive recurrence drove an argument of Sin to 6.6e27;
/// the reverse gradient, 1.5e11, equals the dual-number (forward) derivative exactly, while every finite difference is
/// 0, because no stencil step moves an argument of that size to another representable value.
/// </summary>
public class GradientCheckTests
{
    private static IrFunction SinOfScaled(double scale)
    {
        // f(x) = sin(scale · x) + x
        var b = new IrBuilder("SinOfScaled");
        Var x = b.Param("x");
        b.Return(M.Sin(x * scale) + x);
        return b.Build();
    }

    [Fact]
    public void A_periodic_function_of_a_huge_argument_is_not_compared_with_finite_differences()
    {
        IrFunction f = SinOfScaled(1e20);
        object?[] args = { 0.3 };
        Assert.False(GradientCheck.Estimate(f, args, 0).SameControlFlow);
        double exact = 1e20 * Math.Cos(1e20 * 0.3) + 1;
        GradientCheck.AssertClose(exact, IrRunner.Gradient(IrRunner.Differentiate(f), args).Gradient(0), 1e-12, 0, "∂f/∂x");
        GradientCheck.AssertMatchesFiniteDifferences(f, args); // skipped, not failed
    }

    [Fact]
    public void A_periodic_function_of_a_large_but_resolvable_argument_is_still_compared()
    {
        IrFunction f = SinOfScaled(1e3);
        object?[] args = { 0.3 };
        FiniteDifference fd = GradientCheck.Estimate(f, args, 0, step: 1e-7);
        Assert.True(fd.SameControlFlow);
        GradientCheck.AssertClose(1e3 * Math.Cos(300) + 1, fd.Value, 1e-6, 0, "finite difference");
        GradientCheck.AssertMatchesFiniteDifferences(SinOfScaled(10), args);
    }
}
