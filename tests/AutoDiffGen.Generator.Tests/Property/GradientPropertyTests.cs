using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using AutoDiffGen.Generator.Tests.Infrastructure;
using AutoDiffGen.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// Random [Differentiable] programs, compiled in batches with the generator, checked against central finite
/// differences: MGradient returns M's value exactly and its gradient; MBackward adds seed × gradient to preset
/// adjoints; MTangent (M asks for forward mode, its helpers get theirs on demand) passes the dot-product test
/// ⟨MTangent(v), w⟩ = ⟨v, MBackward(w)⟩. Seeds are fixed, so a failure reproduces: ADG_PROPERTY_SEED=&lt;seed&gt; reruns one program, and
/// ADG_PROPERTY_PROGRAMS=&lt;count&gt; runs a longer campaign. ADG_PROPERTY_LONG=1 is the long mode: 100 000 programs
/// (or ADG_PROPERTY_PROGRAMS) from a fresh base seed, which is printed (ADG_PROPERTY_BASE_SEED chooses it); a failure
/// names its seed and prints the program, as in the fixed slice CI runs. ADG_PROPERTY_LOG=&lt;file&gt; appends a line per
/// batch (and every failure) to a file as the run goes.
/// </summary>
public class GradientPropertyTests
{
    private const int BaseSeed = 1_000;
    private const int DefaultProgramCount = 200;
    private const int ProgramsPerBatch = 50;
    private const int PointsPerProgram = 3;
    private const int MaxTriesPerProgram = 12;
    private const double GradientTolerance = 1e-5;
    private const double FiniteDifferenceConsistency = 5e-6;
    private const double BackwardTolerance = 1e-9;
    private const double Seed = 2.5;

    private readonly ITestOutputHelper _output;

    public GradientPropertyTests(ITestOutputHelper output) => _output = output;

    private const int LongModeProgramCount = 100_000;

    /// <summary>The base seed of this run: fixed, or fresh in the long mode (one per test process, so every batch agrees).</summary>
    private static readonly Lazy<int> RunBaseSeed = new(() =>
    {
        if (Number("ADG_PROPERTY_BASE_SEED") is { } chosen) return chosen;
        if (!LongMode) return BaseSeed;
        int fresh = Random.Shared.Next(1_000_000, int.MaxValue - 10 * LongModeProgramCount);
        Console.WriteLine($"ADG property tests, long mode: base seed {fresh} (rerun with ADG_PROPERTY_BASE_SEED={fresh})");
        return fresh;
    });

    internal static bool LongMode => Environment.GetEnvironmentVariable("ADG_PROPERTY_LONG") is "1" or "true";

    internal static int? Number(string variable) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;

    private static int[] AllSeeds()
    {
        if (Number("ADG_PROPERTY_SEED") is { } single)
        {
            return new[] { single };
        }
        int count = Number("ADG_PROPERTY_PROGRAMS") is int c and > 0 ? c : LongMode ? LongModeProgramCount : DefaultProgramCount;
        return Enumerable.Range(RunBaseSeed.Value, count).ToArray();
    }

    public static IEnumerable<object[]> Batches()
    {
        int batches = (AllSeeds().Length + ProgramsPerBatch - 1) / ProgramsPerBatch;
        return Enumerable.Range(0, batches).Select(b => new object[] { b });
    }

    [Fact]
    public void Default_run_has_at_least_200_programs() =>
        Assert.True(DefaultProgramCount >= 200 && Batches().Any());

