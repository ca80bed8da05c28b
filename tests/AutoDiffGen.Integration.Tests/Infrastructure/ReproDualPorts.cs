// The repro programs of ../shared/repro (Functions/Repro/P*.cs) written over dual numbers: the exact chain rule of
// each program as it runs in double precision, independent of the generator (Infrastructure/Dual.cs). Mechanical
// copies: double -> Dual, Math. -> Dual.; keep them in step with the originals.
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests.Functions.Repro;

public static class DualPorts
{
    public static Dual P1267(Dual x0, Dual x1, Dual x2)
    {
        Dual t0 = Dual.Exp(Dual.Tanh((-0.527)));
        for (int i1 = 0; i1 < 1; i1++)
        {
            if (Dual.Sin(Dual.Tanh(x1)) > (-0.178))
            {
                x1 = t0;
            }
            else
            {
                x1 = Dual.Cos((t0 - t0));
            }
            for (int i2 = 0; i2 < 2; i2++)
            {
                if ((Dual.Pow(t0, 2) / (2.0 + Dual.Cos(1.351))) > 0.278)
                {
                    x0 = Dual.Atan((t0 * x2));
                }
                else
                {
                    x1 = (-x0);
                }
                if (i2 == 1) continue;
                t0 += Dual.Exp(Dual.Tanh((0.5 * i2)));
                if (x0 > (-0.102)) break;
            }
        }
        return ((-0.014) + Dual.Sin(x0));
    }

    public static Dual P5193(Dual[] a, Dual x0, Dual x1)
    {
        Dual t0 = x1;
        for (int i1 = 0; i1 < 2; i1++)
        {
            t0 -= x0;
            for (int i2 = 0; i2 < 4; i2++)
            {
                if ((0.5 * i2) > (-0.13))
                {
                    t0 = Dual.Atan(a[i2 % a.Length]);
                }
                else
                {
                    x0 = (Dual.Pow(t0, 2) / (2.0 + Dual.Cos(a[i1 % a.Length])));
                }
                t0 += Dual.Sin(a[i2 % a.Length]) * a[(i2 % a.Length + 1) % a.Length];
            }
            x1 += (t0 * Dual.Cos((0.5 * i1)));
            if (((-x1) + Dual.Atan(x0)) > (-0.02)) break;
        }
        Dual t1 = 0.0;
        for (int k = 0; k < a.Length; k++) { t1 += a[k] * x1; }
        return Dual.Atan((Dual.Cos(t0) / (2.0 + Dual.Cos(x1))));
    }

    public static Dual P53(Dual[] a, Dual x0)
    {
        Dual t0 = (x0 * Dual.Atan(x0));
        Dual t1 = Dual.Exp(Dual.Tanh(x0));
        Dual t2 = Dual.Sin(Dual.Atan((x0 / (2.0 + Dual.Cos(t0)))));
        for (int i1 = 0; i1 < 1; i1++)
        {
            t0 *= 0.5 + 0.25 * Dual.Sin((t1 / (2.0 + Dual.Cos(t1))));
            for (int i2 = 0; i2 < a.Length; i2++)
            {
                if (Dual.Atan(Dual.Cos(t0)) > (-0.35))
                {
                    t0 = Dual.Exp(Dual.Tanh(Dual.Sqrt(1.5 + t2 * t2)));
                }
                else
                {
                    t0 = (t2 + t1);
                }
                if (((t2 + (0.5 * i1)) * Dual.Cos(x0)) > 0.382)
                {
                    t1 = (Dual.Sqrt(1.5 + a[i2 % a.Length] * a[i2 % a.Length]) * t2);
                }
                else
                {
                    t0 = (Dual.Exp(Dual.Tanh(a[i2 % a.Length])) * (t2 + x0));
                }
            }
            for (int i2 = 0; i2 < a.Length; i2++)
            {
                if ((Dual.Sin(t0) > ((-0.418) > t1 ? (-0.418) : x0) ? Dual.Sin(t0) : (t1 + t0)) > (-0.019))
                {
                    t2 = Dual.Sqrt(1.5 + 0.149 * 0.149);
                }
                else
                {
                    x0 = ((-t0) + t2);
                }
                x0 += Dual.Exp(0.3 * a[i2 % a.Length]) + x0;
            }
            if (((-t2) * Dual.Pow(t0, 3)) > 0.119) break;
            t2 += a[i1 % a.Length] * a[i1 % a.Length];
        }
        return Dual.Tanh((Dual.Atan(t2) > (t0 * x0) ? Dual.Atan(t2) : Dual.Pow(t2, 3)));
    }

