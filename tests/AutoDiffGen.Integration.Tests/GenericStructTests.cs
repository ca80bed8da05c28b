using System;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;
using GradientCheck = AutoDiffGen.Runtime.GradientCheck;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Generic structs of reals (Functions/GenericStructs.cs): <c>Vec2&lt;T&gt;</c> and <c>Pair&lt;T&gt;</c> as parameters and locals, at
/// double, at float and in generic methods instantiated at both; their members inlined from source. MGradient and MBackward
/// against hand-derived values and central finite differences, MTangent by the dot-product test, no allocation when warm.
/// </summary>
public class GenericStructTests
{
    // Energy(v, k) = k(X² + Y²) + r, r = |v|.
    private static (double, double, double) EnergyExact(double x, double y, double k)
    {
        double r = Math.Sqrt(x * x + y * y);
        return (2 * k * x + x / r, 2 * k * y + y / r, x * x + y * y);
    }

    // EnergyOfDoubles(v, k) = k(X² + Y²) + |k|·r.
    private static (double, double, double) EnergyOfDoublesExact(double x, double y, double k)
    {
        double r = Math.Sqrt(x * x + y * y);
        return (2 * k * x + Math.Abs(k) * x / r, 2 * k * y + Math.Abs(k) * y / r, x * x + y * y + Math.Sign(k) * r);
    }

    private delegate double VecGradient(Vec2<double> v, double k, out Vec2<double> dv, out double dk);

    private delegate double VecBackward(Vec2<double> v, double k, double seed, ref Vec2<double> dv, ref double dk);

    /// <summary>f(v, k) with v a Vec2&lt;double&gt;, checked as a function of (v.X, v.Y, k) by Check.Three.</summary>
    private static void CheckOfVecAndScalar(Func<Vec2<double>, double, double> f, VecGradient gradient, VecBackward backward,
        Func<double, double, double, (double, double, double)> exact) =>
        Check.Three((x, y, k) => f(new Vec2<double>(x, y), k),
            (double x, double y, double k, out double dx, out double dy, out double dk) =>
            {
                double value = gradient(new Vec2<double>(x, y), k, out Vec2<double> dv, out dk);
                (dx, dy) = (dv.X, dv.Y);
                return value;
            },
            (double x, double y, double k, double seed, ref double ax, ref double ay, ref double ak) =>
            {
                var av = new Vec2<double>(ax, ay);
                double value = backward(new Vec2<double>(x, y), k, seed, ref av, ref ak);
                (ax, ay) = (av.X, av.Y);
                return value;
            },
            exact, 0.3, 2.0, (-1.25, 0.5, -0.75));

    [Fact]
    public void A_generic_method_taking_a_generic_struct_at_double() =>
        CheckOfVecAndScalar(GenericStructs.Energy, GenericStructs.EnergyGradient, GenericStructs.EnergyBackward, EnergyExact);

    [Fact]
    public void A_generic_struct_at_double_in_a_double_method() =>
        CheckOfVecAndScalar(GenericStructs.EnergyOfDoubles, GenericStructs.EnergyOfDoublesGradient, GenericStructs.EnergyOfDoublesBackward, EnergyOfDoublesExact);

    [Theory]
    [InlineData(0.7, -0.4, 1.3, 0.3, -1.7, 0.9)]
    [InlineData(-1.1, 0.9, -0.6, 1.0, 0.5, -2.0)]
    public void The_tangents_agree_with_the_gradients(double x, double y, double k, double tx, double ty, double tk)
    {
        var v = new Vec2<double>(x, y);
        var t = new Vec2<double>(tx, ty);
        GenericStructs.EnergyGradient(v, k, out Vec2<double> dv, out double dk);
        double value = GenericStructs.EnergyTangent(v, k, t, tk, out double tangent);
        Assert.Equal(GenericStructs.Energy(v, k), value);
        Check.Close(tx * dv.X + ty * dv.Y + tk * dk, tangent, Check.ExactTolerance, "Energy: MTangent against MGradient (dot-product test)", x, y, k);

        GenericStructs.EnergyOfDoublesGradient(v, k, out dv, out dk);
        value = GenericStructs.EnergyOfDoublesTangent(v, k, t, tk, out tangent);
        Assert.Equal(GenericStructs.EnergyOfDoubles(v, k), value);
        Check.Close(tx * dv.X + ty * dv.Y + tk * dk, tangent, Check.ExactTolerance, "EnergyOfDoubles: MTangent against MGradient (dot-product test)", x, y, k);
    }

