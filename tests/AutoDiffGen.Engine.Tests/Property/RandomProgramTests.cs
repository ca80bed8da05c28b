using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using Xunit.Abstractions;

namespace AutoDiffGen.Engine.Tests.Property;

/// <summary>The seeds of the random-program tests: a fixed slice in batches (one test case each), or a campaign (<see cref="PropertyRun"/>).</summary>
internal static class RandomPrograms
{
    public const int BaseSeed = 7_000;
    public const int ProgramCount = 300;
    public const int BatchSize = 50;

    public static readonly PropertyRun Run = PropertyRun.For(BaseSeed, ProgramCount, BatchSize);

    /// <summary>The float and mixed-precision twins: the same seeds (a fiftieth of them in a campaign).</summary>
    public static readonly PropertyRun TwinRun = PropertyRun.For(BaseSeed, ProgramCount, BatchSize, share: 0.02);

    public static TheoryData<int> Batches() => Run.BatchData();

    public static TheoryData<int> TwinBatches() => TwinRun.BatchData();

    /// <summary>The program of a seed: cached in the fixed slice (shared by the double, float and mixed tests), fresh in a campaign.</summary>
    public static RandomIrProgram Program(int seed, IrType type, bool mixed = false) =>
        Run.Campaign ? RandomIrProgram.Generate(seed, type, mixed) : RandomIrProgram.Cached(seed, type, mixed);
}

/// <summary>
/// Random IR programs (see <see cref="RandomIrProgram"/>), each differentiated by the engine and run in the interpreter.
/// Per point: the forward sweep computes the function, the reverse sweep leaves the result alone and empties the tape,
/// the gradient is linear in the seed, and each partial derivative (every element of the array's too) matches finite
/// differences wherever the function is smooth across the stencil (same branches and trip counts, two step sizes
/// agreeing, both finite). A point where the function is not finite is skipped; a gradient that throws, or that is NaN
/// where finite differences are stable, fails.
/// </summary>
public class RandomProgramTests
{
    private const int BaseSeed = RandomPrograms.BaseSeed;
    private const int ProgramCount = RandomPrograms.ProgramCount;

    private readonly ITestOutputHelper _output;

    public RandomProgramTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<int> Batches() => RandomPrograms.Batches();