    [Fact]
    public void Random_programs_include_helpers_over_hand_written_derivatives()
    {
        // The default run must reach both kinds: a helper over a hand-written …Backward only (forward mode refused, ADG0307)
        // and over a …Backward + …Tangent pair (forward mode accepted, checked by the dot-product test).
        var programs = AllSeeds().Take(DefaultProgramCount).Select(RandomProgramGenerator.Generate).ToList();
        Assert.Contains(programs, p => p.HandWritten == HandWrittenDerivatives.BackwardOnly && p.Source.Contains(RandomProgramGenerator.OverHandName + "(p0)", StringComparison.Ordinal));
        Assert.Contains(programs, p => p.HandWritten == HandWrittenDerivatives.BackwardAndTangent && p.Source.Contains("HandSoftTangent(", StringComparison.Ordinal));
        Assert.DoesNotContain(programs, p => !p.HasTangent && p.HarnessSource.Contains("MTangent(", StringComparison.Ordinal));
    }

    /// <summary>
    /// The refusal path of forward mode: a program whose M calls OverHand over a hand-written …Backward only asks for reverse
    /// mode (checked like every program); its forward twin, M asking for Derivatives.Forward too, gets ADG0307 at the call
    /// naming why OverHandTangent cannot be generated, no MTangent anywhere, and an output that compiles.
    /// </summary>
    [Fact]
    public void Forward_twins_of_programs_over_a_hand_written_backward_only_get_ADG0307_and_the_output_compiles()
    {
        var programs = AllSeeds().Take(DefaultProgramCount).Select(RandomProgramGenerator.Generate).Where(p => !p.HasTangent).ToList();
        Assert.NotEmpty(programs);
        var twins = programs.Select(p => p.Source.Replace(RandomProgramGenerator.ReverseOnlyAttribute, RandomProgramGenerator.ForwardAttribute, StringComparison.Ordinal)).ToList();
        Assert.All(twins, t => Assert.Contains(RandomProgramGenerator.ForwardAttribute, t, StringComparison.Ordinal));
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(programs.Select((p, i) => GeneratorHarness.Parse(twins[i], p.ClassName + ".cs")));
        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.Null(run.Result.Exception);
        Assert.True(run.OutputErrors.Count == 0, "the output does not compile:\n" + GeneratorHarness.Format(run.OutputErrors.Take(10)));
        Assert.DoesNotContain(run.GeneratedSources, s => s.SourceText.ToString().Contains(RandomProgramGenerator.OverHandName + "Tangent(", StringComparison.Ordinal));
        var errors = GeneratorHarness.RunAnalyzer(compilation).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        foreach (RandomProgram program in programs)
        {
            Diagnostic refusal = Assert.Single(errors, d => d.Location.SourceTree?.FilePath == program.ClassName + ".cs");
            Assert.Equal("ADG0307", refusal.Id);
            Assert.Contains("to '" + program.ClassName + "." + RandomProgramGenerator.OverHandName + "(double)', whose '" + RandomProgramGenerator.OverHandName + "Tangent' cannot be generated", refusal.GetMessage(), StringComparison.Ordinal);
            Assert.Contains("whose derivative is a hand-written HandSoftBackward", refusal.GetMessage(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Program_generator_is_deterministic()
    {
        Assert.Equal(RandomProgramGenerator.Generate(BaseSeed).Source, RandomProgramGenerator.Generate(BaseSeed).Source);
        Assert.NotEqual(RandomProgramGenerator.Generate(BaseSeed).Source, RandomProgramGenerator.Generate(BaseSeed + 1).Source);
    }

    [Fact]
    public void Random_programs_are_valid_CSharp_before_generation()
    {
        // Guards the test itself: user-code errors here would be bugs of the program generator, not of AutoDiffGen.
        var programs = AllSeeds().Take(ProgramsPerBatch * 4).Select(RandomProgramGenerator.Generate).ToList();
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(programs.Select(p => GeneratorHarness.Parse(p.Source, p.ClassName + ".cs")));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var byProgram = errors.GroupBy(e => e.Location.SourceTree?.FilePath).Take(3)
            .Select(g => $"{g.Key}:\n{GeneratorHarness.Format(g)}\n{programs.First(p => p.ClassName + ".cs" == g.Key).Source}");
        Assert.True(errors.Count == 0, string.Join("\n\n", byProgram));
    }

    [Fact]
    public void Generic_twins_are_valid_CSharp_before_generation()
    {
        // Guards the rewrite itself (GenericTwin): an error here is the test's bug, not AutoDiffGen's.
        var twins = AllSeeds().Take(ProgramsPerBatch * DefaultTwinBatches).Select(RandomProgramGenerator.Generate).Select(GenericTwin.For)
            .Where(t => t is not null).Select(t => t!).ToList();
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(twins.Select(p => GeneratorHarness.Parse(p.Source, p.ClassName + ".cs")));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var byProgram = errors.GroupBy(e => e.Location.SourceTree?.FilePath).Take(3)
            .Select(g => $"{g.Key}:\n{GeneratorHarness.Format(g)}\n{twins.First(p => p.ClassName + ".cs" == g.Key).Source}");
        Assert.True(errors.Count == 0, string.Join("\n\n", byProgram));
        Assert.Contains(twins, t => t.Source.Contains("(in T ", StringComparison.Ordinal) || t.Source.Contains(", in T ", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Batches))]
    public void Generated_gradients_match_finite_differences(int batch)
    {
        var programs = AllSeeds().Skip(batch * ProgramsPerBatch).Take(ProgramsPerBatch).Select(RandomProgramGenerator.Generate).ToList();
        if (batch == 0) _output.WriteLine($"base seed {AllSeeds()[0]}, {AllSeeds().Length} programs");
        CheckBatch(batch, programs, checkFloat: false);
    }

    /// <summary>The CI slice of generic twins: the first <see cref="DefaultTwinBatches"/> batches; every batch under ADG_PROPERTY_PROGRAMS or the long mode.</summary>
    private const int DefaultTwinBatches = 1;

    public static IEnumerable<object[]> TwinBatches() =>
        Number("ADG_PROPERTY_PROGRAMS") is not null || LongMode || Number("ADG_PROPERTY_SEED") is not null ? Batches() : Batches().Take(DefaultTwinBatches);

    /// <summary>
    /// Generic math (issue 10): each random program written once for <c>T : IFloatingPointIeee754&lt;T&gt;</c>
    /// (<see cref="GenericTwin"/>), its generic companions instantiated at double and checked like the program itself
    /// (finite differences, MBackward, the dot-product test), and at float against the double gradient.
    /// </summary>
    [Theory]
    [MemberData(nameof(TwinBatches))]
    public void Generic_twins_match_finite_differences_at_double_and_float(int batch)
    {
        var programs = AllSeeds().Skip(batch * ProgramsPerBatch).Take(ProgramsPerBatch).Select(RandomProgramGenerator.Generate)
            .Select(GenericTwin.For).Where(t => t is not null).Select(t => t!).ToList();
        // About half the programs have a twin (programs with the struct Pt have none yet); a third is the floor, so that a
        // fresh batch in the long mode does not fail on the draw (24 of 50 did, base seed of 2026-12-03).
        Assert.True(programs.Count >= Math.Min(ProgramsPerBatch, AllSeeds().Length) / 3, $"only {programs.Count} programs of batch {batch} have a generic twin");
        CheckBatch(batch, programs, checkFloat: true);
    }

    private void CheckBatch(int batch, List<RandomProgram> programs, bool checkFloat)
    {
        var failures = new List<string>();

        // Programs whose generated code does not compile, or that the analyzer rejects, are reported and
        // removed, so one generator bug does not hide what the rest of the batch would show.
        GeneratorRun? run = null;
        for (int round = 0; round < 4 && programs.Count > 0; round++)
        {
            CSharpCompilation compilation = GeneratorHarness.CreateCompilation(programs.SelectMany(p => new[]
            {
                GeneratorHarness.Parse(p.Source, p.ClassName + ".cs"),
                GeneratorHarness.Parse(p.HarnessSource, p.ClassName + ".Harness.cs"),
            }));
            run = GeneratorHarness.Run(compilation);
            if (run.Result.Exception is not null)
            {
                throw new Xunit.Sdk.XunitException($"The generator threw on batch {batch} (seeds {programs[0].Seed}..{programs[^1].Seed}): {run.Result.Exception}");
            }
            var broken = new HashSet<RandomProgram>();
            if (round == 0)
            {
                foreach (var diagnostic in GeneratorHarness.RunAnalyzer(compilation).Where(d => d.Severity == DiagnosticSeverity.Error))
                {
                    RandomProgram? p = programs.FirstOrDefault(p => p.ClassName + ".cs" == diagnostic.Location.SourceTree?.FilePath);
                    if (p is null) throw new Xunit.Sdk.XunitException("Analyzer error outside any program: " + diagnostic);
                    failures.Add(Report(p, run, $"the analyzer rejects a supported program: {diagnostic}"));
                    broken.Add(p);
                }
            }
            foreach (var group in run.OutputErrors.GroupBy(e => e.Location.SourceTree))
            {
                RandomProgram? p = ProgramOf(programs, run, group.Key);
                if (p is null)
                {
                    throw new Xunit.Sdk.XunitException("Errors outside any program:\n" + GeneratorHarness.Format(group));
                }
                failures.Add(Report(p, run, "the output does not compile:\n" + GeneratorHarness.Format(group.Take(10))));
                broken.Add(p);
            }
            if (broken.Count == 0) break;
            programs = programs.Where(p => !broken.Contains(p)).ToList();
            run = null;
        }

        int checkedPoints = 0, skippedPoints = 0, unverifiable = 0;
        if (run is not null && programs.Count > 0)
        {
            using LoadedAssembly loaded = run.Load();
            foreach (RandomProgram program in programs)
            {
                var outcome = CheckProgram(loaded, program, checkFloat);
                checkedPoints += outcome.Checked;
                skippedPoints += outcome.Skipped;
                if (outcome.Checked == 0 && outcome.Failures.Count == 0) unverifiable++;
                failures.AddRange(outcome.Failures.Take(1).Select(f => Report(program, run, f)));
            }
        }

        string summary = $"batch {batch} (seeds {AllSeeds()[0] + batch * ProgramsPerBatch}..): {programs.Count} programs "
            + $"({programs.Count(p => p.HandWritten == HandWrittenDerivatives.BackwardOnly)} over a hand-written …Backward only, {programs.Count(p => p.HandWritten == HandWrittenDerivatives.BackwardAndTangent)} with its …Tangent too), {checkedPoints} points checked, {skippedPoints} skipped (unstable finite differences), {unverifiable} programs unverifiable, {failures.Count} failed";
        _output.WriteLine(summary);
        // A long run is followed from a file (ADG_PROPERTY_LOG=path), one line per batch, as it goes.
        if (Environment.GetEnvironmentVariable("ADG_PROPERTY_LOG") is { Length: > 0 } log)
        {
            System.IO.File.AppendAllText(log, summary + Environment.NewLine + string.Concat(failures.Select(f => f + Environment.NewLine)));
        }
        if (failures.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"{failures.Count} program(s) failed in batch {batch}:\n\n" + string.Join("\n\n", failures.Take(5)));
        }
        Assert.True(unverifiable <= programs.Count / 10,
            $"{unverifiable} of {programs.Count} programs had no point where finite differences were stable: the program generator needs tuning.");
    }

    private sealed record Outcome(int Checked, int Skipped, List<string> Failures);

    private static Outcome CheckProgram(LoadedAssembly loaded, RandomProgram program, bool checkFloat)
    {
        var failures = new List<string>();
        int done = 0, skipped = 0;
        HarnessProbe probe;
        try
        {
            probe = new HarnessProbe(loaded.GetType("Prop." + program.ClassName));
        }
        catch (Exception e)
        {
            failures.Add("cannot find the harness: " + e.Message);
            return new Outcome(0, 0, failures);
        }

        var random = new Random(program.Seed * 7919 + 17);
        for (int attempt = 0; attempt < MaxTriesPerProgram && done < PointsPerProgram && failures.Count == 0; attempt++)
        {
            double Draw() => Math.Round(random.NextDouble() * 4 - 2, 6);
            double[] array = program.HasArrayParameter ? Enumerable.Range(0, 3 + random.Next(3)).Select(_ => Draw()).ToArray() : Array.Empty<double>();
            double[] scalars = Enumerable.Range(0, program.ScalarCoordinates).Select(_ => Draw()).ToArray();
            int n = program.HasCountParameter ? random.Next(0, 5) : 0;
            var point = new HarnessPoint(array, scalars, n);
            string at = "at " + point;
            try
            {
                double value = probe.Value(point);
                if (!double.IsFinite(value) || Math.Abs(value) > 1e6) { skipped++; continue; }

                var (gradientValue, gradient) = probe.Gradient(point);
                if (!gradientValue.Equals(value))
                {
                    failures.Add($"{at}: MGradient returned {R(gradientValue)} but M returned {R(value)}");
                    break;
                }

                double[] fd = probe.FiniteDifferences(point, GradientCheck.DefaultStep);
                double[] fd2 = probe.FiniteDifferences(point, 2 * GradientCheck.DefaultStep);
                if (fd.Concat(fd2).Any(d => !double.IsFinite(d)) || !(GradientCheck.MaxRelativeError(fd, fd2) <= FiniteDifferenceConsistency)
                    || !probe.CentreMatchesStencil(point, GradientCheck.DefaultStep))
                {
                    skipped++;
                    continue;
                }

                for (int k = 0; k < gradient.Length; k++)
                {
                    double error = Math.Abs(gradient[k] - fd[k]) / Math.Max(1, Math.Abs(gradient[k]));
                    if (!(error <= GradientTolerance))
                    {
                        failures.Add($"{at}: gradient [{string.Join(", ", gradient.Select(R))}] but finite differences [{string.Join(", ", fd.Select(R))}] (component {k}, error {error:E2})");
                        break;
                    }
                }
                if (failures.Count > 0) break;

                double[] preset = gradient.Select((_, k) => 0.3 * k - 0.7).ToArray();
                var (backwardValue, adjoints) = probe.Backward(point, Seed, preset);
                if (!backwardValue.Equals(value))
                {
                    failures.Add($"{at}: MBackward returned {R(backwardValue)} but M returned {R(value)}");
                    break;
                }
                for (int k = 0; k < gradient.Length; k++)
                {
                    double expected = preset[k] + Seed * gradient[k];
                    if (!(Math.Abs(adjoints[k] - expected) <= BackwardTolerance * Math.Max(1, Math.Abs(expected))))
                    {
                        failures.Add($"{at}: MBackward with seed {Seed} and adjoints [{string.Join(", ", preset.Select(R))}] left [{string.Join(", ", adjoints.Select(R))}], expected preset + seed × gradient [{string.Join(", ", gradient.Select((g, j) => R(preset[j] + Seed * g)))}]");
                        break;
                    }
                }
                if (failures.Count > 0) break;

                if (checkFloat && FloatMismatch(loaded, program, point, value, gradient) is { } floatFailure)
                {
                    failures.Add($"{at}: {floatFailure}");
                    break;
                }

                // The dot-product test: ⟨MTangent(v), w⟩ = ⟨v, MBackward(w)⟩ to round-off, and MTangent's value is M's.
                if (!probe.HasTangent) { done++; continue; }
                double[] v = gradient.Select(_ => Math.Round(random.NextDouble() * 2 - 1, 4)).ToArray();
                var (tangentValue, tangent) = probe.Tangent(point, v);
                if (!tangentValue.Equals(value))
                {
                    failures.Add($"{at}: MTangent returned {R(tangentValue)} but M returned {R(value)}");
                    break;
                }
                var (_, pullback) = probe.Backward(point, Seed, new double[gradient.Length]);
                double left = tangent * Seed, right = v.Zip(pullback, (a, b) => a * b).Sum();
                double scale = Math.Max(1, Math.Abs(left) + v.Zip(pullback, (a, b) => Math.Abs(a * b)).Sum());
                if (!(Math.Abs(left - right) <= BackwardTolerance * scale))
                {
                    failures.Add($"{at}: ⟨MTangent(v), w⟩ = {R(left)} but ⟨v, MBackward(w)⟩ = {R(right)} for v = [{string.Join(", ", v.Select(R))}], w = {Seed}");
                    break;
                }
                done++;
            }
            catch (Exception e)
            {
                failures.Add($"{at}: threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        return new Outcome(done, skipped, failures);
    }

    /// <summary>
    /// A generic twin's MGradient&lt;float&gt; against its double gradient: where the float value agrees with the double one
    /// (no branch flipped by rounding), every component within float round-off of the double computation; null when it agrees.
    /// </summary>
    private static string? FloatMismatch(LoadedAssembly loaded, RandomProgram program, HarnessPoint point, double value, double[] gradient)
    {
        var method = loaded.GetType("Prop." + program.ClassName).GetMethod("FloatGradient")!;
        var g = new double[gradient.Length];
        double floatValue = (double)method.Invoke(null, new object[] { point.Array, point.Scalars, point.N, g })!;
        if (!(Math.Abs(floatValue - value) <= 1e-3 * Math.Max(1, Math.Abs(value)))) return null; // ill-conditioned in float: nothing to compare
        for (int k = 0; k < gradient.Length; k++)
        {
            if (!(Math.Abs(g[k] - gradient[k]) <= FloatGradientTolerance * Math.Max(1, Math.Abs(gradient[k]))))
            {
                return $"MGradient<float> gave [{string.Join(", ", g.Select(R))}] but MGradient<double> [{string.Join(", ", gradient.Select(R))}] (component {k})";
            }
        }
        return null;
    }

    private const double FloatGradientTolerance = 2e-2;

    private static RandomProgram? ProgramOf(List<RandomProgram> programs, GeneratorRun run, SyntaxTree? tree)
    {
        if (tree is null) return null;
        RandomProgram? direct = programs.FirstOrDefault(p => p.ClassName + ".cs" == tree.FilePath);
        if (direct is not null) return direct;
        string text = tree.ToString();
        return programs.FirstOrDefault(p => text.Contains("class " + p.ClassName + "\n", StringComparison.Ordinal) ||
                                            text.Contains("class " + p.ClassName + "\r", StringComparison.Ordinal) ||
                                            text.Contains("class " + p.ClassName + " ", StringComparison.Ordinal));
    }

    private static string Report(RandomProgram program, GeneratorRun run, string failure)
    {
        var generated = run.GeneratedSources
            .Where(s => ProgramOf(new List<RandomProgram> { program }, run, s.SyntaxTree) is not null)
            .Select(s => $"// ---- {s.HintName}\n{s.SourceText}");
        string generatedText = string.Join("\n", generated);
        if (generatedText.Length > 12_000) generatedText = generatedText.Substring(0, 12_000) + "\n… (truncated)";
        var text = new StringBuilder();
        text.Append("seed ").Append(program.Seed).Append(" (rerun alone: ADG_PROPERTY_SEED=").Append(program.Seed).Append("): ").Append(failure).Append('\n');
        text.Append("---- program ----\n").Append(program.Source);
        text.Append("---- generated ----\n").Append(generatedText.Length == 0 ? "(nothing)\n" : generatedText);
        return text.ToString();
    }

    private static string R(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
