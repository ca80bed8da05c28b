using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Model;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Issue 11's cache boundary: the engine runs behind the per-method keys, so an unrelated edit runs no engine step, an
/// edit inside one method runs it on that method, a changed signature runs it on that method's callers, and what crosses
/// methods (a callee with an error, a forward-mode caller's on-demand tangents) follows the call graph. After every edit
/// the incremental run's output equals a cold run's on the same compilation, sources and diagnostics.
/// </summary>
public class CacheBoundaryTests
{
    private const string Calls = """
        using System;
        using AutoDiffGen;

        namespace Project;

        public static partial class Calls
        {
            [Differentiable]
            public static double Callee(double x, double y) => x * Math.Sin(y);

            [Differentiable]
            public static double Caller(double x, double y) => Callee(x, y) + Scale(3);

            [Differentiable]
            public static double Transitive(double x) => Caller(x, 2 * x) * x;

            [Differentiable]
            public static double Alone(double x) => x * x + Limit;

            public static double Scale(double v) => v;

            public const double Limit = 1.5;

            public static int Helper(int a) => a + 1;
        }
        """;

    private const string Forward = """
        using System;
        using AutoDiffGen;

        namespace Project;

        public static partial class Forward
        {
            [Differentiable(Derivatives.Forward)]
            public static double Outer(double x) => Inner(x) * 2;

            [Differentiable]
            public static double Inner(double x) => Math.Exp(x) + Deep(x);

            [Differentiable]
            public static double Deep(double x) => x * x * x;

            [Differentiable]
            public static double Unused(double x) => Math.Cos(x);
        }
        """;

    private const string Unrelated = """
        namespace Project;

        public static class Helpers
        {
            public static int Combine(int a, int b) => a + b;
        }
        """;

    private static readonly string[] Project = { Calls, Forward, Unrelated };

    [Fact]
    public void The_pipeline_names_its_steps_and_holds_no_Roslyn_object()
    {
        var (_, first, _) = RunTwice(IncrementalityAssert.EditFile(2, text => IncrementalityAssert.Replace(text, "a + b", "b + a")));
        foreach (string step in new[]
                 {
                     DifferentiableGenerator.TrackingNames.Methods, DifferentiableGenerator.TrackingNames.Declarations,
                     DifferentiableGenerator.TrackingNames.DeclarationIndex, DifferentiableGenerator.TrackingNames.MethodKeys,
                     DifferentiableGenerator.TrackingNames.CheckedMethods, DifferentiableGenerator.TrackingNames.CallGraph,
                     DifferentiableGenerator.TrackingNames.EmitRequests, DifferentiableGenerator.TrackingNames.GeneratedFiles,
                     DifferentiableGenerator.TrackingNames.TangentRequests, DifferentiableGenerator.TrackingNames.TangentFiles,
                 })
        {
            Assert.True(first.TrackedSteps.ContainsKey(step), $"no tracked step '{step}'");
        }
        IncrementalityAssert.AssertNoBannedObjects(first);
        // 8 methods, and Inner's and Deep's tangents on demand (Outer asks for forward mode; Unused is called by no one).
        Assert.True(10 == first.GeneratedSources.Length, string.Join(", ", first.GeneratedSources.Select(s => s.HintName)));
        Assert.Contains(first.GeneratedSources, s => s.HintName == "Project.Forward.Inner_double.Tangent.g.cs");
        Assert.Contains(first.GeneratedSources, s => s.HintName == "Project.Forward.Deep_double.Tangent.g.cs");
    }

