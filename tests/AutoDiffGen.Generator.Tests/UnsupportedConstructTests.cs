using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// design.md: one oracle decides what is differentiable. For a method it rejects, the analyzer reports one ADG
/// error at the offending operation, the generator emits nothing for that method (no cascade of CS errors), and
/// the other methods of the type still get their companions.
/// </summary>
public class UnsupportedConstructTests
{
    public static IEnumerable<object[]> Cases()
    {
        // The marked text is where the diagnostic must start.
        yield return new object[] { "try block", """
            double r = 0;
            try
            {
                r = x * y;
            }
            catch (System.Exception)
            {
                r = 0;
            }
            return r;
            """, "try" };
        yield return new object[] { "active argument to a plain method", """
            return Plain(x * y) + y;
            """, "Plain(x * y)" };
        yield return new object[] { "active argument to a framework method without a rule", """
            return System.BitConverter.Int64BitsToDouble(System.BitConverter.DoubleToInt64Bits(x)) * y;
            """, "System.BitConverter.DoubleToInt64Bits(x)" };
        yield return new object[] { "stackalloc inside a loop", """
            double r = 0;
            for (int i = 0; i < 2; i++)
            {
                Span<double> t = stackalloc double[2];
                t[0] = x;
                r += t[0] * y;
            }
            return r;
            """, "stackalloc double[2]" };
        yield return new object[] { "a span view given a window of another array", """
            double[] a = { x, y };
            double[] b = { y, x };
            Span<double> t = a;
            t = b;
            return t[0] * a[1];
            """, "t = b" };
        yield return new object[] { "a struct of reals passed whole to a method that is not differentiated", """
            var p = new System.Numerics.Vector2((float)x, (float)y);
            return System.Numerics.Vector2.Transform(p, System.Numerics.Matrix3x2.Identity).X * y;
            """, "System.Numerics.Vector2.Transform(p, System.Numerics.Matrix3x2.Identity)" };
        yield return new object[] { "a span view of a local array that is given another array later", """
            double[] first = { x, y };
            Span<double> t = first;
            first = new double[] { y, x };
            return t[0] * first[0];
            """, "first" };
        yield return new object[] { "a differentiable value passed to a [NoDerivative] parameter of an inlined struct callee", """
            return Scaled(new Point(x, y), x * y);
            """, "x * y" };
        yield return new object[] { "an array of structs passed whole to a method that is not differentiated", """
            var pts = new Point[2];
            pts[0] = new Point(x, y);
            return System.Array.IndexOf(pts, default(Point)) * pts[0].X;
            """, "pts" };
        // (Called on another object, a non-virtual one goes through its companions: StructCompanionCallTests.)
        // (A virtual [Differentiable] one goes through its virtual companions: VirtualCalleeTests.)
        yield return new object[] { "a virtual method whose derivative is a hand-written …Backward (not virtual)", """
            return Funcs2.Shared.Heat(x) * y;
            """, "Funcs2.Shared.Heat(x)" };
    }

    private static string Wrap(string body) => $$"""
        using System;
        using AutoDiffGen;
        namespace Unsupported;
        public static partial class Funcs
        {
            public static double Plain(double v) => 2 * v;

            [Differentiable]
            public static double Bad(double x, double y)
            {
        {{body}}
            }

            [Differentiable]
            public static double Good(double x, double y) => x * y;

            [Differentiable]
            public static double Scaled(Point p, [NoDerivative] double k) => k * (p.X + p.Y);
        }
        public readonly record struct Point(double X, double Y);
        public partial class Funcs2
        {
            public static readonly Funcs2 Shared = new();

            public virtual double Heat(double v) => v * v;
            public double HeatBackward(double v, double seed, ref double dv) { dv += seed * 2 * v; return v * v; }
        }
        """;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analyzer_reports_exactly_one_ADG_error(string name, string body, string offendingText)
    {
        _ = name;
        string source = Wrap(body);
        var diagnostics = GeneratorHarness.RunAnalyzer(GeneratorHarness.CreateCompilation(source));
        var adg = diagnostics.Where(d => d.Id.StartsWith("ADG", System.StringComparison.Ordinal)).ToList();
        Assert.True(adg.Count == 1, "Expected one ADG diagnostic, got:\n" + GeneratorHarness.Format(diagnostics));
        Diagnostic diagnostic = adg[0];
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Matches("^ADG[0-9]{4}$", diagnostic.Id);
        Assert.False(string.IsNullOrEmpty(diagnostic.Descriptor.HelpLinkUri), "api.md: every diagnostic has a help link.");

        // api.md: reported at the exact offending operation.
        string spanText = diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);
        Assert.StartsWith(offendingText, spanText);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generator_emits_nothing_for_the_rejected_method(string name, string body, string offendingText)
    {
        _ = (name, offendingText);
        GeneratorRun run = GeneratorHarness.Run(Wrap(body));
        Assert.Null(run.Result.Exception);
        Assert.True(run.OutputErrors.Count == 0, "No cascade of CS errors expected:\n" + GeneratorHarness.Format(run.OutputErrors) + "\n" + run.GeneratedText);
        Assert.False(run.HasMethod("Unsupported.Funcs", "BadGradient"), "A companion was generated for the rejected method:\n" + run.GeneratedText);
        Assert.False(run.HasMethod("Unsupported.Funcs", "BadBackward"), "A companion was generated for the rejected method:\n" + run.GeneratedText);
        Assert.True(run.HasMethod("Unsupported.Funcs", "GoodGradient"), "The sibling method lost its companion:\n" + run.GeneratedText);
        Assert.True(run.HasMethod("Unsupported.Funcs", "GoodBackward"), "The sibling method lost its companion:\n" + run.GeneratedText);
        // design.md: the generator itself reports nothing; the analyzer does.
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Fact]
    public void Passive_call_to_a_plain_method_is_accepted()
    {
        // Calls whose arguments are all passive need no derivative: constants, ints, [NoDerivative] data.
        const string source = """
            using System;
            using AutoDiffGen;
            namespace Passive;
            public static partial class Funcs
            {
                public static double Plain(double v) => 2 * v;
                public static int Count(int n) => n + 1;

                [Differentiable]
                public static double F(double x, [NoDerivative] double c, int n)
                    => x * Plain(c) + Plain(3.0) * x + Count(n) * Math.Round(c) + Math.Floor(c) * x;
            }
            """;
        var diagnostics = GeneratorHarness.RunAnalyzer(GeneratorHarness.CreateCompilation(source));
        Assert.True(diagnostics.IsEmpty, GeneratorHarness.Format(diagnostics));
        GeneratorRun run = GeneratorHarness.Run(source).AssertCompiles();
        using LoadedAssembly loaded = run.Load();
        var probe = new GradientProbe(loaded.GetType("Passive.Funcs"), "F");
        var (_, gradient) = probe.Gradient(1.5, 2.6, 4);
        Assert.Equal(2 * 2.6 + 6.0 + 2.0, Assert.Single(gradient), 1e-12);
    }
}
