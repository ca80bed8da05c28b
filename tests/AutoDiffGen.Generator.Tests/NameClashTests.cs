using System;
using AutoDiffGen.Generator.Tests.Infrastructure;

namespace AutoDiffGen.Generator.Tests;

/// <summary>api.md: name clashes between generated names and user names never break the build.</summary>
public class NameClashTests
{
    [Fact]
    public void Locals_named_like_generated_names()
    {
        const string source = """
            using System;
            using AutoDiffGen;
            namespace Clash;
            public static partial class Funcs
            {
                [Differentiable]
                public static double F(double x, double y)
                {
                    double dx = x * y;
                    double dy = dx + 1;
                    double _t0 = Math.Sin(dx);
                    double _t1 = _t0 * _t0;
                    double _d_x = _t1 + x;
                    double _dx = _d_x * 2;
                    double d_x = _dx - y;
                    double seed = d_x * 0.5;
                    double tape = seed + dy;
                    double _tape = tape * tape;
                    double result = _tape / (1 + x * x);
                    double value = result + seed;
                    double adj = value * 0.25;
                    double _adj_x = adj + 1;
                    double grad = _adj_x;
                    double gradient = grad * x;
                    double tmp = gradient - 1;
                    double t = tmp;
                    int i = 3;
                    double @double = t * i;
                    double dresult = @double + result;
                    double ddx = dresult;
                    double __0 = ddx;
                    return __0 + value;
                }
            }
            """;
        AssertCompilesAndMatchesFiniteDifferences(source, "Clash.Funcs", "F", 0.3, -0.8);
    }

    [Fact]
    public void Parameters_named_like_gradient_parameters()
    {
        // x's gradient parameter would be dx, which is already a parameter; seed is the name api.md uses for
        // the Backward seed; dseed would be the gradient of seed.
        const string source = """
            using System;
            using AutoDiffGen;
            namespace Clash;
            public static partial class Funcs
            {
                [Differentiable]
                public static double F(double x, double dx, double seed, double dseed, double ddx)
                    => x * dx + Math.Sin(seed) * dseed - ddx * x;
            }
            """;
        AssertCompilesAndMatchesFiniteDifferences(source, "Clash.Funcs", "F", 0.3, -0.8, 1.1, 0.4, 2.0);
    }

    [Fact]
    public void Parameters_named_like_runtime_and_generated_helpers()
    {
        const string source = """
            using System;
            using AutoDiffGen;
            namespace Clash;
            public static partial class Funcs
            {
                [Differentiable]
                public static double F(double tape, double _tape, double result, double value, double _t0, double _d_x, int global)
                {
                    double Math = tape * _tape;
                    double System = result + value;
                    for (int _i = 0; _i < global; _i++) System += _t0 * _d_x;
                    return Math + System + global::System.Math.Sin(value);
                }
            }
            """;
        AssertCompilesAndMatchesFiniteDifferences(source, "Clash.Funcs", "F", 0.3, -0.8, 1.1, 0.4, 2.0, 0.7, 3);
    }

    [Fact]
    public void Names_the_emitter_uses_for_loops_tapes_and_exits()
    {
        // Loops with exits need trip counts, tapes, jump flags and saved values: every such name taken by the user.
        const string source = """
            using System;
            using AutoDiffGen;
            namespace Clash;
            public static partial class Funcs
            {
                [Differentiable]
                public static double F(double t, double t0, double _t, double _d_t0, int _trips)
                {
                    double _result = 0, _d_result = 0, _saved_t = t0, _saved_t_1 = _t;
                    int _jump = 0, _iteration = 1, _proceed = 2;
                    bool _first = true;
                    double _tape_double = 1, _tape_bool = 2, _unused_adjoint_double = 0.5, _t1 = t;
                    for (int i = 0; i < _trips; i++)
                    {
                        if (_first) { _first = false; continue; }
                        _t1 *= Math.Sin(t0 + i) + 1.5;
                        _result += _t1 * _saved_t + _d_t0 * _tape_double;
                        if (_result > 50) break;
                        _d_result += _saved_t_1 * _tape_bool - _unused_adjoint_double * _t;
                        _jump += _iteration + _proceed;
                        int k = 0;
                        while (k < 3)
                        {
                            k++;
                            if (_jump > 100) return _result * t;
                            _saved_t_1 = 0.5 * _saved_t_1 + Math.Cos(_t1);
                        }
                    }
                    return _result + _d_result;
                }
            }
            """;
        AssertCompilesAndMatchesFiniteDifferences(source, "Clash.Funcs", "F", 0.3, -0.8, 1.1, 0.4, 4);
    }

    [Fact]
    public void User_types_named_like_framework_and_runtime_types()
    {
        // Generated code must qualify what it uses with global::, or these types capture its names.
        const string source = """
            using AutoDiffGen;
            namespace Clash
            {
                internal static class Math { public static double Sin(double x) => 0; public static double Cos(double x) => 0; }
                internal static class MathF { }
                internal sealed class Tape<T> { }
                internal sealed class ArgumentException { }
                internal static class Double { }
                internal sealed class GeneratedCodeAttribute : global::System.Attribute { }
                internal static class AutoDiffGen { }

                public static partial class Funcs
                {
                    [Differentiable]
                    public static double F(double x, double y)
                    {
                        double s = 0;
                        for (int i = 0; i < 3; i++)
                        {
                            if (s < y) s += global::System.Math.Sin(x * i);
                            else s -= global::System.Math.Cos(y);
                        }
                        return s * x;
                    }
                }
            }
            namespace Clash.System { internal static class Nothing { } }
            """;
        AssertCompilesAndMatchesFiniteDifferences(source, "Clash.Funcs", "F", 0.3, 0.9);
    }

    [Fact]
    public void User_methods_named_like_companion_helpers()
    {
        // A user method Gradient and a non-differentiable method named like a companion of another overload.
        const string source = """
            using System;
            using AutoDiffGen;
            namespace Clash;
            public partial class Funcs
            {
                public static double Gradient(double x) => x;
                public static double Backward(double x) => x;
                public double Seed => 2.0;

                [Differentiable]
                public double F(double x, double y) => Gradient(3.0) * x * y + Backward(1.0) * Seed * y;
            }
            """;
        GeneratorRun run = GeneratorHarness.Run(source).AssertCompiles();
        using LoadedAssembly loaded = run.Load();
        Type type = loaded.GetType("Clash.Funcs");
        var probe = new GradientProbe(type, "F", LoadedAssembly.CreateInstance(type));
        var (_, gradient) = probe.Gradient(0.5, 2.0);
        Assert.Equal(3.0 * 2.0, gradient[0], 1e-12);
        Assert.Equal(3.0 * 0.5 + 2.0, gradient[1], 1e-12);
    }

    private static void AssertCompilesAndMatchesFiniteDifferences(string source, string typeName, string method, params object[] args)
    {
        GeneratorRun run = GeneratorHarness.Run(source).AssertCompiles();
        var diagnostics = GeneratorHarness.RunAnalyzer(run.InputCompilation);
        Assert.True(diagnostics.IsEmpty, GeneratorHarness.Format(diagnostics));
        using LoadedAssembly loaded = run.Load();
        var probe = new GradientProbe(loaded.GetType(typeName), method);
        probe.AssertMatchesFiniteDifferences(args);
    }
}