    [Fact]
    public void Generator_is_deterministic_and_varied()
    {
        Assert.Equal(IrPrinter.Print(RandomIrProgram.Generate(BaseSeed + 3, IrType.Double).Function),
            IrPrinter.Print(RandomIrProgram.Generate(BaseSeed + 3, IrType.Double).Function));
        var randoms = Enumerable.Range(BaseSeed, ProgramCount).Select(s => RandomIrProgram.Cached(s, IrType.Double)).ToList();
        var programs = randoms.Select(r => r.Function).ToList();
        int withLoops = programs.Count(f => IrQuery.All(f.Body).Any(s => s is IrLoop));
        int withNestedLoops = programs.Count(f => LoopDepth(f.Body) >= 2);
        int threeDeep = programs.Count(f => LoopDepth(f.Body) >= 3);
        int withBranches = programs.Count(f => IrQuery.All(f.Body).Any(s => s is IrIf));
        int withBranchInLoop = programs.Count(f => IrQuery.All(f.Body).OfType<IrLoop>().Any(l => IrQuery.All(l.Body).Any(s => s is IrIf)));
        int straightLine = programs.Count(f => !IrQuery.All(f.Body).Any(s => s is IrLoop or IrIf));
        int taping = randoms.Count(r => IrQuery.Pushes(r.Program.Forward).Count > 0);
        var jumps = programs.Select(f => Jumps(f.Body, 0).ToHashSet()).ToList();
        int jumping = jumps.Count(j => j.Any(x => x.Depth > 0));
        int returning = jumps.Count(j => j.Any(x => x.Kind == 3 && x.Depth > 0));
        string ByDepth(int kind, int from) =>
            string.Join("/", Enumerable.Range(from, 4 - from).Select(d => jumps.Count(j => j.Contains((kind, d)))));
        int activeHeads = programs.Count(f => IrQuery.All(f.Body).OfType<IrLoop>().Any(l => l.Head.Statements.OfType<IrAssign>().Any(a => a.Target.Type.IsDifferentiable)));
        _output.WriteLine($"{programs.Count} programs: {withLoops} with loops ({withNestedLoops} nested, {threeDeep} three deep), {withBranches} with branches ({withBranchInLoop} inside loops), "
            + $"{straightLine} straight-line, {taping} using the tape, {jumping} with break/continue/return in a loop ({returning} returning), {activeHeads} with active loop heads");
        _output.WriteLine($"jumps by loop depth 1/2/3: break {ByDepth(2, 1)}, continue {ByDepth(1, 1)}, return {ByDepth(3, 1)} (and {randoms.Count(r => r.Features.Contains("return@0"))} returning early outside loops); "
            + $"{randoms.Count(r => r.Features.Contains("jump-pair"))} with two jumps in one iteration (if (i == k) continue; …; if (w > c) break;), "
            + $"{randoms.Count(r => r.Features.Contains("counter-tested-jump"))} with other jumps tested on a counter, {randoms.Count(r => r.Features.Contains("fresh-value-tested-by-jump"))} on a value a branch just overwrote");
        int calling = programs.Count(f => IrQuery.Expressions(f.Body).Any(e => e is IrDifferentiableCall));
        int callingInLoops = programs.Count(f => IrQuery.All(f.Body).OfType<IrLoop>().Any(l => IrQuery.Expressions(l.Body).Any(e => e is IrDifferentiableCall)));
        _output.WriteLine($"{calling} programs call a differentiable callee ({callingInLoops} inside loops)");
        int Having(string feature) => randoms.Count(r => r.Features.Contains(feature));
        // The iteration-output rule must apply to some of them (ReverseModeTransform.IterationOutputs.cs), not only be drawn.
        int recomputedOutputs = randoms.Count(r => r.Features.Contains("iteration-output")
            && IrQuery.All(r.Program.Forward).Concat(IrQuery.All(r.Program.Reverse)).OfType<IrComment>().Any(c => c.Text.Contains("recomputed rather than stored")));
        _output.WriteLine($"{Having("array")} with an array parameter: index arithmetic {Having("index-remainder")} with i % len, {Having("index-divide")} with i / 2, "
            + $"{Having("neighbour-index")} with a[i + 1] under i + 1 < len, triangular loops {Having("triangular-upper")} j = i + 1 .. len and {Having("triangular-lower")} j <= i, "
            + $"{Having("descending-array-loop")} descending; {Having("local-array")} with a local array ({Having("local-array-write")} writing it in loops, {Having("block-fill")} filling a scratch as two interleaved blocks), "
            + $"{Having("parameter-array-write")} writing into the parameter; {Having("iteration-output")} with a loop leaving one value per iteration in a local array "
            + $"({recomputedOutputs} of them re-run in reverse)");
        _output.WriteLine($"{Having("carried-one-arm")} with a loop-carried value assigned in one arm only, {Having("split-arms")} with arms assigning different variables, "
            + $"{Having("zero-arm")} with an arm assigning a constant or passive value; NaN on a path that does not reach the result: "
            + $"{Having("nan-untaken-branch")} in an untaken branch, {Having("nan-guarded")} overwritten by a guard, {Having("nan-on-untaken-return")} in an untaken return; "
            + $"{Having("overflow-unselected")} with Exp overflowing into an unselected Min/Max");
        Assert.True(calling >= 50 && callingInLoops >= 20);
        Assert.True(recomputedOutputs >= 3, "too few iteration-output loops re-run in reverse");
        // The stepped-index rule must apply to some (ReverseModeTransform.SteppedIndices.cs), and be refused for others (a
        // step in a branch, the index read after its nest).
        int recounted = randoms.Count(r => r.SteppedIndices.Any(k => IrQuery.PushesOf(r.Program.Forward, k).Count == 0));
        int stillTaped = randoms.Count(r => r.SteppedIndices.Any(k => IrQuery.PushesOf(r.Program.Forward, k).Count > 0));
        _output.WriteLine($"{Having("stepped-index")} with an index stepped by a nest inside a loop: {recounted} recounted in reverse, {stillTaped} taped");
        Assert.True(recounted >= 3 && stillTaped >= 1, $"stepped indices: {recounted} recounted, {stillTaped} taped");
        Assert.True(withLoops >= 100 && withNestedLoops >= 20 && threeDeep >= 10 && withBranches >= 100 && withBranchInLoop >= 20 && straightLine >= 5 && taping >= 50
            && jumping >= 30 && returning >= 10 && activeHeads >= 20);
        foreach (int kind in new[] { 1, 2, 3 })
        {
            for (int depth = 1; depth <= 3; depth++) Assert.True(jumps.Count(j => j.Contains((kind, depth))) >= 3, $"too few programs with jump {kind} at loop depth {depth}");
        }
        foreach (string feature in new[] { "array", "index-remainder", "index-divide", "neighbour-index", "triangular-upper", "triangular-lower", "local-array-write",
                     "parameter-array-write", "block-fill", "iteration-output", "stepped-index", "jump-pair", "carried-one-arm", "split-arms", "zero-arm", "nan-untaken-branch", "nan-guarded", "nan-on-untaken-return", "overflow-unselected" })
        {
            Assert.True(Having(feature) >= 5, "too few programs with " + feature);
        }
    }

