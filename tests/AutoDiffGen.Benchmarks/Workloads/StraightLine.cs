using System;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// A straight-line scalar function: 6 unrolled rounds of a mixing map on four values, 60 named intermediates
/// (no loops, no branches), ending in a scalar. Measures the tape-free path: every intermediate is a local.
/// </summary>
public static partial class StraightLine
{
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double Value(double x, double y, double z, double w)
    {
        double a0 = x;
        double b0 = y;
        double c0 = z;
        double d0 = w;
        // Round 1.
        double r0_t1 = a0 * b0;
        double r0_t2 = Math.Sin(r0_t1);
        double r0_t3 = c0 + r0_t2;
        double r0_t4 = Math.Exp(-0.1 * d0);
        double c1 = r0_t3 * r0_t4;
        double a1 = a0 - 0.5 * c1;
        double r0_t7 = Math.Sqrt(1 + a1 * a1);
        double r0_t8 = b0 / r0_t7;
        double b1 = Math.Tanh(r0_t8 + d0);
        double d1 = r0_t8 + 0.3 * a0;
        // Round 2.
        double r1_t1 = a1 * b1;
        double r1_t2 = Math.Sin(r1_t1);
        double r1_t3 = c1 + r1_t2;
        double r1_t4 = Math.Exp(-0.1 * d1);
        double c2 = r1_t3 * r1_t4;
        double a2 = a1 - 0.5 * c2;
        double r1_t7 = Math.Sqrt(1 + a2 * a2);
        double r1_t8 = b1 / r1_t7;
        double b2 = Math.Tanh(r1_t8 + d1);
        double d2 = r1_t8 + 0.3 * a1;
        // Round 3.
        double r2_t1 = a2 * b2;
        double r2_t2 = Math.Sin(r2_t1);
        double r2_t3 = c2 + r2_t2;
        double r2_t4 = Math.Exp(-0.1 * d2);
        double c3 = r2_t3 * r2_t4;
        double a3 = a2 - 0.5 * c3;
        double r2_t7 = Math.Sqrt(1 + a3 * a3);
        double r2_t8 = b2 / r2_t7;
        double b3 = Math.Tanh(r2_t8 + d2);
        double d3 = r2_t8 + 0.3 * a2;
        // Round 4.
        double r3_t1 = a3 * b3;
        double r3_t2 = Math.Sin(r3_t1);
        double r3_t3 = c3 + r3_t2;
        double r3_t4 = Math.Exp(-0.1 * d3);
        double c4 = r3_t3 * r3_t4;
        double a4 = a3 - 0.5 * c4;
        double r3_t7 = Math.Sqrt(1 + a4 * a4);
        double r3_t8 = b3 / r3_t7;
        double b4 = Math.Tanh(r3_t8 + d3);
        double d4 = r3_t8 + 0.3 * a3;
        // Round 5.
        double r4_t1 = a4 * b4;
        double r4_t2 = Math.Sin(r4_t1);
        double r4_t3 = c4 + r4_t2;
        double r4_t4 = Math.Exp(-0.1 * d4);
        double c5 = r4_t3 * r4_t4;
        double a5 = a4 - 0.5 * c5;
        double r4_t7 = Math.Sqrt(1 + a5 * a5);
        double r4_t8 = b4 / r4_t7;
        double b5 = Math.Tanh(r4_t8 + d4);
        double d5 = r4_t8 + 0.3 * a4;
        // Round 6.
        double r5_t1 = a5 * b5;
        double r5_t2 = Math.Sin(r5_t1);
        double r5_t3 = c5 + r5_t2;
        double r5_t4 = Math.Exp(-0.1 * d5);
        double c6 = r5_t3 * r5_t4;
        double a6 = a5 - 0.5 * c6;
        double r5_t7 = Math.Sqrt(1 + a6 * a6);
        double r5_t8 = b5 / r5_t7;
        double b6 = Math.Tanh(r5_t8 + d5);
        double d6 = r5_t8 + 0.3 * a5;
        return a6 * a6 + b6 * c6 + Math.Log(1 + d6 * d6);
    }

