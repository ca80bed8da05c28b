using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// Second order over random C# programs (issues 9 and 10): the <see cref="HessianTwin"/> of random programs that take the struct
/// parameter <c>Pt q</c> (with doubles, often an array, sometimes an array of structs <c>Pt[] pq</c>), and of programs
/// without it that match patterns (switches), compiled with the generator, checked at random points:
/// MHessianVector's value is M's and its gradient MGradient's; its H·v equals central differences of MGradient along v
/// (where differences at two steps agree: no branch switch in between; and their sides' mean is the gradient at the
/// point); and ⟨u, H w⟩ = ⟨w, H u⟩. The IR-level property test (RandomHessianProgramTests) cannot reach this: a struct is
/// scalars in the IR, and only the companions' signatures and the emitter's struct rebuilding differ. Fixed seeds, so
/// failures reproduce.
/// </summary>
public class HessianPropertyTests
{
    private const int BaseSeed = 70_000;
    private const int Programs = 40;
    private const int PointsPerProgram = 2;
    private const double ExactTolerance = 1e-9;
    private const double FiniteDifferenceTolerance = 1e-5;

    private readonly ITestOutputHelper _output;

    public HessianPropertyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Hessian_vector_products_of_random_programs_with_a_struct_parameter_match_differences_of_the_gradient()
    {
        // The first programs from the base seed that take Pt q and can have second order.
        var programs = Check(p => p.HasStructParameter, Programs);
        Assert.Contains(programs, p => p.HasStructArrayParameter);
    }

    /// <summary>
    /// Programs without the struct whose M matches patterns: positional patterns on a tuple of doubles (relational ones
    /// are branch conditions on active values), list and property patterns on an array, switches on a counter. Second
    /// order lowers them through the same structured control flow as first order; here H·v says it differentiates it.
    /// </summary>
    [Fact]
    public void Hessian_vector_products_of_random_programs_with_pattern_switches_match_differences_of_the_gradient()
    {
        var programs = Check(p => !p.HasStructParameter && p.Source.Contains(" switch", StringComparison.Ordinal), PatternPrograms);
        Assert.Contains(programs, p => p.Source.Contains(") switch", StringComparison.Ordinal) && p.Source.Contains("(> 0.5, var ", StringComparison.Ordinal)); // a tuple pattern
        Assert.Contains(programs, p => p.Source.Contains("[var ", StringComparison.Ordinal)); // a list pattern
    }

    private const int PatternPrograms = 20;

