using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>A finite-difference estimate and whether every stencil point took the same branches and trip counts.</summary>
internal readonly record struct FiniteDifference(double Value, bool SameControlFlow);

/// <summary>Gradients of reverse programs against finite differences of the interpreted function.</summary>
internal static class GradientCheck
{
    /// <summary>
    /// ∂f/∂args[index] by the fourth-order central stencil (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h, with h scaled
    /// to x; for a float parameter the stencil points are rounded to float and h is large enough for float arithmetic.
    /// </summary>
    public static FiniteDifference Estimate(IrFunction function, IReadOnlyList<object?> args, int index, CallRegistry? calls = null, double? step = null)
    {
        object? x = args[index];
        bool isFloat = x is float;
        double x0 = IrValues.ToDouble(x);
        double h = step ?? (isFloat ? 2e-3 : 1e-4) * Math.Max(1, Math.Abs(x0));
        List<TraceEvent> reference = IrRunner.RunTraced(function, args, calls).Trace;
        bool same = IsResolvable(reference);

        double At(double offset)
        {
            object?[] shifted = args.ToArray();
            double point = x0 + offset * h;
            shifted[index] = isFloat ? (object)(float)point : point;
            (object? value, List<TraceEvent> trace) = IrRunner.RunTraced(function, shifted, calls);
            same &= trace.SequenceEqual(reference);
            return IrValues.ToDouble(value);
        }

        if (isFloat)
        {
            // Float stencil points are not exactly x ± kh; use the points actually evaluated (second order).
            float plus = (float)(x0 + h), minus = (float)(x0 - h);
            double fp = At((plus - x0) / h), fm = At((minus - x0) / h);
            return new FiniteDifference((fp - fm) / ((double)plus - minus), same);
        }
        double value = (-At(2) + 8 * At(1) - 8 * At(-1) + At(-2)) / (12 * h);
        return new FiniteDifference(value, same);
    }

    /// <summary>∂f/∂args[index][element] for a double array (vector) argument, by the fourth-order stencil.</summary>
    public static FiniteDifference EstimateElement(IrFunction function, IReadOnlyList<object?> args, int index, int[] element, CallRegistry? calls = null, double? step = null)
    {
        var array = (Array)args[index]!;
        double x0 = Convert.ToDouble(Get(array, element), CultureInfo.InvariantCulture);
        double h = step ?? 1e-4 * Math.Max(1, Math.Abs(x0));
        List<TraceEvent> reference = IrRunner.RunTraced(function, args, calls).Trace;
        bool same = IsResolvable(reference);

        double At(double offset)
        {
            object?[] shifted = args.ToArray();
            var copy = (Array)IrValues.Clone(array)!;
            Set(copy, element, x0 + offset * h);
            shifted[index] = copy;
            (object? value, List<TraceEvent> trace) = IrRunner.RunTraced(function, shifted, calls);
            same &= trace.SequenceEqual(reference);
            return IrValues.ToDouble(value);
        }

        return new FiniteDifference((-At(2) + 8 * At(1) - 8 * At(-1) + At(-2)) / (12 * h), same);
    }

    /// <summary>
    /// False where the function at this point is beyond floating-point resolution (see
    /// <see cref="IrInterpreter.IsBeyondResolution"/>): like a change of branch within the stencil, finite differences
    /// say nothing about the derivative there, so the comparison is skipped.
    /// </summary>
    private static bool IsResolvable(List<TraceEvent> trace) => !trace.Exists(e => e.Kind == 'p');

    private static object? Get(Array array, int[] element) =>
        element.Length == 2 && array.Rank == 1 ? ((Array)array.GetValue(element[0])!).GetValue(element[1]) : array.GetValue(element);

    private static void Set(Array array, int[] element, double value)
    {
        if (element.Length == 2 && array.Rank == 1) ((Array)array.GetValue(element[0])!).SetValue(value, element[1]);
        else array.SetValue(value, element);
    }