    /// <summary>How deep loops nest.</summary>
    private static int LoopDepth(IrBlock block) =>
        block.Statements.Select(s => s switch
        {
            IrLoop l => 1 + Math.Max(LoopDepth(l.Head), LoopDepth(l.Body)),
            IrIf i => Math.Max(LoopDepth(i.Then), LoopDepth(i.Else)),
            _ => 0,
        }).DefaultIfEmpty(0).Max();

    /// <summary>The jumps (_jump = 1 continue, 2 break, 3 return) and the loop depth each is at.</summary>
    private static IEnumerable<(int Kind, int Depth)> Jumps(IrBlock block, int depth)
    {
        foreach (IrStatement statement in block.Statements)
        {
            switch (statement)
            {
                case IrAssign { Target.PreferredName: "_jump", Value: IrConstant { Value: int kind } } when kind != 0:
                    yield return (kind, depth);
                    break;
                case IrIf branch:
                    foreach (var jump in Jumps(branch.Then, depth).Concat(Jumps(branch.Else, depth))) yield return jump;
                    break;
                case IrLoop loop:
                    foreach (var jump in Jumps(loop.Body, depth + 1)) yield return jump;
                    break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void Double_programs_match_finite_differences(int batch)
    {
        PropertyRun run = RandomPrograms.Run;
        run.Announce(_output, "double programs", batch);
        int compared = 0;
        var failures = run.Run(batch, seed =>
        {
            int mine = 0;
            string? failure = Check(seed, RandomPrograms.Program(seed, IrType.Double), ref mine);
            Interlocked.Add(ref compared, mine);
            return failure;
        });
        int programs = run.Seeds(batch).Count();
        _output.WriteLine($"{compared} partial derivatives compared with finite differences");
        Assert.True(failures.Count == 0, run.Report("double programs", failures, programs));
        Assert.True(compared >= programs, "too few comparisons: " + compared);
    }

    /// <summary>All checks of one program; a description of the first failure, or null.</summary>
    private static string? Check(int seed, RandomIrProgram random, ref int compared)
    {
        IrFunction f = random.Function;
        ReverseProgram? program = null;
        try
        {
            program = random.Program;
            CallRegistry calls = random.NewCalls();
            foreach (object?[] args in random.Points)
            {
                object? plain = IrRunner.Run(f, args, calls);
                double value = IrValues.ToDouble(plain);
                if (!double.IsFinite(value) || Math.Abs(value) > 1e6) continue;

                GradientRun run = IrRunner.Gradient(program, args, calls: calls);
                Assert.Equal(plain, run.Value);
                Assert.Equal(run.Value, run.ResultAfterReverse);
                GradientRun scaled = IrRunner.Gradient(program, args, seed: 2.5, calls: calls);
                for (int i = 0; i < f.Parameters.Length; i++)
                {
                    IrVariable parameter = f.Parameters[i];
                    if (!parameter.IsDifferentiableParameter)
                    {
                        Assert.Null(run.Gradients[i]);
                        continue;
                    }
                    if (parameter.Type.Kind == IrTypeKind.Array)
                    {
                        var gradient = (Array)run.Gradients[i]!;
                        var scaledGradient = (Array)scaled.Gradients[i]!;
                        var array = (Array)args[i]!;
                        Assert.Equal(array.Length, gradient.Length);
                        for (int k = 0; k < array.Length; k++)
                        {
                            double element = IrValues.ToDouble(gradient.GetValue(k));
                            string what = "∂/∂" + parameter.PreferredName + "[" + k + "] at (" + GradientCheck.Format(args) + ")";
                            GradientCheck.AssertClose(2.5 * element, IrValues.ToDouble(scaledGradient.GetValue(k)), 1e-9, 1e-12, "seed linearity of " + what);
                            double x0 = IrValues.ToDouble(array.GetValue(k));
                            FiniteDifference coarseElement = GradientCheck.EstimateElement(f, args, i, new[] { k }, calls);
                            FiniteDifference fineElement = GradientCheck.EstimateElement(f, args, i, new[] { k }, calls, step: 0.25e-4 * Math.Max(1, Math.Abs(x0)));
                            if (!GradientCheck.Comparable(coarseElement, fineElement)) continue;
                            compared++;
                            GradientCheck.AssertClose(coarseElement.Value, element, 1e-6, 1e-8, what);
                        }
                        continue;
                    }
                    double partial = run.Gradient(i);
                    GradientCheck.AssertClose(2.5 * partial, scaled.Gradient(i), 1e-9, 1e-12, "seed linearity of ∂/∂" + parameter.PreferredName);
                    FiniteDifference coarse = GradientCheck.Estimate(f, args, i, calls);
                    FiniteDifference fine = GradientCheck.Estimate(f, args, i, calls, step: 0.25e-4 * Math.Max(1, Math.Abs(IrValues.ToDouble(args[i]))));
                    if (!GradientCheck.Comparable(coarse, fine)) continue;
                    compared++;
                    GradientCheck.AssertClose(coarse.Value, partial, 1e-6, 1e-8,
                        "∂/∂" + parameter.PreferredName + " at (" + GradientCheck.Format(args) + ")");
                }
            }
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var text = new StringBuilder();
            text.Append("seed ").Append(seed).Append(" (rerun alone: ADG_PROPERTY_SEED=").Append(seed).Append("): ")
                .Append(e.GetType().Name).Append(": ").Append(e.Message).Append('\n');
            text.Append("points: ").Append(string.Join("; ", random.Points.Select(p => "(" + GradientCheck.Format(p) + ")"))).Append('\n');
            text.Append(IrPrinter.Print(f));
            if (program is not null) text.Append(IrPrinter.Print(program));
            if (Environment.GetEnvironmentVariable("ADG_PROPERTY_MINIMIZE") is "1" or "true") text.Append(Minimized(seed));
            return text.ToString();
        }
    }

    /// <summary>The failing program of <paramref name="seed"/> shrunk by <see cref="IrMinimizer"/>, with its reverse program.</summary>
    private static string Minimized(int seed)
    {
        RandomIrProgram fresh = RandomIrProgram.Generate(seed, IrType.Double); // not the cached one: the minimiser edits it
        if (!IrMinimizer.Fails(fresh.Function, fresh.Points, fresh.NewCalls)) return "\n(not a disagreement with finite differences alone: not minimised)\n";
        IrFunction small = IrMinimizer.Minimize(fresh.Function, fresh.Points, fresh.NewCalls);
        return "\nminimised (ADG_PROPERTY_MINIMIZE):\n" + IrPrinter.Print(small) + IrPrinter.Print(IrRunner.Differentiate(small));
    }
}

/// <summary>
/// Float programs: the reverse program must type-check in float (the interpreter rejects what C# would), return float
/// gradients, and agree with the double twin of the same seed where both took the same path.
/// </summary>
public class RandomFloatProgramTests
{
    private readonly ITestOutputHelper _output;

    public RandomFloatProgramTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<int> Batches() => RandomPrograms.TwinBatches();

    [Theory]
    [MemberData(nameof(Batches))]
    public void Float_programs_type_check_and_agree_with_their_double_twins(int batch) => RandomTwins.AgreeWithDoubleTwins(batch, mixed: false, _output);
}

/// <summary>Double programs with float locals: implicit widening, explicit narrowing, adjoints converted between the two.</summary>
public class RandomMixedPrecisionProgramTests
{
    private readonly ITestOutputHelper _output;

    public RandomMixedPrecisionProgramTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<int> Batches() => RandomPrograms.TwinBatches();

    [Theory]
    [MemberData(nameof(Batches))]
    public void Mixed_precision_programs_type_check_and_agree_with_their_double_twins(int batch) => RandomTwins.AgreeWithDoubleTwins(batch, mixed: true, _output);
}

internal static class RandomTwins
{
    public static void AgreeWithDoubleTwins(int batch, bool mixed, ITestOutputHelper output)
    {
        PropertyRun run = RandomPrograms.TwinRun;
        run.Announce(output, mixed ? "mixed-precision programs" : "float programs", batch);
        int compared = 0;
        var failures = run.Run(batch, seed =>
        {
            int mine = 0;
            string? failure = Check(seed, mixed, ref mine);
            Interlocked.Add(ref compared, mine);
            return failure;
        });
        output.WriteLine($"{compared} {(mixed ? "mixed-precision" : "float")} partial derivatives compared");
        Assert.True(failures.Count == 0, run.Report(mixed ? "mixed-precision programs" : "float programs", failures, run.Seeds(batch).Count()));
    }

    private static string? Check(int seed, bool mixed, ref int compared)
    {
        RandomIrProgram single = RandomPrograms.Program(seed, mixed ? IrType.Double : IrType.Float, mixed);
        RandomIrProgram twin = RandomPrograms.Program(seed, IrType.Double);
        try
        {
            ReverseProgram program = single.Program;
            ReverseProgram twinProgram = twin.Program;
            CallRegistry calls = single.NewCalls(), twinCalls = twin.NewCalls();
            for (int p = 0; p < single.Points.Count; p++)
            {
                GradientRun run = IrRunner.Gradient(program, single.Points[p], calls: calls);
                Assert.Equal(single.Function.ReturnType.Kind == IrTypeKind.Float, run.Value is float);
                Assert.Equal(run.Value, run.ResultAfterReverse);
                Assert.Equal(IrRunner.Run(single.Function, single.Points[p], calls), run.Value);
                // The twin at the float-rounded point; compare only where both took the same path.
                object?[] widened = single.Points[p].Select(Widen).ToArray();
                if (mixed) widened = twin.Points[p];
                GradientRun reference = IrRunner.Gradient(twinProgram, widened, calls: twinCalls);
                if (!run.ForwardTrace.SequenceEqual(reference.ForwardTrace)) continue;
                double scale = Math.Max(1, Math.Abs(IrValues.ToDouble(reference.Value)));
                if (!double.IsFinite(scale) || scale > 1e4) continue;
                for (int i = 0; i < run.Gradients.Length; i++)
                {
                    if (run.Gradients[i] is null) continue;
                    bool isFloat = single.Function.Parameters[i].Type.Kind == IrTypeKind.Float
                        || single.Function.Parameters[i].Type.Element?.Kind == IrTypeKind.Float;
                    string name = (mixed ? "mixed" : "float") + " ∂/∂" + single.Function.Parameters[i].PreferredName;
                    var pairs = run.Gradients[i] is Array elements
                        ? Enumerable.Range(0, elements.Length).Select(k => (Actual: elements.GetValue(k), Expected: ((Array)reference.Gradients[i]!).GetValue(k), What: name + "[" + k + "]")).ToList()
                        : new[] { (Actual: run.Gradients[i], Expected: reference.Gradients[i], What: name) }.ToList();
                    foreach (var (actual, expectedValue, what) in pairs)
                    {
                        Assert.Equal(isFloat, actual is float);
                        double expected = IrValues.ToDouble(expectedValue);
                        if (!double.IsFinite(expected) || Math.Abs(expected) > 1e4) continue;
                        compared++;
                        GradientCheck.AssertClose(expected, IrValues.ToDouble(actual), 2e-2, 2e-3 * scale,
                            what + " vs the double twin at (" + GradientCheck.Format(single.Points[p]) + ")");
                    }
                }
            }
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return "seed " + seed + " (rerun alone: ADG_PROPERTY_SEED=" + seed + "): " + e.GetType().Name + ": " + e.Message + "\n" + IrPrinter.Print(single.Function);
        }
    }

    private static object? Widen(object? argument) => argument switch
    {
        float f => (double)f,
        float[] fs => fs.Select(f => (double)f).ToArray(),
        _ => argument,
    };
}
