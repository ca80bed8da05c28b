using System.Threading.Tasks;
using AutoDiffGen.Generator.Tests.Infrastructure;
using AutoDiffGen.Tests.Verifiers;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// The generator through the Roslyn testing library (<see cref="GeneratorVerifier"/>): every file it must emit, by
/// hint name and exact text, read from the reviewed Snapshots/*.g.cs (one source of truth with
/// <see cref="GeneratedOutputTests"/>); no other file; no diagnostic from the generator (the analyzer reports them);
/// and the sources plus the generated files compile without error.
/// </summary>
public class ExpectedSourcesTests
{
    [Theory]
    [InlineData(nameof(TestSources.Rosenbrock))]
    [InlineData(nameof(TestSources.Branches))]
    [InlineData(nameof(TestSources.Calls))]
    [InlineData(nameof(TestSources.ArrayLoops))]
    public async Task Generator_emits_exactly_the_snapshot_files(string sourceName)
    {
        var test = new GeneratorVerifier.Test { TestCode = Source(sourceName) };
        AddSnapshot(test, sourceName);
        await test.RunAsync();
    }

    [Fact]
    public async Task A_method_that_cannot_be_differentiated_gets_no_file_and_no_generator_diagnostic()
    {
        // Beside Rosenbrock, a method with a try block (ADG0101, the analyzer's) in the same type: the generator
        // emits Rosenbrock's file, nothing for Guarded, and reports nothing itself (no cascade of errors either).
        // (A template with a hole, so NoFalsePositiveTests does not take it for a valid input.)
        string body = "try { return x * x; } catch (System.Exception) { return 0; }";
        var test = new GeneratorVerifier.Test();
        test.TestState.Sources.Add(("Rosenbrock.cs", TestSources.Rosenbrock));
        test.TestState.Sources.Add(("Guarded.cs", $$"""
            using AutoDiffGen;

            namespace Samples;

            public static partial class Losses
            {
                [Differentiable]
                public static double Guarded(double x)
                {
                    {{body}}
                }
            }
            """));
        AddSnapshot(test, nameof(TestSources.Rosenbrock));
        await test.RunAsync();
    }

    private static void AddSnapshot(GeneratorVerifier.Test test, string snapshotName)
    {
        foreach (var (hintName, text) in Snapshot.Files(snapshotName))
        {
            test.TestState.GeneratedSources.Add((typeof(DifferentiableGenerator), hintName, text));
        }
    }

    private static string Source(string name) =>
        (string)typeof(TestSources).GetField(name)!.GetValue(null)!;
}
