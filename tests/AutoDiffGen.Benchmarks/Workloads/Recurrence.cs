using System;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// A discretised nonlinear ODE, x(t+1) = x(t) + h (α sin x(t) − β x(t) + γ), run for <c>steps</c> steps from x0,
/// with the loss the mean of x(t)² along the trajectory. x is loop-carried: every step overwrites it.
/// </summary>
public static partial class Recurrence
{
    public const double H = 0.01;

    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Loss(double x0, double alpha, double beta, double gamma, [NoDerivative] int steps)
    {
        double x = x0;
        double loss = 0;
        for (int t = 0; t < steps; t++)
        {
            x = x + H * (alpha * Math.Sin(x) - beta * x + gamma);
            loss += x * x;
        }
        return loss / steps;
    }

    /// <summary>
    /// The hand-written gradient: the forward pass stores the trajectory (on the stack up to 4 096 steps, pooled
    /// beyond), the backward pass walks it once in reverse carrying dL/dx(t).
    /// </summary>
    public static double HandGradient(double x0, double alpha, double beta, double gamma, int steps,
        out double dx0, out double dalpha, out double dbeta, out double dgamma)
    {
        double[]? rented = null;
        Span<double> xs = steps < 4096 ? stackalloc double[steps + 1] : (rented = System.Buffers.ArrayPool<double>.Shared.Rent(steps + 1));
        double x = x0;
        double loss = 0;
        xs[0] = x;
        for (int t = 0; t < steps; t++)
        {
            x = x + H * (alpha * Math.Sin(x) - beta * x + gamma);
            xs[t + 1] = x;
            loss += x * x;
        }
        double scale = 1.0 / steps;
        double gx = 0, ga = 0, gb = 0, gg = 0;
        for (int t = steps - 1; t >= 0; t--)
        {
            // gx is dL/dx(t+1) from the later steps; add the loss term's own contribution, then step back to x(t).
            gx += 2 * xs[t + 1] * scale;
            double xt = xs[t];
            double hg = H * gx;
            ga += hg * Math.Sin(xt);
            gb -= hg * xt;
            gg += hg;
            gx += hg * (alpha * Math.Cos(xt) - beta);
        }
        if (rented is not null) System.Buffers.ArrayPool<double>.Shared.Return(rented);
        dx0 = gx;
        dalpha = ga;
        dbeta = gb;
        dgamma = gg;
        return loss * scale;
    }
}
