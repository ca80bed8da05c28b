using System.Threading.Tasks;
using AutoDiffGen.CodeFixes;
using AutoDiffGen.Generator.Analyzers;
using AutoDiffGen.Tests.Verifiers;
using Microsoft.CodeAnalysis.Testing;

namespace AutoDiffGen.Analyzer.Tests;

/// <summary>
/// The code fixes as before/after sources through the Roslyn testing library (<see cref="CodeFixVerifier{TAnalyzer, TCodeFix}"/>):
/// the diagnostics marked before, the fix applied one diagnostic at a time and by Fix All (document, project,
/// solution), and the text after exactly the expected one with no marked diagnostic left. Before equal to after means
/// no fix is offered.
/// </summary>
public class CodeFixTests
{
    /// <summary>
    /// ADG0001 is reported at the type while the analyzer analyses the method, so Roslyn counts it as non-local: the
    /// IDE offers its fix only once the whole project is analysed (not from the lightbulb on a fresh edit). The library
    /// rejects fixes of non-local diagnostics by default; the check is skipped here, and the finding reported (issue 11).
    /// </summary>
    private static CodeFixVerifier<DifferentiableAnalyzer, MakeTypePartialCodeFixProvider>.Test MakePartialTest() =>
        new() { CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck };

    private static Task VerifyMakePartialAsync(string before, string after)
    {
        var test = MakePartialTest();
        test.TestCode = before;
        test.FixedCode = after;
        return test.RunAsync();
    }

