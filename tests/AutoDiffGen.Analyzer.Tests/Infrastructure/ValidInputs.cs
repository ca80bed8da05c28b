using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.Analyzer.Tests.Infrastructure;

/// <summary>
/// Every valid program in the repository that uses [Differentiable]: the samples (but the diagnostics sample, whose
/// point is to be wrong), the integration tests' functions, and the sources the generator tests embed as string
/// literals. Each input is a set of files compiled together.
/// </summary>
public static class ValidInputs
{
    public sealed record Input(string Name, IReadOnlyList<(string Path, string Source)> Files, OutputKind Kind)
    {
        public override string ToString() => Name;
    }

    public static IReadOnlyList<Input> All { get; } = Load();

    private static IReadOnlyList<Input> Load()
    {
        string root = Harness.RepositoryRoot;
        var inputs = new List<Input>();

        foreach (string sample in Directory.GetDirectories(Path.Combine(root, "samples")).OrderBy(d => d, StringComparer.Ordinal))
        {
            if (Path.GetFileName(sample) == "Diagnostics") continue;
            var files = SourceFiles(sample);
            if (files.Count == 0) continue;
            bool isExe = files.Any(f => CSharpSyntaxTree.ParseText(f.Source).GetRoot().ChildNodes().OfType<GlobalStatementSyntax>().Any());
            inputs.Add(new Input("samples/" + Path.GetFileName(sample), files, isExe ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary));
        }

        string functions = Path.Combine(root, "tests", "AutoDiffGen.Integration.Tests", "Functions");
        if (Directory.Exists(functions))
        {
            inputs.Add(new Input("tests/AutoDiffGen.Integration.Tests/Functions", SourceFiles(functions), OutputKind.DynamicallyLinkedLibrary));
        }

        string generatorTests = Path.Combine(root, "tests", "AutoDiffGen.Generator.Tests");
        foreach (var (path, source) in SourceFiles(generatorTests))
        {
            var literals = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>()
                .Where(l => l.IsKind(SyntaxKind.StringLiteralExpression) && l.Token.ValueText.Contains("[Differentiable]", StringComparison.Ordinal));
            foreach (LiteralExpressionSyntax literal in literals)
            {
                int line = literal.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                string name = Path.GetRelativePath(root, path).Replace('\\', '/') + ":" + line;
                inputs.Add(new Input(name, new[] { (name, literal.Token.ValueText) }, OutputKind.DynamicallyLinkedLibrary));
            }
        }
        return inputs;
    }

    private static List<(string Path, string Source)> SourceFiles(string directory) =>
        Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "Snapshots"))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (p, File.ReadAllText(p)))
            .ToList();

    public static Compilation Compile(Input input, bool enableEveryRule = false) =>
        Harness.CreateCompilation(input.Files, enableEveryRule).WithOptions(
            (enableEveryRule ? Harness.WithEveryRuleEnabled(Harness.CompilationOptions) : Harness.CompilationOptions).WithOutputKind(input.Kind));
}
