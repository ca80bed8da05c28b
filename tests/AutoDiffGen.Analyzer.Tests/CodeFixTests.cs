using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AutoDiffGen.Analyzer.Tests.Infrastructure;
using AutoDiffGen.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiffGen.Analyzer.Tests;

/// <summary>
/// The code fixes, applied as the IDE applies them: the analyzer's diagnostics on a document of an AdhocWorkspace,
/// the provider's code action, its ApplyChangesOperation. After the fix the text is exactly the expected one and
/// the diagnostic is gone.
/// </summary>
public class CodeFixTests
{
    [Fact]
    public async Task Make_type_partial()
    {
        await AssertFixAsync(new MakeTypePartialCodeFixProvider(), "ADG0001", """
            using AutoDiffGen;

            public static class Losses
            {
                [Differentiable]
                public static double Square(double x) => x * x;
            }
            """, """
            using AutoDiffGen;

            public static partial class Losses
            {
                [Differentiable]
                public static double Square(double x) => x * x;
            }
            """);
    }

    [Fact]
    public async Task Constrain_a_returned_type_parameter_to_generic_math()
    {
        await AssertFixAsync(new ConstrainToFloatingPointCodeFixProvider(), "ADG0106", """
            using AutoDiffGen;

            public static partial class Losses
            {
                [Differentiable]
                public static T Square<T>(T x) => x;
            }
            """, """
            using AutoDiffGen;

            public static partial class Losses
            {
                [Differentiable]
                public static T Square<T>(T x) where T : System.Numerics.IFloatingPointIeee754<T> => x;
            }
            """);
    }

    [Fact]
    public async Task Constrain_a_narrow_type_parameter_to_generic_math()
    {
        await AssertFixAsync(new ConstrainToFloatingPointCodeFixProvider(), "ADG0106", """
            using System.Numerics;
            using AutoDiffGen;

            public static partial class Losses
            {
                [Differentiable]
                public static T Power<T>(T x, T y) where T : INumberBase<T>, IPowerFunctions<T> => T.Pow(x, y);
            }
            """, """
            using System.Numerics;
            using AutoDiffGen;

            public static partial class Losses
            {
                [Differentiable]
                public static T Power<T>(T x, T y) where T : INumberBase<T>, IPowerFunctions<T>, System.Numerics.IFloatingPointIeee754<T> => T.Pow(x, y);
            }
            """);
    }

    [Fact]
    public async Task Make_type_and_enclosing_types_partial()
    {
        // Two ADG0001 (Outer and Middle); fixing either makes the whole chain partial.
        await AssertFixAsync(new MakeTypePartialCodeFixProvider(), "ADG0001", """
            using AutoDiffGen;

            namespace N
            {
                /// <summary>Outer.</summary>
                class Outer
                {
                    internal sealed class Middle
                    {
                        public partial record Inner
                        {
                            [Differentiable]
                            public double Square(double x) => x * x;
                        }
                    }
                }
            }
            """, """
            using AutoDiffGen;

            namespace N
            {
                /// <summary>Outer.</summary>
                partial class Outer
                {
                    internal sealed partial class Middle
                    {
                        public partial record Inner
                        {
                            [Differentiable]
                            public double Square(double x) => x * x;
                        }
                    }
                }
            }
            """, expectedDiagnostics: 2);
    }

    [Fact]
    public async Task Mark_parameter_NoDerivative()
    {
        await AssertFixAsync(new MarkParameterNoDerivativeCodeFixProvider(), "ADG0203", """
            using AutoDiffGen;

            public static partial class Losses
            {
                [Differentiable]
                public static double Clip(double x, double limit) => x > limit ? 1 : x;
            }
            """, """
            using AutoDiffGen;

            public static partial class Losses
            {
                [Differentiable]
                public static double Clip(double x, [NoDerivative] double limit) => x > limit ? 1 : x;
            }
            """);
    }

