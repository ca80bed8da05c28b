// Found by random programs checked against central finite differences (10 000 programs).
// Primal(p) evaluates F; Grad(p) calls the generated FGradient. Observed at the point p below:
//   [array] THREW AutoDiffGen tape underflow: the reverse sweep popped more values than the forward sweep pushed. at [0.930033, 1.37543, 0.35859, -0.708986, -0.351304, -0.121404]
using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions.Repro;

public static partial class P53
{
    [Differentiable]
    public static double F(double[] a, double x0)
    {
        double t0 = (x0 * Math.Atan(x0));
        double t1 = Math.Exp(Math.Tanh(x0));
        double t2 = Math.Sin(Math.Atan((x0 / (2.0 + Math.Cos(t0)))));
        for (int i1 = 0; i1 < 1; i1++)
        {
            t0 *= 0.5 + 0.25 * Math.Sin((t1 / (2.0 + Math.Cos(t1))));
            for (int i2 = 0; i2 < a.Length; i2++)
            {
                if (Math.Atan(Math.Cos(t0)) > (-0.35))
                {
                    t0 = Math.Exp(Math.Tanh(Math.Sqrt(1.5 + t2 * t2)));
                }
                else
                {
                    t0 = (t2 + t1);
                }
                if (((t2 + (0.5 * i1)) * Math.Cos(x0)) > 0.382)
                {
                    t1 = (Math.Sqrt(1.5 + a[i2 % a.Length] * a[i2 % a.Length]) * t2);
                }
                else
                {
                    t0 = (Math.Exp(Math.Tanh(a[i2 % a.Length])) * (t2 + x0));
                }
            }
            for (int i2 = 0; i2 < a.Length; i2++)
            {
                if ((Math.Sin(t0) > ((-0.418) > t1 ? (-0.418) : x0) ? Math.Sin(t0) : (t1 + t0)) > (-0.019))
                {
                    t2 = Math.Sqrt(1.5 + 0.149 * 0.149);
                }
                else
                {
                    x0 = ((-t0) + t2);
                }
                x0 += Math.Exp(0.3 * a[i2 % a.Length]) + x0;
            }
            if (((-t2) * Math.Pow(t0, 3)) > 0.119) break;
            t2 += a[i1 % a.Length] * a[i1 % a.Length];
        }
        return Math.Tanh((Math.Atan(t2) > (t0 * x0) ? Math.Atan(t2) : Math.Pow(t2, 3)));
    }

    public static double Primal(double[] p) => F(p[..5], p[5]);
    public static double[] Grad(double[] p)
    {
        var da = new double[5];
        FGradient(p[..5], p[5], da, out double d0);
        return [.. da, d0];
    }
}
