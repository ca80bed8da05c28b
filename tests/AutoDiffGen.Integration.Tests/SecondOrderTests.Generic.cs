using System;
using System.Linq;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>Second order of generic methods, in double and float, and through calls of a generic helper (Functions/SecondOrderGeneric.cs).</summary>
public partial class SecondOrderTests
{
    /// <summary>∂²/∂p∂q of w·Σ sin(xᵢ) xᵢ₊₁ + w² x₀ over (x, w).</summary>
    private static double[,] GenericEnergyHessian(double[] p)
    {
        int n = p.Length - 1;
        double w = p[n];
        var h = new double[n + 1, n + 1];
        for (int i = 0; i + 1 < n; i++)
        {
            h[i, i] += -w * Math.Sin(p[i]) * p[i + 1];
            h[i, i + 1] += w * Math.Cos(p[i]);
            h[i + 1, i] += w * Math.Cos(p[i]);
            h[i, n] += Math.Cos(p[i]) * p[i + 1];
            h[i + 1, n] += Math.Sin(p[i]);
        }
        h[0, n] += 2 * w;
        for (int i = 0; i < n; i++) h[n, i] = h[i, n];
        h[n, n] = 2 * p[0];
        return h;
    }

    [Fact]
    public void A_generic_method_in_double_matches_its_hand_derived_Hessian()
    {
        const int n = 4;
        CheckArrayAndScalar(n, SecondOrderGeneric.Energy, SecondOrderGeneric.EnergyGradient, SecondOrderGeneric.EnergyHessianVector, SecondOrderGeneric.EnergyHessian,
            GenericEnergyHessian, Points(n + 1, -1.5, 1.5, 3));
    }

    [Fact]
    public void A_generic_method_in_float_is_close_to_the_double_Hessian()
    {
        float[] x = { 0.3f, -0.7f, 1.1f };
        float w = 0.8f;
        var h = new float[4, 4];
        float value = SecondOrderGeneric.EnergyHessian(x, w, new float[3], out _, h);
        Assert.Equal(SecondOrderGeneric.Energy(x, w), value);
        double[] p = x.Select(e => (double)e).Append(w).ToArray();
        double[,] exact = GenericEnergyHessian(p);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++) Check.Close(exact[i, j], h[i, j], 1e-5, "float MHessian[" + i + ", " + j + "]", p);
        }
    }

    [Fact]
    public void Through_calls_of_a_generic_helper() =>
        CheckTwo(SecondOrderGeneric.CallsGeneric, SecondOrderGeneric.CallsGenericGradient, SecondOrderGeneric.CallsGenericHessianVector, SecondOrderGeneric.CallsGenericHessian,
            p => new[,] { { 2 * p[1] * p[1] + 2, 4 * p[0] * p[1] }, { 4 * p[0] * p[1], 2 * p[0] * p[0] } },
            Points(2, -2, 2));
}