    [Fact]
    public async Task Mark_a_struct_parameter_NoDerivative()
    {
        await AssertFixAsync(new MarkParameterNoDerivativeCodeFixProvider(), "ADG0104", """
            using AutoDiffGen;

            public readonly struct Direction
            {
                public readonly double X;
                public Direction(double x) => X = x;
            }

            public static partial class Geometry
            {
                [Differentiable]
                public static double Along(Direction direction, double t) => direction.X * t * t;
            }
            """, """
            using AutoDiffGen;

            public readonly struct Direction
            {
                public readonly double X;
                public Direction(double x) => X = x;
            }

            public static partial class Geometry
            {
                [Differentiable]
                public static double Along([NoDerivative] Direction direction, double t) => direction.X * t * t;
            }
            """);
    }

    [Fact]
    public async Task Mark_parameter_NoDerivative_without_a_using()
    {
        await AssertFixAsync(new MarkParameterNoDerivativeCodeFixProvider(), "ADG0203", """
            public static partial class Losses
            {
                [AutoDiffGen.Differentiable]
                public static double Scale(
                    double x,
                    double unused) => 2 * x;
            }
            """, """
            public static partial class Losses
            {
                [AutoDiffGen.Differentiable]
                public static double Scale(
                    double x,
                    [AutoDiffGen.NoDerivative] double unused) => 2 * x;
            }
            """);
    }

    [Fact]
    public async Task Mark_callee_Differentiable()
    {
        await AssertFixAsync(new MarkCalleeDifferentiableCodeFixProvider(), "ADG0102", """
            using System;
            using AutoDiffGen;

            public static partial class Model
            {
                /// <summary>Smooth ReLU.</summary>
                public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));

                [Differentiable]
                public static double Loss(double x) => Softplus(x) * x;
            }
            """, """
            using System;
            using AutoDiffGen;

            public static partial class Model
            {
                /// <summary>Smooth ReLU.</summary>
                [Differentiable]
                public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));

                [Differentiable]
                public static double Loss(double x) => Softplus(x) * x;
            }
            """);
    }

    [Fact]
    public async Task Mark_callee_Differentiable_in_another_file_and_make_its_type_partial()
    {
        const string helpers = """
            namespace Lib
            {
                public static class Activations
                {
                    [System.Obsolete("x")]
                    public static double Softplus(double v) => System.Math.Log(1 + System.Math.Exp(v));
                }
            }
            """;
        const string fixedHelpers = """
            namespace Lib
            {
                public static partial class Activations
                {
                    [System.Obsolete("x")]
                    [AutoDiffGen.Differentiable]
                    public static double Softplus(double v) => System.Math.Log(1 + System.Math.Exp(v));
                }
            }
            """;
        const string model = """
            using AutoDiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static double Loss(double x) => Lib.Activations.Softplus(x) * x;
            }
            """;
        Solution solution = await ApplySingleFixAsync(new MarkCalleeDifferentiableCodeFixProvider(), "ADG0102", new[] { ("Model.cs", model), ("Activations.cs", helpers) }, 1);
        Assert.Equal(model, await TextOf(solution, "Model.cs"));
        Assert.Equal(fixedHelpers, await TextOf(solution, "Activations.cs"));
    }

    [Fact]
    public async Task No_callee_fix_for_a_method_outside_the_source()
    {
        var actions = await ActionsAsync(new MarkCalleeDifferentiableCodeFixProvider(), "ADG0102", new[] { ("Model.cs", """
            using AutoDiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static double Loss(double x) => System.BitConverter.Int64BitsToDouble(System.BitConverter.DoubleToInt64Bits(x)) * x;
            }
            """) }, 1);
        Assert.Empty(actions);
    }

    [Fact]
    public async Task No_callee_fix_for_a_method_that_cannot_be_differentiable()
    {
        var actions = await ActionsAsync(new MarkCalleeDifferentiableCodeFixProvider(), "ADG0102", new[] { ("Model.cs", """
            using AutoDiffGen;

            public static partial class Model
            {
                public static double Twice<T>(double v) => 2 * v;

                [Differentiable]
                public static double Loss(double x) => Twice<int>(x) * x;
            }
            """) }, 1);
        Assert.Empty(actions);
    }

