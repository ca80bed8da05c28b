using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Structs of reals declared in another assembly (issue 10): metadata shows an auto-property's backing field only as the
/// compiler's private <c>&lt;X&gt;k__BackingField</c>, with no link to its property (Parsing/StructParameters.PropertyOf finds it
/// back by name), so a <c>record struct</c> or a struct of auto-properties from a package is a struct of reals like one of
/// this compilation: read through its properties, its gradient built by its constructor or initializer.
/// </summary>
public class ExternalStructTests
{
    private const string Library = """
        public readonly record struct Pt(double X, double Y);
        public struct Props
        {
            public double A { get; set; }
            public float B { get; init; }
        }
        public struct Hidden
        {
            private double _secret;
            public double Shown;
            public Hidden(double s, double v) { _secret = s; Shown = v; }
        }
        """;

    private const string Consumer = """
        using AutoDiffGen;
        public static partial class Uses
        {
            [Differentiable]
            public static double Area(Pt p, double k) => k * p.X * p.Y + (p with { Y = k }).Y * p.X;

            [Differentiable]
            public static double Mixed(Props q) => q.A * q.B * q.A;

            [Differentiable]
            public static Pt Swap(Pt p, double k) => new Pt(p.Y * k, p.X);

            public static double AreaGradient(double x, double y, double k, double[] g)
            {
                double value = AreaGradient(new Pt(x, y), k, out Pt dp, out double dk);
                (g[0], g[1], g[2]) = (dp.X, dp.Y, dk);
                return value;
            }

            public static double MixedGradient(double a, double b, double[] g)
            {
                double value = MixedGradient(new Props { A = a, B = (float)b }, out Props dq);
                (g[0], g[1]) = (dq.A, dq.B);
                return value;
            }

            public static double SwapBackward(double x, double y, double k, double sx, double sy, double[] g)
            {
                Pt dp = default;
                double dk = 0;
                Pt value = SwapBackward(new Pt(x, y), k, new Pt(sx, sy), ref dp, ref dk);
                (g[0], g[1], g[2]) = (dp.X, dp.Y, dk);
                return value.X;
            }
        }
        """;

    private static byte[] Emit(Compilation compilation)
    {
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        Assert.True(result.Success, GeneratorHarness.Format(result.Diagnostics));
        return image.ToArray();
    }

    [Fact]
    public void A_record_struct_and_a_struct_of_auto_properties_from_another_assembly_are_structs_of_reals()
    {
        byte[] library = Emit(GeneratorHarness.CreateCompilation(Library).WithAssemblyName("Library"));
        var compilation = GeneratorHarness.CreateCompilation(Consumer).WithAssemblyName("Consumer").AddReferences(MetadataReference.CreateFromImage(library));
        Assert.Empty(GeneratorHarness.RunAnalyzer(compilation).Where(d => d.Id.StartsWith("ADG", StringComparison.Ordinal)));
        GeneratorRun run = GeneratorHarness.Run(compilation);
        Assert.Empty(run.OutputErrors);

        var context = new AssemblyLoadContext("ExternalStructs", isCollectible: true);
        try
        {
            context.LoadFromStream(new MemoryStream(library));
            Type uses = context.LoadFromStream(new MemoryStream(Emit(run.OutputCompilation))).GetType("Uses")!;
            double Call(string name, params object[] args) => (double)uses.GetMethod(name, args.Select(a => a.GetType()).ToArray())!.Invoke(null, args)!;

            // Area = k·x·y + k·x: ∂/∂x = k·y + k, ∂/∂y = k·x, ∂/∂k = x·y + x.
            const double x = 0.7, y = -1.3, k = 1.9;
            var g = new double[3];
            Assert.Equal(k * x * y + k * x, Call("AreaGradient", x, y, k, g), 12);
            Assert.Equal(k * y + k, g[0], 12);
            Assert.Equal(k * x, g[1], 12);
            Assert.Equal(x * y + x, g[2], 12);
            double[] fd = Runtime.GradientCheck.CentralDifference(p => Call("AreaGradient", p[0], p[1], p[2], new double[3]), new[] { x, y, k });
            for (int i = 0; i < 3; i++) Assert.Equal(fd[i], g[i], 6);

            // Mixed = a²·b (b a float): ∂/∂a = 2ab, ∂/∂b = a².
            const double a = 1.25, b = -0.5;
            var h = new double[2];
            Assert.Equal(a * a * b, Call("MixedGradient", a, b, h), 6);
            Assert.Equal(2 * a * b, h[0], 6);
            Assert.Equal(a * a, h[1], 6);

            // Swap = (y·k, x), seeds (sx, sy): ∂/∂x = sy, ∂/∂y = sx·k, ∂/∂k = sx·y.
            var s = new double[3];
            Assert.Equal(y * k, Call("SwapBackward", x, y, k, 2.0, -3.0, s), 12);
            Assert.Equal(-3.0, s[0], 12);
            Assert.Equal(2.0 * k, s[1], 12);
            Assert.Equal(2.0 * y, s[2], 12);
        }
        finally
        {
            context.Unload();
        }
    }

    [Fact]
    public void A_struct_with_a_private_field_from_another_assembly_stays_a_precise_error()
    {
        byte[] library = Emit(GeneratorHarness.CreateCompilation(Library).WithAssemblyName("Library"));
        const string source = """
            using AutoDiffGen;
            public static partial class Uses
            {
                [Differentiable]
                public static double Bad(Hidden h) => h.Shown * h.Shown;
            }
            """;
        var compilation = GeneratorHarness.CreateCompilation(source).AddReferences(MetadataReference.CreateFromImage(library));
        Diagnostic diagnostic = Assert.Single(GeneratorHarness.RunAnalyzer(compilation), d => d.Id.StartsWith("ADG", StringComparison.Ordinal));
        Assert.Equal("ADG0104", diagnostic.Id);
        Assert.Contains("its member '_secret' cannot be read by the generated code", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal("h", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }
}
