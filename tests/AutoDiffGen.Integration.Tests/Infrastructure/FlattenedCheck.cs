using System;
using System.Linq;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Integration.Tests.Infrastructure;

/// <summary>
/// Checks the scalar-valued companions of a method over its inputs flattened to one vector (structs field by field, arrays
/// of structs element by element, then field by field): MGradient and MBackward against the exact gradient (the method
/// re-run on dual numbers, independent of the generator) and central finite differences, MBackward adding seed × gradient
/// into preset adjoints, and MTangent (when given) along unit and random directions.
/// </summary>
public static class FlattenedCheck
{
    private const double Seed = 1.5;
    private const double Preset = 0.25;

    /// <summary>The flattened-input companions of one method: value; gradient; backward from preset adjoints; tangent along v.</summary>
    public sealed record Companions(
        Func<double[], double> F,
        Func<double[], (double Value, double[] Gradient)> Gradient,
        Func<double[], double, double, (double Value, double[] Adjoints)> Backward,
        Func<Dual[], Dual> Exact,
        Func<double[], double[], (double Value, double Tangent)>? Tangent = null);

    public static double[] ExactGradient(Func<Dual[], Dual> f, double[] x) =>
        Enumerable.Range(0, x.Length).Select(i => f(x.Select((v, j) => j == i ? Dual.Variable(v) : Dual.Constant(v)).ToArray()).D).ToArray();

    /// <param name="isFloat">A float method: exact to float precision, finite differences with a wider step.</param>
    /// <param name="valueTolerance">
    /// 0: the companions return the method's value bit for bit. Vector2/3/4 operations are expanded into scalar float code,
    /// which may round differently from the SIMD library in the last bit.
    /// </param>
    /// <param name="strict">
    /// Also: the exact reference computes the method's own value (so it is the same function), and the dot-product test,
    /// MTangent along v against the reverse mode's own gradient dotted with v.
    /// </param>
    public static void Verify(Companions c, double[][] points, bool isFloat = false, double valueTolerance = 0, bool strict = false)
    {
        double exactTolerance = isFloat ? 2e-4 : Check.ExactTolerance;
        double fdTolerance = isFloat ? 3e-3 : Check.FiniteDifferenceTolerance;
        foreach (double[] x in points)
        {
            double value = c.F((double[])x.Clone());
            var (gv, g) = c.Gradient((double[])x.Clone());
            if (valueTolerance == 0) Check.Same(value, gv, "MGradient value", x);
            else Check.Close(value, gv, valueTolerance, "MGradient value", x);
            double[] exact = ExactGradient(c.Exact, x);
            Check.Close(exact.Length, g.Length, 0, "gradient length", x);
            if (strict) Check.Close(value, c.Exact(x.Select(Dual.Constant).ToArray()).V, isFloat ? 1e-4 : 1e-12, "the exact reference's value (it is the same function)", x);
            double[] fd = GradientCheck.CentralDifference(c.F, (double[])x.Clone(), isFloat ? 1e-3 : GradientCheck.DefaultStep);
            for (int i = 0; i < x.Length; i++)
            {
                Check.Close(exact[i], g[i], exactTolerance, "exact ∂/∂input " + i, x);
                Check.Close(fd[i], g[i], fdTolerance, "finite differences ∂/∂input " + i, x);
            }
            var (bv, adjoints) = c.Backward((double[])x.Clone(), Seed, Preset);
            if (valueTolerance == 0) Check.Same(value, bv, "MBackward value", x);
            else Check.Close(value, bv, valueTolerance, "MBackward value", x);
            for (int i = 0; i < x.Length; i++)
            {
                Check.Close(Preset + Seed * g[i], adjoints[i], exactTolerance, "MBackward adjoint " + i + " (preset + seed · gradient)", x);
            }
        }
        if (c.Tangent is { } tangent)
        {
            double step = isFloat ? 1e-3 : GradientCheck.DefaultStep;
            TangentCheck.Directional(c.F, tangent, x => ExactGradient(c.Exact, x), points, exactTolerance, fdTolerance, valueTolerance: valueTolerance, fdStep: step);
            if (strict) TangentCheck.Directional(c.F, tangent, x => c.Gradient(x).Gradient, points, exactTolerance, fdTolerance, valueTolerance: valueTolerance, fdStep: step);
        }
    }
}