    // ------------------------------------------------------------------ helpers

    private static async Task AssertFixAsync(CodeFixProvider provider, string id, string source, string expected, int expectedDiagnostics = 1)
    {
        Solution solution = await ApplySingleFixAsync(provider, id, new[] { ("Test.cs", source) }, expectedDiagnostics);
        Assert.Equal(expected, await TextOf(solution, "Test.cs"));
    }

    private static async Task<string> TextOf(Solution solution, string name) =>
        (await solution.Projects.Single().Documents.Single(d => d.Name == name).GetTextAsync()).ToString();

    /// <summary>Applies the first action offered for the first <paramref name="id"/>, then checks no <paramref name="id"/> is left.</summary>
    private static async Task<Solution> ApplySingleFixAsync(CodeFixProvider provider, string id, (string Name, string Source)[] files, int expectedDiagnostics)
    {
        using var workspace = new AdhocWorkspace();
        Project project = CreateProject(workspace, files);
        var (document, diagnostics) = await DiagnosticsAsync(project, id);
        Assert.Equal(expectedDiagnostics, diagnostics.Length);
        var actions = await ActionsAsync(provider, document!, diagnostics[0]);
        CodeAction action = Assert.Single(actions);
        ImmutableArray<CodeActionOperation> operations = await action.GetOperationsAsync(CancellationToken.None);
        Solution changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
        Assert.True(workspace.TryApplyChanges(changed));

        var (_, remaining) = await DiagnosticsAsync(workspace.CurrentSolution.Projects.Single(), id);
        Assert.True(remaining.IsEmpty, "Still reported after the fix:\n" + Harness.Format(remaining));
        var compileErrors = (await workspace.CurrentSolution.Projects.Single().GetCompilationAsync())!.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(compileErrors.Count == 0, Harness.Format(compileErrors));
        return workspace.CurrentSolution;
    }

    private static async Task<IReadOnlyList<CodeAction>> ActionsAsync(CodeFixProvider provider, string id, (string Name, string Source)[] files, int expectedDiagnostics)
    {
        using var workspace = new AdhocWorkspace();
        Project project = CreateProject(workspace, files);
        var (document, diagnostics) = await DiagnosticsAsync(project, id);
        Assert.Equal(expectedDiagnostics, diagnostics.Length);
        return await ActionsAsync(provider, document!, diagnostics[0]);
    }

    private static async Task<IReadOnlyList<CodeAction>> ActionsAsync(CodeFixProvider provider, Document document, Diagnostic diagnostic)
    {
        Assert.Contains(diagnostic.Id, provider.FixableDiagnosticIds);
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        return actions;
    }

    private static Project CreateProject(AdhocWorkspace workspace, (string Name, string Source)[] files)
    {
        Project project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Create(), "Test", "Test", LanguageNames.CSharp,
            compilationOptions: Harness.CompilationOptions,
            parseOptions: Harness.ParseOptions,
            metadataReferences: Harness.References));
        foreach (var (name, source) in files)
        {
            project = project.AddDocument(name, source).Project;
        }
        Assert.True(workspace.TryApplyChanges(project.Solution));
        return workspace.CurrentSolution.GetProject(project.Id)!;
    }

    private static async Task<(Document? Document, ImmutableArray<Diagnostic> Diagnostics)> DiagnosticsAsync(Project project, string id)
    {
        Compilation compilation = (await project.GetCompilationAsync())!;
        Harness.AnalyzerRun run = Harness.RunAnalyzer(compilation, afterGenerator: false);
        Assert.Empty(run.Exceptions);
        var diagnostics = run.Adg.Where(d => d.Id == id).ToImmutableArray();
        Document? document = diagnostics.IsEmpty ? null : project.GetDocument(diagnostics[0].Location.SourceTree);
        return (document, diagnostics);
    }
}
