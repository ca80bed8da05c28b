using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using Xunit.Abstractions;

namespace AutoDiffGen.Engine.Tests.Property;

/// <summary>The seeds of the random-program tests: fixed, in batches (one test case each).</summary>
internal static class RandomPrograms
{
    public const int BaseSeed = 7_000;
    public const int ProgramCount = 300;
    public const int BatchSize = 50;

    public static TheoryData<int> Batches() => new(Enumerable.Range(0, ProgramCount / BatchSize));

    public static IEnumerable<int> Seeds(int batch) => Enumerable.Range(BaseSeed + batch * BatchSize, BatchSize);
}

/// <summary>
/// Random IR programs (see <see cref="RandomIrProgram"/>), fixed seeds, each differentiated by the engine and run in
/// the interpreter. Per point: the forward sweep computes the function, the reverse sweep leaves the result alone and
/// empties the tape, the gradient is linear in the seed, and it matches finite differences wherever the function is
/// smooth across the stencil (same branches and trip counts, two step sizes agreeing).
/// </summary>
public class RandomProgramTests
{
    private const int BaseSeed = RandomPrograms.BaseSeed;
    private const int ProgramCount = RandomPrograms.ProgramCount;
    private const int BatchSize = RandomPrograms.BatchSize;

    private readonly ITestOutputHelper _output;

    public RandomProgramTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<int> Batches() => RandomPrograms.Batches();

    private static IEnumerable<int> Seeds(int batch) => RandomPrograms.Seeds(batch);

    [Fact]
    public void Generator_is_deterministic_and_varied()
    {
        Assert.Equal(IrPrinter.Print(RandomIrProgram.Generate(BaseSeed + 3, IrType.Double).Function),
            IrPrinter.Print(RandomIrProgram.Generate(BaseSeed + 3, IrType.Double).Function));
        var randoms = Enumerable.Range(BaseSeed, ProgramCount).Select(s => RandomIrProgram.Cached(s, IrType.Double)).ToList();
        var programs = randoms.Select(r => r.Function).ToList();
        int withLoops = programs.Count(f => IrQuery.All(f.Body).Any(s => s is IrLoop));
        int withNestedLoops = programs.Count(f => IrQuery.All(f.Body).OfType<IrLoop>().Any(l => IrQuery.All(l.Body).Any(s => s is IrLoop)));
        int withBranches = programs.Count(f => IrQuery.All(f.Body).Any(s => s is IrIf));
        int withBranchInLoop = programs.Count(f => IrQuery.All(f.Body).OfType<IrLoop>().Any(l => IrQuery.All(l.Body).Any(s => s is IrIf)));
        int straightLine = programs.Count(f => !IrQuery.All(f.Body).Any(s => s is IrLoop or IrIf));
        int taping = randoms.Count(r => IrQuery.Pushes(r.Program.Forward).Count > 0);
        int jumping = programs.Count(f => f.Variables.Any(v => v.PreferredName == "_jump"));
        int returning = programs.Count(f => IrQuery.All(f.Body).OfType<IrLoop>().Any(l => IrQuery.All(l.Body).Any(s => s is IrAssign { Target.Role: IrVariableRole.Result })));
        int activeHeads = programs.Count(f => IrQuery.All(f.Body).OfType<IrLoop>().Any(l => l.Head.Statements.OfType<IrAssign>().Any(a => a.Target.Type.IsDifferentiable)));
        _output.WriteLine($"{programs.Count} programs: {withLoops} with loops ({withNestedLoops} nested), {withBranches} with branches ({withBranchInLoop} inside loops), "
            + $"{straightLine} straight-line, {taping} using the tape, {jumping} with break/continue/return in a loop ({returning} returning), {activeHeads} with active loop heads");
        int calling = programs.Count(f => IrQuery.Expressions(f.Body).Any(e => e is IrDifferentiableCall));
        int callingInLoops = programs.Count(f => IrQuery.All(f.Body).OfType<IrLoop>().Any(l => IrQuery.Expressions(l.Body).Any(e => e is IrDifferentiableCall)));
        _output.WriteLine($"{calling} programs call a differentiable callee ({callingInLoops} inside loops)");
        Assert.True(calling >= 50 && callingInLoops >= 20);
        Assert.True(withLoops >= 100 && withNestedLoops >= 20 && withBranches >= 100 && withBranchInLoop >= 20 && straightLine >= 10 && taping >= 50
            && jumping >= 30 && returning >= 10 && activeHeads >= 20);
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void Double_programs_match_finite_differences(int batch)
    {
        var failures = new List<string>();
        int compared = 0;
        foreach (int seed in Seeds(batch))
        {
            RandomIrProgram random = RandomIrProgram.Cached(seed, IrType.Double);
            string? failure = Check(seed, random, ref compared);
            if (failure is not null) failures.Add(failure);
        }
        _output.WriteLine($"{compared} partial derivatives compared with finite differences");
        Assert.True(failures.Count == 0, failures.Count + " of " + BatchSize + " programs failed:\n\n" + string.Join("\n\n", failures.Take(3)));
        Assert.True(compared >= BatchSize, "too few comparisons: " + compared);
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
                    double gradient = run.Gradient(i);
                    GradientCheck.AssertClose(2.5 * gradient, scaled.Gradient(i), 1e-9, 1e-15, "seed linearity of ∂/∂" + parameter.PreferredName);
                    FiniteDifference coarse = GradientCheck.Estimate(f, args, i, calls);
                    FiniteDifference fine = GradientCheck.Estimate(f, args, i, calls, step: 0.25e-4 * Math.Max(1, Math.Abs(IrValues.ToDouble(args[i]))));
                    if (!coarse.SameControlFlow || !fine.SameControlFlow) continue;
                    if (!GradientCheck.Close(fine.Value, coarse.Value, 1e-7, 1e-9)) continue; // a kink (Abs, Max, Min) inside the stencil
                    compared++;
                    GradientCheck.AssertClose(coarse.Value, gradient, 1e-6, 1e-8,
                        "∂/∂" + parameter.PreferredName + " at (" + GradientCheck.Format(args) + ")");
                }
            }
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var text = new StringBuilder();
            text.Append("seed ").Append(seed).Append(": ").Append(e.GetType().Name).Append(": ").Append(e.Message).Append('\n');
            text.Append(IrPrinter.Print(f));
            if (program is not null) text.Append(IrPrinter.Print(program));
            return text.ToString();
        }
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

    public static TheoryData<int> Batches() => RandomPrograms.Batches();

    [Theory]
    [MemberData(nameof(Batches))]
    public void Float_programs_type_check_and_agree_with_their_double_twins(int batch) => RandomTwins.AgreeWithDoubleTwins(batch, mixed: false, _output);
}

