using System;
using System.Numerics;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Calls of [Differentiable] methods that take or return structs of reals (inlined from source): gradients against
/// central finite differences and a hand-derived value, MTangent by the dot-product test.
/// </summary>
public class StructCalleeTests
{
    [Theory]
    [InlineData(0.7, -0.4, 5)]
    [InlineData(-0.9, 1.3, 3)]
    [InlineData(1.2, 0.8, 0)]
    public void Callees_taking_and_returning_points_in_a_loop(double a, double b, int turns)
    {
        double value = StructCallees.SpiralGradient(a, b, turns, out double da, out double db);
        Assert.Equal(StructCallees.Spiral(a, b, turns), value);
        double[] fd = GradientCheck.CentralDifference(x => StructCallees.Spiral(x[0], x[1], turns), new[] { a, b });
        Check.Close(fd[0], da, Check.FiniteDifferenceTolerance, "finite differences ∂/∂a", new[] { a, b });
        Check.Close(fd[1], db, Check.FiniteDifferenceTolerance, "finite differences ∂/∂b", new[] { a, b });
        // The dot-product test: ⟨∇f, v⟩ = MTangent along v.
        StructCallees.SpiralTangent(a, b, turns, 0.3, -1.7, out double tangent);
        Check.Close(0.3 * da - 1.7 * db, tangent, Check.ExactTolerance, "MTangent against the gradient", new[] { a, b });
    }

    [Fact]
    public void No_turns_is_the_norm_of_the_start()
    {
        // Spiral(a, b, 0) = a² + b²: gradient (2a, 2b), exactly.
        StructCallees.SpiralGradient(0.6, -1.1, 0, out double da, out double db);
        Assert.Equal(1.2, da, 14);
        Assert.Equal(-2.2, db, 14);
    }

    [Fact]
    public void A_float_vector_taken_and_returned()
    {
        var v = new Vector3(0.5f, -1.25f, 2f);
        var n = Vector3.Normalize(new Vector3(0.3f, 0.4f, 1f));
        float value = StructCallees.ReflectedGradient(v, n, out Vector3 dv, out Vector3 dn);
        Assert.Equal(StructCallees.Reflected(v, n), value);
        // f = ⟨v − 2⟨v,n⟩n, c⟩ with c = (1, 2, 3): ∂f/∂v = c − 2⟨n,c⟩n, ∂f/∂n = −2(⟨n,c⟩v + ⟨v,n⟩c).
        var c = new Vector3(1, 2, 3);
        Vector3 exactDv = c - 2 * Vector3.Dot(n, c) * n;
        Vector3 exactDn = -2 * (Vector3.Dot(n, c) * v + Vector3.Dot(v, n) * c);
        Assert.Equal(exactDv.X, dv.X, 5);
        Assert.Equal(exactDv.Y, dv.Y, 5);
        Assert.Equal(exactDv.Z, dv.Z, 5);
        Assert.Equal(exactDn.X, dn.X, 5);
        Assert.Equal(exactDn.Y, dn.Y, 5);
        Assert.Equal(exactDn.Z, dn.Z, 5);
    }
}