    [Fact]
    public void A_generic_method_taking_a_generic_struct_at_float()
    {
        foreach (double[] p in Check.Points(3, 0.3, 2.0))
        {
            float x = (float)p[0], y = (float)p[1], k = (float)p[2];
            float value = GenericStructs.EnergyGradient(new Vec2<float>(x, y), k, out Vec2<float> dv, out float dk);
            Check.Same(GenericStructs.Energy(new Vec2<float>(x, y), k), value, "MGradient value", p);
            var (ex, ey, ek) = EnergyExact(x, y, k);
            Check.Close(ex, dv.X, 1e-5, "hand-derived ∂/∂v.X", p);
            Check.Close(ey, dv.Y, 1e-5, "hand-derived ∂/∂v.Y", p);
            Check.Close(ek, dk, 1e-5, "hand-derived ∂/∂k", p);
            double[] point = { x, y, k };
            double[] fd = GradientCheck.CentralDifference(q => GenericStructs.Energy(new Vec2<float>((float)q[0], (float)q[1]), (float)q[2]), point, 1e-3);
            Check.Close(fd[0], dv.X, 2e-3, "finite differences ∂/∂v.X", p);
            Check.Close(fd[1], dv.Y, 2e-3, "finite differences ∂/∂v.Y", p);
            Check.Close(fd[2], dk, 2e-3, "finite differences ∂/∂k", p);
            var av = new Vec2<float>(1f, -1f);
            float ak = 0.5f;
            Check.Same(value, GenericStructs.EnergyBackward(new Vec2<float>(x, y), k, 2f, ref av, ref ak), "MBackward value", p);
            Check.Close(1 + 2.0 * dv.X, av.X, 1e-6, "MBackward accumulation v.X", p);
            Check.Close(-1 + 2.0 * dv.Y, av.Y, 1e-6, "MBackward accumulation v.Y", p);
            Check.Close(0.5 + 2.0 * dk, ak, 1e-6, "MBackward accumulation k", p);
        }
    }