    [Fact]
    public async Task Make_type_partial()
    {
        await VerifyMakePartialAsync("""
            using AutoDiffGen;

            public static class {|ADG0001:Losses|}
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
        await CodeFixVerifier<DifferentiableAnalyzer, ConstrainToFloatingPointCodeFixProvider>.VerifyCodeFixAsync("""
            using AutoDiffGen;

            public static partial class Losses
            {
                [Differentiable]
                public static {|ADG0106:T|} Square<T>(T x) => x;
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
        await CodeFixVerifier<DifferentiableAnalyzer, ConstrainToFloatingPointCodeFixProvider>.VerifyCodeFixAsync("""
            using System.Numerics;
            using AutoDiffGen;

            public static partial class Losses
            {
                [Differentiable]
                public static T Power<{|ADG0106:T|}>(T x, T y) where T : INumberBase<T>, IPowerFunctions<T> => T.Pow(x, y);
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
        await VerifyMakePartialAsync("""
            using AutoDiffGen;

            namespace N
            {
                /// <summary>Outer.</summary>
                class {|ADG0001:Outer|}
                {
                    internal sealed class {|ADG0001:Middle|}
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
            """);
    }

    [Fact]
    public async Task Mark_parameter_NoDerivative()
    {
        await CodeFixVerifier<DifferentiableAnalyzer, MarkParameterNoDerivativeCodeFixProvider>.VerifyCodeFixAsync("""
            using AutoDiffGen;

            public static partial class Losses
            {
                [Differentiable]
                public static double Clip(double x, double {|ADG0203:limit|}) => x > limit ? 1 : x;
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
        await CodeFixVerifier<DifferentiableAnalyzer, MarkParameterNoDerivativeCodeFixProvider>.VerifyCodeFixAsync("""
            using AutoDiffGen;

            public readonly struct Direction
            {
                public readonly double X;
                public Direction(double x) => X = x;
            }

            public static partial class Geometry
            {
                [Differentiable]
                public static double Along(Direction {|ADG0104:direction|}, double t) => direction.X * t * t;
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
        await CodeFixVerifier<DifferentiableAnalyzer, MarkParameterNoDerivativeCodeFixProvider>.VerifyCodeFixAsync("""
            public static partial class Losses
            {
                [AutoDiffGen.Differentiable]
                public static double Scale(
                    double x,
                    double {|ADG0203:unused|}) => 2 * x;
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
    public async Task Mark_an_override_Differentiable_like_the_method_it_overrides()
    {
        await CodeFixVerifier<OverrideAnalyzer, MarkOverrideDifferentiableCodeFixProvider>.VerifyCodeFixAsync("""
            using System;
            using AutoDiffGen;

            public partial class Potential
            {
                [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
                public virtual double Energy(double x, double y) => x * x * y;
            }

            public class Morse : Potential
            {
                /// <summary>e^(−x)·y.</summary>
                public override double {|ADG0107:Energy|}(double x, double y) => Math.Exp(-x) * y;
            }
            """, """
            using System;
            using AutoDiffGen;

            public partial class Potential
            {
                [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
                public virtual double Energy(double x, double y) => x * x * y;
            }

            public partial class Morse : Potential
            {
                /// <summary>e^(−x)·y.</summary>
                [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
                public override double Energy(double x, double y) => Math.Exp(-x) * y;
            }
            """);
    }

    [Fact]
    public async Task Mark_callee_Differentiable()
    {
        await CodeFixVerifier<DifferentiableAnalyzer, MarkCalleeDifferentiableCodeFixProvider>.VerifyCodeFixAsync("""
            using System;
            using AutoDiffGen;

            public static partial class Model
            {
                /// <summary>Smooth ReLU.</summary>
                public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));

                [Differentiable]
                public static double Loss(double x) => {|ADG0102:Softplus(x)|} * x;
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
                public static double Loss(double x) => {|ADG0102:Lib.Activations.Softplus(x)|} * x;
            }
            """;
        var test = new CodeFixVerifier<DifferentiableAnalyzer, MarkCalleeDifferentiableCodeFixProvider>.Test();
        test.TestState.Sources.Add(("Model.cs", model));
        test.TestState.Sources.Add(("Activations.cs", helpers));
        test.FixedState.Sources.Add(("Model.cs", model.Replace("{|ADG0102:", "").Replace("|}", "")));
        test.FixedState.Sources.Add(("Activations.cs", fixedHelpers));
        await test.RunAsync();
    }

    [Fact]
    public async Task No_callee_fix_for_a_method_outside_the_source()
    {
        // Before and after the same: the diagnostic is offered no fix.
        const string source = """
            using AutoDiffGen;

            public static partial class Model
            {
                [Differentiable]
                public static double Loss(double x) => System.BitConverter.Int64BitsToDouble({|ADG0102:System.BitConverter.DoubleToInt64Bits(x)|}) * x;
            }
            """;
        await CodeFixVerifier<DifferentiableAnalyzer, MarkCalleeDifferentiableCodeFixProvider>.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public async Task No_callee_fix_for_a_method_that_cannot_be_differentiable()
    {
        const string source = """
            using AutoDiffGen;

            public static partial class Model
            {
                public static double Twice<T>(double v) => 2 * v;

                [Differentiable]
                public static double Loss(double x) => {|ADG0102:Twice<int>(x)|} * x;
            }
            """;
        await CodeFixVerifier<DifferentiableAnalyzer, MarkCalleeDifferentiableCodeFixProvider>.VerifyCodeFixAsync(source, source);
    }

    // ------------------------------------------------------------------ Fix All

    [Fact]
    public async Task Fix_all_marks_every_passive_parameter_NoDerivative()
    {
        // Two diagnostics in two methods: fixed one at a time and by Fix All in document, project and solution.
        await CodeFixVerifier<DifferentiableAnalyzer, MarkParameterNoDerivativeCodeFixProvider>.VerifyCodeFixAsync("""
            using AutoDiffGen;

            public static partial class Losses
            {
                [Differentiable]
                public static double Clip(double x, double {|ADG0203:limit|}) => x > limit ? 1 : x;

                [Differentiable]
                public static double Step(double x, double {|ADG0203:threshold|}, double y) => x < threshold ? y : x * y;
            }
            """, """
            using AutoDiffGen;

            public static partial class Losses
            {
                [Differentiable]
                public static double Clip(double x, [NoDerivative] double limit) => x > limit ? 1 : x;

                [Differentiable]
                public static double Step(double x, [NoDerivative] double threshold, double y) => x < threshold ? y : x * y;
            }
            """);
    }

    [Fact]
    public async Task Fix_all_makes_every_type_partial_across_files()
    {
        var test = MakePartialTest();
        test.TestState.Sources.Add(("A.cs", """
            using AutoDiffGen;

            public static class {|ADG0001:A|}
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }
            """));
        test.TestState.Sources.Add(("B.cs", """
            using AutoDiffGen;

            public class {|ADG0001:B|}
            {
                [Differentiable]
                public double G(double x) => x * x * x;
            }
            """));
        test.FixedState.Sources.Add(("A.cs", """
            using AutoDiffGen;

            public static partial class A
            {
                [Differentiable]
                public static double F(double x) => x * x;
            }
            """));
        test.FixedState.Sources.Add(("B.cs", """
            using AutoDiffGen;

            public partial class B
            {
                [Differentiable]
                public double G(double x) => x * x * x;
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_marks_a_callee_once_for_all_its_calls()
    {
        // The fix's equivalence key names the callee, so Fix All acts on the calls to one callee: two calls in two
        // methods, one edit; fixing either call fixes both.
        var test = new CodeFixVerifier<DifferentiableAnalyzer, MarkCalleeDifferentiableCodeFixProvider>.Test
        {
            TestCode = """
                using System;
                using AutoDiffGen;

                public static partial class Model
                {
                    public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));

                    [Differentiable]
                    public static double Loss(double x) => {|ADG0102:Softplus(x)|} * x;

                    [Differentiable]
                    public static double Penalty(double x) => {|ADG0102:Softplus(2 * x)|} + x;
                }
                """,
            FixedCode = """
                using System;
                using AutoDiffGen;

                public static partial class Model
                {
                    [Differentiable]
                    public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));

                    [Differentiable]
                    public static double Loss(double x) => Softplus(x) * x;

                    [Differentiable]
                    public static double Penalty(double x) => Softplus(2 * x) + x;
                }
                """,
            NumberOfIncrementalIterations = 1,
            NumberOfFixAllIterations = 1,
        };
        await test.RunAsync();
    }
}
