using System;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit.Abstractions;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// The default property run (seeds 1000–1199, GradientPropertyTests and its twins) really draws the constructs of
/// RandomProgramGenerator.Callees.cs, GenericStructs.cs and the packed nests of Arrays.cs, so a change of the program
/// generator cannot silently stop checking them.
/// </summary>
public class CalleeAndGenericStructCoverageTests
{
    private readonly ITestOutputHelper _output;

    public CalleeAndGenericStructCoverageTests(ITestOutputHelper output) => _output = output;

    private static readonly Regex PackedIncrement = new(@"\bli\d+\+\+;", RegexOptions.CultureInvariant);

    /// <summary>Whether the program calls <paramref name="name"/> inside a loop (where a one-line helper is inlined).</summary>
    private static bool CallsInLoop(string source, string name) =>
        CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Any(i => i.Expression is IdentifierNameSyntax id && id.Identifier.ValueText == name
                && i.Ancestors().Any(a => a is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax));

    private static int Occurrences(string source, string text) => (source.Length - source.Replace(text, "", StringComparison.Ordinal).Length) / text.Length;

    [Fact]
    public void The_default_random_programs_draw_last_sessions_callees_generic_structs_and_packed_nests()
    {
        var sources = Enumerable.Range(1_000, 200).Select(seed => RandomProgramGenerator.Generate(seed).Source).ToList();
        int genericStructs = sources.Count(s => s.Contains("new Vec<double>(", StringComparison.Ordinal));
        int genericStructUpdates = sources.Count(s => Regex.IsMatch(s, @"\bw\d+(\.[XY])? = "));
        int genericCalls = sources.Count(s => Occurrences(s, RandomProgramGenerator.VecEnergyName + "(") > 0 || s.Contains(RandomProgramGenerator.VecLocalsName + "<double>(", StringComparison.Ordinal));
        int spirals = sources.Count(s => Occurrences(s, RandomProgramGenerator.SpiralName + "(") > 2); // the declaration names it twice
        int sealedCalls = sources.Count(s => s.Contains(RandomProgramGenerator.StiffInstance + ".Energy(", StringComparison.Ordinal)
            || s.Contains(RandomProgramGenerator.SoftInstance + ".Energy(", StringComparison.Ordinal));
        int virtualCalls = sources.Count(s => s.Contains(RandomProgramGenerator.WaveInstance + ".Energy(", StringComparison.Ordinal));
        int smallInLoops = sources.Count(s => s.Contains("double " + RandomProgramGenerator.SmallHelperName + "(", StringComparison.Ordinal) && CallsInLoop(s, RandomProgramGenerator.SmallHelperName));
        int gated = sources.Count(s => Regex.IsMatch(s, @"= g\d+ \* Math\.Tanh\("));
        int packed = sources.Count(s => PackedIncrement.IsMatch(s));
        int packedArrays = sources.Count(s => Regex.IsMatch(s, @"double\[\] p\d+ = new double\["));
        _output.WriteLine($"of 200 programs: Vec<double> in {genericStructs} (updated in {genericStructUpdates}), generic calls at double in {genericCalls}, "
            + $"Spiral called in {spirals}, sealed overrides called in {sealedCalls}, a virtual method through its base in {virtualCalls}, a one-line helper called in a loop in {smallInLoops} (gated in {gated}), "
            + $"packed triangular nests in {packed} (writing a packed array in {packedArrays})");
        Assert.True(genericStructs >= 10 && genericStructUpdates >= 5 && genericCalls >= 10 && spirals >= 4 && sealedCalls >= 4 && virtualCalls >= 3 && smallInLoops >= 15 && gated >= 2
            && packed >= 8 && packedArrays >= 3,
            $"Vec<double> in {genericStructs} programs (updated in {genericStructUpdates}), generic calls in {genericCalls}, Spiral in {spirals}, sealed overrides in {sealedCalls}, virtual calls in {virtualCalls}, "
            + $"one-line helper in loops in {smallInLoops} (gated in {gated}), packed nests in {packed} (packed arrays in {packedArrays})");
    }

    [Fact]
    public void The_generic_twins_keep_the_generic_struct_and_the_sealed_override_calls()
    {
        // The twins of the CI slice (GradientPropertyTests.DefaultTwinBatches: the first batch of 50).
        var twins = Enumerable.Range(1_000, 50).Select(RandomProgramGenerator.Generate).Select(GenericTwin.For).Where(t => t is not null).Select(t => t!.Source).ToList();
        int vec = twins.Count(t => t.Contains("new Vec<T>(", StringComparison.Ordinal));
        int sealedCalls = twins.Count(t => t.Contains("T.CreateChecked(" + RandomProgramGenerator.StiffInstance, StringComparison.Ordinal)
            || t.Contains("T.CreateChecked(" + RandomProgramGenerator.SoftInstance, StringComparison.Ordinal));
        _output.WriteLine($"generic twins: {twins.Count} of the CI slice's 50; Vec<T> in {vec}, sealed override calls in {sealedCalls}");
        Assert.True(vec >= 4 && sealedCalls >= 1, $"Vec<T> in {vec} twins of the CI slice, sealed override calls in {sealedCalls}");
    }
}
