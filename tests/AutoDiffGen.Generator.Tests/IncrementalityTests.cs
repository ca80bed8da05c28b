using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Issue 5's incrementality scenarios on a project of several files with several [Differentiable] methods each:
/// an unrelated edit reuses everything, an edit inside one method regenerates that method's file and no other, and
/// blank lines inserted above a method regenerate nothing. GeneratedOutputTests covers the single-method variants
/// (unrelated file added or edited, member added, clone, blank line above the namespace); these check, step by step,
/// which outputs of a multi-method project were recomputed.
/// </summary>
public class IncrementalityTests
{
    private const string Models = """
        using System;
        using AutoDiffGen;

        namespace Project;

        public static partial class Models
        {
            [Differentiable]
            public static double First(double x, double y) => x * Math.Sin(y) + y * y;

            [Differentiable]
            public static double Second(double x, int n)
            {
                double p = 1;
                for (int i = 0; i < n; i++)
                {
                    p *= x;
                }
                return p;
            }

            [Differentiable]
            public static double Third(double[] w, [NoDerivative] double[] x)
            {
                double r = 0;
                for (int j = 0; j < w.Length; j++)
                {
                    r += w[j] * x[j];
                }
                return r * r;
            }

            public static int Helper(int a) => a + 1;
        }
        """;

    private const string Physics = """
        using System;
        using AutoDiffGen;

        namespace Project;

        public static partial class Physics
        {
            [Differentiable]
            public static double Energy(double m, double v) => 0.5 * m * v * v;

            [Differentiable]
            public static double Damped(double x, double k)
            {
                double s = x;
                if (s > k)
                {
                    s = Math.Exp(-k * s);
                }
                return s + Energy(x, k);
            }
        }
        """;

    private static readonly string[] Project = { Normalize(Models), Normalize(Physics), Normalize(TestSources.Unrelated) };

    [Fact]
    public void An_unrelated_edit_leaves_every_step_and_output_cached_or_unchanged()
    {
        // A body edit of a method without [Differentiable], in a file that also holds [Differentiable] methods.
        IncrementalityAssert.AssertCachedAfter(
            IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text, "public static int Helper(int a) => a + 1;", "public static int Helper(int a) => a * 2 + 1;")),
            Project);
        // And an edit in a file that holds none.
        IncrementalityAssert.AssertCachedAfter(
            IncrementalityAssert.EditFile(2, text => IncrementalityAssert.Replace(text, "a + b", "b + a")),
            Project);
    }

    [Fact]
    public void An_edit_inside_one_method_regenerates_only_that_method()
    {
        var (first, second) = RunTwice(IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text, "p *= x;", "p *= x * 1.5;")));

        // The pipeline: exactly one model changed, Second's, and every other one was reused.
        string[] recomputedFiles = IncrementalityAssert.Recomputed(second, DifferentiableGenerator.TrackingNames.GeneratedFiles)
            .Select(value => ((GeneratedFile)value!).HintName).ToArray();
        Assert.Equal(new[] { "Project.Models.Second_double_int.g.cs" }, recomputedFiles);
        Assert.Single(IncrementalityAssert.Recomputed(second, DifferentiableGenerator.TrackingNames.Methods));

        // The source output step: one source added again, the other four reused.
        var outputReasons = second.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(step => step.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, outputReasons.Count(r => r is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)));

        // The generated text: the same five files, exactly one of which differs.
        Dictionary<string, string> before = Sources(first), after = Sources(second);
        Assert.Equal(before.Keys.OrderBy(k => k, StringComparer.Ordinal), after.Keys.OrderBy(k => k, StringComparer.Ordinal));
        string[] changed = before.Keys.Where(k => before[k] != after[k]).ToArray();
        Assert.Equal(new[] { "Project.Models.Second_double_int.g.cs" }, changed);
        Assert.Contains("1.5", after["Project.Models.Second_double_int.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_lines_above_a_method_regenerate_nothing()
    {
        // Three blank lines above Second shift it and Third; Physics is a separate file, also checked cached.
        var (first, second) = RunTwice(IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text,
            "\n    [Differentiable]\n    public static double Second(",
            "\n\n\n\n    [Differentiable]\n    public static double Second(")));

        foreach (string step in new[] { DifferentiableGenerator.TrackingNames.Methods, DifferentiableGenerator.TrackingNames.GeneratedFiles })
        {
            Assert.Empty(IncrementalityAssert.Recomputed(second, step));
        }
        Assert.All(second.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(step => step.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"source output {output.Reason}"));
        Assert.Equal(Sources(first), Sources(second));

        // The helper's own check too: every named step Cached or Unchanged, no Roslyn object held by any output.
        IncrementalityAssert.AssertCachedAfter(
            IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text,
                "\n    [Differentiable]\n    public static double Third(",
                "\n\n\n    [Differentiable]\n    public static double Third(")),
            Project);
    }

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(Func<CSharpCompilation, CSharpCompilation> edit)
    {
        var (_, _, first, second) = IncrementalityAssert.RunTwice(edit, Project);
        Assert.Equal(5, first.GeneratedSources.Length);
        return (first, second);
    }

    private static Dictionary<string, string> Sources(GeneratorRunResult result) =>
        result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    private static string Normalize(string source) => source.Replace("\r\n", "\n", StringComparison.Ordinal);
}
