// Bodies the engine cannot differentiate (ADG0101-ADG0103): errors, so these methods get no companions.
using System;
using System.Linq;
using AutoDiffGen;

namespace DiagnosticsSample;

public static partial class Constructs
{
    private static double s_last;

    public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));

    [Differentiable]
    public static double Guarded(double x)
    {
        try // expect: ADG0101
        {
            return x * x;
        }
        catch (ArithmeticException)
        {
            return 0;
        }
    }

    [Differentiable]
    public static double WithLambda(double x)
    {
        Func<double, double> twice = v => 2 * v; // expect: ADG0101
        return twice(x); // expect: ADG0101
    }

    [Differentiable]
    public static double WithLinq(double[] w) => w.Sum(); // expect: ADG0101

    [Differentiable]
    public static unsafe double WithPointer(double x)
    {
        double* p = &x; // expect: ADG0101
        return *p; // expect: ADG0101
    }

    [Differentiable]
    public static double CallsPlainMethod(double x) => Softplus(x) * x; // expect: ADG0102

    [Differentiable]
    public static double RemembersLast(double x)
    {
        s_last = x; // expect: ADG0103
        return x * x;
    }
}
