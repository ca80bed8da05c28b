using System;
using System.Numerics;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;
using GradientCheck = AutoDiffGen.Runtime.GradientCheck;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Calls with struct arguments that go through the callee's companions (not inlined): a hand-written …Backward taking a
/// struct (its derivative is the one used, a deliberately scaled one included), Vector3 floats and Complex, a recursive
/// struct callee, an instance method on another object, struct results (one companion call per field). MGradient and
/// MBackward against hand-derived values and central finite differences; MTangent by the dot-product test; no
/// allocation in a warm call.
/// </summary>
public class StructCompanionCallTests
{
    [Fact]
    public void A_hand_written_backward_taking_a_point()
    {
        // f = sin(a)·((ab)² + 3(a − b)²) + b² + 3·1.5²
        Check.Two(StructCompanionCalls.ThroughBowl, StructCompanionCalls.ThroughBowlGradient, StructCompanionCalls.ThroughBowlBackward,
            (a, b) =>
            {
                double bowl = a * b * a * b + 3 * (a - b) * (a - b);
                double da = Math.Cos(a) * bowl + Math.Sin(a) * (2 * a * b * b + 6 * (a - b));
                double db = Math.Sin(a) * (2 * a * a * b - 6 * (a - b)) + 2 * b;
                return (da, db);
            }, -1.5, 1.5);
    }

    [Theory]
    [InlineData(0.7, -0.4)]
    [InlineData(-1.1, 0.9)]
    public void A_hand_written_tangent_taking_a_point_agrees_with_the_gradient(double a, double b)
    {
        StructCompanionCalls.ThroughBowlGradient(a, b, out double da, out double db);
        double value = StructCompanionCalls.ThroughBowlTangent(a, b, 0.3, -1.7, out double tangent);
        Assert.Equal(StructCompanionCalls.ThroughBowl(a, b), value);
        Check.Close(0.3 * da - 1.7 * db, tangent, Check.ExactTolerance, "MTangent against the gradient (dot-product test)", a, b);
    }

    [Fact]
    public void A_deliberately_scaled_custom_derivative_is_the_one_used()
    {
        // Tilted(p) = p.X·p.Y, but its …Backward gives ten times the true gradient: ∂/∂a = 10b + 1, ∂/∂b = 10a.
        double value = StructCompanionCalls.ThroughTiltedGradient(0.6, -0.8, out double da, out double db);
        Assert.Equal(StructCompanionCalls.ThroughTilted(0.6, -0.8), value);
        Assert.Equal(10 * -0.8 + 1, da, 12);
        Assert.Equal(10 * 0.6, db, 12);
        double ax = 0.25, ay = 0.5;
        StructCompanionCalls.ThroughTiltedBackward(0.6, -0.8, 2.0, ref ax, ref ay);
        Assert.Equal(0.25 + 2 * (10 * -0.8 + 1), ax, 12);
        Assert.Equal(0.5 + 2 * (10 * 0.6), ay, 12);
    }

    [Fact]
    public void A_float_vector_through_a_hand_written_backward()
    {
        var v = new Vector3(0.5f, -1.25f, 2f);
        const float k = 0.8f;
        float value = StructCompanionCalls.ThroughEnergy3Gradient(v, k, out Vector3 dv, out float dk);
        Assert.Equal(StructCompanionCalls.ThroughEnergy3(v, k), value);
        // f = 0.5·k²⟨v,v⟩ + k·v.Z: ∂f/∂v = k²·v + (0, 0, k), ∂f/∂k = k⟨v,v⟩ + v.Z.
        Vector3 exactDv = k * k * v + new Vector3(0, 0, k);
        float exactDk = k * Vector3.Dot(v, v) + v.Z;
        Assert.Equal(exactDv.X, dv.X, 5);
        Assert.Equal(exactDv.Y, dv.Y, 5);
        Assert.Equal(exactDv.Z, dv.Z, 5);
        Assert.Equal(exactDk, dk, 5);
        double[] point = { v.X, v.Y, v.Z, k };
        double[] fd = GradientCheck.CentralDifference(x => StructCompanionCalls.ThroughEnergy3(new Vector3((float)x[0], (float)x[1], (float)x[2]), (float)x[3]), point, 1e-2);
        Check.Close(fd[0], dv.X, 1e-3, "finite differences ∂/∂v.X", point);
        Check.Close(fd[1], dv.Y, 1e-3, "finite differences ∂/∂v.Y", point);
        Check.Close(fd[2], dv.Z, 1e-3, "finite differences ∂/∂v.Z", point);
        Check.Close(fd[3], dk, 1e-3, "finite differences ∂/∂k", point);
        // MBackward accumulates into the struct adjoint.
        var av = new Vector3(1, 2, 3);
        float ak = -1;
        StructCompanionCalls.ThroughEnergy3Backward(v, k, 2f, ref av, ref ak);
        Assert.Equal(1 + 2 * dv.X, av.X, 5);
        Assert.Equal(2 + 2 * dv.Y, av.Y, 5);
        Assert.Equal(3 + 2 * dv.Z, av.Z, 5);
        Assert.Equal(-1 + 2 * dk, ak, 5);
    }

