using System;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Emitter/DeclarationScopes.cs: a local used only within one loop iteration, assigned before any use in it, is declared
/// where it is born (<c>double term = …;</c> inside the loop), in every companion; a value carried from one iteration to
/// the next, read after the loop or read by the reverse sweep stays declared at the top of the method; the code compiles
/// either way.
/// </summary>
public class DeclarationScopeTests
{
    private const string Source = """
        using AutoDiffGen;
        namespace Samples;
        public static partial class Scans
        {
            [Differentiable(Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]
            public static double Scan(double[] x)
            {
                double carried = 0;
                double last = 0;
                double sum = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    double term = x[i] * x[i];
                    sum += term * carried;
                    carried = x[i] + 1;
                    last = term;
                }
                return sum + last;
            }

            [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
            public static double Squares(double[] x)
            {
                double s = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    double t = x[i] * x[i];
                    s += t * t;
                }
                return s;
            }
        }
        """;

    /// <summary>The lines of the companion <paramref name="name"/>, from its signature to the next companion's summary.</summary>
    private static string[] Companion(string all, string name)
    {
        string[] lines = all.Split('\n');
        int start = Array.FindIndex(lines, l => l.Contains("public static", StringComparison.Ordinal) && l.Contains(" " + name + "(", StringComparison.Ordinal));
        Assert.True(start >= 0, name + " not generated");
        int end = Array.FindIndex(lines, start + 1, l => l.TrimStart().StartsWith("/// <summary>", StringComparison.Ordinal));
        return lines.Skip(start).Take((end < 0 ? lines.Length : end) - start).Select(l => l.Trim()).ToArray();
    }

    private static string[] Generated(string name)
    {
        GeneratorRun run = GeneratorHarness.Run(Source).AssertCompiles();
        return Companion(string.Concat(run.GeneratedSources.Select(s => s.SourceText.ToString())), name);
    }

    private static int Loop(string[] body, string name)
    {
        int loop = Array.FindIndex(body, l => l.StartsWith("while (", StringComparison.Ordinal));
        Assert.True(loop > 0, name + " has no loop:\n" + string.Join("\n", body));
        return loop;
    }

    /// <summary><paramref name="local"/> is declared at its first assignment, inside the loop, and nowhere else.</summary>
    private static void AssertDeclaredInLoop(string[] body, string local, string name)
    {
        int loop = Loop(body, name);
        int declared = Array.FindIndex(body, l => l.StartsWith("double " + local + " = ", StringComparison.Ordinal));
        Assert.True(declared > loop, name + ": " + local + " is not declared in the loop:\n" + string.Join("\n", body));
        Assert.DoesNotContain("double " + local + " = 0;", body);
    }

    /// <summary><paramref name="local"/> is declared, zeroed, before the loop, and not again inside it.</summary>
    private static void AssertDeclaredAtTop(string[] body, string local, string name)
    {
        int loop = Loop(body, name);
        int declared = Array.FindIndex(body, l => l == "double " + local + " = 0;");
        Assert.True(declared >= 0 && declared < loop, name + ": " + local + " is not declared at the top:\n" + string.Join("\n", body));
        Assert.DoesNotContain(body.Skip(loop), l => l.StartsWith("double " + local + " ", StringComparison.Ordinal));
    }

    [Fact]
    public void Forward_mode_declares_a_per_iteration_local_in_the_loop_and_keeps_carried_ones_at_the_top()
    {
        string[] body = Generated("ScanTangent");
        AssertDeclaredInLoop(body, "term", "ScanTangent");
        AssertDeclaredInLoop(body, "_d_term_1", "ScanTangent");
        // Read in the next iteration (carried) or after the loop (last, sum).
        foreach (string local in new[] { "carried", "_d_carried_1", "last", "sum" }) AssertDeclaredAtTop(body, local, "ScanTangent");
    }

    [Theory]
    [InlineData("ScanBackward")]
    [InlineData("ScanBackwardTangent")]
    public void A_value_the_reverse_sweep_reads_stays_at_the_top(string name)
    {
        // The loop carries a value, so it is not fused: the reverse sweep runs after it and reads each iteration's term.
        string[] body = Generated(name);
        foreach (string local in new[] { "term", "carried", "last", "sum" }) AssertDeclaredAtTop(body, local, name);
    }

    [Theory]
    [InlineData("SquaresBackward")]
    [InlineData("SquaresTangent")]
    public void A_fused_loop_declares_its_locals_and_their_adjoints_in_the_loop(string name)
    {
        // Independent iterations: MBackward reverses each right after it, so the adjoints live in the iteration too.
        string[] body = Generated(name);
        AssertDeclaredInLoop(body, "t", name);
        if (name == "SquaresBackward") AssertDeclaredInLoop(body, "_d_t", name);
        AssertDeclaredAtTop(body, "s", name);
    }
}