    /// <summary>
    /// The hand-written gradient: the same forward statements, then the adjoint of each round in reverse, every
    /// partial derivative written out by hand (the way one writes a reverse pass for a fixed formula).
    /// </summary>
    public static double HandGradient(double x, double y, double z, double w, out double dx, out double dy, out double dz, out double dw)
    {
        double a0 = x;
        double b0 = y;
        double c0 = z;
        double d0 = w;
        // Round 1.
        double r0_t1 = a0 * b0;
        double r0_t2 = Math.Sin(r0_t1);
        double r0_t3 = c0 + r0_t2;
        double r0_t4 = Math.Exp(-0.1 * d0);
        double c1 = r0_t3 * r0_t4;
        double a1 = a0 - 0.5 * c1;
        double r0_t7 = Math.Sqrt(1 + a1 * a1);
        double r0_t8 = b0 / r0_t7;
        double b1 = Math.Tanh(r0_t8 + d0);
        double d1 = r0_t8 + 0.3 * a0;
        // Round 2.
        double r1_t1 = a1 * b1;
        double r1_t2 = Math.Sin(r1_t1);
        double r1_t3 = c1 + r1_t2;
        double r1_t4 = Math.Exp(-0.1 * d1);
        double c2 = r1_t3 * r1_t4;
        double a2 = a1 - 0.5 * c2;
        double r1_t7 = Math.Sqrt(1 + a2 * a2);
        double r1_t8 = b1 / r1_t7;
        double b2 = Math.Tanh(r1_t8 + d1);
        double d2 = r1_t8 + 0.3 * a1;
        // Round 3.
        double r2_t1 = a2 * b2;
        double r2_t2 = Math.Sin(r2_t1);
        double r2_t3 = c2 + r2_t2;
        double r2_t4 = Math.Exp(-0.1 * d2);
        double c3 = r2_t3 * r2_t4;
        double a3 = a2 - 0.5 * c3;
        double r2_t7 = Math.Sqrt(1 + a3 * a3);
        double r2_t8 = b2 / r2_t7;
        double b3 = Math.Tanh(r2_t8 + d2);
        double d3 = r2_t8 + 0.3 * a2;
        // Round 4.
        double r3_t1 = a3 * b3;
        double r3_t2 = Math.Sin(r3_t1);
        double r3_t3 = c3 + r3_t2;
        double r3_t4 = Math.Exp(-0.1 * d3);
        double c4 = r3_t3 * r3_t4;
        double a4 = a3 - 0.5 * c4;
        double r3_t7 = Math.Sqrt(1 + a4 * a4);
        double r3_t8 = b3 / r3_t7;
        double b4 = Math.Tanh(r3_t8 + d3);
        double d4 = r3_t8 + 0.3 * a3;
        // Round 5.
        double r4_t1 = a4 * b4;
        double r4_t2 = Math.Sin(r4_t1);
        double r4_t3 = c4 + r4_t2;
        double r4_t4 = Math.Exp(-0.1 * d4);
        double c5 = r4_t3 * r4_t4;
        double a5 = a4 - 0.5 * c5;
        double r4_t7 = Math.Sqrt(1 + a5 * a5);
        double r4_t8 = b4 / r4_t7;
        double b5 = Math.Tanh(r4_t8 + d4);
        double d5 = r4_t8 + 0.3 * a4;
        // Round 6.
        double r5_t1 = a5 * b5;
        double r5_t2 = Math.Sin(r5_t1);
        double r5_t3 = c5 + r5_t2;
        double r5_t4 = Math.Exp(-0.1 * d5);
        double c6 = r5_t3 * r5_t4;
        double a6 = a5 - 0.5 * c6;
        double r5_t7 = Math.Sqrt(1 + a6 * a6);
        double r5_t8 = b5 / r5_t7;
        double b6 = Math.Tanh(r5_t8 + d5);
        double d6 = r5_t8 + 0.3 * a5;
        double value = a6 * a6 + b6 * c6 + Math.Log(1 + d6 * d6);

        double ga6 = 2 * a6;
        double gb6 = c6;
        double gc6 = b6;
        double gd6 = 2 * d6 / (1 + d6 * d6);
        // Round 6, reversed: ga6 … gd6 are the adjoints of its outputs.
        double gr5_t8 = gd6;
        double ga5 = 0.3 * gd6;
        double gr5_u = gb6 * (1 - b6 * b6);
        gr5_t8 += gr5_u;
        double gd5 = gr5_u;
        double gb5 = gr5_t8 / r5_t7;
        double gr5_t7 = -gr5_t8 * r5_t8 / r5_t7;
        double gr5_t6 = ga6 + gr5_t7 * a6 / r5_t7;
        ga5 += gr5_t6;
        double gr5_t5 = gc6 - 0.5 * gr5_t6;
        double gr5_t3 = gr5_t5 * r5_t4;
        gd5 += gr5_t5 * r5_t3 * -0.1 * r5_t4;
        double gc5 = gr5_t3;
        double gr5_t1 = gr5_t3 * Math.Cos(r5_t1);
        ga5 += gr5_t1 * b5;
        gb5 += gr5_t1 * a5;
        // Round 5, reversed: ga5 … gd5 are the adjoints of its outputs.
        double gr4_t8 = gd5;
        double ga4 = 0.3 * gd5;
        double gr4_u = gb5 * (1 - b5 * b5);
        gr4_t8 += gr4_u;
        double gd4 = gr4_u;
        double gb4 = gr4_t8 / r4_t7;
        double gr4_t7 = -gr4_t8 * r4_t8 / r4_t7;
        double gr4_t6 = ga5 + gr4_t7 * a5 / r4_t7;
        ga4 += gr4_t6;
        double gr4_t5 = gc5 - 0.5 * gr4_t6;
        double gr4_t3 = gr4_t5 * r4_t4;
        gd4 += gr4_t5 * r4_t3 * -0.1 * r4_t4;
        double gc4 = gr4_t3;
        double gr4_t1 = gr4_t3 * Math.Cos(r4_t1);
        ga4 += gr4_t1 * b4;
        gb4 += gr4_t1 * a4;
        // Round 4, reversed: ga4 … gd4 are the adjoints of its outputs.
        double gr3_t8 = gd4;
        double ga3 = 0.3 * gd4;
        double gr3_u = gb4 * (1 - b4 * b4);
        gr3_t8 += gr3_u;
        double gd3 = gr3_u;
        double gb3 = gr3_t8 / r3_t7;
        double gr3_t7 = -gr3_t8 * r3_t8 / r3_t7;
        double gr3_t6 = ga4 + gr3_t7 * a4 / r3_t7;
        ga3 += gr3_t6;
        double gr3_t5 = gc4 - 0.5 * gr3_t6;
        double gr3_t3 = gr3_t5 * r3_t4;
        gd3 += gr3_t5 * r3_t3 * -0.1 * r3_t4;
        double gc3 = gr3_t3;
        double gr3_t1 = gr3_t3 * Math.Cos(r3_t1);
        ga3 += gr3_t1 * b3;
        gb3 += gr3_t1 * a3;
        // Round 3, reversed: ga3 … gd3 are the adjoints of its outputs.
        double gr2_t8 = gd3;
        double ga2 = 0.3 * gd3;
        double gr2_u = gb3 * (1 - b3 * b3);
        gr2_t8 += gr2_u;
        double gd2 = gr2_u;
        double gb2 = gr2_t8 / r2_t7;
        double gr2_t7 = -gr2_t8 * r2_t8 / r2_t7;
        double gr2_t6 = ga3 + gr2_t7 * a3 / r2_t7;
        ga2 += gr2_t6;
        double gr2_t5 = gc3 - 0.5 * gr2_t6;
        double gr2_t3 = gr2_t5 * r2_t4;
        gd2 += gr2_t5 * r2_t3 * -0.1 * r2_t4;
        double gc2 = gr2_t3;
        double gr2_t1 = gr2_t3 * Math.Cos(r2_t1);
        ga2 += gr2_t1 * b2;
        gb2 += gr2_t1 * a2;
        // Round 2, reversed: ga2 … gd2 are the adjoints of its outputs.
        double gr1_t8 = gd2;
        double ga1 = 0.3 * gd2;
        double gr1_u = gb2 * (1 - b2 * b2);
        gr1_t8 += gr1_u;
        double gd1 = gr1_u;
        double gb1 = gr1_t8 / r1_t7;
        double gr1_t7 = -gr1_t8 * r1_t8 / r1_t7;
        double gr1_t6 = ga2 + gr1_t7 * a2 / r1_t7;
        ga1 += gr1_t6;
        double gr1_t5 = gc2 - 0.5 * gr1_t6;
        double gr1_t3 = gr1_t5 * r1_t4;
        gd1 += gr1_t5 * r1_t3 * -0.1 * r1_t4;
        double gc1 = gr1_t3;
        double gr1_t1 = gr1_t3 * Math.Cos(r1_t1);
        ga1 += gr1_t1 * b1;
        gb1 += gr1_t1 * a1;
        // Round 1, reversed: ga1 … gd1 are the adjoints of its outputs.
        double gr0_t8 = gd1;
        double ga0 = 0.3 * gd1;
        double gr0_u = gb1 * (1 - b1 * b1);
        gr0_t8 += gr0_u;
        double gd0 = gr0_u;
        double gb0 = gr0_t8 / r0_t7;
        double gr0_t7 = -gr0_t8 * r0_t8 / r0_t7;
        double gr0_t6 = ga1 + gr0_t7 * a1 / r0_t7;
        ga0 += gr0_t6;
        double gr0_t5 = gc1 - 0.5 * gr0_t6;
        double gr0_t3 = gr0_t5 * r0_t4;
        gd0 += gr0_t5 * r0_t3 * -0.1 * r0_t4;
        double gc0 = gr0_t3;
        double gr0_t1 = gr0_t3 * Math.Cos(r0_t1);
        ga0 += gr0_t1 * b0;
        gb0 += gr0_t1 * a0;
        dx = ga0;
        dy = gb0;
        dz = gc0;
        dw = gd0;
        return value;
    }
}
