// Found by random programs checked against central finite differences (10 000 programs).
// Primal(p) evaluates F; Grad(p) calls the generated FGradient. Observed at the point p below:
//   [array] THREW Attempted to divide by zero. at [1.17141, -1.01761, -1.44977, 1.17218, -0.805009]
using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions.Repro;

public static partial class P533
{
    [Differentiable]
    public static double F(double[] a, double x0)
    {
        double t0 = Math.Pow(Math.Atan((x0 / (2.0 + Math.Cos(x0)))), 3);
        var b0 = new double[a.Length];
        for (int i1 = 0; i1 < a.Length; i1++) b0[i1] = Math.Sin(a[i1]) * a[(i1 + 1) % a.Length];
        double t1 = Math.Atan(Math.Exp(Math.Tanh((0.549 - 0.552))));
        for (int i1 = 0; i1 < a.Length; i1++)
        {
            t1 += Math.Atan(t0);
            for (int i2 = 0; i2 < 3; i2++)
            {
                if ((1.116 + Math.Cos(x0)) > 0.282)
                {
                    t0 = (Math.Tanh(x0) - t1);
                }
                else
                {
                    x0 = Math.Exp(Math.Tanh(t1));
                }
            }
            t1 += a[i1 % a.Length] * a[i1 % a.Length];
        }
        if ((t1 > ((-1.108) / (2.0 + Math.Cos(x0))) ? t1 : Math.Sqrt(1.5 + x0 * x0)) > 0.229)
        {
            x0 = x0;
        }
        else
        {
            x0 = Math.Sin((x0 > 1.454 ? x0 : t1));
        }
        for (int i1 = 0; i1 < a.Length; i1++)
        {
            for (int i2 = 0; i2 < 4; i2++)
            {
                if (Math.Log(1.0 + Math.Pow(0.628, 2) * Math.Pow(0.628, 2)) > (-0.021))
                {
                    t1 = Math.Exp(Math.Tanh(Math.Sqrt(1.5 + (0.5 * i2) * (0.5 * i2))));
                }
                else
                {
                    x0 = (t0 + Math.Cos(x0));
                }
                if ((a[i1 % a.Length] - t1) > 0.44)
                {
                    x0 = a[i1 % a.Length];
                }
                else
                {
                    t1 = Math.Cos(Math.Pow(t0, 2));
                }
                t0 = x0;
            }
            for (int i2 = 0; i2 < a.Length; i2++)
            {
                if (Math.Atan(x0) > (-0.427))
                {
                    x0 = ((x0 - t0) - Math.Tanh(t0));
                }
                else
                {
                    t0 = ((t1 + (0.5 * i1)) + Math.Sqrt(1.5 + t0 * t0));
                }
                if (a[i1 % a.Length] > 0.126)
                {
                    t1 = Math.Cos((x0 + t1));
                }
                else
                {
                    x0 = x0;
                }
                if (t1 > 0.084) break;
            }
            if ((-0.19) > 0.424) break;
            x0 += a[i1 % a.Length] * x0;
        }
        double t2 = 0.0;
        for (int k = 0; k < a.Length; k++) { t2 += Math.Exp(0.3 * a[k]) + 0.351; }
        return (t1 * (Math.Tanh(t2) + t0));
    }

    public static double Primal(double[] p) => F(p[..4], p[4]);
    public static double[] Grad(double[] p)
    {
        var da = new double[4];
        FGradient(p[..4], p[4], da, out double d0);
        return [.. da, d0];
    }
}
