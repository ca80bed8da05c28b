using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>
/// Loops that record where a tape reservation must cover them (TapeReservationTests; CompanionEmitter.Tapes.cs): after
/// an inner loop that may run no iteration, before a break, in one arm of a branch, and enough of them to grow the tape
/// several times.
/// </summary>
public static partial class TapeReservations
{
    /// <summary>An inner loop of inner[i] iterations (0, 1 or 2), then one more recorded overwrite of s.</summary>
    [Differentiable]
    public static double AfterInnerLoop(double[] x, [NoDerivative] int[] inner)
    {
        double s = 0.5;
        for (int i = 0; i < x.Length; i++)
        {
            for (int k = 0; k < inner[i]; k++)
            {
                s = Math.Sin(s * x[i]) + 0.25;
            }
            s = Math.Tanh(s + x[i]);
        }
        return s * s;
    }

    /// <summary>Records s, may leave, then records t: the loop ends between two recordings.</summary>
    [Differentiable]
    public static double BreakAfterRecording(double[] x, [NoDerivative] double limit)
    {
        double s = 0.3;
        double t = 1;
        int i = 0;
        while (true)
        {
            s = Math.Sin(s + x[i]);
            if (s > limit) break;
            t = t * Math.Cos(s) + s;
            i++;
            if (i >= x.Length) break;
        }
        return s + t;
    }

    /// <summary>Two recordings in one arm, one in the other.</summary>
    [Differentiable]
    public static double BranchArms(double[] x)
    {
        double a = 0.2;
        double b = 0.7;
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] > 0)
            {
                a = Math.Sin(a * x[i]);
                b = Math.Cos(b + a);
            }
            else
            {
                a = a * x[i] + b;
            }
        }
        return a * b;
    }
}
