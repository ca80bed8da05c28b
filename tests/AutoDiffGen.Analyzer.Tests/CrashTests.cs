using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Analyzer.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.Analyzer.Tests;

/// <summary>
/// Code in the middle of being typed never crashes the generator or the analyzer (no CS8785, no AD0001, no
/// exception), never makes the engine fail (no ADG0999) and never makes the generator emit code that does not
/// compile. The corpus: broken sources written by hand, plus every valid input of the repository cut off at points
/// inside its [Differentiable] methods and with single tokens deleted there.
/// </summary>
public class CrashTests
{
    private const string Prelude = "using System;\nusing System.Linq;\nusing AutoDiffGen;\nnamespace Broken;\n";

    private static readonly string[] HandWritten =
    {
        "public static partial class C { [Differentiable] public static double M(double x) => x * ; }",
        "public static partial class C { [Differentiable] public static double M(double x) { return x * x }",
        "public static partial class C { [Differentiable] public static double M(double x, ) => x; }",
        "public static partial class C { [Differentiable] public static double M(double x, double",
        "public static partial class C { [Differentiable] public static double M(",
        "public static partial class C { [Differentiable] public static double M",
        "public static partial class C { [Differentiable] public static double",
        "public static partial class C { [Differentiable] public static",
        "public static partial class C { [Differentiable] }",
        "public static partial class C { [Differentiable(] public static double M(double x) => x; }",
        "public static partial class C { [Differentiable(1)] public static double M(double x) => x; }",
        "public static partial class C { [Differentiabl] public static double M(double x) => x; }",
        "public static partial class C { [Differentiable] public static double M(double x) => Unknown(x); }",
        "public static partial class C { [Differentiable] public static double M(double x) => y * x; }",
        "public static partial class C { [Differentiable] public static double M(Unknown x) => x; }",
        "public static partial class C { [Differentiable] public static Unknown M(double x) => x; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x.Foo; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x.Foo(); }",
        "public static partial class C { [Differentiable] public static double M(double x) => Math.Sinn(x); }",
        "public static partial class C { [Differentiable] public static double M(double x) => Math.Sin(x, x); }",
        "public static partial class C { [Differentiable] public static double M(double x) => Math.Sin(); }",
        "public static partial class C { [Differentiable] public static double M(double x) => Math.; }",
        "public static partial class C { [Differentiable] public static double M(double x) { double r = ; return r; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { double r; return r; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { if (x > ) return x; return 0; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { if (x > 0) return x; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { for (int i = 0; i < ; i++) x *= 2; return x; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { for (;;) { } } }",
        "public static partial class C { [Differentiable] public static double M(double x) { while (true) x += 1; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { return; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { } }",
        "public static partial class C { [Differentiable] public static double M(double x) { break; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { continue; return x; } }",
        "public static partial class C { [Differentiable] public static double M(double[] a) => a[; }",
        "public static partial class C { [Differentiable] public static double M(double[] a) => a[0, 1]; }",
        "public static partial class C { [Differentiable] public static double M(double[,] a) => a[0]; }",
        "public static partial class C { [Differentiable] public static double M(double[][] a) => a[0]; }",
        "public static partial class C { [Differentiable] public static double M(double[] a) { a = new double[; return a[0]; } }",
        "public static partial class C { [Differentiable] public static double M(double x) => new double[] { x, }[0]; }",
        "public static partial class C { [Differentiable] public static double M(double x) => (double)\"s\"; }",
        "public static partial class C { [Differentiable] public static double M(double x) => (int)x + \"s\"; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x switch { > 0 => x, }; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x is > 0 ? x : -x; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x ?? 0; }",
        "public static partial class C { [Differentiable] public static double M(double x) => default; }",
        "public static partial class C { [Differentiable] public static double M(double x) => throw null!; }",
        "public static partial class C { [Differentiable] public static double M(double x) => nameof(x).Length * x; }",
        "public static partial class C { [Differentiable] public static double M(double x) => $\"{x}\".Length; }",
        "public static partial class C { [Differentiable] public static double M(double x) => M(x) + M(; }",
        "public static partial class C { [Differentiable] public static double M(double x) => MGradient(x, out var d) * d; }",
        "public static partial class C { [Differentiable] public static double M(double x) => MBackward(x, 1.0, ref x); }",
        "public static partial class C { [Differentiable] public static double M(double x) => x; [Differentiable] public static double M(double x) => x; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x; public static int MGradient => 1; public static int MGradient => 2; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x; } public static partial class C { }",
        "public static partial class C { [Differentiable] public static double M(double x) => x; } public static class C { }",
        "public partial struct C { [Differentiable] public double M(double x) => x * this.M(x); }",
        "public partial record R(double X) { [Differentiable] public double M(double x) => X * x; }",
        "public partial interface I { [Differentiable] double M(double x); }",
        "public abstract partial class A { [Differentiable] public abstract double M(double x); }",
        "public partial class A { [Differentiable] public extern double M(double x); }",
        "public partial class A { [Differentiable] public partial double M(double x); }",
        "public partial class A { [Differentiable] public partial double M(double x) => x; }",
        "public partial class A<T> { [Differentiable] public double M(double x, T t) => x; }",
        "public partial class A<T> where T : struct { [Differentiable] public double M(T x) => 0; }",
        "public static partial class C { [Differentiable] public static double M(this double x) => x * x; }",
        "public static partial class C { [Differentiable] public static double M(params double[] x) => x[0]; }",
        "public static partial class C { [Differentiable] public static double M(double x = \"a\") => x; }",
        "public static partial class C { [Differentiable] public static double M(double x, double x) => x; }",
        "public static partial class C { [Differentiable] public static double M(double @double) => @double * 2; }",
        "public static partial class C { [Differentiable] public static double M(double x) { var f = (double v) => v; return f(x); } }",
        "public static partial class C { [Differentiable] public static double M(double x) { static double L(double v) => v; return L(x); } }",
        "public static partial class C { [Differentiable] public static double M(double x) { goto l; l: return x; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { goto missing; return x; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { unsafe { double* p = &x; return *p; } } }",
        "public static partial class C { [Differentiable] public static unsafe double M(double* x) => *x; }",
        "public static partial class C { [Differentiable] public static double M(dynamic x) => x * 2; }",
        "public static partial class C { [Differentiable] public static double M(double x) { dynamic d = x; return d; } }",
        "public static partial class C { [Differentiable] public static double M(double x) => (from v in new[] { x } select v).Sum(); }",
        "public static partial class C { [Differentiable] public static double M(double x) => new[] { x }.Select(v => v * v).Sum(); }",
        "public static partial class C { [Differentiable] public static double M(double x) { try { return x; } catch { return 0; } } }",
        "public static partial class C { [Differentiable] public static double M(double x) { lock (new object()) { return x; } } }",
        "public static partial class C { [Differentiable] public static double M(double x) { using var s = new System.IO.MemoryStream(); return x; } }",
        "public static partial class C { [Differentiable] public static async System.Threading.Tasks.Task<double> M(double x) => await System.Threading.Tasks.Task.FromResult(x); }",
        "public static partial class C { [Differentiable] public static System.Collections.Generic.IEnumerable<double> M(double x) { yield return x; yield break; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { yield return x; } }",
        "public static partial class C { [Differentiable] public static double M(double x) => await x; }",
        "public static partial class C { [Differentiable] public static double M(ref double x) => x; }",
        "public static partial class C { [Differentiable] public static double M(out double x) => x = 1; }",
        "public static partial class C { [Differentiable] public static double M(in double x) => x; }",
        "public static partial class C { [Differentiable] public static double M(scoped ref double x) => x; }",
        "public static partial class C { [Differentiable] public static double M(Span<double> s) => s[0] * s.Length; }",
        "public static partial class C { [Differentiable] public static double M(ReadOnlySpan<double> s) { s[0] = 1; return s[0]; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { ref double r = ref x; r = 2; return x; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { Span<double> s = stackalloc double[1]; s[0] = x; return s[0]; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { (double a, double b) = (x, x); return a * b; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { var t = (x, 1); return t.Item1; } }",
        "public static partial class C { [Differentiable] public static double M(double x) => checked((int)x); }",
        "public static partial class C { [Differentiable] public static double M(double x) => unchecked(x * x); }",
        "public static partial class C { [Differentiable] public static double M(decimal x) => (double)x; }",
        "public static partial class C { [Differentiable] public static float M(float x, double y) => x * (float)y; }",
        "public static partial class C { [Differentiable] public static double M(float x) => x; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x++ + ++x; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x = x * x; }",
        "public static partial class C { [Differentiable] public static double M(double x) => (x += 1) * x; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x > 0 && x < 1 ? x : 0; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x < 0 ? : x; }",
        "public static partial class C { [Differentiable] public static double M(double x) => Math.Max(x; }",
        "public static partial class C { [Differentiable] public static double M(double x) => Math.Pow(x, 2) + Math.Log(x, 2) + Math.Clamp(x, 0, 1); }",
        "public static partial class C { [Differentiable] public static double M(double x) => Math.Round(x, 2, MidpointRounding.AwayFromZero); }",
        "public static partial class C { [Differentiable] public static double M(double x) => Math.Max((int)x, 2); }",
        "public static partial class C { [Differentiable] public static double M(double x) => double.NaN * x + double.Epsilon; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x.CompareTo(1.0); }",
        "public static partial class C { [Differentiable] public static double M(double x) => x.ToString().Length; }",
        "public static partial class C { [Differentiable] public static double M(double x) => BitConverter.DoubleToInt64Bits(x); }",
        "public static partial class C { static double F; [Differentiable] public static double M(double x) { F++; return F * x; } }",
        "public static partial class C { static double[] A = new double[1]; [Differentiable] public static double M(double x) { A[0] = x; return A[0]; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { var a = new double[1]; var b = a; b[0] = x; return a[0]; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { double[] a = [x, x]; return a[0] * a[1]; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { foreach (var v in new[] { x, x }) x += v; return x; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { foreach (var c in \"ab\") x += c; return x; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { do { x *= 0.5; } while (x > 1); return x; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { switch (x) { case > 0: return x; default: return -x; } } }",
        "public static partial class C { [Differentiable] public static double M(double x) { var o = new object(); return o.GetHashCode() * x; } }",
        "public static partial class C { [Differentiable] public static double M(double x) { Func<double> f = () => x; return f(); } }",
        "public static partial class C { [Differentiable] public static double M(double x) { Func<double, double> f = Math.Sin; return f(x); } }",
        "public static partial class C { [Differentiable] public static double M(double x) { [Differentiable] double L(double v) => v; return L(x); } }",
        "public static partial class C { public static double operator +(C a, C b) => 0; }",
        "public partial class C { [Differentiable] public static double operator +(C a, C b) => 0; }",
        "public partial class C { public double P { [Differentiable] get => 1; } }",
        "public partial class C { [Differentiable] public C() { } }",
        "[Differentiable] public static partial class C { }",
        "public static partial class C { [Differentiable] public static double M(double x) => x; public static double MBackward(double x, double seed, ref double dx) => x; }",
        "public static partial class C { public static double P(double v) => v; public static double PBackward(double v, double seed, ref double dv) { dv += seed; return v; } [Differentiable] public static double M(double x) => P(x); }",
        "public static partial class C { public static double P(double v) => v; public static double PBackward(double v, double seed, double dv) => v; [Differentiable] public static double M(double x) => P(x); }",
        "public static partial class C { [Differentiable] public static double M(double x) => N(x); [Differentiable] public static double N(double x) => M(x); }",
        "public static partial class C { [Differentiable] public static double M(double x) => Other.F(x); } public static class Other { [Differentiable] public static double F(double x) => x; }",
        "namespace Inner { public static partial class C { [Differentiable] public static double M(double x) => x; } }",
        "public static partial class C { public static partial class D { public static partial class E { [Differentiable] public static double M(double x) => x; } } }",
        "public static partial class C { [Differentiable] [Differentiable] public static double M(double x) => x; }",
        "public static partial class C { [Differentiable, NoDerivative] public static double M([NoDerivative] double x) => x; }",
        "public static partial class C { [Differentiable] public static double M([NoDerivative] double x, [NoDerivative] double y) => x * y; }",
        "public static partial class C { [Differentiable] public static double M(int n, bool b, string s) => n; }",
        "public static partial class C { [Differentiable] public static double M() => 1; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x; #if DEBUG\n }",
        "public static partial class C { [Differentiable] public static double M(double x) /* unterminated",
        "public static partial class C { [Differentiable] public static double M(double x) => \"unterminated; }",
        "public static partial class C { [Differentiable] public static double M(double x) => x; } }}}",
        "{{{{ public static partial class C { [Differentiable] public static double M(double x) => x; }",
        "[Differentiable]",
        "",
        "\0\0\0",
        "public static partial class C { [global::AutoDiffGen.Differentiable] public static double M(double x) => global::System.Math.Sin(x); }",
        "using D = AutoDiffGen.DifferentiableAttribute; public static partial class C { [D] public static double M(double x) => x * x; }",
    };

