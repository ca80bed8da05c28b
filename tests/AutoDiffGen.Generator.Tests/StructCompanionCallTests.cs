using System;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Calls with struct arguments that cannot be inlined go through the callee's companions (Lowering/MethodLowering.StructCallees.cs):
/// a callee compiled in another assembly, and what stays unsupported with a precise ADG0101/ADG0305 (struct results and
/// arrays of structs through companions, virtual callees, second order through such a call). The values of such calls are
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
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(source).AddReferences(CompiledLibrary());
        Assert.Empty(GeneratorHarness.RunAnalyzer(compilation).Where(d => d.Id.StartsWith("ADG", StringComparison.Ordinal)));
        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.Empty(run.OutputErrors);
        string text = run.GeneratedText;
        Assert.Contains("global::Library.NormBackward(new global::System.Numerics.Complex(", text, StringComparison.Ordinal);
        Assert.Contains("global::Library.NormTangent(new global::System.Numerics.Complex(", text, StringComparison.Ordinal);
    }

    [Fact]
    public void What_cannot_go_through_companions_is_a_precise_error()
    {
        const string source = """
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
                public static Q Turn(Q q) => new Q(q.Y, q.X);
                public static Q TurnBackward(Q q, Q seed, ref Q dq) { dq = new Q(dq.X + seed.Y, dq.Y + seed.X); return Turn(q); }

                [Differentiable]
                public static double Virtual(Model m, double a) => m.Energy(new Q(a, a));

                [Differentiable]
                public static double FarResult(float a) => Library.Swap(new System.Numerics.Vector2(a, 1)).X;

                [Differentiable(Derivatives.Hessian)]
                public static double SecondOrder(Model m, double a) => m.Stretch(new Q(a, 2)) * a;
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(source).AddReferences(CompiledLibrary());
        var adg = GeneratorHarness.RunAnalyzer(compilation).Where(d => d.Id.StartsWith("ADG", StringComparison.Ordinal)).ToList();
        string MessageIn(string method, string id) => adg.SingleOrDefault(d => d.Id == id && Enclosing(source, d) == method)?.GetMessage()
            ?? throw new Xunit.Sdk.XunitException("no " + id + " in " + method + ":\n" + GeneratorHarness.Format(adg));

        Assert.Contains("'Model.Energy(Q)' is virtual and takes or returns a struct of reals", MessageIn("Virtual", "ADG0101"), StringComparison.Ordinal);
        Assert.Contains("'Library.Swap(Vector2)' returns a struct of reals and is not inlined here (its code is in another assembly); a call through companions takes struct arguments but returns a double or float",
            MessageIn("FarResult", "ADG0101"), StringComparison.Ordinal);
        Assert.Contains("it calls Stretch through its companions with a struct argument (it is called on another object), and second order does not go through such a call yet",
            adg.Single(d => d.Id == "ADG0305").GetMessage(), StringComparison.Ordinal); // on SecondOrder's attribute
        Assert.Contains("'SecondOrder' asks for Derivatives.Hessian", adg.Single(d => d.Id == "ADG0305").GetMessage(), StringComparison.Ordinal);
    }

    private static string Enclosing(string source, Diagnostic diagnostic)
    {
        string before = source.Substring(0, diagnostic.Location.SourceSpan.Start);
        int name = before.LastIndexOf("public static double ", StringComparison.Ordinal);
        string rest = before.Substring(name + "public static double ".Length);
        return rest.Substring(0, rest.IndexOf('('));
    }
}
