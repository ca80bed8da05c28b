using System;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Calls with struct arguments that cannot be inlined go through the callee's companions (Lowering/MethodLowering.StructCallees.cs):
/// a callee compiled in another assembly (a struct argument, a struct result), and what stays unsupported with a precise
/// ADG0101/ADG0305 (virtual callees, second order through such a call); a recursive callee returning a struct, one call per level. The values of such calls are
/// checked in the Integration tests (StructCompanionCallTests).
/// </summary>
public class StructCompanionCallTests
{
    private const string Library = """
        using System.Numerics;
        using AutoDiffGen;
        public static partial class Library
        {
            [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
            public static double Norm(Complex c) => c.Real * c.Real + c.Imaginary * c.Imaginary;

            [Differentiable]
            public static Vector2 Swap(Vector2 v) => new Vector2(v.Y, v.X);
        }
        """;

    private static MetadataReference CompiledLibrary()
    {
        // The library's own companions are generated where it is compiled, as a package's would be.
        GeneratorRun library = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Library).WithAssemblyName("Library"));
        Assert.Empty(library.OutputErrors);
        using var image = new System.IO.MemoryStream();
        Assert.True(library.OutputCompilation.Emit(image).Success);
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    [Fact]
    public void A_struct_callee_in_another_assembly_is_called_through_its_companions()
    {
        const string source = """
            using AutoDiffGen;
            public static partial class Caller
            {
                [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
                public static double Far(double a, double b) => Library.Norm(new System.Numerics.Complex(a * b, b)) + a;

                [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
                public static float FarResult(float a) => Library.Swap(new System.Numerics.Vector2(a, 1)).X * a;
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(source).AddReferences(CompiledLibrary());
        Assert.Empty(GeneratorHarness.RunAnalyzer(compilation).Where(d => d.Id.StartsWith("ADG", StringComparison.Ordinal)));
        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.Empty(run.OutputErrors);
        string text = run.GeneratedText;
        Assert.Contains("global::Library.NormBackward(new global::System.Numerics.Complex(", text, StringComparison.Ordinal);
        Assert.Contains("global::Library.NormTangent(new global::System.Numerics.Complex(", text, StringComparison.Ordinal);
        // A struct result: one call per field it uses, the seed on that field alone.
        Assert.Contains("global::Library.SwapBackward(new global::System.Numerics.Vector2(", text, StringComparison.Ordinal);
        Assert.Contains("global::Library.SwapTangent(new global::System.Numerics.Vector2(", text, StringComparison.Ordinal);
    }

    [Fact]
    public void What_cannot_go_through_companions_is_a_precise_error()
    {
        const string source = """
            // expect: ADG0305
            using AutoDiffGen;
            public readonly record struct Q(double X, double Y);
            public partial class Model
            {
                [Differentiable]
                public virtual double Energy(Q q) => q.X * q.Y;

                [Differentiable]
                public double Stretch(Q q) => q.X * q.X;
            }
            public static partial class Funcs
            {
                [Differentiable]
                public static double Virtual(Model m, double a) => m.Energy(new Q(a, a));

                [Differentiable(Derivatives.Hessian)]
                public static double SecondOrder(Model m, double a) => m.Stretch(new Q(a, 2)) * a;
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(source).AddReferences(CompiledLibrary());
        var adg = GeneratorHarness.RunAnalyzer(compilation).Where(d => d.Id.StartsWith("ADG", StringComparison.Ordinal)).ToList();
        string MessageIn(string method, string id) => adg.SingleOrDefault(d => d.Id == id && Enclosing(source, d) == method)?.GetMessage()
            ?? throw new Xunit.Sdk.XunitException("no " + id + " in " + method + ":\n" + GeneratorHarness.Format(adg));

        // A [Differentiable] virtual callee taking a struct goes through its virtual companions (VirtualCalleeTests has the refusals).
        Assert.DoesNotContain(adg, d => d.Id == "ADG0101");
        Assert.Contains("it calls Stretch through its companions with a struct argument or result (it is called on another object), and second order does not go through such a call yet",
            adg.Single(d => d.Id == "ADG0305").GetMessage(), StringComparison.Ordinal); // on SecondOrder's attribute
        Assert.Contains("'SecondOrder' asks for Derivatives.Hessian", adg.Single(d => d.Id == "ADG0305").GetMessage(), StringComparison.Ordinal);

        // The generator neither throws nor emits code that does not compile (SecondOrder keeps its first-order companions).
        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.OutputErrors.Where(d => d.Location.SourceTree is { } tree && run.Result.GeneratedSources.Any(g => g.SyntaxTree == tree)));
        Assert.Contains("public static double SecondOrderBackward(", run.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("m.EnergyBackward(", run.GeneratedText, StringComparison.Ordinal);
    }

    /// <summary>
    /// A recursive callee returning a struct goes through its own companions: the IR makes one call per field of the result,
    /// and the emitter writes the side-by-side calls as one (Emitter/CompanionEmitter.StructResults.cs), so each level of the
    /// recursion makes one call of Spin, of SpinBackward (its seed the whole struct) and of SpinTangent, not one per field,
    /// which would multiply with the depth. The values are checked in the Integration tests (StructCompanionCallTests).
    /// </summary>
    [Fact]
    public void A_recursive_callee_returning_a_struct_makes_one_call_per_level()
    {
        const string source = """
            using AutoDiffGen;
            public readonly record struct Q(double X, double Y, double Z);
            public static partial class Funcs
            {
                [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
                public static Q Spin(Q q, int n) => n <= 0 ? q : Spin(new Q(q.Y, -q.X * q.Z, q.Z), n - 1);
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(source);
        Assert.DoesNotContain(GeneratorHarness.RunAnalyzer(compilation), d => d.Id.StartsWith("ADG", StringComparison.Ordinal));
        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.Empty(run.OutputErrors);
        string Body(string companion)
        {
            string text = run.GeneratedText;
            int start = text.IndexOf("public static global::Q " + companion + "(", StringComparison.Ordinal);
            Assert.True(start >= 0, companion + " missing:\n" + text);
            int end = text.IndexOf("\n    }\n", start, StringComparison.Ordinal);
            return text.Substring(start, end - start);
        }
        int Count(string text, string call) => System.Text.RegularExpressions.Regex.Matches(text, System.Text.RegularExpressions.Regex.Escape(call)).Count;
        string backward = Body("SpinBackward");
        Assert.Equal(1, Count(backward, "global::Funcs.Spin("));
        Assert.Equal(1, Count(backward, "global::Funcs.SpinBackward("));
        Assert.Contains("new global::Q(_d_", backward, StringComparison.Ordinal); // the whole seed, no zero fields
        Assert.Equal(1, Count(Body("SpinTangent"), "global::Funcs.SpinTangent("));
    }

    /// <summary>
    /// A generic callee taking a struct is not inlined (its body is written over T): its generic companions are called with
    /// the caller's type arguments, the struct passed whole (api.md: generic methods get generic companions).
    /// </summary>
    [Fact]
    public void A_generic_callee_taking_a_struct_is_called_through_its_generic_companions()
    {
        const string source = """
            using System.Numerics;
            using AutoDiffGen;
            public readonly record struct P2(double X, double Y);
            public static partial class G
            {
                [Differentiable]
                public static T Twice<T>([NoDerivative] P2 p, T k) where T : IFloatingPointIeee754<T> => k * k + T.CreateChecked(p.X);

                [Differentiable]
                public static double Use(double a, double b) => Twice(new P2(3, 4), a * b) + a;
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(source);
        Assert.Empty(GeneratorHarness.RunAnalyzer(compilation).Where(d => d.Id.StartsWith("ADG", StringComparison.Ordinal)));
        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.Empty(run.OutputErrors);
        Assert.Contains("global::G.TwiceBackward<double>(new global::P2(", run.GeneratedText, StringComparison.Ordinal);
        using LoadedAssembly loaded = LoadedAssembly.Emit(run.OutputCompilation);
        // Use(a, b) = (ab)² + 3 + a: ∂/∂a = 2ab² + 1, ∂/∂b = 2a²b.
        const double a = 0.7, b = -1.3;
        Invocation gradient = loaded.InvokeStatic("G", "UseGradient", a, b, null, null);
        Assert.Equal(a * b * a * b + 3 + a, (double)gradient.ReturnValue!, 12);
        Assert.Equal(2 * a * b * b + 1, gradient.Arg(2), 12);
        Assert.Equal(2 * a * a * b, gradient.Arg(3), 12);
    }

    /// <summary>The method a diagnostic is in: the last declaration (<c>public … Name(</c>) before it.</summary>
    private static string Enclosing(string source, Diagnostic diagnostic) =>
        System.Text.RegularExpressions.Regex.Matches(source.Substring(0, diagnostic.Location.SourceSpan.Start), @"public [\w ]*? (\w+)\(").Last().Groups[1].Value;
}