    [Fact]
    public void A_generic_struct_and_a_generic_record_struct_at_float()
    {
        // f = (X·A + Y·B)·A + r: ∂/∂X = A² + X/r, ∂/∂Y = A·B + Y/r, ∂/∂A = 2X·A + Y·B, ∂/∂B = Y·A.
        foreach (double[] p in Check.Points(4, -1.5, 1.5))
        {
            float x = (float)p[0], y = (float)p[1], a = (float)p[2], b = (float)p[3];
            float value = GenericStructs.EnergyOfFloatsGradient(new Vec2<float>(x, y), new Pair<float>(a, b), out Vec2<float> dv, out Pair<float> dp);
            Check.Same(GenericStructs.EnergyOfFloats(new Vec2<float>(x, y), new Pair<float>(a, b)), value, "MGradient value", p);
            double r = Math.Sqrt((double)x * x + (double)y * y);
            Check.Close((double)a * a + x / r, dv.X, 1e-5, "hand-derived ∂/∂v.X", p);
            Check.Close((double)a * b + y / r, dv.Y, 1e-5, "hand-derived ∂/∂v.Y", p);
            Check.Close(2.0 * x * a + (double)y * b, dp.A, 1e-5, "hand-derived ∂/∂p.A", p);
            Check.Close((double)y * a, dp.B, 1e-5, "hand-derived ∂/∂p.B", p);
            double[] point = { x, y, a, b };
            double[] fd = GradientCheck.CentralDifference(q => GenericStructs.EnergyOfFloats(new Vec2<float>((float)q[0], (float)q[1]), new Pair<float>((float)q[2], (float)q[3])), point, 1e-3);
            Check.Close(fd[0], dv.X, 2e-3, "finite differences ∂/∂v.X", p);
            Check.Close(fd[1], dv.Y, 2e-3, "finite differences ∂/∂v.Y", p);
            Check.Close(fd[2], dp.A, 2e-3, "finite differences ∂/∂p.A", p);
            Check.Close(fd[3], dp.B, 2e-3, "finite differences ∂/∂p.B", p);
            var av = new Vec2<float>(0.25f, 0.5f);
            var ap = new Pair<float>(-1f, 1f);
            Check.Same(value, GenericStructs.EnergyOfFloatsBackward(new Vec2<float>(x, y), new Pair<float>(a, b), 2f, ref av, ref ap), "MBackward value", p);
            Check.Close(0.25 + 2.0 * dv.X, av.X, 1e-6, "MBackward accumulation v.X", p);
            Check.Close(0.5 + 2.0 * dv.Y, av.Y, 1e-6, "MBackward accumulation v.Y", p);
            Check.Close(-1 + 2.0 * dp.A, ap.A, 1e-6, "MBackward accumulation p.A", p);
            Check.Close(1 + 2.0 * dp.B, ap.B, 1e-6, "MBackward accumulation p.B", p);
        }
    }

    [Fact]
    public void A_generic_method_called_at_double_with_a_struct_built_from_scalars()
    {
        // ab(a² + b²) + r: ∂/∂a = 3a²b + b³ + a/r, ∂/∂b = a³ + 3ab² + b/r.
        Check.Two(GenericStructs.ThroughGeneric, GenericStructs.ThroughGenericGradient, GenericStructs.ThroughGenericBackward,
            (a, b) =>
            {
                double r = Math.Sqrt(a * a + b * b);
                return (3 * a * a * b + b * b * b + a / r, a * a * a + 3 * a * b * b + b / r);
            }, -1.5, 1.5);
    }

    // Locals(a, b) = a²b + b³ + |b|·r.
    private static (double, double) LocalsExact(double a, double b)
    {
        double r = Math.Sqrt(a * a + b * b);
        return (2 * a * b + Math.Abs(b) * a / r, a * a + 3 * b * b + Math.Sign(b) * r + Math.Abs(b) * b / r);
    }

    [Fact]
    public void Generic_struct_locals_at_double_and_float()
    {
        Check.Two(GenericStructs.Locals, GenericStructs.LocalsGradient, GenericStructs.LocalsBackward, LocalsExact, 0.2, 1.5, (-0.7, -1.1));
        Check.TwoFloat(GenericStructs.Locals, GenericStructs.LocalsGradient, GenericStructs.LocalsBackward, LocalsExact, 0.2f, 1.5f);
    }

    [Fact]
    public void Warm_calls_allocate_nothing()
    {
        var v = new Vec2<double>(0.6, -0.8);
        var av = new Vec2<double>(0, 0);
        double ak = 0;
        for (int i = 0; i < 3; i++)
        {
            GenericStructs.EnergyOfDoublesGradient(v, 1.5, out _, out _);
            GenericStructs.EnergyBackward(v, 1.5, 1.0, ref av, ref ak);
            GenericStructs.LocalsGradient(0.4f, 0.9f, out _, out _);
            GenericStructs.ThroughGenericGradient(0.4, 0.9, out _, out _);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        GenericStructs.EnergyOfDoublesGradient(v, 1.5, out _, out _);
        GenericStructs.EnergyBackward(v, 1.5, 1.0, ref av, ref ak);
        GenericStructs.LocalsGradient(0.4f, 0.9f, out _, out _);
        GenericStructs.ThroughGenericGradient(0.4, 0.9, out _, out _);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
