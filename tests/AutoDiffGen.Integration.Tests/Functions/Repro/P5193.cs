// Found by random programs checked against central finite differences (10 000 programs).
// Primal(p) evaluates F; Grad(p) calls the generated FGradient. Observed at the point p below:
//   [array] THREW Attempted to divide by zero. at [-0.402536, 0.776988, -0.370731, -0.41265, 1.22783, 1.19806]
using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions.Repro;

public static partial class P5193
{
    [Differentiable]
    public static double F(double[] a, double x0, double x1)
    {
        double t0 = x1;
        for (int i1 = 0; i1 < 2; i1++)
        {
            t0 -= x0;
            for (int i2 = 0; i2 < 4; i2++)
            {
                if ((0.5 * i2) > (-0.13))
                {
                    t0 = Math.Atan(a[i2 % a.Length]);
                }
                else
                {
                    x0 = (Math.Pow(t0, 2) / (2.0 + Math.Cos(a[i1 % a.Length])));
                }
                t0 += Math.Sin(a[i2 % a.Length]) * a[(i2 % a.Length + 1) % a.Length];
            }
            x1 += (t0 * Math.Cos((0.5 * i1)));
            if (((-x1) + Math.Atan(x0)) > (-0.02)) break;
        }
        double t1 = 0.0;
        for (int k = 0; k < a.Length; k++) { t1 += a[k] * x1; }
        return Math.Atan((Math.Cos(t0) / (2.0 + Math.Cos(x1))));
    }

    public static double Primal(double[] p) => F(p[..4], p[4], p[5]);
    public static double[] Grad(double[] p)
    {
        var da = new double[4];
        FGradient(p[..4], p[4], p[5], da, out double d0, out double d1);
        return [.. da, d0, d1];
    }
}