/// <summary>Double programs with float locals: implicit widening, explicit narrowing, adjoints converted between the two.</summary>
public class RandomMixedPrecisionProgramTests
{
    private readonly ITestOutputHelper _output;

    public RandomMixedPrecisionProgramTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<int> Batches() => RandomPrograms.Batches();

    [Theory]
    [MemberData(nameof(Batches))]
    public void Mixed_precision_programs_type_check_and_agree_with_their_double_twins(int batch) => RandomTwins.AgreeWithDoubleTwins(batch, mixed: true, _output);
}

internal static class RandomTwins
{
    public static void AgreeWithDoubleTwins(int batch, bool mixed, ITestOutputHelper output)
    {
        var failures = new List<string>();
        int compared = 0;
        foreach (int seed in RandomPrograms.Seeds(batch))
        {
            RandomIrProgram single = RandomIrProgram.Cached(seed, mixed ? IrType.Double : IrType.Float, mixed);
            RandomIrProgram twin = RandomIrProgram.Cached(seed, IrType.Double);
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
                    object?[] widened = single.Points[p].Select(a => a is float f ? (object?)(double)f : a).ToArray();
                    if (mixed) widened = twin.Points[p];
                    GradientRun reference = IrRunner.Gradient(twinProgram, widened, calls: twinCalls);
                    if (!run.ForwardTrace.SequenceEqual(reference.ForwardTrace)) continue;
                    double scale = Math.Max(1, Math.Abs(IrValues.ToDouble(reference.Value)));
                    if (!double.IsFinite(scale) || scale > 1e4) continue;
                    for (int i = 0; i < run.Gradients.Length; i++)
                    {
                        if (run.Gradients[i] is null) continue;
                        Assert.Equal(single.Function.Parameters[i].Type.Kind == IrTypeKind.Float, run.Gradients[i] is float);
                        double expected = reference.Gradient(i);
                        if (!double.IsFinite(expected) || Math.Abs(expected) > 1e4) continue;
                        compared++;
                        GradientCheck.AssertClose(expected, run.Gradient(i), 2e-2, 2e-3 * scale,
                            (mixed ? "mixed" : "float") + " ∂/∂" + single.Function.Parameters[i].PreferredName + " vs the double twin at (" + GradientCheck.Format(single.Points[p]) + ")");
                    }
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add("seed " + seed + ": " + e.GetType().Name + ": " + e.Message + "\n" + IrPrinter.Print(single.Function));
            }
        }
        output.WriteLine($"{compared} {(mixed ? "mixed-precision" : "float")} partial derivatives compared");
        Assert.True(failures.Count == 0, failures.Count + " of " + RandomPrograms.BatchSize + " programs failed:\n\n" + string.Join("\n\n", failures.Take(3)));
    }

}
