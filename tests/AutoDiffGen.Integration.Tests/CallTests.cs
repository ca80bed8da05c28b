using System;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

public class CallTests
{
    [Fact]
    public void Call_to_a_differentiable_method_of_another_class() =>
        Check.Two(Calls.Norm, Calls.NormGradient, Calls.NormBackward, (x, y) =>
        {
            double n = x * x + y * y + (x - y) * (x - y);
            double r = 2 * Math.Sqrt(n);
            return ((2 * x + 2 * (x - y)) / r, (2 * y - 2 * (x - y)) / r);
        }, -2, 2);

    [Fact]
    public void Nested_calls_in_the_same_class() =>
        Check.Two(Calls.Outer, Calls.OuterGradient, Calls.OuterBackward, (x, y) =>
        {
            double a = x * Math.Exp(-y), ax = Math.Exp(-y), ay = -x * Math.Exp(-y);
            double c = y * Math.Exp(-x), cx = -y * Math.Exp(-x), cy = Math.Exp(-x);
            double b = a * Math.Exp(-c);
            double bx = ax * Math.Exp(-c) - b * cx, by = ay * Math.Exp(-c) - b * cy;
            return (ax + 2 * b * bx, ay + 2 * b * by);
        }, -1.5, 1.5);

    [Fact]
    public void One_line_helper_called_in_a_loop_is_inlined_with_the_same_derivatives() =>
        Check.Two(Calls.GatedRecurrence, Calls.GatedRecurrenceGradient, Calls.GatedRecurrenceBackward, (w, u) =>
        {
            // Forward mode by hand: h with its derivatives along w and u.
            double h = 0.5, hw = 0, hu = 0;
            for (int t = 0; t < 12; t++)
            {
                double g = 1 / (1 + Math.Exp(-(w * h + u))), gz = g * (1 - g);
                double gw = gz * (h + w * hw), gu = gz * (w * hu + 1);
                double k = Math.Tanh(h + u), kh = 1 - k * k;
                double kw = kh * hw, ku = kh * (hu + 1);
                (hw, hu) = (gw * k + g * kw - gw * h + (1 - g) * hw, gu * k + g * ku - gu * h + (1 - g) * hu);
                h = g * k + (1 - g) * h;
            }
            return (hw, hu);
        }, -1.5, 1.5);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void Recursion(int n) =>
        Check.One(x => Calls.PowRec(x, n),
            (double x, out double dx) => Calls.PowRecGradient(x, n, out dx),
            (double x, double seed, ref double dx) => Calls.PowRecBackward(x, n, seed, ref dx),
            x => n == 0 ? 0 : n * Math.Pow(x, n - 1), -1.5, 1.5);

    [Fact]
    public void Hand_written_backward_is_used_by_the_caller()
    {
        // Quantize has zero derivative almost everywhere; its hand-written Backward passes the gradient straight
        // through, so the caller's gradient is the straight-through one, not the true (zero) one.
        foreach (var p in Check.Points(2, -2, 2))
        {
            double x = p[0], y = p[1];
            double value = Calls.UsesQuantizeGradient(x, y, out double dx, out double dy);
            Check.Same(Calls.UsesQuantize(x, y), value, "value", x, y);
            Check.Close(y, dx, 1e-12, "straight-through ∂/∂x", x, y);
            Check.Close(x + 1, dy, 1e-12, "straight-through ∂/∂y", x, y);

            double ax = 1, ay = 1;
            Calls.UsesQuantizeBackward(x, y, 3, ref ax, ref ay);
            Check.Close(1 + 3 * y, ax, 1e-12, "MBackward x", x, y);
            Check.Close(1 + 3 * (x + 1), ay, 1e-12, "MBackward y", x, y);
        }
    }

    [Fact]
    public void Hand_written_exact_backward_matches_finite_differences() =>
        Check.One(Calls.UsesSoftPlus, Calls.UsesSoftPlusGradient, Calls.UsesSoftPlusBackward,
            x => 2 * x / (1 + Math.Exp(-2 * x)) + Math.Log(1 + Math.Exp(2 * x)), -3, 3);

    [Fact]
    public void Calls_with_passive_arguments_only()
    {
        foreach (var (x, c, n) in new[] { (0.5, 1.4, 2), (-1.5, -2.6, 0), (2.0, 0.3, 5) })
        {
            double value = Calls.PassiveCallsGradient(x, c, n, out double dx);
            Assert.Equal(Calls.PassiveCalls(x, c, n), value);
            double k = 6 + 4 + (n + 1) + Math.Round(c);
            Check.Close(k + c * c, dx, 1e-12, "∂/∂x", x, c, n);
        }
    }

    [Fact]
    public void Backward_accumulates_over_a_minibatch()
    {
        // Shared parameters: one adjoint buffer, several samples; the sum equals the sum of the gradients.
        (double X, double Y)[] batch = { (0.3, 1.2), (-0.7, 0.4), (1.1, -0.9), (0.0, 0.5) };
        double ax = 0, ay = 0, expectedX = 0, expectedY = 0;
        foreach (var (x, y) in batch)
        {
            Calls.NormBackward(x, y, 1.0 / batch.Length, ref ax, ref ay);
            Calls.NormGradient(x, y, out double dx, out double dy);
            expectedX += dx / batch.Length;
            expectedY += dy / batch.Length;
        }
        Assert.Equal(expectedX, ax, 1e-12);
        Assert.Equal(expectedY, ay, 1e-12);
    }

    [Fact]
    public void Array_passed_to_a_span_parameter_of_a_differentiable_callee()
    {
        double[] a = { 0.5, -1.25, 2.0 }, w = { 1.0, 0.25, -0.5 };
        const double x = 1.5;
        double[] da = new double[3];
        double value = SpanCalls.ScaledGradient(a, x, w, da, out double dx);
        double sum = 0;
        for (int i = 0; i < 3; i++) sum += w[i] * a[i] * a[i];
        Assert.Equal(sum * x, value, 12);
        Assert.Equal(sum, dx, 12);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(2 * w[i] * a[i] * x, da[i], 12);
            double[] plus = (double[])a.Clone(), minus = (double[])a.Clone();
            plus[i] += 1e-6;
            minus[i] -= 1e-6;
            Assert.Equal((SpanCalls.Scaled(plus, x, w) - SpanCalls.Scaled(minus, x, w)) / 2e-6, da[i], 6);
        }
    }
}
