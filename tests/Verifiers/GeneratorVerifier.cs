using AutoDiffGen.Generator;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace AutoDiffGen.Tests.Verifiers;

/// <summary>
/// Generator tests with expected sources on the project defaults of <see cref="AdgTestDefaults"/>:
/// <c>TestState.GeneratedSources.Add((typeof(DifferentiableGenerator), "Hint.g.cs", text))</c> lists every file the
/// generator must emit, with its exact text; the diagnostics the generator reports are the expected diagnostics, and
/// the output compilation (sources plus generated files) must have no compiler error unless marked.
/// </summary>
public static class GeneratorVerifier
{
    public sealed class Test : CSharpSourceGeneratorTest<DifferentiableGenerator, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = AdgTestDefaults.ReferenceAssemblies;
            AdgTestDefaults.Apply(TestState, SolutionTransforms);
        }
    }
}