    /// <summary>Compiles the Hessian twins of the first <paramref name="count"/> programs from the base seed that <paramref name="select"/> takes, and checks them.</summary>
    private List<RandomProgram> Check(Func<RandomProgram, bool> select, int count)
    {
        var programs = Enumerable.Range(BaseSeed, 2_000).Select(RandomProgramGenerator.Generate)
            .Where(select).Select(p => (Program: p, Twin: HessianTwin.For(p))).Where(p => p.Twin is not null)
            .Take(count).ToList();
        Assert.Equal(count, programs.Count);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(programs.SelectMany(p => new[]
        {
            GeneratorHarness.Parse(p.Twin!.Value.Source, p.Program.ClassName + ".cs"),
            GeneratorHarness.Parse(p.Program.HarnessSource, p.Program.ClassName + ".Harness.cs"),
            GeneratorHarness.Parse(p.Twin!.Value.Harness, p.Program.ClassName + ".HessianHarness.cs"),
        }));
        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.Null(run.Result.Exception);
        // ADG0305 (a warning) would mean no MHessianVector, which the harness calls: it shows as a compiler error too, but this names why.
        var refused = GeneratorHarness.RunAnalyzer(compilation).Where(d => d.Severity == DiagnosticSeverity.Error || d.Id == "ADG0305").ToList();
        Assert.True(refused.Count == 0, "second order refused:\n" + GeneratorHarness.Format(refused.Take(5)) + "\n" + SourceOf(programs, refused.FirstOrDefault()));
        Assert.True(run.OutputErrors.Count == 0, "the output does not compile:\n" + GeneratorHarness.Format(run.OutputErrors.Take(10)) + "\n" + SourceOf(programs, run.OutputErrors.FirstOrDefault()));

        int checkedPoints = 0, fdPoints = 0;
        var failures = new List<string>();
        using LoadedAssembly loaded = run.Load();
        foreach (var (program, twin) in programs)
        {
            Type type = loaded.GetType("Prop." + program.ClassName);
            var probe = new HarnessProbe(type);
            var random = new Random(program.Seed * 13 + 7);
            for (int attempt = 0, done = 0; attempt < 6 && done < PointsPerProgram; attempt++)
            {
                double Draw() => Math.Round(random.NextDouble() * 4 - 2, 6);
                double[] array = program.HasArrayParameter ? Enumerable.Range(0, 3 + random.Next(3)).Select(_ => Draw()).ToArray() : Array.Empty<double>();
                var p = new HarnessPoint(array, Enumerable.Range(0, program.ScalarCoordinates).Select(_ => Draw()).ToArray(), program.HasCountParameter ? random.Next(0, 5) : 0);
                try
                {
                    double value = probe.Value(p);
                    if (!double.IsFinite(value) || Math.Abs(value) > 1e6) continue;
                    bool fd = CheckPoint(type, probe, p, value, random);
                    done++;
                    checkedPoints++;
                    if (fd) fdPoints++;
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException)
                {
                    failures.Add($"seed {program.Seed} at {p}: {e.Message}\n{twin!.Value.Source}");
                    break;
                }
            }
        }
        _output.WriteLine($"{programs.Count} programs (seeds {programs[0].Program.Seed}..{programs[^1].Program.Seed}), {programs.Count(p => p.Program.HasArrayParameter)} with an array too, "
            + $"{programs.Count(p => p.Program.HasStructArrayParameter)} with an array of structs: {checkedPoints} points, {fdPoints} also against differences, {failures.Count} failed");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(3)));
        Assert.True(checkedPoints >= count * PointsPerProgram * 3 / 4, $"only {checkedPoints} points had a finite value");
        Assert.True(fdPoints >= checkedPoints / 2, $"only {fdPoints} of {checkedPoints} points had stable differences of the gradient");
        return programs.Select(p => p.Program).ToList();
    }

    /// <summary>
    /// The refusal path: second-order twins of programs whose M calls OverHand (a [Differentiable] helper over HandSoft,
    /// whose derivatives are hand-written: a …Backward only, or a …Backward + …Tangent pair) cannot have MHessianVector —
    /// HandSoft has no source to differentiate twice — so each gets ADG0305 naming the helper, and the output (MGradient,
    /// MBackward, and MTangent when HandSoftTangent exists, which the program's harness calls) compiles.
    /// </summary>
    [Fact]
    public void Second_order_twins_of_programs_over_hand_written_derivatives_are_refused_and_the_output_compiles()
    {
        var programs = Enumerable.Range(BaseSeed, 2_000).Select(RandomProgramGenerator.Generate)
            .Select(p => (Program: p, Twin: HessianTwin.Refused(p))).Where(p => p.Twin is not null).Take(10).ToList();
        Assert.Contains(programs, p => p.Program.HandWritten == HandWrittenDerivatives.BackwardOnly);
        Assert.Contains(programs, p => p.Program.HandWritten == HandWrittenDerivatives.BackwardAndTangent);
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(programs.SelectMany(p => new[]
        {
            GeneratorHarness.Parse(p.Twin!, p.Program.ClassName + ".cs"),
            GeneratorHarness.Parse(p.Program.HarnessSource, p.Program.ClassName + ".Harness.cs"),
        }));
        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.Null(run.Result.Exception);
        Assert.True(run.OutputErrors.Count == 0, "the output does not compile:\n" + GeneratorHarness.Format(run.OutputErrors.Take(10)));
        var diagnostics = GeneratorHarness.RunAnalyzer(compilation).ToList();
        foreach (var (program, twin) in programs)
        {
            var own = diagnostics.Where(d => d.Location.SourceTree?.FilePath == program.ClassName + ".cs").ToList();
            Diagnostic refusal = Assert.Single(own, d => d.Id == "ADG0305");
            Assert.Contains("it calls " + RandomProgramGenerator.OverHandName + ", which second order cannot go through", refusal.GetMessage(), StringComparison.Ordinal);
            // ADG0305 is a warning: M keeps its other companions (the harness calls them; MTangent too with HandSoftTangent).
            Assert.DoesNotContain(own, d => d.Severity == DiagnosticSeverity.Error);
            Assert.DoesNotContain(run.GeneratedSources, s => s.HintName.StartsWith("Prop." + program.ClassName + ".M_", StringComparison.Ordinal)
                && s.SourceText.ToString().Contains("MHessianVector(", StringComparison.Ordinal));
        }
    }

    /// <summary>Checks one point; returns whether differences of the gradient were stable enough to compare with too.</summary>
    private static bool CheckPoint(Type type, HarnessProbe probe, HarnessPoint p, double value, Random random)
    {
        int k = p.Dimension;
        var (_, gradient) = probe.Gradient(p);
        double[] u = Direction(k, random), w = Direction(k, random);
        var (hu, hw) = (HessianVector(type, p, u, value, gradient), HessianVector(type, p, w, value, gradient));
        double uHw = u.Zip(hw, (a, b) => a * b).Sum(), wHu = w.Zip(hu, (a, b) => a * b).Sum();
        double scale = 1 + u.Zip(hw, (a, b) => Math.Abs(a * b)).Sum() + w.Zip(hu, (a, b) => Math.Abs(a * b)).Sum();
        if (!(Math.Abs(uHw - wHu) <= ExactTolerance * scale)) throw new Xunit.Sdk.XunitException($"symmetry: ⟨u, H w⟩ = {uHw:R}, ⟨w, H u⟩ = {wHu:R}");

        // Central differences of the generated gradient along u at two steps; compared only where they agree.
        double[]? a = GradientDifference(probe, p, u, 1e-5, gradient), b = GradientDifference(probe, p, u, 2e-5, gradient);
        if (a is null || b is null) return false;
        if (a.Zip(b).Any(d => !double.IsFinite(d.First) || !(Math.Abs(d.First - d.Second) <= 1e-6 * Math.Max(1, Math.Abs(d.First))))) return false;
        for (int i = 0; i < k; i++)
        {
            if (!(Math.Abs(a[i] - hu[i]) <= FiniteDifferenceTolerance * Math.Max(1, Math.Abs(a[i]))))
                throw new Xunit.Sdk.XunitException($"(H·u)[{i}] = {hu[i]:R}, differences of the gradient {a[i]:R} (u = [{string.Join(", ", u)}])");
        }
        return true;
    }

    /// <summary>MHessianVector along <paramref name="v"/>: checks its value and gradient against M's and MGradient's, returns H·v.</summary>
    private static double[] HessianVector(Type type, HarnessPoint p, double[] v, double value, double[] gradient)
    {
        var g = new double[p.Dimension];
        var hv = new double[p.Dimension];
        double result;
        try
        {
            result = (double)type.GetMethod("HessianVector")!.Invoke(null, new object[] { p.Array.Clone(), p.Scalars, p.N, v, g, hv })!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new InvalidOperationException("MHessianVector threw " + e.InnerException.GetType().Name + ": " + e.InnerException.Message);
        }
        if (!result.Equals(value)) throw new Xunit.Sdk.XunitException($"MHessianVector returned {result:R}, M {value:R}");
        for (int i = 0; i < g.Length; i++)
        {
            if (!(Math.Abs(g[i] - gradient[i]) <= ExactTolerance * Math.Max(1, Math.Abs(gradient[i]))))
                throw new Xunit.Sdk.XunitException($"MHessianVector's gradient[{i}] = {g[i]:R}, MGradient's {gradient[i]:R}");
        }
        return hv;
    }

    /// <summary>
    /// (∇f(p + step v) − ∇f(p − step v)) / 2 step; null when the sides' mean is not <paramref name="centre"/>, the gradient
    /// at p: p took a path of its own (a comparison of two values equal but for rounding, RandomHessianProgramTests' seed
    /// 504746035), which both steps can agree on missing.
    /// </summary>
    private static double[]? GradientDifference(HarnessProbe probe, HarnessPoint p, double[] v, double step, double[] centre)
    {
        HarnessPoint Along(double h)
        {
            HarnessPoint moved = p;
            for (int j = 0; j < p.Dimension; j++) moved = moved.With(j, p[j] + h * v[j]);
            return moved;
        }
        double[] up = probe.Gradient(Along(step)).Gradient, down = probe.Gradient(Along(-step)).Gradient;
        for (int i = 0; i < centre.Length; i++)
        {
            if (!(Math.Abs((up[i] + down[i]) / 2 - centre[i]) <= 1e-3 * Math.Max(1, Math.Abs(centre[i])))) return null;
        }
        return up.Zip(down, (x, y) => (x - y) / (2 * step)).ToArray();
    }

    private static double[] Direction(int k, Random random) => Enumerable.Range(0, k).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 4)).ToArray();

    private static string SourceOf(List<(RandomProgram Program, (string Source, string Harness)? Twin)> programs, Diagnostic? diagnostic) =>
        diagnostic is null ? "" : VectorValuedPropertyTests.SourceOf(programs, diagnostic);
}
