using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Every place a [Differentiable] method may live: the output must compile, the analyzer must stay silent, and
/// the companions must exist with the method's static-ness and give the right gradient.
/// </summary>
public class HostingTests
{
    /// <summary>A hosting case: its sources, the metadata name of the type to probe and, for instance methods, constructor arguments.</summary>
    public sealed record Host(string Name, string[] Sources, string TypeName, string Method, object?[]? Instance = null, Type[]? GenericArguments = null)
    {
        public override string ToString() => Name;
    }

    // Every case computes x * y + Sin(x) times a constant the host supplies, so one expectation fits all.
    private const string Body = "x * y + Math.Sin(x)";

    public static IEnumerable<object[]> Cases() => AllHosts().Select(h => new object[] { h });

    private static IEnumerable<Host> AllHosts()
    {
        yield return new Host("static class, block namespace, public", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts
            {
                public static partial class Funcs
                {
                    [Differentiable]
                    public static double F(double x, double y) => {{Body}};
                }
            }
            """ }, "Hosts.Funcs", "F");

        yield return new Host("file-scoped namespace, internal static in a class", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts.FileScoped;
            internal partial class Funcs
            {
                [Differentiable]
                internal static double F(double x, double y)
                {
                    return {{Body}};
                }
            }
            """ }, "Hosts.FileScoped.Funcs", "F");

        yield return new Host("global namespace", new[] { $$"""
            using System;
            using AutoDiffGen;
            partial class GlobalFuncs
            {
                [Differentiable]
                static double F(double x, double y) => {{Body}};
            }
            """ }, "GlobalFuncs", "F");

