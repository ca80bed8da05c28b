using System;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// Two vector-valued maps for MJacobian, one per sweep direction, each with its hand-written Jacobian:
/// <see cref="Decay"/> (100 residuals of 3 parameters: MJacobian runs 3 forward sweeps) and <see cref="Moments"/>
/// (3 sums over 100 inputs: 3 reverse sweeps).
/// </summary>
public static partial class JacobianMaps
{
    /// <summary>r[i] = p0 exp(−p1 t[i]) + p2 − y[i]: a 100 × 3 residual map.</summary>
    [Differentiable]
    public static void Decay(ReadOnlySpan<double> p, [NoDerivative] ReadOnlySpan<double> t, [NoDerivative] ReadOnlySpan<double> y, [Output] Span<double> r)
    {
        for (int i = 0; i < t.Length; i++)
        {
            r[i] = p[0] * Math.Exp(-p[1] * t[i]) + p[2] - y[i];
        }
    }

    /// <summary>The residuals and ∂r/∂p by hand: one exp per row.</summary>
    public static void DecayJacobianByHand(ReadOnlySpan<double> p, ReadOnlySpan<double> t, ReadOnlySpan<double> y, Span<double> r, double[,] jacobian)
    {
        for (int i = 0; i < t.Length; i++)
        {
            double e = Math.Exp(-p[1] * t[i]);
            r[i] = p[0] * e + p[2] - y[i];
            jacobian[i, 0] = e;
            jacobian[i, 1] = -p[0] * t[i] * e;
            jacobian[i, 2] = 1;
        }
    }

    /// <summary>m = (Σ x², Σ sin x, Σ x exp(−x²)): a 3 × 100 map.</summary>
    [Differentiable]
    public static void Moments(ReadOnlySpan<double> x, [Output] Span<double> m)
    {
        double squares = 0, sines = 0, bumps = 0;
        for (int i = 0; i < x.Length; i++)
        {
            squares += x[i] * x[i];
            sines += Math.Sin(x[i]);
            bumps += x[i] * Math.Exp(-x[i] * x[i]);
        }
        m[0] = squares;
        m[1] = sines;
        m[2] = bumps;
    }

    /// <summary>The moments and their Jacobian by hand: one pass, one sin, cos and exp per input.</summary>
    public static void MomentsJacobianByHand(ReadOnlySpan<double> x, Span<double> m, double[,] jacobian)
    {
        double squares = 0, sines = 0, bumps = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double xi = x[i], e = Math.Exp(-xi * xi);
            squares += xi * xi;
            sines += Math.Sin(xi);
            bumps += xi * e;
            jacobian[0, i] = 2 * xi;
            jacobian[1, i] = Math.Cos(xi);
            jacobian[2, i] = e * (1 - 2 * xi * xi);
        }
        m[0] = squares;
        m[1] = sines;
        m[2] = bumps;
    }
}
