using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Generated code reserves tape room at the top of each recording iteration and pushes without a capacity check
/// (CompanionEmitter.Tapes.cs): these loops record where a reservation that counted too little would throw
/// (IndexOutOfRangeException), at lengths that grow the tape several times (200 × up to 3 values) and that are
/// checkpointed (64 iterations or more). Each against the exact derivative (dual numbers) and central differences.
/// </summary>
public class TapeReservationTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(200)]
    public void Recording_after_an_inner_loop_that_may_not_run(int n)
    {
        int[] inner = Enumerable.Range(0, n).Select(i => (i * 7 + 3) % 3).ToArray();
        CheckOverX(n,
            x => TapeReservations.AfterInnerLoop(x, inner),
            (x, g) => TapeReservations.AfterInnerLoopGradient(x, inner, g),
            (x, seed, g) => TapeReservations.AfterInnerLoopBackward(x, inner, seed, g),
            x =>
            {
                Dual s = 0.5;
                for (int i = 0; i < x.Length; i++)
                {
                    for (int k = 0; k < inner[i]; k++) s = Dual.Sin(s * x[i]) + 0.25;
                    s = Dual.Tanh(s + x[i]);
                }
                return s * s;
            });
    }

    [Theory]
    [InlineData(9, 2.0)]    // never leaves early: all n iterations
    [InlineData(200, 2.0)]
    [InlineData(200, 0.6)]  // leaves where sin(s + x[i]) first exceeds 0.6
    public void Recording_before_a_break(int n, double limit)
    {
        CheckOverX(n,
            x => TapeReservations.BreakAfterRecording(x, limit),
            (x, g) => TapeReservations.BreakAfterRecordingGradient(x, limit, g),
            (x, seed, g) => TapeReservations.BreakAfterRecordingBackward(x, limit, seed, g),
            x =>
            {
                Dual s = 0.3, t = 1;
                for (int i = 0; ; )
                {
                    s = Dual.Sin(s + x[i]);
                    if (s.V > limit) break;
                    t = t * Dual.Cos(s) + s;
                    i++;
                    if (i >= x.Length) break;
                }
                return s + t;
            });
    }

    [Theory]
    [InlineData(8)]
    [InlineData(200)]
    public void Recording_in_one_arm_of_a_branch(int n)
    {
        CheckOverX(n,
            x => TapeReservations.BranchArms(x),
            (x, g) => TapeReservations.BranchArmsGradient(x, g),
            (x, seed, g) => TapeReservations.BranchArmsBackward(x, seed, g),
            x =>
            {
                Dual a = 0.2, b = 0.7;
                for (int i = 0; i < x.Length; i++)
                {
                    if (x[i].V > 0)
                    {
                        a = Dual.Sin(a * x[i]);
                        b = Dual.Cos(b + a);
                    }
                    else
                    {
                        a = a * x[i] + b;
                    }
                }
                return a * b;
            });
    }

    /// <summary>ArrayCheck.Gradient over one vector x of length n, the exact gradient from <paramref name="onDuals"/>.</summary>
    private static void CheckOverX(int n, Func<double[], double> f, Func<double[], double[], double> gradient,
        Func<double[], double, double[], double> backward, Func<Dual[], Dual> onDuals)
    {
        Shape[] shapes = { Shape.Vector("x", n) };
        ArrayCheck.Gradient(shapes,
            p => f(p.Vector(0)),
            (p, g) => gradient(p.Vector(0), g.Vector(0)),
            (p, seed, g) => backward(p.Vector(0), seed, g.Vector(0)),
            (p, e) => ByDuals(p.Vector(0), e.Vector(0), onDuals),
            ArrayCheck.Points(shapes, -1, 1, count: 2));
    }

    /// <summary>∂f/∂x[k] for every k: f run on duals with x[k]'s derivative 1.</summary>
    private static void ByDuals(double[] x, double[] gradient, Func<Dual[], Dual> f)
    {
        for (int k = 0; k < x.Length; k++)
        {
            Dual[] dx = x.Select((v, i) => i == k ? Dual.Variable(v) : Dual.Constant(v)).ToArray();
            gradient[k] = f(dx).D;
        }
    }
}
