using System;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>Predicates on active values are passive conditions (issue 10): generated, and differentiated as the branch taken.</summary>
public class PredicateTests
{
    [Fact]
    public void Guard_and_branch_on_predicates()
    {
        Check.One(Predicates.GuardedLogAbs, Predicates.GuardedLogAbsGradient, Predicates.GuardedLogAbsBackward, x => 1 / x, 0.2, 3);
        Check.One(Predicates.GuardedLogAbs, Predicates.GuardedLogAbsGradient, Predicates.GuardedLogAbsBackward, x => 1 / x, -3, -0.2);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Guarded_inputs_get_a_zero_gradient(double x)
    {
        Assert.Equal(0.0, Predicates.GuardedLogAbsGradient(x, out double dx));
        Assert.Equal(0.0, dx);
    }

    [Fact]
    public void Predicates_in_bools_and_conditionals()
    {
        // At random points p = x·y is never an integer: s = p, and the last branch depends on the sign of y.
        Check.Two(Predicates.Flags, Predicates.FlagsGradient, Predicates.FlagsBackward, (x, y) => y > 0 ? (y + 1, x) : (y, x - 1), -2, 2);
        // p = 4, a normal even integer: 2p.
        Assert.Equal(8.0, Predicates.FlagsGradient(2, 2, out double dx, out double dy));
        Assert.Equal((4.0, 4.0), (dx, dy));
    }

    [Fact]
    public void Float_guard_and_branch_on_predicates()
    {
        Check.OneFloat(FloatPredicates.GuardedLogAbs, FloatPredicates.GuardedLogAbsGradient, FloatPredicates.GuardedLogAbsBackward, x => 1 / x, 0.2f, 3);
        Check.OneFloat(FloatPredicates.GuardedLogAbs, FloatPredicates.GuardedLogAbsGradient, FloatPredicates.GuardedLogAbsBackward, x => 1 / x, -3, -0.2f);
        Assert.Equal(0f, FloatPredicates.GuardedLogAbsGradient(float.NaN, out float dx));
        Assert.Equal(0f, dx);
    }
}