        yield return new Host("private static", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts;
            public partial class Funcs
            {
                [Differentiable]
                private static double F(double x, double y) => {{Body}};
            }
            """ }, "Hosts.Funcs", "F");

        yield return new Host("protected instance method", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts;
            public partial class Funcs
            {
                [Differentiable]
                protected double F(double x, double y) => {{Body}};
            }
            """ }, "Hosts.Funcs", "F", Instance: Array.Empty<object?>());

        yield return new Host("protected internal and private protected", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts;
            public partial class Funcs
            {
                [Differentiable]
                protected internal static double F(double x, double y) => {{Body}};

                [Differentiable]
                private protected static double G(double x, double y) => {{Body}};
            }
            """ }, "Hosts.Funcs", "F");

        yield return new Host("instance method reading a field and a property", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts;
            public sealed partial class Model
            {
                private readonly double _half = 0.5;
                public double Two { get; } = 2.0;

                [Differentiable]
                public double F(double x, double y) => _half * Two * ({{Body}});
            }
            """ }, "Hosts.Model", "F", Instance: Array.Empty<object?>());

        yield return new Host("struct instance method", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts;
            public partial struct Point
            {
                public double Scale;
                public Point(double scale) { Scale = scale; }

                [Differentiable]
                public readonly double F(double x, double y) => Scale * ({{Body}});
            }
            """ }, "Hosts.Point", "F", Instance: new object?[] { 1.0 });

        yield return new Host("record with a primary constructor", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts;
            public partial record Model(double Scale)
            {
                [Differentiable]
                public double F(double x, double y) => Scale * ({{Body}});
            }
            """ }, "Hosts.Model", "F", Instance: new object?[] { 1.0 });

        yield return new Host("record struct", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts;
            public partial record struct Model(double Scale)
            {
                [Differentiable]
                public static double F(double x, double y) => {{Body}};
            }
            """ }, "Hosts.Model", "F");

        yield return new Host("readonly record struct instance", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts;
            public readonly partial record struct Model(double Scale)
            {
                [Differentiable]
                public double F(double x, double y) => Scale * ({{Body}});
            }
            """ }, "Hosts.Model", "F", Instance: new object?[] { 1.0 });

        yield return new Host("nested types three deep", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts
            {
                public static partial class Outer
                {
                    internal partial struct Middle
                    {
                        private partial class Inner
                        {
                            [Differentiable]
                            public static double F(double x, double y) => {{Body}};
                        }
                    }
                }
            }
            """ }, "Hosts.Outer+Middle+Inner", "F");

        yield return new Host("generic containing type", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts;
            public partial class Box<T> where T : struct
            {
                public T Tag;

                [Differentiable]
                public double F(double x, double y) => {{Body}};
            }
            """ }, "Hosts.Box`1", "F", Instance: Array.Empty<object?>(), GenericArguments: new[] { typeof(int) });

        yield return new Host("generic outer, nested inner, static", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts;
            public partial class Outer<TKey, TValue>
            {
                public partial class Inner
                {
                    [Differentiable]
                    public static double F(double x, double y) => {{Body}};
                }
            }
            """ }, "Hosts.Outer`2+Inner", "F", GenericArguments: new[] { typeof(string), typeof(int) });

        yield return new Host("partial class split over two files", new[] { """
            namespace Hosts
            {
                public partial class Split
                {
                    private readonly double _one = 1.0;
                }
            }
            """, $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts
            {
                public partial class Split
                {
                    [Differentiable]
                    public double F(double x, double y) => _one * ({{Body}});
                }
            }
            """ }, "Hosts.Split", "F", Instance: Array.Empty<object?>());

        yield return new Host("two namespaces in one file, same type name", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts.A { public static partial class Funcs { [Differentiable] public static double F(double x, double y) => {{Body}}; } }
            namespace Hosts.B { public static partial class Funcs { [Differentiable] public static double F(double x, double y) => {{Body}}; } }
            """ }, "Hosts.B.Funcs", "F");

        yield return new Host("sealed class with other members and an unrelated overload", new[] { $$"""
            using System;
            using AutoDiffGen;
            namespace Hosts;
            public sealed partial class Funcs
            {
                public int Count { get; set; }
                public event EventHandler? Changed;
                public static double F(double x) => x;
                public void Raise() => Changed?.Invoke(this, EventArgs.Empty);

                [Differentiable]
                public static double F(double x, double y) => {{Body}};
            }
            """ }, "Hosts.Funcs", "F");

        yield return new Host("using alias and using static", new[] { $$"""
            using static System.Math;
            using AD = AutoDiffGen;
            namespace Hosts;
            public static partial class Funcs
            {
                [AD.Differentiable]
                public static double F(double x, double y) => x * y + Sin(x);
            }
            """ }, "Hosts.Funcs", "F");

        yield return new Host("attribute written in full", new[] { $$"""
            namespace Hosts;
            public static partial class Funcs
            {
                [global::AutoDiffGen.DifferentiableAttribute]
                public static double F(double x, double y) => x * y + System.Math.Sin(x);
            }
            """ }, "Hosts.Funcs", "F");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_compiles_and_gradient_is_right(Host host)
    {
        GeneratorRun run = GeneratorHarness.Run(host.Sources).AssertCompiles();
        Assert.NotEmpty(run.GeneratedSources);

        using LoadedAssembly loaded = run.Load();
        Type type = loaded.GetType(host.TypeName);
        if (host.GenericArguments is not null) type = type.MakeGenericType(host.GenericArguments);
        object? target = host.Instance is null ? null : LoadedAssembly.CreateInstance(type, host.Instance);
        var probe = new GradientProbe(type, host.Method, target);

        foreach (var (x, y) in new[] { (0.7, -1.3), (-2.0, 0.5) })
        {
            var (value, gradient) = probe.Gradient(x, y);
            Assert.Equal(x * y + Math.Sin(x), value, 1e-14);
            Assert.Equal(y + Math.Cos(x), gradient[0], 1e-12);
            Assert.Equal(x, gradient[1], 1e-12);

            var (backwardValue, adjoints) = probe.Backward(new object[] { x, y }, 2.0, new[] { 1.0, -1.0 });
            Assert.Equal(value, backwardValue);
            Assert.Equal(1.0 + 2.0 * gradient[0], adjoints[0], 1e-12);
            Assert.Equal(-1.0 + 2.0 * gradient[1], adjoints[1], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Companions_keep_the_static_ness_and_accessibility(Host host)
    {
        GeneratorRun run = GeneratorHarness.Run(host.Sources).AssertCompiles();
        var type = run.OutputCompilation.GetTypeByMetadataName(host.TypeName)!;
        foreach (var original in type.GetMembers(host.Method).OfType<Microsoft.CodeAnalysis.IMethodSymbol>()
                     .Where(m => m.GetAttributes().Any(a => a.AttributeClass?.Name == "DifferentiableAttribute")))
        {
            foreach (string suffix in new[] { "Gradient", "Backward" })
            {
                var companion = Assert.Single(type.GetMembers(original.Name + suffix).OfType<Microsoft.CodeAnalysis.IMethodSymbol>());
                Assert.Equal(original.IsStatic, companion.IsStatic);
                Assert.Equal(original.DeclaredAccessibility, companion.DeclaredAccessibility);
                Assert.Equal(original.ReturnType.SpecialType, companion.ReturnType.SpecialType);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analyzer_reports_nothing_on_supported_code(Host host)
    {
        var diagnostics = GeneratorHarness.RunAnalyzer(GeneratorHarness.CreateCompilation(host.Sources));
        Assert.True(diagnostics.IsEmpty, GeneratorHarness.Format(diagnostics));
    }

    [Fact]
    public void Generated_code_raises_no_warnings()
    {
        var failures = new List<string>();
        foreach (Host host in AllHosts())
        {
            var warnings = GeneratorHarness.Run(host.Sources).AssertCompiles().GeneratedCodeWarnings;
            failures.AddRange(warnings.Select(w => $"{host.Name}: {w}"));
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
