using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>MTangent (forward mode, api.md) per construct family, against exact derivatives and finite differences.</summary>
public class TangentTests
{
    private static double[][] Points(int n, double lo, double hi, int count = 5) => Check.Points(n, lo, hi, count);

    [Fact]
    public void Straight_line_code_matches_the_hand_derived_derivative() =>
        TangentCheck.Directional(
            p => Tangents.Rosenbrock(p[0], p[1]),
            (p, v) => (Tangents.RosenbrockTangent(p[0], p[1], v[0], v[1], out double t), t),
            p => new[] { -2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] * p[0]), 200 * (p[1] - p[0] * p[0]) },
            Points(2, -2, 2));

    [Fact]
    public void Every_kind_of_rule_matches_the_reverse_mode_gradient() =>
        TangentCheck.Directional(
            p => Tangents.Mixed(p[0], p[1]),
            (p, v) => (Tangents.MixedTangent(p[0], p[1], v[0], v[1], out double t), t),
            p => { Tangents.MixedGradient(p[0], p[1], out double dx, out double dy); return new[] { dx, dy }; },
            Points(2, 0.3, 2));

    [Fact]
    public void A_forward_only_method_gets_MTangent_and_MBackward_but_no_MGradient()
    {
        TangentCheck.Directional(
            p => Tangents.ForwardOnly(p[0], p[1]),
            (p, v) => (Tangents.ForwardOnlyTangent(p[0], p[1], v[0], v[1], out double t), t),
            p => new[] { Math.Cos(p[1]), -p[0] * Math.Sin(p[1]) + 2 * p[1] },
            Points(2, -2, 2));
        Assert.NotNull(typeof(Tangents).GetMethod(nameof(Tangents.ForwardOnly) + "Backward"));
        Assert.Null(typeof(Tangents).GetMethod(nameof(Tangents.ForwardOnly) + "Gradient"));
        Assert.Null(typeof(Tangents).GetMethod(nameof(Tangents.Calls) + "Hessian"));
    }

    [Fact]
    public void Branches_and_early_returns() =>
        TangentCheck.Directional(
            p => Tangents.Branches(p[0], p[1]),
            (p, v) => (Tangents.BranchesTangent(p[0], p[1], v[0], v[1], out double t), t),
            p =>
            {
                double x = p[0], y = p[1];
                if (x < -1) return new[] { -2 * y, -2 * x };
                if (x > y && x * y < 4) return new[] { 2 * x * y * y, 2 * x * x * y };
                if (y > 2) return new[] { Math.Cos(x) * y, Math.Sin(x) + 3 * y * y };
                double r = x - 3 * y;
                if (r > 0) return new[] { 0.5 / Math.Sqrt(r), -1.5 / Math.Sqrt(r) };
                return new[] { y, x - 6 * y };
            },
            new[] { new[] { -2.0, 1.5 }, new[] { 1.5, 0.5 }, new[] { 0.3, 2.5 }, new[] { 1.0, -0.5 }, new[] { -0.5, 0.5 }, new[] { 0.5, 1.5 } });

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(9)]
    public void Loops_with_break_and_continue(int n) =>
        TangentCheck.Directional(
            p => Tangents.Loops(p[0], p[1], n),
            (p, v) => (Tangents.LoopsTangent(p[0], p[1], n, v[0], v[1], out double t), t),
            p => { Tangents.LoopsGradient(p[0], p[1], n, out double dx, out double dy); return new[] { dx, dy }; },
            Points(2, 0.5, 1.8));

    [Fact]
    public void Arrays_spans_and_local_arrays()
    {
        double[] x = { 0.5, -1.0, 2.0, 0.25 };
        TangentCheck.Directional(
            p => Tangents.Ridge(p.AsSpan(0, 4), p[4], x, 0.1),
            (p, v) => (Tangents.RidgeTangent(p.AsSpan(0, 4), p[4], x, 0.1, v.AsSpan(0, 4), v[4], out double t), t),
            p =>
            {
                var g = new double[5];
                g[4] = Tangents.RidgeGradient(p.AsSpan(0, 4), p[4], x, 0.1, g.AsSpan(0, 4), out double db) * 0 + db;
                return g;
            },
            Points(5, -1, 1));
    }

    [Fact]
    public void A_method_that_writes_into_its_input_array_and_a_matrix_input()
    {
        // Flattened: a (3 elements), then m (2 × 2) row-major.
        static (double[] A, double[,] M) Split(double[] p) => (p[..3], new[,] { { p[3], p[4] }, { p[5], p[6] } });
        TangentCheck.Directional(
            p => { var (a, m) = Split(p); return Tangents.InPlace(a, m); },
            (p, v) =>
            {
                var (a, m) = Split(p);
                var (da, dm) = Split(v);
                double value = Tangents.InPlaceTangent(a, m, da, dm, out double t);
                return (value, t);
            },
            p =>
            {
                var (a, m) = Split(p);
                var da = new double[3];
                var dm = new double[2, 2];
                Tangents.InPlaceGradient(a, m, da, dm);
                return da.Concat(dm.Cast<double>()).ToArray();
            },
            Points(7, -1, 1));
    }

    [Fact]
    public void Jagged_inputs_and_jagged_locals_with_rows_allocated_in_a_loop()
    {
        static double[][] Split(double[] p) => new[] { p[..2], p[2..5] };
        TangentCheck.Directional(
            p => Tangents.Jagged(Split(p), p[5]),
            (p, v) => (Tangents.JaggedTangent(Split(p), p[5], Split(v), v[5], out double t), t),
            p =>
            {
                double[][] dg = { new double[2], new double[3] };
                Tangents.JaggedGradient(Split(p), p[5], dg, out double dx);
                return dg[0].Concat(dg[1]).Append(dx).ToArray();
            },
            Points(6, -1, 1));
    }

    [Fact]
    public void Guards_throw_from_MTangent_and_Sqrt_at_zero_follows_the_rule_table()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Tangents.GuardedTangent(-1, 1, out _));
        TangentCheck.Directional(p => Tangents.Guarded(p[0]), (p, v) => (Tangents.GuardedTangent(p[0], v[0], out double t), t),
            p => new[] { 1.5 * Math.Sqrt(p[0]) }, Points(1, 0.1, 3));

        // √(x²y) at x = 0: value 0, so its derivative is 0 by convention (not NaN from 0 · ∞); dy passes through + y.
        double value = Tangents.SqrtAtZeroTangent(0, 2, 1, 1, out double tangent);
        Assert.Equal(2, value);
        Assert.Equal(1, tangent);
        Tangents.SqrtAtZeroGradient(0, 2, out double gx, out double gy);
        Assert.Equal(gx * 1 + gy * 1, tangent);
    }

    [Fact]
    public void Float_methods_stay_float()
    {
        foreach (double[] p in Points(2, -1, 1))
        {
            float x = (float)p[0], y = (float)p[1];
            float value = Tangents.FloatMixedTangent(x, y, 0.5f, -1f, out float tangent);
            Check.Same(Tangents.FloatMixed(x, y), value, "MTangent value", p);
            double ex = Math.Cos(x) * y + y * Math.Exp(x * y) / (1 + y * y);
            double ey = Math.Sin(x) + (x * Math.Exp(x * y) * (1 + y * y) - Math.Exp(x * y) * 2 * y) / ((1 + y * y) * (1 + y * y));
            Check.Close(0.5 * ex - ey, tangent, 1e-5, "hand-derived", p);
            double fd = Runtime.GradientCheck.CentralDifference(s => Tangents.FloatMixed((float)(x + 0.5 * s), (float)(y - s)), 0, step: 1e-3);
            Check.Close(fd, tangent, 2e-3, "finite differences", p);
        }
        Assert.Equal(typeof(float), typeof(Tangents).GetMethod(nameof(Tangents.FloatMixedTangent))!.GetParameters().Last().ParameterType.GetElementType());
    }

    [Fact]
    public void Mixed_precision_a_float_input_in_double_arithmetic()
    {
        foreach (double[] p in Points(2, -1, 1))
        {
            float x = (float)p[0];
            double y = p[1];
            double value = Tangents.MixedPrecisionTangent(x, y, 1f, 0, out double tx);
            Check.Same(Tangents.MixedPrecision(x, y), value, "MTangent value", p);
            double value2 = Tangents.MixedPrecisionTangent(x, y, 0f, 1, out double ty);
            Check.Same(value, value2, "MTangent value", p);
            Tangents.MixedPrecisionGradient(x, y, out float gx, out double gy);
            Check.Close(gx, tx, 1e-6, "reverse-mode ∂/∂x", p);
            Check.Close(gy, ty, 1e-6, "reverse-mode ∂/∂y", p);
            // The float rounding inside makes differences in x noisy: step 1e-3.
            Check.Close(Runtime.GradientCheck.CentralDifference(s => Tangents.MixedPrecision((float)s, y), x, step: 1e-3), tx, 1e-2, "finite differences ∂/∂x", p);
            Check.Close(Runtime.GradientCheck.CentralDifference(s => Tangents.MixedPrecision(x, s), y, step: 1e-3), ty, 1e-2, "finite differences ∂/∂y", p);
        }
    }

    [Fact]
    public void Calls_use_the_callees_MTangent_generated_or_hand_written_and_recursion() =>
        TangentCheck.Directional(
            p => Tangents.Calls(p[0], p[1]),
            (p, v) => (Tangents.CallsTangent(p[0], p[1], v[0], v[1], out double t), t),
            p =>
            {
                double x = p[0], y = p[1];
                double s = 1 / (1 + Math.Exp(-x * y));
                return new[]
                {
                    0.01 * (-2 * (1 - x) - 400 * x * (y - x * x)) - y * Math.Sin(x) + 2 * x + s * y + 3 * x * x,
                    0.01 * 200 * (y - x * x) + Math.Cos(x) + s * x,
                };
            },
            Points(2, -1.5, 1.5));

    [Fact]
    public void A_callee_that_asked_only_for_reverse_mode_gets_its_MTangent_on_demand()
    {
        static double Logistic(double v) => 1 / (1 + Math.Exp(-v * v * 0.5 - v));
        static double LogisticPrime(double v) { double s = Logistic(v); return s * (1 - s) * (v + 1); }
        TangentCheck.Directional(
            p => Tangents.CallsReverseOnly(p[0], p[1]),
            (p, v) => (Tangents.CallsReverseOnlyTangent(p[0], p[1], v[0], v[1], out double t), t),
            p =>
            {
                double x = p[0], y = p[1];
                return new[] { LogisticPrime(x * y) * y + LogisticPrime(x - y) * y, LogisticPrime(x * y) * x - LogisticPrime(x - y) * y + Logistic(x - y) };
            },
            Points(2, -1.5, 1.5));
        // With the callee's own accessibility, transitively (Square is internal and called only through Logistic).
        Assert.True(typeof(ReverseOnly).GetMethod("LogisticTangent")!.IsPublic);
        Assert.True(typeof(ReverseOnly).GetMethod("SquareTangent", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.IsAssembly);
        Assert.NotNull(typeof(ReverseOnly).GetMethod("LogisticGradient"));
    }

    [Fact]
    public void Calls_with_array_arguments_pass_tangent_spans()
    {
        TangentCheck.Directional(
            p => Tangents.CallsWithArrays(p[..3], p[3]),
            (p, v) => (Tangents.CallsWithArraysTangent(p[..3], p[3], v.AsSpan(0, 3), v[3], out double t), t),
            p =>
            {
                double b = p[3];
                double[] w = p[..3];
                return w.Select(wi => 2 * wi * b * b + 2 * wi).Append(w.Sum(wi => 2 * wi * wi * b)).ToArray();
            },
            Points(4, -1, 1));
    }

    [Fact]
    public void A_passive_array_argument_gets_a_pooled_zero_tangent_and_adjoint_and_a_warm_call_allocates_nothing()
    {
        double[] w = { 0.5, -1.5, 2 }, data = { 1, 2, 3 }, dw = { 1, 0.5, -2 };
        double value = Tangents.CallsWithDataArrayTangent(w, data, dw, out double tangent);
        Assert.Equal(Tangents.CallsWithDataArray(w, data), value);
        // f = ⟨w, data⟩ w0 + Σ w²: ḟ = ⟨dw, data⟩ w0 + ⟨w, data⟩ dw0 + 2 Σ w dw
        double dot = 0.5 - 3 + 6, dotDw = 1 + 1 - 6;
        Assert.Equal(dotDw * 0.5 + dot * 1 + 2 * (0.5 * 1 - 1.5 * 0.5 + 2 * -2), tangent, 12);
        // The gradient agrees with the tangent (dot-product test): ⟨∇f, dw⟩ = ḟ.
        var gradient = new double[3];
        Tangents.CallsWithDataArrayGradient(w, data, gradient);
        Assert.Equal(tangent, gradient[0] * dw[0] + gradient[1] * dw[1] + gradient[2] * dw[2], 12);
        for (int i = 0; i < 3; i++)
        {
            Tangents.CallsWithDataArrayTangent(w, data, dw, out _);
            Tangents.CallsWithDataArrayGradient(w, data, gradient);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            Tangents.CallsWithDataArrayTangent(w, data, dw, out _);
            Tangents.CallsWithDataArrayGradient(w, data, gradient);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_tangent_of_the_wrong_length_is_an_ArgumentException_naming_it()
    {
        var e = Assert.Throws<ArgumentException>(() => Tangents.SumSquaresTangent(new double[3], new double[2], out _));
        Assert.Contains("dv", e.Message);
    }
}
