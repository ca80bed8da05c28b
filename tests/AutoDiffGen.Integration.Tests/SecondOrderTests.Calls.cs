using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Second order through calls (issue 9): a Hessian method's MHessianVector calls each [Differentiable] callee's MTangent
/// forward and its MBackwardTangent in reverse (generated on demand when the callee did not ask for the Hessian).
/// </summary>
public partial class SecondOrderTests
{
    [Fact]
    public void A_scalar_helper_called_twice_matches_the_hand_derived_Hessian() =>
        CheckTwo(SecondOrderCalls.ScalarHelper, SecondOrderCalls.ScalarHelperGradient, SecondOrderCalls.ScalarHelperHessianVector, SecondOrderCalls.ScalarHelperHessian,
            p =>
            {
                double x = p[0], y = p[1], s = Math.Sin(y), c = Math.Cos(y), e = Math.Exp(0.1 * y * y);
                double fxy = 4 * x * s * c + 0.2 * y * e;
                return new[,] { { 2 * s * s, fxy }, { fxy, 2 * x * x * (c * c - s * s) + x * e * (0.2 + 0.04 * y * y) } };
            },
            Points(2, -1.5, 1.5));

    [Fact]
    public void A_helper_taking_an_array_and_passive_data_matches_the_hand_derived_Hessian()
    {
        double[] a = { 0.5, -1.0, 2.0, 0.25, 1.5 };
        CheckArray(w => SecondOrderCalls.ArrayHelper(w, a), (w, dw) => SecondOrderCalls.ArrayHelperGradient(w, a, dw),
            (w, vw, dw, hvw) => SecondOrderCalls.ArrayHelperHessianVector(w, a, vw, dw, hvw),
            (w, dw, h) => SecondOrderCalls.ArrayHelperHessian(w, a, dw, h),
            w =>
            {
                // f = q² + w₀q, q = Σ aᵢwᵢ²: H = 2∇q∇qᵀ + (2q + w₀)·diag(2a) + e₀∇qᵀ + ∇q e₀ᵀ.
                int n = w.Length;
                double q = Enumerable.Range(0, n).Sum(i => a[i] * w[i] * w[i]);
                double[] dq = Enumerable.Range(0, n).Select(i => 2 * a[i] * w[i]).ToArray();
                var h = new double[n, n];
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++) h[i, j] = 2 * dq[i] * dq[j] + (i == 0 ? dq[j] : 0) + (j == 0 ? dq[i] : 0);
                    h[i, i] += (2 * q + w[0]) * 2 * a[i];
                }
                return h;
            },
            Points(5, -1.2, 1.2));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    public void A_helper_called_in_a_loop_gives_the_N_dimensional_Rosenbrock_Hessian(int n) =>
        CheckArray(SecondOrderCalls.HelperInLoop, SecondOrderCalls.HelperInLoopGradient, SecondOrderCalls.HelperInLoopHessianVector, SecondOrderCalls.HelperInLoopHessian,
            RosenbrockNHessian, Points(n, -1.5, 1.5, 3).Append(Enumerable.Range(0, n).Select(i => i % 2 == 0 ? -1.2 : 1.0).ToArray()).ToArray());

    [Fact]
    public void Nested_helpers_and_a_helper_that_asks_for_the_Hessian_itself_match_differences_of_the_gradient() =>
        CheckTwo(SecondOrderCalls.Nested, SecondOrderCalls.NestedGradient, SecondOrderCalls.NestedHessianVector, SecondOrderCalls.NestedHessian,
            null, Points(2, -1.5, 1.5, 6));

    [Fact]
    public void A_params_helper_whose_array_the_call_builds_matches_the_hand_derived_Hessian() =>
        // The helper's direction array is a rented tangent of the call's array: its pullback gets spans of the call's length
        // (it got the rented length, and the helper's shape check threw; C# random programs, seed 70007).
        // f = sin(xy) + x²y² + sin x + sin y + xy.
        CheckTwo(SecondOrderCalls.ThroughParams, SecondOrderCalls.ThroughParamsGradient, SecondOrderCalls.ThroughParamsHessianVector, SecondOrderCalls.ThroughParamsHessian,
            p =>
            {
                double x = p[0], y = p[1], s = Math.Sin(x * y), c = Math.Cos(x * y);
                double xy = c - x * y * s + 4 * x * y + 1;
                return new[,] { { -y * y * s + 2 * y * y - Math.Sin(x), xy }, { xy, -x * x * s + 2 * x * x - Math.Sin(y) } };
            },
            Points(2, -1.5, 1.5));

    [Fact]
    public void A_float_helper_gives_float_companions()
    {
        float x = 0.7f, y = -1.3f;
        var h = new float[2, 2];
        float value = SecondOrderCalls.FloatHelperHessian(x, y, out float dx, out float dy, h);
        Assert.Equal(SecondOrderCalls.FloatHelper(x, y), value);
        double xd = x, yd = y, c = Math.Cos(xd * xd), s = Math.Sin(xd * xd);
        double[,] exact = { { 2 * yd * yd + 2 * c - 4 * xd * xd * s, 4 * xd * yd }, { 4 * xd * yd, 2 * xd * xd } };
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++) Check.Close(exact[i, j], h[i, j], 1e-5, "float MHessian[" + i + ", " + j + "]", xd, yd);
        }
        Check.Close(2 * xd * yd * yd + 2 * xd * c, dx, 1e-5, "float gradient x", xd, yd);
        Check.Close(2 * xd * xd * yd, dy, 1e-5, "float gradient y", xd, yd);
        SecondOrderCalls.FloatHelperHessianVector(x, y, 0.5f, -2f, out _, out _, out float hx, out float hy);
        Check.Close(exact[0, 0] * 0.5 - exact[0, 1] * 2, hx, 1e-5, "float (H·v)[0]", xd, yd);
        Check.Close(exact[1, 0] * 0.5 - exact[1, 1] * 2, hy, 1e-5, "float (H·v)[1]", xd, yd);
    }

    [Fact]
    public void MBackwardTangent_adds_seed_times_H_v_and_seed_times_the_gradient()
    {
        // Inner(x) = x sin x: g' = sin x + x cos x, g'' = 2 cos x − x sin x.
        double x = 0.8, v = -1.7, seed = 2.5, dx = 10, dv = -3;
        double value = SecondOrderCalls.InnerBackwardTangent(x, v, seed, ref dx, ref dv);
        Assert.Equal(SecondOrderCalls.Inner(x), value);
        Check.Close(10 + seed * (2 * Math.Cos(x) - x * Math.Sin(x)) * v, dx, 1e-12, "dx += seed·g''·v", x);
        Check.Close(-3 + seed * (Math.Sin(x) + x * Math.Cos(x)), dv, 1e-12, "dv += seed·g'", x);
    }

    [Fact]
    public void Hessian_vector_products_through_calls_allocate_nothing_when_warm()
    {
        double[] x = Enumerable.Range(0, 40).Select(i => i % 2 == 0 ? -1.2 : 1.0).ToArray(), v = Enumerable.Range(0, 40).Select(i => 1.0 / (i + 1)).ToArray();
        double[] a = Enumerable.Range(0, 40).Select(i => 0.1 * i).ToArray();
        double[] g = new double[40], hv = new double[40];
        var h = new double[2, 2];
        void Run()
        {
            SecondOrderCalls.HelperInLoopHessianVector(x, v, g, hv);
            SecondOrderCalls.ArrayHelperHessianVector(x, a, v, g, hv);
            SecondOrderCalls.NestedHessianVector(0.3, -0.8, 1, 2, out _, out _, out _, out _);
            SecondOrderCalls.NestedHessian(0.3, -0.8, out _, out _, h);
        }
        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
