using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions.Repro;

/// <summary>The causes of the repro programs, hand-reduced (ReproTests).</summary>
public static partial class Reduced
{
    /// <summary>
    /// The reverse sweep re-tests <c>x0 &gt; -0.1</c> to know whether the break was taken, so it needs each iteration's x0
    /// back. That restore looked dead while the reverse of the break (a restore of the loop's jump state) was not yet
    /// part of the reverse sweep; it was dropped, and the reverse sweep popped a break that never happened.
    /// </summary>
    [Differentiable]
    public static double BreakAfterTapedBranch(double x0, double x2)
    {
        double t0 = 0.6;
        for (int i2 = 0; i2 < 2; i2++)
        {
            if (t0 > 1) x0 = Math.Atan(t0 * x2);
            if (i2 == 1) continue;
            t0 += 1;
            if (x0 > -0.1) break;
        }
        return Math.Sin(x0);
    }

    /// <summary>Max/Min select one argument: the other's adjoint is zero, and its partial may be infinite.</summary>
    [Differentiable]
    public static double OverflowInUnselectedMin(double x)
    {
        double big = Math.Exp(1000 * x);
        double m = Math.Min(big, 2.0);
        return m * x;
    }

    /// <summary>A value that is NaN on a path that returns without it: its adjoint is zero there.</summary>
    [Differentiable]
    public static double NaNOnAnUntakenReturn(double x)
    {
        double y = Math.Log(x - 10);
        double z = y * y;
        if (x > 100) return z;
        return 2 * x;
    }

    /// <summary>√(x·k) at k = 0 is 0 for every x: Sqrt's partial there is +∞, times the zero partial k.</summary>
    [Differentiable]
    public static double SqrtOfScaled(double x, int k) => Math.Sqrt(x * k) + x;

    /// <summary>√(x²) = |x|: at x = 0 the gradient is Abs's subgradient, 0, not ∞ · 0.</summary>
    [Differentiable]
    public static double SqrtOfSquare(double x) => Math.Sqrt(x * x);

    /// <summary>
    /// The loop overwrites x3, so nothing that reads x3 after it depends on the first x3; its reverse must zero x3's
    /// adjoint. That reverse loop was skipped whenever the adjoint of x0 (all the loop otherwise propagates) was zero,
    /// and the gradient of the later x3 leaked through the overwritten one into a (IR seed 243813779).
    /// </summary>
    [Differentiable]
    public static double OverwrittenInALoopWhoseOtherAdjointIsZero(double a, double x0)
    {
        double x3 = -Math.Cos(a);
        for (int i = 0; i < 3; i++)
        {
            x3 = -0.88;
            x0 = Math.Cos(i) - x3 + x0;
        }
        for (int k = 0; k < 2; k++) x0 = Math.Cos(x3); // overwrites x0: its adjoint is zero (not known statically) before the loop's reverse
        return x3 * a + x0;
    }
}