    public static IEnumerable<string> Corpus()
    {
        foreach (string source in HandWritten)
        {
            yield return Prelude + source;
        }
        foreach (ValidInputs.Input input in ValidInputs.All)
        {
            foreach (var (_, source) in input.Files)
            {
                SyntaxNode root = CSharpSyntaxTree.ParseText(source).GetRoot();
                var methods = root.DescendantNodes().OfType<MethodDeclarationSyntax>()
                    .Where(m => m.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString().Contains("Differentiable", StringComparison.Ordinal)))
                    .Take(2)
                    .ToList();
                foreach (MethodDeclarationSyntax method in methods)
                {
                    var tokens = method.DescendantTokens().ToList();
                    // Half-typed: the file cut off after the k-th token of the method (as if typing it).
                    foreach (int k in Positions(tokens.Count, 3))
                    {
                        yield return source.Substring(0, tokens[k].Span.End);
                    }
                    // One token missing inside the method (a deleted character, an unfinished edit).
                    foreach (int k in Positions(tokens.Count, 2))
                    {
                        yield return source.Remove(tokens[k].SpanStart, tokens[k].Span.Length);
                    }
                }
            }
        }
    }

    private static IEnumerable<int> Positions(int count, int how) =>
        Enumerable.Range(1, how).Select(i => (int)((long)i * count / (how + 1))).Where(k => k < count).Distinct();

    [Fact]
    public void Corpus_has_at_least_100_broken_sources()
    {
        Assert.True(Corpus().Count() >= 100, "Corpus has " + Corpus().Count() + " sources.");
    }

    [Fact]
    public void No_exception_escapes_the_generator_or_the_analyzer()
    {
        var failures = new List<string>();
        int index = 0;
        foreach (string source in Corpus())
        {
            index++;
            try
            {
                Compilation compilation = Harness.CreateCompilation(source, enableEveryRule: true);
                Harness.GeneratorOutput generated = Harness.RunGenerator(compilation);
                foreach (GeneratorRunResult result in generated.Result.Results)
                {
                    if (result.Exception is not null) failures.Add($"#{index}: the generator threw {result.Exception}");
                }
                foreach (Diagnostic crash in generated.DriverDiagnostics.Where(d => d.Id == "CS8785"))
                {
                    failures.Add($"#{index}: {crash}");
                }
                // Never wrong code: whatever was generated compiles (errors in the user's code are the user's).
                var generatedTrees = generated.Result.Results.SelectMany(r => r.GeneratedSources).Select(s => s.SyntaxTree).ToHashSet();
                foreach (Diagnostic error in generated.Output.GetDiagnostics()
                             .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree)))
                {
                    failures.Add($"#{index}: generated code does not compile: {error}");
                }

                Harness.AnalyzerRun run = Harness.RunAnalyzer(generated.Output, afterGenerator: false);
                foreach (Exception exception in run.Exceptions) failures.Add($"#{index}: the analyzer threw {exception}");
                foreach (Diagnostic diagnostic in run.AllDiagnostics.Where(d => d.Id is "AD0001" or "ADG0999"))
                {
                    failures.Add($"#{index}: {diagnostic}");
                }
            }
            catch (Exception exception)
            {
                failures.Add($"#{index}: {exception}");
            }
            if (failures.Count > 0 && failures[^1].StartsWith($"#{index}:", StringComparison.Ordinal))
            {
                failures.Add("    source: " + (source.Length > 400 ? source.Substring(source.Length - 400) : source));
            }
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
