using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>Vector-valued methods (api.md "Outputs (v2)"): out scalars, [Output] arrays and spans, with and without a return value.</summary>
public static partial class Outputs
{
    /// <summary>The api.md example: two out scalars, no return value.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static void Polar(double r, double theta, out double x, out double y)
    {
        x = r * Math.Cos(theta);
        y = r * Math.Sin(theta);
    }

    /// <summary>Residuals of the NIST Misra1a model, r[i] = y[i] − b1 (1 − exp(−b2 x[i])): a loop writing r[i].</summary>
    [Differentiable]
    public static void Residuals(ReadOnlySpan<double> b, [NoDerivative] ReadOnlySpan<double> x, [NoDerivative] ReadOnlySpan<double> y, [Output] Span<double> r)
    {
        for (int i = 0; i < x.Length; i++)
        {
            r[i] = y[i] - b[0] * (1 - Math.Exp(-b[1] * x[i]));
        }
    }

    /// <summary>
    /// A return value, an out scalar and an output array together; output elements read back after being written and
    /// written twice (through a branch), an out scalar accumulated in a loop, and an early return.
    /// </summary>
    [Differentiable]
    public static double Mixed(double[] w, double a, out double s, [Output] double[] r)
    {
        s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            r[i] = w[i] * a;
            if (r[i] > 1) r[i] = Math.Sqrt(r[i]);
            s += r[i] * r[i];
        }
        if (s > 10) return s;
        return a * s;
    }

    /// <summary>float throughout: a rotation of a 2-vector by an angle, written into a span.</summary>
    [Differentiable]
    public static void Rotate(float angle, ReadOnlySpan<float> v, [Output] Span<float> result)
    {
        float c = MathF.Cos(angle), s = MathF.Sin(angle);
        result[0] = c * v[0] - s * v[1];
        result[1] = s * v[0] + c * v[1];
    }

    [Differentiable]
    public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    /// <summary>A vector-valued method calling a scalar-valued [Differentiable] helper per element.</summary>
    [Differentiable]
    public static void Layer(ReadOnlySpan<double> x, double bias, [Output] Span<double> h)
    {
        int n = x.Length;
        for (int i = 0; i < n; i++)
        {
            h[i] = Softplus(x[i] + bias) + x[i] * x[(i + 1) % n];
        }
    }

    /// <summary>An early exit from a loop with two out scalars, assigned on every path.</summary>
    [Differentiable]
    public static void FirstAbove(ReadOnlySpan<double> x, [NoDerivative] double threshold, out double value, out double scaled)
    {
        value = 0;
        scaled = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > threshold)
            {
                value = x[i] * x[i];
                scaled = value * (i + 1) + x[0];
                return;
            }
        }
        scaled = x[0] * x[x.Length - 1];
    }
}

public static partial class Outputs
{
    /// <summary>
    /// An output written in one loop, read by a later one and rewritten there: the reverse sweep needs the values read, and
    /// tapes them as they are read (the buffer itself is never restored, so the caller sees its final values as they are).
    /// </summary>
    [Differentiable]
    public static double Rewritten(ReadOnlySpan<double> x, [Output] Span<double> r)
    {
        double total = 0;
        for (int i = 0; i < x.Length; i++) r[i] = x[i] * x[i];
        for (int i = 0; i < x.Length; i++)
        {
            total += Math.Sin(r[i]);
            r[i] = r[i] * x[i] + total;
        }
        double p = r[0] * x[0];
        r[0] = p * total;
        return total + p;
    }

    /// <summary>
    /// An output passed whole to a [Differentiable] helper, then rewritten: the helper's …Backward, called in the reverse
    /// sweep, reads the buffer as it was at the call, so the reverse sweep restores the old elements into the buffer itself;
    /// the final values are copied aside before the reverse sweep (<c>_final_r</c>) and back after it, so the caller still
    /// sees what the method left there. r[i] = x[i]²·e + x[i], e = Σ x[i]⁴ (returned).
    /// </summary>
    [Differentiable]
    public static double Staged(ReadOnlySpan<double> x, [Output] double[] r)
    {
        for (int i = 0; i < x.Length; i++) r[i] = x[i] * x[i];
        double e = SquaredNorm(r);
        for (int i = 0; i < x.Length; i++) r[i] = r[i] * e + x[i];
        return e;
    }

    [Differentiable]
    public static double SquaredNorm(double[] v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
        return s;
    }
}

/// <summary>
/// A vector-valued method reaching, through a [Differentiable] helper, a method with only a hand-written …Backward
/// (Custom.SoftPlus): the helper's MTangent cannot be generated, so MJacobian runs reverse sweeps only and there is no
/// MTangent (a forward-mode caller would get ADG0307).
/// </summary>
public static partial class ThroughBackwardOnly
{
    [Differentiable]
    public static double SoftScaled(double u) => Custom.SoftPlus(u) * u;

    [Differentiable]
    public static void Pair(double x, double y, out double a, out double b)
    {
        a = SoftScaled(x * y);
        b = x - y * y;
    }
}
