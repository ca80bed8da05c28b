// Found by random programs checked against central finite differences (10 000 programs).
// Primal(p) evaluates F; Grad(p) calls the generated FGradient. Observed at the point p below:
//   [array] WRONG d/dp4 at [-0.961147, -0.456964, -1.28189, 0.0289361, -1.35432, -0.320856]: generated 1.162987129E+135, finite differences 0
using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions.Repro;

public static partial class P7838
{
    [Differentiable]
    public static double F(double[] a, double x0)
    {
        double t0 = Math.Atan(Math.Exp(Math.Tanh(Math.Tanh(x0))));
        for (int i1 = 0; i1 < a.Length; i1++)
        {
            if ((Math.Exp(Math.Tanh(0.286)) + Math.Cos(a[i1 % a.Length])) > (-0.456))
            {
                x0 = (t0 / (2.0 + Math.Cos((x0 - 0.936))));
            }
            else
            {
                t0 = Math.Sqrt(1.5 + Math.Exp(Math.Tanh(t0)) * Math.Exp(Math.Tanh(t0)));
            }
            for (int i2 = 0; i2 < 1; i2++)
            {
                if (Math.Atan(Math.Cos((0.5 * i2))) > 0.01)
                {
                    x0 = Math.Pow((x0 + t0), 3);
                }
                else
                {
                    t0 = (-Math.Sin(t0));
                }
                if (((a[i2 % a.Length] > x0 ? a[i2 % a.Length] : x0) * (t0 / (2.0 + Math.Cos(x0)))) > (-0.08))
                {
                    t0 = x0;
                }
                else
                {
                    t0 = Math.Pow(t0, 2);
                }
                if (i2 == 1) continue;
                t0 += Math.Atan(x0);
            }
            for (int i2 = 0; i2 < 4; i2++)
            {
                x0 *= 0.5 + 0.25 * Math.Sin((t0 * Math.Exp(Math.Tanh((-1.047)))));
                if (Math.Atan(x0) > (-0.396))
                {
                    t0 = ((x0 - t0) - (-x0));
                }
                else
                {
                    x0 = a[i2 % a.Length];
                }
                x0 = ((-((-0.607) + a[i2 % a.Length])) + x0);
                if (Math.Sin(Math.Sin(t0)) > (-0.036)) break;
                x0 += Math.Sin(a[i2 % a.Length]) * a[(i2 % a.Length + 1) % a.Length];
            }
            t0 += Math.Sin(a[i1 % a.Length]) * a[(i1 % a.Length + 1) % a.Length];
        }
        var b0 = new double[a.Length];
        for (int i1 = 0; i1 < a.Length; i1++) b0[i1] = Math.Sin(a[i1]) * a[(i1 + 1) % a.Length];
        if (t0 > 0.412)
        {
            x0 = (Math.Sin(x0) * (-x0));
        }
        else
        {
            x0 = Math.Exp(Math.Tanh((-t0)));
        }
        double t1 = Math.Log(1.0 + ((x0 + t0) / (2.0 + Math.Cos(Math.Exp(Math.Tanh(t0))))) * ((x0 + t0) / (2.0 + Math.Cos(Math.Exp(Math.Tanh(t0))))));
        double t2 = 0.0;
        for (int k = 0; k < a.Length; k++) { t2 += Math.Sin(b0[k]) * b0[(k + 1) % b0.Length]; }
        return t1;
    }

    public static double Primal(double[] p) => F(p[..5], p[5]);
    public static double[] Grad(double[] p)
    {
        var da = new double[5];
        FGradient(p[..5], p[5], da, out double d0);
        return [.. da, d0];
    }
}
