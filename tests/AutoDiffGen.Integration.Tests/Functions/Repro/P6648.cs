// Found by random programs checked against central finite differences (10 000 programs).
// Primal(p) evaluates F; Grad(p) calls the generated FGradient. Observed at the point p below:
//   [array] WRONG d/dp0 at [-0.312251, -0.107685, -1.17734, -1.09483, 0.264509, 1.20379]: generated NaN, finite differences 0
using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions.Repro;

public static partial class P6648
{
    [Differentiable]
    public static double F(double[] a, double x0, double x1)
    {
        double t0 = Math.Tanh((Math.Exp(Math.Tanh(x0)) + Math.Sin(x1)));
        for (int i1 = 0; i1 < a.Length; i1++)
        {
            for (int i2 = 0; i2 < a.Length; i2++)
            {
                if (Math.Tanh((a[i1 % a.Length] * t0)) > 0.277)
                {
                    x0 = (a[i2 % a.Length] / (2.0 + Math.Cos((a[i1 % a.Length] / (2.0 + Math.Cos(x0))))));
                }
                else
                {
                    x0 = (Math.Exp(Math.Tanh(a[i2 % a.Length])) * (x0 + x0));
                }
                t0 += Math.Sin(a[i2 % a.Length]) * a[(i2 % a.Length + 1) % a.Length];
            }
            for (int i2 = 0; i2 < 4; i2++)
            {
                x0 = (Math.Log(1.0 + (t0 + (0.5 * i1)) * (t0 + (0.5 * i1))) + Math.Tanh(Math.Cos(x0)));
                if (((0.5 * i1) * Math.Cos((-1.105))) > (-0.084))
                {
                    x1 = (Math.Log(1.0 + (0.5 * i2) * (0.5 * i2)) * (-x0));
                }
                else
                {
                    x0 = Math.Sqrt(1.5 + ((0.5 * i1) > x0 ? (0.5 * i1) : x1) * ((0.5 * i1) > x0 ? (0.5 * i1) : x1));
                }
                t0 += Math.Exp(0.3 * a[i2 % a.Length]) + x0;
            }
            for (int i2 = 0; i2 < 3; i2++)
            {
                if (Math.Pow(Math.Pow(x0, 2), 3) > (-0.112))
                {
                    x0 = t0;
                }
                else
                {
                    x1 = (Math.Atan(x0) + t0);
                }
                x1 = Math.Log(1.0 + Math.Tanh(Math.Atan(x0)) * Math.Tanh(Math.Atan(x0)));
                if ((Math.Exp(Math.Tanh(x1)) + (t0 + x1)) > (-0.483))
                {
                    t0 = (Math.Atan(x1) * Math.Pow(x0, 2));
                }
                else
                {
                    t0 = (a[i1 % a.Length] / (2.0 + Math.Cos(Math.Cos(x0))));
                }
            }
            x0 += a[i1 % a.Length] * a[i1 % a.Length];
        }
        if (Math.Exp(Math.Tanh((x1 + (-0.225)))) > (-0.357)) return Math.Tanh(Math.Pow(x0, 2));
        double t1 = (-Math.Cos(Math.Sin(t0)));
        x0 += x0;
        for (int i1 = 0; i1 < a.Length; i1++)
        {
            t1 -= (-Math.Sqrt(1.5 + x0 * x0));
        }
        double t2 = 0.0;
        for (int k = 0; k < a.Length; k++) { t2 += a[k] * a[k]; }
        return (-1.433);
    }

    public static double Primal(double[] p) => F(p[..4], p[4], p[5]);
    public static double[] Grad(double[] p)
    {
        var da = new double[4];
        FGradient(p[..4], p[4], p[5], da, out double d0, out double d1);
        return [.. da, d0, d1];
    }
}
