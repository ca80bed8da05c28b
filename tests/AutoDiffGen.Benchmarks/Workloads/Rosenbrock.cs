using System;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>Extended Rosenbrock: f(x) = Σᵢ (1 − xᵢ)² + 100 (xᵢ₊₁ − xᵢ²)², i = 0 … n − 2.</summary>
public static partial class Rosenbrock
{
    [Differentiable(Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
    public static double Value(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - x[i] * x[i];
            sum += a * a + 100 * b * b;
        }
        return sum;
    }

    /// <summary>The hand-written gradient: one fused loop, the value and both partials of each term at once.</summary>
    public static double HandGradient(ReadOnlySpan<double> x, Span<double> dx)
    {
        dx.Clear();
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double xi = x[i];
            double a = 1 - xi;
            double b = x[i + 1] - xi * xi;
            sum += a * a + 100 * b * b;
            dx[i] += -2 * a - 400 * b * xi;
            dx[i + 1] += 200 * b;
        }
        return sum;
    }

    /// <summary>
    /// The hand-written tangent (Jacobian-vector product), as a person would write it: one read of xᵢ, vᵢ and vᵢ₊₁ per
    /// term, ȧ = −vᵢ, ḃ = vᵢ₊₁ − 2xᵢvᵢ, ṡ += 2aȧ + 200bḃ. The yardstick of MTangent's speed (<c>--interleaved Rosenbrock</c>).
    /// </summary>
    public static double HandTangent(ReadOnlySpan<double> x, ReadOnlySpan<double> v, out double tangent)
    {
        double sum = 0, dsum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double xi = x[i], vi = v[i];
            double a = 1 - xi;
            double b = x[i + 1] - xi * xi;
            double db = v[i + 1] - 2 * xi * vi;
            sum += a * a + 100 * b * b;
            dsum += -2 * a * vi + 200 * b * db;
        }
        tangent = dsum;
        return sum;
    }

    /// <summary>
    /// The hand-written Hessian-vector product with the gradient, one fused loop: H is tridiagonal, Hᵢᵢ += 2 − 400 b + 800 xᵢ²,
    /// Hᵢ,ᵢ₊₁ = −400 xᵢ, Hᵢ₊₁,ᵢ₊₁ += 200 per term.
    /// </summary>
    public static double HandHessianVector(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> dx, Span<double> hv)
    {
        dx.Clear();
        hv.Clear();
        double sum = 0;
        for (int i = 0; i < x.Length - 1; i++)
        {
            double xi = x[i];
            double a = 1 - xi;
            double b = x[i + 1] - xi * xi;
            sum += a * a + 100 * b * b;
            dx[i] += -2 * a - 400 * b * xi;
            dx[i + 1] += 200 * b;
            hv[i] += (2 - 400 * b + 800 * xi * xi) * v[i] - 400 * xi * v[i + 1];
            hv[i + 1] += -400 * xi * v[i] + 200 * v[i + 1];
        }
        return sum;
    }
}
