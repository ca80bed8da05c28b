using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using AutoDiffGen.Generator.Engine.Tangent;
using Xunit.Abstractions;

namespace AutoDiffGen.Engine.Tests.Property;

/// <summary>
/// The dot-product test over the random IR programs (the same seeds, kinds and callees as <see cref="RandomProgramTests"/>):
/// for a random direction v of the inputs and a random seed w of the result, ⟨MTangent(v), w⟩ = ⟨v, MBackward(w)⟩ to
/// round-off — forward and reverse mode compute the same linear map, through branches, loops with exits, arrays and calls.
/// The tangent program must also compute the function's own value.
/// </summary>
public class RandomTangentProgramTests
{
    private readonly ITestOutputHelper _output;

    public RandomTangentProgramTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<int> Batches() => RandomPrograms.Batches();

    public static TheoryData<int> TwinBatches() => RandomPrograms.TwinBatches();

    [Theory]
    [MemberData(nameof(Batches))]
    public void Double_programs_pass_the_dot_product_test(int batch) => RunBatch(batch, RandomPrograms.Run, IrType.Double, mixed: false, tolerance: 1e-9);

    [Theory]
    [MemberData(nameof(TwinBatches))]
    public void Float_programs_pass_the_dot_product_test(int batch) => RunBatch(batch, RandomPrograms.TwinRun, IrType.Float, mixed: false, tolerance: 2e-3);

    [Theory]
    [MemberData(nameof(TwinBatches))]
    public void Mixed_precision_programs_pass_the_dot_product_test(int batch) => RunBatch(batch, RandomPrograms.TwinRun, IrType.Double, mixed: true, tolerance: 2e-3);

    private void RunBatch(int batch, PropertyRun run, IrType type, bool mixed, double tolerance)
    {
        string kind = (mixed ? "mixed-precision" : type.CSharpName) + " dot-product";
        run.Announce(_output, kind, batch);
        int compared = 0;
        var failures = run.Run(batch, seed =>
        {
            int mine = 0;
            string? failure = Check(seed, RandomPrograms.Program(seed, type, mixed), tolerance, ref mine);
            Interlocked.Add(ref compared, mine);
            return failure;
        });
        int programs = run.Seeds(batch).Count();
        _output.WriteLine($"{compared} points compared");
        Assert.True(failures.Count == 0, run.Report(kind, failures, programs));
        Assert.True(compared >= programs / 2, "too few comparisons: " + compared);
    }

    private static string? Check(int seed, RandomIrProgram random, double tolerance, ref int compared)
    {
        IrFunction f = random.Function;
        try
        {
            TangentProgram tangent = TangentRunner.Differentiate(f);
            ReverseProgram reverse = random.Program;
            CallRegistry calls = random.NewCalls();
            var directions = new Random(seed);
            foreach (object?[] args in random.Points)
            {
                object? plain = IrRunner.Run(f, args, calls);
                double value = IrValues.ToDouble(plain);
                if (!double.IsFinite(value) || Math.Abs(value) > 1e6) continue;

                // v: one tangent per differentiable parameter (an array of its shape for arrays); w: the result's seed.
                var v = new List<object?>();
                foreach (var (parameter, i) in f.Parameters.Select((p, i) => (p, i)).Where(x => x.p.IsDifferentiableParameter))
                {
                    v.Add(args[i] is Array shape
                        ? RandomLike(shape, parameter.Type.Element!, directions)
                        : IrValues.Explicit(Math.Round(directions.NextDouble() * 2 - 1, 4), parameter.Type));
                }
                double w = Math.Round(0.5 + directions.NextDouble(), 4);

                TangentRun forward = TangentRunner.Tangent(tangent, args, v, calls);
                Assert.Equal(plain, forward.Value);
                GradientRun backward = IrRunner.Gradient(reverse, args, seed: IrValues.Explicit(w, f.Result.Type), calls: calls);

                double left = forward.TangentValue * w;
                double right = 0, scale = Math.Abs(left);
                int k = 0;
                for (int i = 0; i < f.Parameters.Length; i++)
                {
                    if (!f.Parameters[i].IsDifferentiableParameter) continue;
                    object? direction = v[k++];
                    if (direction is Array d)
                    {
                        var g = (Array)backward.Gradients[i]!;
                        for (int e = 0; e < d.Length; e++)
                        {
                            double term = IrValues.ToDouble(d.GetValue(e)) * IrValues.ToDouble(g.GetValue(e));
                            right += term;
                            scale += Math.Abs(term);
                        }
                    }
                    else
                    {
                        double term = IrValues.ToDouble(direction) * backward.Gradient(i);
                        right += term;
                        scale += Math.Abs(term);
                    }
                }
                if (!double.IsFinite(scale)) continue; // an overflowing partial: neither side is meaningful
                compared++;
                if (!(Math.Abs(left - right) <= tolerance * Math.Max(1, scale)))
                {
                    return $"⟨MTangent(v), w⟩ = {left:R} but ⟨v, MBackward(w)⟩ = {right:R} at ({GradientCheck.Format(args)})\n" + IrPrinter.Print(f);
                }
            }
            return null;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return exception.GetType().Name + ": " + exception.Message + "\n" + IrPrinter.Print(f);
        }
    }

    private static Array RandomLike(Array shape, IrType element, Random random)
    {
        Array result = IrValues.ZeroedLike(shape);
        if (result.Rank == 1)
        {
            for (int i = 0; i < result.Length; i++) result.SetValue(IrValues.Explicit(Math.Round(random.NextDouble() * 2 - 1, 4), element), i);
        }
        return result;
    }
}
