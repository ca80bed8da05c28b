using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Analyzer.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Analyzer.Tests;

/// <summary>
/// Every valid sample and test input in the repository (they compile, and the generator gives every method its
/// companions) gets no ADG error and no ADG warning. Infos are allowed only where they are true and listed here.
/// </summary>
public class NoFalsePositiveTests
{
    /// <summary>Infos that are right on inputs written to exercise them (input name prefix, id, parameter).</summary>
    private static readonly (string Input, string Id, string Subject)[] ExpectedInfos =
    {
        // Thresholds compared with, never computed with: their gradients are zero, as the tests expect.
        ("tests/AutoDiffGen.Integration.Tests/Functions", "ADG0203", "limit"),
        ("tests/AutoDiffGen.Integration.Tests/Functions", "ADG0203", "threshold"),
        // shared/repro's P1267 (Functions/Repro): x1 only feeds branch conditions and a value that is overwritten.
        ("tests/AutoDiffGen.Integration.Tests/Functions", "ADG0203", "x1"),
    };

    public static IEnumerable<object[]> Inputs() => ValidInputs.All.Select(i => new object[] { i });

    [Fact]
    public void There_are_inputs_to_check()
    {
        Assert.True(ValidInputs.All.Count >= 10, "Only " + ValidInputs.All.Count + " inputs found.");
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Valid_input_gets_no_error_and_no_warning(ValidInputs.Input input)
    {
        Compilation compilation = ValidInputs.Compile(input, enableEveryRule: false);
        Harness.GeneratorOutput generated = Harness.RunGenerator(compilation);
        var compileErrors = generated.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (compileErrors.Count > 0)
        {
            // Not a valid program on its own (a fragment a test completes, or an input meant to fail): out of scope.
            Assert.True(input.Name.StartsWith("tests/AutoDiffGen.Generator.Tests", System.StringComparison.Ordinal),
                input.Name + " does not compile:\n" + Harness.Format(compileErrors));
            return;
        }
        Harness.AnalyzerRun run = Harness.RunAnalyzer(compilation);
        Assert.Empty(run.Exceptions);
        var unexpected = run.Adg
            .Where(d => !ExpectedInfos.Any(e => input.Name.StartsWith(e.Input, System.StringComparison.Ordinal) && e.Id == d.Id && d.GetMessage().Contains("'" + e.Subject + "'")))
            .ToList();
        Assert.True(unexpected.Count == 0, input.Name + ":\n" + Harness.Format(unexpected));
    }
}