    /// <summary>Every element of a double array gradient against finite differences.</summary>
    public static void AssertArrayGradient(IrFunction function, object?[] args, int index, Array gradient, CallRegistry? calls = null)
    {
        var array = (Array)args[index]!;
        IEnumerable<int[]> elements = array.Rank == 2
            ? Enumerable.Range(0, array.GetLength(0)).SelectMany(i => Enumerable.Range(0, array.GetLength(1)).Select(j => new[] { i, j }))
            : array.GetType().GetElementType()!.IsArray
                ? Enumerable.Range(0, array.Length).SelectMany(i => Enumerable.Range(0, ((Array)array.GetValue(i)!).Length).Select(j => new[] { i, j }))
                : Enumerable.Range(0, array.Length).Select(i => new[] { i });
        foreach (int[] element in elements)
        {
            FiniteDifference fd = EstimateElement(function, args, index, element, calls);
            if (!fd.SameControlFlow) continue;
            AssertClose(fd.Value, Convert.ToDouble(Get(gradient, element), CultureInfo.InvariantCulture), 1e-6, 1e-8,
                "∂/∂" + function.Parameters[index].PreferredName + "[" + string.Join(", ", element) + "]");
        }
    }

    /// <summary>
    /// Finite differences to compare with: the same control flow at every stencil point, both estimates finite and agreeing
    /// (otherwise a kink — Abs, Max, Min — or a steep, overflowing or NaN region is inside the stencil).
    /// </summary>
    public static bool Comparable(FiniteDifference coarse, FiniteDifference fine) =>
        coarse.SameControlFlow && fine.SameControlFlow && double.IsFinite(coarse.Value) && double.IsFinite(fine.Value)
        && GradientCheck.Close(fine.Value, coarse.Value, 1e-7, 1e-9);

    public static bool Close(double actual, double expected, double relative, double absolute) =>
        (double.IsNaN(actual) && double.IsNaN(expected))
        || actual == expected // equal infinities too, whose difference is NaN
        || Math.Abs(actual - expected) <= absolute + relative * Math.Max(Math.Abs(actual), Math.Abs(expected));

    public static void AssertClose(double expected, double actual, double relative, double absolute, string what)
    {
        if (!Close(actual, expected, relative, absolute))
        {
            Assert.Fail(what + ": expected " + expected.ToString("R", CultureInfo.InvariantCulture) + ", got " + actual.ToString("R", CultureInfo.InvariantCulture)
                + " (difference " + Math.Abs(actual - expected).ToString("G3", CultureInfo.InvariantCulture) + ").");
        }
    }

    /// <summary>
    /// Differentiates <paramref name="function"/>, runs the reverse program at <paramref name="args"/>, and checks: the
    /// forward sweep computes the function's value, the reverse sweep leaves the result unchanged, and each differentiable
    /// scalar parameter's gradient matches finite differences (skipped where control flow changes within the stencil).
    /// </summary>
    public static GradientRun AssertMatchesFiniteDifferences(IrFunction function, object?[] args, CallRegistry? calls = null,
        double? relative = null, double? absolute = null, ReverseProgram? program = null)
    {
        program ??= IrRunner.Differentiate(function);
        GradientRun run = IrRunner.Gradient(program, args, seed: null, calls);
        object? plain = IrRunner.Run(function, args, calls);
        Assert.Equal(plain, run.Value);
        Assert.Equal(run.Value, run.ResultAfterReverse);
        for (int i = 0; i < function.Parameters.Length; i++)
        {
            IrVariable parameter = function.Parameters[i];
            if (!parameter.IsDifferentiableParameter || parameter.Type.Kind == IrTypeKind.Array) continue;
            bool isFloat = parameter.Type.Kind == IrTypeKind.Float;
            FiniteDifference fd = Estimate(function, args, i, calls);
            if (!fd.SameControlFlow) continue;
            AssertClose(fd.Value, run.Gradient(i), relative ?? (isFloat ? 3e-3 : 1e-6), absolute ?? (isFloat ? 1e-3 : 1e-8),
                "∂" + function.Name + "/∂" + parameter.PreferredName + " at (" + Format(args) + ")");
        }
        return run;
    }

    public static string Format(IEnumerable<object?> args) =>
        string.Join(", ", args.Select(a => a is double d ? d.ToString("R", CultureInfo.InvariantCulture)
            : a is float f ? f.ToString("R", CultureInfo.InvariantCulture) + "f"
            : a is Array array ? "[" + Format(array.Cast<object?>()) + "]"
            : Convert.ToString(a, CultureInfo.InvariantCulture)));
}