    [Fact]
    public void Complex_through_a_hand_written_backward()
    {
        // f = ((re·im)² + re²)·im
        Check.Two(StructCompanionCalls.ThroughPower, StructCompanionCalls.ThroughPowerGradient, StructCompanionCalls.ThroughPowerBackward,
            (re, im) => ((2 * re * im * im + 2 * re) * im, 2 * re * re * im * im + re * re * im * im + re * re), -1.5, 1.5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void A_recursive_struct_callee_through_its_own_companions(int n)
    {
        // FoldFrom(a, b, n) = Fold((a, b), n)·a, Fold recursing on itself through FoldBackward; exact by dual numbers.
        Check.Two((a, b) => StructCompanionCalls.FoldFrom(a, b, n),
            (double a, double b, out double da, out double db) => StructCompanionCalls.FoldFromGradient(a, b, n, out da, out db),
            (double a, double b, double seed, ref double da, ref double db) => StructCompanionCalls.FoldFromBackward(a, b, n, seed, ref da, ref db),
            (a, b) => ((DualFold(Dual.Variable(a), b, n) * Dual.Variable(a)).D, (DualFold(a, Dual.Variable(b), n) * a).D), -1.2, 1.2);

        // Fold's own gradient: a struct gradient, through its recursion.
        var p = new Point(0.4, -0.7);
        StructCompanionCalls.FoldGradient(p, n, out Point dp);
        double[] fd = GradientCheck.CentralDifference(x => StructCompanionCalls.Fold(new Point(x[0], x[1]), n), new[] { p.X, p.Y });
        Check.Close(fd[0], dp.X, Check.FiniteDifferenceTolerance, "finite differences ∂Fold/∂p.X", p.X, p.Y);
        Check.Close(fd[1], dp.Y, Check.FiniteDifferenceTolerance, "finite differences ∂Fold/∂p.Y", p.X, p.Y);

        // The dot-product test through the recursive call (FoldTangent calls itself with struct tangents).
        StructCompanionCalls.FoldFromGradient(0.4, -0.7, n, out double ga, out double gb);
        StructCompanionCalls.FoldFromTangent(0.4, -0.7, n, 0.9, 0.2, out double tangent);
        Check.Close(0.9 * ga + 0.2 * gb, tangent, Check.ExactTolerance, "MTangent against the gradient", 0.4, -0.7);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    public void A_recursive_callee_returning_a_struct_through_its_own_companions(int n)
    {
        // ThroughSpiral(a, b, c) = r.X + 2·r.X·r.Y, r = Spiral((a, b), c, n) recursing through SpiralBackward with a struct seed.
        static Dual F(Dual a, Dual b, Dual c, int n)
        {
            var (x, y) = DualSpiral(a, b, c, n);
            return x + 2 * x * y;
        }
        Check.Three((a, b, c) => StructResultCalls.ThroughSpiral(a, b, c, n),
            (double a, double b, double c, out double da, out double db, out double dc) => StructResultCalls.ThroughSpiralGradient(a, b, c, n, out da, out db, out dc),
            (double a, double b, double c, double seed, ref double da, ref double db, ref double dc) => StructResultCalls.ThroughSpiralBackward(a, b, c, n, seed, ref da, ref db, ref dc),
            (a, b, c) => (F(Dual.Variable(a), b, c, n).D, F(a, Dual.Variable(b), c, n).D, F(a, b, Dual.Variable(c), n).D), -0.95, 0.95);

        // Spiral's own MBackward: a struct seed in, a struct adjoint accumulated, against the dual numbers.
        var p = new Point(0.6, -0.8);
        const double c0 = 0.9;
        var seed = new Point(1.5, -0.5);
        var dp = new Point(0.25, 0.5);
        double dc = -1;
        Point value = StructResultCalls.SpiralBackward(p, c0, n, seed, ref dp, ref dc);
        Assert.Equal(StructResultCalls.Spiral(p, c0, n), value);
        double Seeded((Dual X, Dual Y) r) => seed.X * r.X.D + seed.Y * r.Y.D;
        Check.Close(0.25 + Seeded(DualSpiral(Dual.Variable(p.X), p.Y, c0, n)), dp.X, Check.ExactTolerance, "SpiralBackward ∂/∂p.X", n);
        Check.Close(0.5 + Seeded(DualSpiral(p.X, Dual.Variable(p.Y), c0, n)), dp.Y, Check.ExactTolerance, "SpiralBackward ∂/∂p.Y", n);
        Check.Close(-1 + Seeded(DualSpiral(p.X, p.Y, Dual.Variable(c0), n)), dc, Check.ExactTolerance, "SpiralBackward ∂/∂c", n);

        // The dot-product test through the recursion: seed · (J v) from SpiralTangent = (Jᵀ seed) · v from SpiralBackward.
        var v = new Point(-0.3, 1.1);
        const double vc = 0.7;
        StructResultCalls.SpiralTangent(p, c0, n, v, vc, out Point tangent);
        double forward = seed.X * tangent.X + seed.Y * tangent.Y;
        double reverse = (dp.X - 0.25) * v.X + (dp.Y - 0.5) * v.Y + (dc + 1) * vc;
        Check.Close(reverse, forward, Check.ExactTolerance, "SpiralTangent against SpiralBackward (dot-product test)", n);
        StructResultCalls.ThroughSpiralGradient(0.6, -0.8, c0, n, out double ga, out double gb, out double gc);
        StructResultCalls.ThroughSpiralTangent(0.6, -0.8, c0, n, v.X, v.Y, vc, out double throughTangent);
        Check.Close(v.X * ga + v.Y * gb + vc * gc, throughTangent, Check.ExactTolerance, "ThroughSpiralTangent against the gradient", n);
    }

    [Theory]
    [InlineData(0.6f, -0.8f, 0.9f)]
    [InlineData(-0.5f, 0.7f, -1.2f)]
    public void A_recursive_callee_returning_a_float_vector(float a, float b, float c)
    {
        const int n = 4;
        static Dual F(Dual a, Dual b, Dual c)
        {
            var (x, y) = DualSpiral(a, b, c, n);
            return x + 2 * x * y;
        }
        float value = StructResultCalls.ThroughSpiralFGradient(a, b, c, n, out float da, out float db, out float dc);
        Assert.Equal(StructResultCalls.ThroughSpiralF(a, b, c, n), value);
        Check.Close(F(Dual.Variable(a), b, c).D, da, 1e-5, "hand-derived ∂/∂a", a, b, c);
        Check.Close(F(a, Dual.Variable(b), c).D, db, 1e-5, "hand-derived ∂/∂b", a, b, c);
        Check.Close(F(a, b, Dual.Variable(c)).D, dc, 1e-5, "hand-derived ∂/∂c", a, b, c);
        double[] fd = GradientCheck.CentralDifference(x => StructResultCalls.ThroughSpiralF((float)x[0], (float)x[1], (float)x[2], n), new double[] { a, b, c }, 1e-3);
        Check.Close(fd[0], da, 2e-3, "finite differences ∂/∂a", a, b, c);
        Check.Close(fd[1], db, 2e-3, "finite differences ∂/∂b", a, b, c);
        Check.Close(fd[2], dc, 2e-3, "finite differences ∂/∂c", a, b, c);
        float aa = 1, ab = -1, ac = 0.5f;
        Assert.Equal(value, StructResultCalls.ThroughSpiralFBackward(a, b, c, n, 2f, ref aa, ref ab, ref ac));
        Check.Close(1 + 2.0 * da, aa, 1e-6, "MBackward accumulation a", a, b, c);
        Check.Close(-1 + 2.0 * db, ab, 1e-6, "MBackward accumulation b", a, b, c);
        Check.Close(0.5 + 2.0 * dc, ac, 1e-6, "MBackward accumulation c", a, b, c);
    }

    [Fact]
    public void An_override_in_a_sealed_class_and_a_sealed_override_through_their_own_companions()
    {
        // OnStiff = k·((ab)² + ab·b + b²) + a: ∂/∂a = k(2ab² + b²) + 1, ∂/∂b = k(2a²b + 2ab + 2b).
        var stiff = new StiffSpring(1.75);
        Check.Two((a, b) => SealedCalls.OnStiff(stiff, a, b),
            (double a, double b, out double da, out double db) => SealedCalls.OnStiffGradient(stiff, a, b, out da, out db),
            (double a, double b, double seed, ref double da, ref double db) => SealedCalls.OnStiffBackward(stiff, a, b, seed, ref da, ref db),
            (a, b) => (1.75 * (2 * a * b * b + b * b) + 1, 1.75 * (2 * a * a * b + 2 * a * b + 2 * b)), -1.5, 1.5);
        // OnSoft = a(a + b)²·b/2: ∂/∂a = ((a + b)² + 2a(a + b))·b/2, ∂/∂b = a(a + b)·b + a(a + b)²/2.
        var soft = new SoftSpring();
        Check.Two((a, b) => SealedCalls.OnSoft(soft, a, b),
            (double a, double b, out double da, out double db) => SealedCalls.OnSoftGradient(soft, a, b, out da, out db),
            (double a, double b, double seed, ref double da, ref double db) => SealedCalls.OnSoftBackward(soft, a, b, seed, ref da, ref db),
            (a, b) => (((a + b) * (a + b) + 2 * a * (a + b)) * b / 2, a * (a + b) * b + a * (a + b) * (a + b) / 2), -1.5, 1.5);
        foreach (var (a, b) in new[] { (0.7, -0.4), (-1.2, 0.9) })
        {
            SealedCalls.OnStiffGradient(stiff, a, b, out double da, out double db);
            SealedCalls.OnStiffTangent(stiff, a, b, 0.3, -1.1, out double tangent);
            Check.Close(0.3 * da - 1.1 * db, tangent, Check.ExactTolerance, "OnStiff: MTangent against the gradient", a, b);
            SealedCalls.OnSoftGradient(soft, a, b, out da, out db);
            SealedCalls.OnSoftTangent(soft, a, b, 0.3, -1.1, out tangent);
            Check.Close(0.3 * da - 1.1 * db, tangent, Check.ExactTolerance, "OnSoft: MTangent against the gradient", a, b);
        }
        double ax = 0, ay = 0;
        SealedCalls.OnStiffGradient(stiff, 0.7, -0.4, out _, out _);
        SealedCalls.OnSoftBackward(soft, 0.7, -0.4, 1, ref ax, ref ay);
        long before = GC.GetAllocatedBytesForCurrentThread();
        SealedCalls.OnStiffGradient(stiff, 0.7, -0.4, out _, out _);
        SealedCalls.OnSoftBackward(soft, 0.7, -0.4, 1, ref ax, ref ay);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>Spiral over dual numbers: (x, y) ↦ (c·y, x·y), n times.</summary>
    private static (Dual X, Dual Y) DualSpiral(Dual x, Dual y, Dual c, int n)
    {
        for (int i = 0; i < n; i++) (x, y) = (c * y, x * y);
        return (x, y);
    }

    /// <summary>Fold over dual numbers: the exact chain rule, independent of the generator.</summary>
    private static Dual DualFold(Dual x, Dual y, int n) => n <= 0 ? x * y : Dual.Sin(x) + DualFold(y, 0.5 * x + y, n - 1);

    [Theory]
    [InlineData(0.7, -0.4)]
    [InlineData(-1.3, 0.2)]
    public void An_instance_method_on_another_object(double a, double b)
    {
        var spring = new Anchor(2.5, new Point(0.3, -0.1));
        // f = Stretch(a, b) + Stretch(b, ab), Stretch(p) = 1.25·((p.X − 0.3)² + (p.Y + 0.1)²)
        Check.Two((x, y) => StructCompanionCalls.OnSpring(spring, x, y),
            (double x, double y, out double dx, out double dy) => StructCompanionCalls.OnSpringGradient(spring, x, y, out dx, out dy),
            (double x, double y, double seed, ref double dx, ref double dy) => StructCompanionCalls.OnSpringBackward(spring, x, y, seed, ref dx, ref dy),
            (x, y) => (2.5 * (x - 0.3) + 2.5 * (x * y + 0.1) * y, 2.5 * (y + 0.1) + 2.5 * (y - 0.3) + 2.5 * (x * y + 0.1) * x),
            new[] { (a, b) });
        StructCompanionCalls.OnSpringGradient(spring, a, b, out double da, out double db);
        StructCompanionCalls.OnSpringTangent(spring, a, b, -0.6, 1.1, out double tangent);
        Check.Close(-0.6 * da + 1.1 * db, tangent, Check.ExactTolerance, "MTangent against the gradient", a, b);
    }

    [Fact]
    public void A_struct_result_through_a_hand_written_backward()
    {
        // q = Quarter((a, b), ab) = (−ab², a²b); f = q.X·q.Y + Quarter(q, 2).X + Bowl(Quarter((b, 0.5), a))
        //   = −a³b³ − 2a²b + 0.25a² + 3a²b².
        Check.Two(StructResultCalls.ThroughQuarter, StructResultCalls.ThroughQuarterGradient, StructResultCalls.ThroughQuarterBackward,
            (a, b) => (-3 * a * a * b * b * b - 4 * a * b + 0.5 * a + 6 * a * b * b, -3 * a * a * a * b * b - 2 * a * a + 6 * a * a * b), -1.5, 1.5);
        StructResultCalls.ThroughQuarterGradient(0.7, -0.4, out double da, out double db);
        double value = StructResultCalls.ThroughQuarterTangent(0.7, -0.4, 0.3, -1.7, out double tangent);
        Assert.Equal(StructResultCalls.ThroughQuarter(0.7, -0.4), value);
        Check.Close(0.3 * da - 1.7 * db, tangent, Check.ExactTolerance, "MTangent against the gradient (dot-product test)", 0.7, -0.4);
    }

    [Theory]
    [InlineData(0.6f, -0.9f)]
    [InlineData(-1.2f, 0.4f)]
    public void A_float_struct_result_of_a_method_on_another_object(float x, float y)
    {
        var lens = new Lens(1.5f);
        float value = StructResultCalls.OnLensGradient(lens, x, y, out float dx, out float dy);
        Assert.Equal(StructResultCalls.OnLens(lens, x, y), value);
        // image = (1.5x + y², 1.5 sin x); f = image.X·image.Y + image.Y.
        double X = 1.5 * x + (double)y * y, Y = 1.5 * Math.Sin(x);
        double exactDx = 1.5 * Y + X * 1.5 * Math.Cos(x) + 1.5 * Math.Cos(x), exactDy = 2 * y * Y;
        Check.Close(exactDx, dx, 1e-4, "hand-derived ∂/∂x", x, y);
        Check.Close(exactDy, dy, 1e-4, "hand-derived ∂/∂y", x, y);
        double[] fd = GradientCheck.CentralDifference(p => StructResultCalls.OnLens(lens, (float)p[0], (float)p[1]), new double[] { x, y }, 1e-2);
        Check.Close(fd[0], dx, 2e-3, "finite differences ∂/∂x", x, y);
        Check.Close(fd[1], dy, 2e-3, "finite differences ∂/∂y", x, y);
        StructResultCalls.OnLensTangent(lens, x, y, 0.5f, -2f, out float tangent);
        Check.Close(0.5 * dx - 2 * dy, tangent, 1e-4, "MTangent against the gradient (dot-product test)", x, y);
    }

    [Fact]
    public void A_warm_call_through_struct_companions_allocates_nothing()
    {
        var spring = new Anchor(2.5, new Point(0.3, -0.1));
        var v = new Vector3(0.5f, -1.25f, 2f);
        var lens = new Lens(1.5f);
        void All()
        {
            StructCompanionCalls.ThroughBowlGradient(0.7, -0.4, out _, out _);
            StructCompanionCalls.ThroughEnergy3Gradient(v, 0.8f, out _, out _);
            StructCompanionCalls.ThroughPowerGradient(0.7, -0.4, out _, out _);
            StructCompanionCalls.FoldFromGradient(0.7, -0.4, 4, out _, out _);
            StructCompanionCalls.OnSpringGradient(spring, 0.7, -0.4, out _, out _);
            StructCompanionCalls.OnSpringTangent(spring, 0.7, -0.4, 1, 0, out _);
            StructResultCalls.ThroughQuarterGradient(0.7, -0.4, out _, out _);
            StructResultCalls.OnLensGradient(lens, 0.7f, -0.4f, out _, out _);
            StructResultCalls.OnLensTangent(lens, 0.7f, -0.4f, 1, 0, out _);
            StructResultCalls.ThroughSpiralGradient(0.7, -0.4, 0.9, 5, out _, out _, out _);
            StructResultCalls.ThroughSpiralTangent(0.7, -0.4, 0.9, 5, 1, 0, 0, out _);
            StructResultCalls.ThroughSpiralFGradient(0.7f, -0.4f, 0.9f, 5, out _, out _, out _);
        }
        All();
        All();
        long before = GC.GetAllocatedBytesForCurrentThread();
        All();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