    public static Dual P533(Dual[] a, Dual x0)
    {
        Dual t0 = Dual.Pow(Dual.Atan((x0 / (2.0 + Dual.Cos(x0)))), 3);
        var b0 = new Dual[a.Length];
        for (int i1 = 0; i1 < a.Length; i1++) b0[i1] = Dual.Sin(a[i1]) * a[(i1 + 1) % a.Length];
        Dual t1 = Dual.Atan(Dual.Exp(Dual.Tanh((0.549 - 0.552))));
        for (int i1 = 0; i1 < a.Length; i1++)
        {
            t1 += Dual.Atan(t0);
            for (int i2 = 0; i2 < 3; i2++)
            {
                if ((1.116 + Dual.Cos(x0)) > 0.282)
                {
                    t0 = (Dual.Tanh(x0) - t1);
                }
                else
                {
                    x0 = Dual.Exp(Dual.Tanh(t1));
                }
            }
            t1 += a[i1 % a.Length] * a[i1 % a.Length];
        }
        if ((t1 > ((-1.108) / (2.0 + Dual.Cos(x0))) ? t1 : Dual.Sqrt(1.5 + x0 * x0)) > 0.229)
        {
            x0 = x0;
        }
        else
        {
            x0 = Dual.Sin((x0 > 1.454 ? x0 : t1));
        }
        for (int i1 = 0; i1 < a.Length; i1++)
        {
            for (int i2 = 0; i2 < 4; i2++)
            {
                if (Dual.Log(1.0 + Dual.Pow(0.628, 2) * Dual.Pow(0.628, 2)) > (-0.021))
                {
                    t1 = Dual.Exp(Dual.Tanh(Dual.Sqrt(1.5 + (0.5 * i2) * (0.5 * i2))));
                }
                else
                {
                    x0 = (t0 + Dual.Cos(x0));
                }
                if ((a[i1 % a.Length] - t1) > 0.44)
                {
                    x0 = a[i1 % a.Length];
                }
                else
                {
                    t1 = Dual.Cos(Dual.Pow(t0, 2));
                }
                t0 = x0;
            }
            for (int i2 = 0; i2 < a.Length; i2++)
            {
                if (Dual.Atan(x0) > (-0.427))
                {
                    x0 = ((x0 - t0) - Dual.Tanh(t0));
                }
                else
                {
                    t0 = ((t1 + (0.5 * i1)) + Dual.Sqrt(1.5 + t0 * t0));
                }
                if (a[i1 % a.Length] > 0.126)
                {
                    t1 = Dual.Cos((x0 + t1));
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
        Dual t2 = 0.0;
        for (int k = 0; k < a.Length; k++) { t2 += Dual.Exp(0.3 * a[k]) + 0.351; }
        return (t1 * (Dual.Tanh(t2) + t0));
    }

    public static Dual P6648(Dual[] a, Dual x0, Dual x1)
    {
        Dual t0 = Dual.Tanh((Dual.Exp(Dual.Tanh(x0)) + Dual.Sin(x1)));
        for (int i1 = 0; i1 < a.Length; i1++)
        {
            for (int i2 = 0; i2 < a.Length; i2++)
            {
                if (Dual.Tanh((a[i1 % a.Length] * t0)) > 0.277)
                {
                    x0 = (a[i2 % a.Length] / (2.0 + Dual.Cos((a[i1 % a.Length] / (2.0 + Dual.Cos(x0))))));
                }
                else
                {
                    x0 = (Dual.Exp(Dual.Tanh(a[i2 % a.Length])) * (x0 + x0));
                }
                t0 += Dual.Sin(a[i2 % a.Length]) * a[(i2 % a.Length + 1) % a.Length];
            }
            for (int i2 = 0; i2 < 4; i2++)
            {
                x0 = (Dual.Log(1.0 + (t0 + (0.5 * i1)) * (t0 + (0.5 * i1))) + Dual.Tanh(Dual.Cos(x0)));
                if (((0.5 * i1) * Dual.Cos((-1.105))) > (-0.084))
                {
                    x1 = (Dual.Log(1.0 + (0.5 * i2) * (0.5 * i2)) * (-x0));
                }
                else
                {
                    x0 = Dual.Sqrt(1.5 + ((0.5 * i1) > x0 ? (0.5 * i1) : x1) * ((0.5 * i1) > x0 ? (0.5 * i1) : x1));
                }
                t0 += Dual.Exp(0.3 * a[i2 % a.Length]) + x0;
            }
            for (int i2 = 0; i2 < 3; i2++)
            {
                if (Dual.Pow(Dual.Pow(x0, 2), 3) > (-0.112))
                {
                    x0 = t0;
                }
                else
                {
                    x1 = (Dual.Atan(x0) + t0);
                }
                x1 = Dual.Log(1.0 + Dual.Tanh(Dual.Atan(x0)) * Dual.Tanh(Dual.Atan(x0)));
                if ((Dual.Exp(Dual.Tanh(x1)) + (t0 + x1)) > (-0.483))
                {
                    t0 = (Dual.Atan(x1) * Dual.Pow(x0, 2));
                }
                else
                {
                    t0 = (a[i1 % a.Length] / (2.0 + Dual.Cos(Dual.Cos(x0))));
                }
            }
            x0 += a[i1 % a.Length] * a[i1 % a.Length];
        }
        if (Dual.Exp(Dual.Tanh((x1 + (-0.225)))) > (-0.357)) return Dual.Tanh(Dual.Pow(x0, 2));
        Dual t1 = (-Dual.Cos(Dual.Sin(t0)));
        x0 += x0;
        for (int i1 = 0; i1 < a.Length; i1++)
        {
            t1 -= (-Dual.Sqrt(1.5 + x0 * x0));
        }
        Dual t2 = 0.0;
        for (int k = 0; k < a.Length; k++) { t2 += a[k] * a[k]; }
        return (-1.433);
    }

    public static Dual P7838(Dual[] a, Dual x0)
    {
        Dual t0 = Dual.Atan(Dual.Exp(Dual.Tanh(Dual.Tanh(x0))));
        for (int i1 = 0; i1 < a.Length; i1++)
        {
            if ((Dual.Exp(Dual.Tanh(0.286)) + Dual.Cos(a[i1 % a.Length])) > (-0.456))
            {
                x0 = (t0 / (2.0 + Dual.Cos((x0 - 0.936))));
            }
            else
            {
                t0 = Dual.Sqrt(1.5 + Dual.Exp(Dual.Tanh(t0)) * Dual.Exp(Dual.Tanh(t0)));
            }
            for (int i2 = 0; i2 < 1; i2++)
            {
                if (Dual.Atan(Dual.Cos((0.5 * i2))) > 0.01)
                {
                    x0 = Dual.Pow((x0 + t0), 3);
                }
                else
                {
                    t0 = (-Dual.Sin(t0));
                }
                if (((a[i2 % a.Length] > x0 ? a[i2 % a.Length] : x0) * (t0 / (2.0 + Dual.Cos(x0)))) > (-0.08))
                {
                    t0 = x0;
                }
                else
                {
                    t0 = Dual.Pow(t0, 2);
                }
                if (i2 == 1) continue;
                t0 += Dual.Atan(x0);
            }
            for (int i2 = 0; i2 < 4; i2++)
            {
                x0 *= 0.5 + 0.25 * Dual.Sin((t0 * Dual.Exp(Dual.Tanh((-1.047)))));
                if (Dual.Atan(x0) > (-0.396))
                {
                    t0 = ((x0 - t0) - (-x0));
                }
                else
                {
                    x0 = a[i2 % a.Length];
                }
                x0 = ((-((-0.607) + a[i2 % a.Length])) + x0);
                if (Dual.Sin(Dual.Sin(t0)) > (-0.036)) break;
                x0 += Dual.Sin(a[i2 % a.Length]) * a[(i2 % a.Length + 1) % a.Length];
            }
            t0 += Dual.Sin(a[i1 % a.Length]) * a[(i1 % a.Length + 1) % a.Length];
        }
        var b0 = new Dual[a.Length];
        for (int i1 = 0; i1 < a.Length; i1++) b0[i1] = Dual.Sin(a[i1]) * a[(i1 + 1) % a.Length];
        if (t0 > 0.412)
        {
            x0 = (Dual.Sin(x0) * (-x0));
        }
        else
        {
            x0 = Dual.Exp(Dual.Tanh((-t0)));
        }
        Dual t1 = Dual.Log(1.0 + ((x0 + t0) / (2.0 + Dual.Cos(Dual.Exp(Dual.Tanh(t0))))) * ((x0 + t0) / (2.0 + Dual.Cos(Dual.Exp(Dual.Tanh(t0))))));
        Dual t2 = 0.0;
        for (int k = 0; k < a.Length; k++) { t2 += Dual.Sin(b0[k]) * b0[(k + 1) % b0.Length]; }
        return t1;
    }
}
