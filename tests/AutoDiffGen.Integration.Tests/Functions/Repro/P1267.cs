// Found by random programs checked against central finite differences (10 000 programs).
// Primal(p) evaluates F; Grad(p) calls the generated FGradient. Observed at the point p below:
//   [loop] THREW AutoDiffGen tape underflow: the reverse sweep popped more values than the forward sweep pushed. at [-0.628289, 0.138508, 0.593978]
using System;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions.Repro;

public static partial class P1267
{
    [Differentiable]
    public static double F(double x0, double x1, double x2)
    {
        double t0 = Math.Exp(Math.Tanh((-0.527)));
        for (int i1 = 0; i1 < 1; i1++)
        {
            if (Math.Sin(Math.Tanh(x1)) > (-0.178))
            {
                x1 = t0;
            }
            else
            {
                x1 = Math.Cos((t0 - t0));
            }
            for (int i2 = 0; i2 < 2; i2++)
            {
                if ((Math.Pow(t0, 2) / (2.0 + Math.Cos(1.351))) > 0.278)
                {
                    x0 = Math.Atan((t0 * x2));
                }
                else
                {
                    x1 = (-x0);
                }
                if (i2 == 1) continue;
                t0 += Math.Exp(Math.Tanh((0.5 * i2)));
                if (x0 > (-0.102)) break;
            }
        }
        return ((-0.014) + Math.Sin(x0));
    }

    public static double Primal(double[] p) => F(p[0], p[1], p[2]);
    public static double[] Grad(double[] p)
    {
        FGradient(p[0], p[1], p[2], out double d0, out double d1, out double d2);
        return [d0, d1, d2];
    }
}
