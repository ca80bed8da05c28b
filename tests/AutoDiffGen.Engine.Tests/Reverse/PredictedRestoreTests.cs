using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Engine.Tests.Property;
using AutoDiffGen.Generator.Engine;
using AutoDiffGen.Generator.Engine.Analysis;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using Xunit;
using Xunit.Abstractions;

namespace AutoDiffGen.Engine.Tests.Reverse;

/// <summary>
/// Restores predicted dead (ReverseModeTransform.PredictedRestores.cs, issue 11): the round after the one that finds what
/// the reverse sweep reads leaves out the tape pushes of the restores the first predicts dead, and is kept when they all
/// are, instead of a third round rebuilding both sweeps. The program must be the one the three rounds make, to the
/// character; only the number of rounds changes. Rounds are counted through <see cref="PassTimings"/> (no clock).
/// </summary>
public class PredictedRestoreTests
{
    private readonly ITestOutputHelper _output;

    public PredictedRestoreTests(ITestOutputHelper output) => _output = output;

    private static (ReverseProgram Program, IReadOnlyDictionary<string, PassTimings.PassCost> Costs) Transform(IrFunction function, bool predict)
    {
        ReverseProgram? program = null;
        long tick = 0;
        var costs = PassTimings.Record(() => program = ReverseModeTransform.Transform(function, ActivityAnalysis.Analyze(function), predict), () => tick++, () => 0);
        return (program!, costs);
    }

    private static int Calls(IReadOnlyDictionary<string, PassTimings.PassCost> costs, string pass) => costs.TryGetValue(pass, out var cost) ? cost.Calls : 0;

    /// <summary>
    /// The generator-cost benchmark's branchy loop body (LongMethods, issue 11), <paramref name="groups"/> groups of four
    /// statements: a product, a sine, an if/else overwriting the carried <c>a</c>, an exponential.
    /// </summary>
    private static IrFunction BranchyLoopBody(int groups)
    {
        var b = new IrBuilder("Branchy");
        Var x = b.Param("x", IrType.Double);
        Var y = b.Param("y", IrType.Double);
        Var m = b.Param("m", IrType.Int);
        Var a = b.Local("a", x);
        Var s = b.Local("s", 0.0);
        b.For("i", 0, m, _ =>
        {
            E previous = x;
            for (int k = 0; k < 4 * groups; k++)
            {
                E value = (k % 4) switch
                {
                    0 => previous * y + 0.5,
                    1 => M.Sin(previous) * x,
                    2 => BranchThenDifference(b, a, previous, y),
                    _ => M.Exp(-previous * 0.1) + a,
                };
                previous = b.Local("v" + k, value);
            }
            b.Assign(s, s + previous);
        });
        b.Return(s);
        return b.Build();
    }

    private static E BranchThenDifference(IrBuilder b, Var a, E previous, Var y)
    {
        b.If(previous > 0.0, () => b.Assign(a, a * 0.5 + previous), () => b.Assign(a, a - previous * y));
        return a - y;
    }

    /// <summary>The same function in dual numbers (value, ∂/∂x, ∂/∂y): its exact gradient, to rounding.</summary>
    private static (double Dx, double Dy) BranchyGradient(int groups, double xValue, double yValue, int m)
    {
        var x = new Dual(xValue, 1, 0);
        var y = new Dual(yValue, 0, 1);
        Dual a = x, s = new Dual(0, 0, 0);
        for (int i = 0; i < m; i++)
        {
            Dual previous = x;
            for (int k = 0; k < 4 * groups; k++)
            {
                switch (k % 4)
                {
                    case 0: previous = previous * y + 0.5; break;
                    case 1: previous = Dual.Sin(previous) * x; break;
                    case 2:
                        a = previous.Value > 0 ? a * 0.5 + previous : a - previous * y;
                        previous = a - y;
                        break;
                    default: previous = Dual.Exp(previous * -0.1) + a; break;
                }
            }
            s = s + previous;
        }
        return (s.Dx, s.Dy);
    }

