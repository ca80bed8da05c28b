using System;
using System.Linq;
using System.Text.RegularExpressions;
using AutoDiffGen.Generator.Tests.Infrastructure;
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
        // The nest run in a loop whose body declares the index (int li = s;): li recounted in reverse, not taped.
        int repeatedNests = sources.Count(s => Regex.IsMatch(s, @"\bint li\d+ = s\d+;"));
        _output.WriteLine($"of 200 programs: Vec<double> in {genericStructs} (updated in {genericStructUpdates}), generic calls at double in {genericCalls}, "
            + $"Spiral called in {spirals}, sealed overrides called in {sealedCalls}, a virtual method through its base in {virtualCalls}, a one-line helper called in a loop in {smallInLoops} (gated in {gated}), "
            + $"packed triangular nests in {packed} (writing a packed array in {packedArrays}, in a loop declaring the index in {repeatedNests})");
        Assert.True(genericStructs >= 10 && genericStructUpdates >= 5 && genericCalls >= 10 && spirals >= 4 && sealedCalls >= 4 && virtualCalls >= 3 && smallInLoops >= 15 && gated >= 2
            && packed >= 8 && packedArrays >= 3 && repeatedNests >= 3,
            $"Vec<double> in {genericStructs} programs (updated in {genericStructUpdates}), generic calls in {genericCalls}, Spiral in {spirals}, sealed overrides in {sealedCalls}, virtual calls in {virtualCalls}, "
            + $"one-line helper in loops in {smallInLoops} (gated in {gated}), packed nests in {packed} (packed arrays in {packedArrays}, repeated in {repeatedNests})");
    }

    /// <summary>
    /// The virtual calls of the default run reach PullbackValues' receiver path: an accumulation over the array last before
    /// the return is reversed as it runs (fused), and there the call's value comes from its pullback
    /// (<c>_t = receiver.EnergyBackward(…)</c>), one virtual call per iteration, not two (VirtualCalleeTests pins it on one
    /// method).
    /// </summary>
    [Fact]
    public void Some_virtual_calls_of_the_default_random_programs_take_their_value_from_the_pullback()
    {
        var programs = Enumerable.Range(1_000, 200).Select(RandomProgramGenerator.Generate)
            .Where(p => p.Source.Contains(RandomProgramGenerator.WaveInstance + ".Energy(a[", StringComparison.Ordinal)).ToList();
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(programs.Select(p => GeneratorHarness.Parse(p.Source, p.ClassName + ".cs"))));
        Assert.Null(run.Result.Exception);
        Assert.True(run.OutputErrors.Count == 0, "the output does not compile:\n" + GeneratorHarness.Format(run.OutputErrors.Take(10)));
        var fromPullback = new Regex(@"= \w+\.EnergyBackward\(", RegexOptions.CultureInvariant);
        int taking = run.GeneratedSources.Count(s => fromPullback.IsMatch(s.SourceText.ToString()));
        _output.WriteLine($"{programs.Count} of 200 programs accumulate {RandomProgramGenerator.WaveInstance}.Energy over a; {taking} generated files take a call's value from its pullback");
        Assert.True(programs.Count >= 2 && taking >= 2, $"{programs.Count} programs accumulate virtual calls, {taking} take a value from the pullback");
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