    [Fact]
    public void Unrelated_edits_run_no_engine_step()
    {
        // Trivia only: blank lines above a method, a comment between members. Not a single step recomputes anything,
        // the declaration index included.
        var triviaEdits = new[]
        {
            IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text, "\n    [Differentiable]\n    public static double Alone(", "\n\n\n    [Differentiable]\n    public static double Alone(")),
            IncrementalityAssert.EditFile(2, text => IncrementalityAssert.Replace(text, "public static int Combine(", "// a comment\n    public static int Combine(")),
        };
        foreach (var edit in triviaEdits)
        {
            IncrementalityAssert.AssertCachedAfter(edit, Project);
            IncrementalityAssert.AssertNothingRecomputed(RunTwice(edit).Second);
        }

        // Edits of declarations no [Differentiable] method names (bodies of ordinary methods, new members, a new file):
        // the index notices, no method's key changes.
        var declarationEdits = new[]
        {
            IncrementalityAssert.EditFile(2, text => IncrementalityAssert.Replace(text, "a + b", "b + a")),
            IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text, "public static int Helper(int a) => a + 1;", "public static int Helper(int a) => a * 2 + 1;")),
            IncrementalityAssert.AddUnrelatedFile,
            IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text, "public static int Helper(int a) => a + 1;", "public static int Helper(int a, int b) => a + b;")),
            IncrementalityAssert.EditFile(2, text => IncrementalityAssert.Replace(text, "public static int Combine(", "public static double Twice(double v) => 2 * v;\n    public static int Combine(")),
        };
        foreach (var edit in declarationEdits)
        {
            IncrementalityAssert.AssertCachedAfter(edit, Project);
            Assert.Empty(EngineRuns(RunTwice(edit).Second));
        }
    }

    [Fact]
    public void An_edit_inside_one_method_runs_the_engine_on_that_method_only()
    {
        var (_, _, second) = RunTwice(IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text, "x * x + Limit", "x * x * 3 + Limit")));
        Assert.Equal(new[] { "M:Project.Calls.Alone(System.Double)" }, EngineRuns(second));
        Assert.Empty(IncrementalityAssert.Recomputed(second, DifferentiableGenerator.TrackingNames.TangentFiles));
    }

    [Fact]
    public void A_callee_signature_change_runs_the_engine_on_it_and_its_callers_only()
    {
        // [NoDerivative] on the callee's parameter: Caller's pullback passes no adjoint for y any more. Transitive calls
        // Caller, not Callee: its own code does not change, and its key does not either.
        var (_, _, second) = RunTwice(IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text,
            "public static double Callee(double x, double y)", "public static double Callee(double x, [NoDerivative] double y)")));
        Assert.Equal(new[] { "M:Project.Calls.Callee(System.Double,System.Double)", "M:Project.Calls.Caller(System.Double,System.Double)" }, EngineRuns(second));
    }

    [Fact]
    public void An_ordinary_methods_signature_change_runs_the_engine_on_its_callers_only()
    {
        var (_, _, second) = RunTwice(IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text,
            "public static double Scale(double v) => v;", "public static double Scale(double v, double w = 2) => v * w;")));
        Assert.Equal(new[] { "M:Project.Calls.Caller(System.Double,System.Double)" }, EngineRuns(second));

        // A constant's value is part of what a method reading it computes.
        (_, _, second) = RunTwice(IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text, "Limit = 1.5;", "Limit = 2.5;")));
        Assert.Equal(new[] { "M:Project.Calls.Alone(System.Double)" }, EngineRuns(second));
    }

    [Fact]
    public void The_body_of_a_callee_that_takes_an_array_is_part_of_its_callers_key()
    {
        // Whether Sum writes into its scratch array decides whether Caller may call it (a call that changes an array
        // argument is an error): Sum's body is part of Caller's key, or the warm driver would keep Caller's stale file.
        const string source = """
            using AutoDiffGen;

            namespace Project;

            public static partial class Arrays
            {
                [Differentiable]
                public static double Caller(double[] w, [NoDerivative] double[] buffer) => Sum(w, buffer) * 2;

                [Differentiable]
                public static double Sum(double[] v, [NoDerivative] double[] scratch)
                {
                    double s = 0;
                    for (int i = 0; i < v.Length; i++) s += v[i];
                    return s;
                }

                [Differentiable]
                public static double Other(double x) => x * x;
            }
            """;
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        Assert.Contains(driver.GetRunResult().Results.Single().GeneratedSources, s => s.HintName.StartsWith("Project.Arrays.Caller", StringComparison.Ordinal));

        CSharpCompilation edited = IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text,
            "        return s;", "        scratch[0] = s;\n        return s;"))(compilation);
        driver = driver.RunGenerators(edited);
        AssertSameAsColdRun(driver, edited);
        GeneratorRunResult second = driver.GetRunResult().Results.Single();
        Assert.DoesNotContain(second.GeneratedSources, s => s.HintName.StartsWith("Project.Arrays.Caller", StringComparison.Ordinal));
        Assert.Equal(new[] { "M:Project.Arrays.Caller(System.Double[],System.Double[])", "M:Project.Arrays.Sum(System.Double[],System.Double[])" }, EngineRuns(second));
    }

    [Fact]
    public void The_bodies_of_a_user_structs_members_are_part_of_their_callers_key()
    {
        // Lowering inlines a struct's methods and properties from source (scalar replacement): editing a body changes
        // the caller's gradient, so the warm driver must rerun it and agree with a cold run.
        const string source = """
            using AutoDiffGen;

            namespace Project;

            public readonly record struct Point(double X, double Y)
            {
                public double Norm2 => X * X + Y * Y;

                public Point Scaled(double k) => new Point(X * k, Y * k);
            }

            public static partial class Geometry
            {
                [Differentiable]
                public static double Energy(Point p) => p.Scaled(2).Norm2;

                [Differentiable]
                public static double Other(double x) => x * x;
            }
            """;
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        foreach (var (from, to) in new[] { ("public double Norm2 => X * X + Y * Y;", "public double Norm2 => X * X + 3 * Y * Y;"),
                     ("new Point(X * k, Y * k)", "new Point(X * k, Y)") })
        {
            CSharpCompilation edited = IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text, from, to))(compilation);
            driver = driver.RunGenerators(edited);
            AssertSameAsColdRun(driver, edited);
            Assert.Equal(new[] { "M:Project.Geometry.Energy(Project.Point)" }, EngineRuns(driver.GetRunResult().Results.Single()));
            compilation = edited;
        }
    }

    [Fact]
    public void The_bodies_of_differentiable_callees_taking_or_returning_structs_are_part_of_their_callers_key()
    {
        // A [Differentiable] callee that takes or returns a struct of reals is inlined into its callers
        // (MethodLowering.StructCallees.cs): editing its body changes theirs, whatever its parameter types.
        const string source = """
            using AutoDiffGen;

            namespace Project;

            public readonly record struct Point(double X, double Y);

            public static partial class Geometry
            {
                [Differentiable]
                public static Point Make(double a, double b) => new Point(a * b, b);

                [Differentiable]
                public static double Norm2(Point p) => p.X * p.X + p.Y * p.Y;

                [Differentiable]
                public static double Energy(double a, double b) => Norm2(Make(a, b));

                [Differentiable]
                public static double Other(double x) => x * x;
            }
            """;
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        foreach (var (from, to, changed) in new[]
                 {
                     ("new Point(a * b, b)", "new Point(a + b, b)", new[] { "M:Project.Geometry.Energy(System.Double,System.Double)", "M:Project.Geometry.Make(System.Double,System.Double)" }),
                     ("p.X * p.X + p.Y * p.Y", "p.X * p.Y", new[] { "M:Project.Geometry.Energy(System.Double,System.Double)", "M:Project.Geometry.Norm2(Project.Point)" }),
                 })
        {
            CSharpCompilation edited = IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text, from, to))(compilation);
            driver = driver.RunGenerators(edited);
            AssertSameAsColdRun(driver, edited);
            Assert.Equal(changed, EngineRuns(driver.GetRunResult().Results.Single()).OrderBy(n => n, StringComparer.Ordinal));
            compilation = edited;
        }
    }

    [Fact]
    public void A_callee_that_gets_an_error_takes_its_callers_companions_and_gives_them_back_when_fixed()
    {
        // Callee's body gets an error (a call through a delegate carries the derivative): Caller and Transitive, which
        // reach it, lose their companions; Alone keeps its file untouched.
        Func<CSharpCompilation, CSharpCompilation> breakCallee = IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text,
            "public static double Callee(double x, double y) => x * Math.Sin(y);",
            "public static double Callee(double x, double y) => ((Func<double, double>)Math.Sin)(y) * x;"));
        var (broken, _, second) = RunTwice(breakCallee);
        string[] files = second.GeneratedSources.Select(s => s.HintName).ToArray();
        Assert.DoesNotContain("Project.Calls.Callee_double_double.g.cs", files);
        Assert.DoesNotContain("Project.Calls.Caller_double_double.g.cs", files);
        Assert.DoesNotContain("Project.Calls.Transitive_double.g.cs", files);
        Assert.Contains("Project.Calls.Alone_double.g.cs", files);
        Assert.Equal(new[] { "M:Project.Calls.Callee(System.Double,System.Double)" }, EngineRuns(second));

        // Fixed again: the same files as at the start.
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.CreateCompilation(Project));
        string before = IncrementalityAssert.Text(driver.GetRunResult().Results.Single());
        CSharpCompilation fixedAgain = IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text,
            "((Func<double, double>)Math.Sin)(y) * x;", "x * Math.Sin(y);"))(broken);
        driver = driver.RunGenerators(broken).RunGenerators(fixedAgain);
        AssertSameAsColdRun(driver, fixedAgain);
        Assert.Equal(before, IncrementalityAssert.Text(driver.GetRunResult().Results.Single()));
    }

    [Fact]
    public void A_one_line_helper_s_body_is_part_of_the_key_of_a_method_calling_it_in_a_loop_only()
    {
        // InLoop calls Sigmoid in a loop, where a one-line helper is inlined (MethodLowering.SmallCallees.cs): it depends on
        // Sigmoid's body. Once calls it outside loops, through SigmoidBackward: only Sigmoid's signature matters to it.
        const string source = """
            using System;
            using AutoDiffGen;

            namespace Project;

            public static partial class Inlined
            {
                [Differentiable]
                public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

                [Differentiable]
                public static double InLoop(double[] z)
                {
                    double s = 0;
                    for (int i = 0; i < z.Length; i++) s += Sigmoid(z[i]);
                    return s;
                }

                [Differentiable]
                public static double Once(double x) => Sigmoid(x) * 2;
            }
            """;
        var (edited, driver, _, second) = IncrementalityAssert.RunTwice(IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text,
            "=> 1 / (1 + Math.Exp(-x));", "=> 0.5 + 0.5 * Math.Tanh(x / 2);")), source);
        AssertSameAsColdRun(driver, edited);
        Assert.Equal(new[] { "M:Project.Inlined.InLoop(System.Double[])", "M:Project.Inlined.Sigmoid(System.Double)" }, EngineRuns(second));
        string Generated(string method) => second.GeneratedSources.Single(g => g.HintName.StartsWith("Project.Inlined." + method + "_", StringComparison.Ordinal)).SourceText.ToString();
        Assert.DoesNotContain("SigmoidBackward(", Generated("InLoop"), StringComparison.Ordinal);
        Assert.Contains("Math.Tanh(", Generated("InLoop"), StringComparison.Ordinal);
        Assert.Contains("SigmoidBackward(", Generated("Once"), StringComparison.Ordinal);
    }

    [Fact]
    public void On_demand_tangents_follow_the_call_graph()
    {
        // Deep's body changes: the engine reruns on Deep only (its callers' keys hold its signature, not its body: it
        // takes no array), and only Deep's tangent is regenerated.
        var (_, _, second) = RunTwice(IncrementalityAssert.EditFile(1, text => IncrementalityAssert.Replace(text, "x * x * x;", "x * x * x * 0.5;")));
        Assert.Equal(new[] { "M:Project.Forward.Deep(System.Double)" }, EngineRuns(second));
        Assert.Equal(new[] { "Project.Forward.Deep_double.Tangent.g.cs" },
            IncrementalityAssert.Recomputed(second, DifferentiableGenerator.TrackingNames.TangentFiles).Select(f => ((GeneratedFile)f!).HintName).OrderBy(n => n, StringComparer.Ordinal).ToArray());

        // Outer stops calling Inner: neither Inner's nor Deep's tangent is needed any more.
        (_, _, second) = RunTwice(IncrementalityAssert.EditFile(1, text => IncrementalityAssert.Replace(text, "Inner(x) * 2", "Math.Sinh(x) * 2")));
        Assert.DoesNotContain(second.GeneratedSources, s => s.HintName.EndsWith(".Tangent.g.cs", StringComparison.Ordinal));
        Assert.Equal(new[] { "M:Project.Forward.Outer(System.Double)" }, EngineRuns(second));
    }

    [Fact]
    public void Callers_needing_tangents_follow_their_callees_bodies()
    {
        // SecondOrderCallTests' project: a forward-mode (Forward), a second-order (Outer) and a vector-valued (Residuals)
        // method reach Middle, whose double parameters put only its signature in their keys. Whether their MTangent,
        // MHessianVector and forward sweeps can be made depends on Middle's body: not while it calls Soft (only a
        // hand-written SoftBackward). The callers' files must follow Middle's body on a warm driver.
        string[] project = { SecondOrderCallTests.HelperOverHandWrittenBackward, Unrelated };
        CSharpCompilation broken = GeneratorHarness.CreateCompilation(project);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(broken);
        string brokenText = IncrementalityAssert.Text(driver.GetRunResult().Results.Single());
        Assert.DoesNotContain("ForwardTangent(", brokenText, StringComparison.Ordinal);
        Assert.DoesNotContain("OuterHessianVector(", brokenText, StringComparison.Ordinal);

        // Middle stops calling Soft: Forward gets its companions, Outer its second order; then it calls Soft again.
        CSharpCompilation fixedAgain = IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text,
            "Soft(x) * x;", "Math.Log(1 + Math.Exp(x)) * x;"))(broken);
        driver = driver.RunGenerators(fixedAgain);
        AssertSameAsColdRun(driver, fixedAgain);
        string fixedText = IncrementalityAssert.Text(driver.GetRunResult().Results.Single());
        Assert.Contains("ForwardTangent(", fixedText, StringComparison.Ordinal);
        Assert.Contains("OuterHessianVector(", fixedText, StringComparison.Ordinal);

        driver = driver.RunGenerators(broken);
        AssertSameAsColdRun(driver, broken);
        Assert.Equal(brokenText, IncrementalityAssert.Text(driver.GetRunResult().Results.Single()));

        // An unrelated edit in a project with forward-mode, second-order and vector-valued callers recomputes nothing
        // after the declaration index: every engine step is cached.
        Func<CSharpCompilation, CSharpCompilation> unrelated = IncrementalityAssert.EditFile(1, text => IncrementalityAssert.Replace(text, "a + b", "b + a"));
        IncrementalityAssert.AssertCachedAfter(unrelated, project);
        var (_, _, _, second) = IncrementalityAssert.RunTwice(unrelated, project);
        Assert.Empty(EngineRuns(second));
    }

    private const string VirtualBase = """
        using System;
        using AutoDiffGen;
        namespace Project;

        public partial class Potential
        {
            [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
            public virtual double Energy(double x, double y) => x * x * y;
        }
        """;

    private const string VirtualOverride = """
        using System;
        using AutoDiffGen;
        namespace Project;

        public partial class Morse : Potential
        {
            [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
            public override double Energy(double x, double y) => Math.Exp(-x) * y;
        }
        """;

    [Fact]
    public void An_override_in_another_file_follows_its_base_methods_attribute_and_errors()
    {
        // The override's companions override the base's (README "Virtual methods"): on a warm driver, its file must
        // follow what happens to the base method in another file — its modes, and errors that take its companions away.
        string[] project = { VirtualBase, VirtualOverride };
        CSharpCompilation original = GeneratorHarness.CreateCompilation(project);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(original);
        Assert.Contains("public override double EnergyTangent(", IncrementalityAssert.Text(driver.GetRunResult().Results.Single()), StringComparison.Ordinal);

        // The base stops asking for forward mode: the override's EnergyTangent overrides nothing and is virtual itself.
        CSharpCompilation reverseOnly = IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text,
            "[Differentiable(Derivatives.Reverse | Derivatives.Forward)]", "[Differentiable]"))(original);
        driver = driver.RunGenerators(reverseOnly);
        AssertSameAsColdRun(driver, reverseOnly);
        Assert.Contains("public virtual double EnergyTangent(", IncrementalityAssert.Text(driver.GetRunResult().Results.Single()), StringComparison.Ordinal);

        // The base gets an error of its own (no companions): the override waits for it instead of overriding nothing.
        CSharpCompilation broken = IncrementalityAssert.EditFile(0, text => IncrementalityAssert.Replace(text,
            "=> x * x * y;", "=> x * x * y + Math.Round(x) * Plain(y);\n    private static double Plain(double v) => v;"))(original);
        driver = driver.RunGenerators(broken);
        AssertSameAsColdRun(driver, broken);
        Assert.DoesNotContain("EnergyGradient(", IncrementalityAssert.Text(driver.GetRunResult().Results.Single()), StringComparison.Ordinal);

        driver = driver.RunGenerators(original);
        AssertSameAsColdRun(driver, original);
        Assert.Contains("public override double EnergyTangent(", IncrementalityAssert.Text(driver.GetRunResult().Results.Single()), StringComparison.Ordinal);
    }

    [Fact]
    public void Half_typed_code_gets_no_companions_and_no_generator_diagnostic()
    {
        // Item 6 of the brief: a declaration being typed (no body yet) and a body with a missing semicolon.
        var (_, _, second) = RunTwice(IncrementalityAssert.EditFile(1, text => IncrementalityAssert.Replace(text,
            "public static double Unused(double x) => Math.Cos(x);", "public static double Unused(double x) => Math.Cos(x)\n    public static double H(double")));
        Assert.Empty(second.Diagnostics);
        Assert.DoesNotContain(second.GeneratedSources, s => s.HintName.StartsWith("Project.Forward.Unused", StringComparison.Ordinal));
        Assert.Contains(second.GeneratedSources, s => s.HintName == "Project.Forward.Outer_double.g.cs");
        Assert.Equal(new[] { "M:Project.Forward.Unused(System.Double)" }, EngineRuns(second));
    }

    [Fact]
    public void Which_attribute_is_Differentiable_is_bound_behind_the_boundary_not_read_from_its_name()
    {
        // Every attributed method is read as syntax; binding decides: an alias is [Differentiable], an attribute of
        // another name or another namespace is not, and two types of one file can declare the same method text.
        const string source = """
            using System;
            using AutoDiffGen;
            using D = AutoDiffGen.DifferentiableAttribute;

            namespace Other
            {
                public sealed class DifferentiableAttribute : Attribute { }
            }

            namespace Project
            {
                public static partial class First
                {
                    [D]
                    public static double Aliased(double x) => x * x;

                    [Obsolete]
                    public static double Obsolete(double x) => x * x;

                    [Other.Differentiable]
                    public static double Impostor(double x) => x * x;

                    [Differentiable]
                    public static double Same(double x) => Math.Sin(x) * x;
                }

                public static partial class Second
                {
                    [Differentiable]
                    public static double Same(double x) => Math.Sin(x) * x;
                }
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source);
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.InputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(new[] { "Project.First.Aliased_double.g.cs", "Project.First.Same_double.g.cs", "Project.Second.Same_double.g.cs" },
            run.Result.GeneratedSources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Empty(run.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    /// <summary>
    /// Runs a driver on <see cref="Project"/>, then on <paramref name="edit"/>'s result, and checks the second run
    /// against a cold run on the same compilation. Returns the edited compilation and both runs.
    /// </summary>
    private static (CSharpCompilation Edited, GeneratorRunResult First, GeneratorRunResult Second) RunTwice(Func<CSharpCompilation, CSharpCompilation> edit)
    {
        var (edited, driver, first, second) = IncrementalityAssert.RunTwice(edit, Project);
        AssertSameAsColdRun(driver, edited);
        return (edited, first, second);
    }

    /// <summary>The incremental run's sources and diagnostics are exactly a fresh driver's on the same compilation.</summary>
    private static void AssertSameAsColdRun(GeneratorDriver warm, CSharpCompilation compilation)
    {
        GeneratorRunResult incremental = warm.GetRunResult().Results.Single();
        GeneratorRunResult cold = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Null(cold.Exception);
        Assert.Equal(IncrementalityAssert.Text(cold), IncrementalityAssert.Text(incremental));
        Assert.Equal(cold.Diagnostics.Select(d => d.ToString()), incremental.Diagnostics.Select(d => d.ToString()));
    }

    /// <summary>The methods the engine ran on in this run (the CheckedMethods step's recomputed outputs), by documentation id.</summary>
    private static string[] EngineRuns(GeneratorRunResult result) =>
        IncrementalityAssert.Recomputed(result, DifferentiableGenerator.TrackingNames.CheckedMethods)
            .Select(value => ((CheckedMethod)value!).DocumentationId)
            .OrderBy(id => id, StringComparer.Ordinal)
            .ToArray();
}