    private readonly record struct Dual(double Value, double Dx, double Dy)
    {
        public static Dual operator +(Dual a, Dual b) => new(a.Value + b.Value, a.Dx + b.Dx, a.Dy + b.Dy);
        public static Dual operator -(Dual a, Dual b) => new(a.Value - b.Value, a.Dx - b.Dx, a.Dy - b.Dy);
        public static Dual operator *(Dual a, Dual b) => new(a.Value * b.Value, a.Dx * b.Value + a.Value * b.Dx, a.Dy * b.Value + a.Value * b.Dy);
        public static Dual operator +(Dual a, double c) => new(a.Value + c, a.Dx, a.Dy);
        public static Dual operator *(Dual a, double c) => new(a.Value * c, a.Dx * c, a.Dy * c);
        public static Dual Sin(Dual a) => new(Math.Sin(a.Value), Math.Cos(a.Value) * a.Dx, Math.Cos(a.Value) * a.Dy);
        public static Dual Exp(Dual a) => new(Math.Exp(a.Value), Math.Exp(a.Value) * a.Dx, Math.Exp(a.Value) * a.Dy);
    }

    [Fact]
    public void A_branchy_loop_body_is_transformed_twice_not_three_times_into_the_same_program()
    {
        IrFunction f = BranchyLoopBody(groups: 5);
        var (predicted, withPrediction) = Transform(f, predict: true);
        var (rebuilt, without) = Transform(f, predict: false);
        Assert.Equal(IrPrinter.Print(rebuilt), IrPrinter.Print(predicted));
        // The premise: without the prediction, the second round finds restores dead and a third rebuilds.
        Assert.Equal(3, Calls(without, "Reverse.Sweeps"));
        Assert.Equal(2, Calls(withPrediction, "Reverse.Sweeps"));
        Assert.Equal(1, Calls(withPrediction, "Reverse.PredictionKept"));
        Assert.Equal(0, Calls(withPrediction, "Reverse.PredictionRefuted"));
        // The locals the reverse recomputes are not taped: the forward sweep pushes a and what the partials read.
        Assert.True(IrQuery.Pushes(predicted.Forward).Count < IrQuery.Pushes(rebuilt.Forward).Count + 1);

        foreach (var (x, y, m) in new[] { (0.7, -0.3, 3), (-0.4, 1.2, 2), (1.5, 0.25, 4) })
        {
            GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(f, new object?[] { x, y, m }, program: predicted);
            var (dx, dy) = BranchyGradient(groups: 5, x, y, m);
            GradientCheck.AssertClose(dx, run.Gradient(0), 1e-12, 1e-12, "∂F/∂x");
            GradientCheck.AssertClose(dy, run.Gradient(1), 1e-12, 1e-12, "∂F/∂y");
        }
    }

    /// <summary>
    /// The random IR programs of the CI slice, or of a campaign (ADG_PROPERTY_LONG, <see cref="PropertyRun"/>), double and
    /// float: each program is the same, to the character, with the
    /// prediction and without it. Some predictions are kept and some refuted (a restore predicted dead is read in the
    /// round built from the prediction: that round is thrown away and the next one restores it), so both paths are run.
    /// </summary>
    [Fact]
    public void Random_programs_are_the_same_with_and_without_the_prediction()
    {
        int kept = 0, refuted = 0, roundsSaved = 0, programs = 0;
        var different = new List<string>();
        foreach (var (type, run) in new[] { (IrType.Double, RandomPrograms.Run), (IrType.Float, RandomPrograms.TwinRun) })
        {
            foreach (int seed in Enumerable.Range(0, run.Batches).SelectMany(run.Seeds))
            {
                IrFunction f = RandomPrograms.Program(seed, type).Function;
                var (predicted, on) = Transform(f, predict: true);
                var (rebuilt, off) = Transform(f, predict: false);
                programs++;
                if (IrPrinter.Print(predicted) != IrPrinter.Print(rebuilt)) different.Add(type.CSharpName + " seed " + seed);
                kept += Calls(on, "Reverse.PredictionKept");
                refuted += Calls(on, "Reverse.PredictionRefuted");
                roundsSaved += Calls(off, "Reverse.Sweeps") - Calls(on, "Reverse.Sweeps");
            }
        }
        _output.WriteLine($"{programs} programs: {kept} predictions kept, {refuted} refuted, {roundsSaved} rounds saved");
        Assert.Empty(different);
        Assert.True(kept >= 10, $"only {kept} predictions kept");
        Assert.True(refuted >= 1, "no prediction refuted: the fallback is not exercised");
        Assert.True(roundsSaved > 0);
    }
}
