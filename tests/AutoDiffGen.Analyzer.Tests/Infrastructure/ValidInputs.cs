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
            // A sample built on another one (IrisTraining on NeuralNetworks) compiles with that one's sources.
            files = files.Concat(ReferencedSamples(sample).SelectMany(SourceFiles)).ToList();
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
            SyntaxNode fileRoot = CSharpSyntaxTree.ParseText(source).GetRoot();
            foreach (var (node, text) in StringsWithDifferentiable(fileRoot))
            {
                int line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                string name = Path.GetRelativePath(root, path).Replace('\\', '/') + ":" + line;
                inputs.Add(new Input(name, new[] { (name, text) }, OutputKind.DynamicallyLinkedLibrary));
            }
        }
        return inputs;
    }

    /// <summary>The sample directories a sample's project references (<c>..\Name\Name.csproj</c>).</summary>
    private static IEnumerable<string> ReferencedSamples(string sample)
    {
        foreach (string project in Directory.GetFiles(sample, "*.csproj"))
        {
            foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(
                File.ReadAllText(project), "<ProjectReference\\s+Include=\"([^\"]+)\""))
            {
                string referenced = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(sample, match.Groups[1].Value.Replace('\\', '/'))))!;
                if (Path.GetDirectoryName(referenced) == Path.GetDirectoryName(Path.GetFullPath(sample))) yield return referenced;
            }
        }
    }

    /// <summary>
    /// String literals that contain [Differentiable], and interpolated strings whose every hole is a string constant
    /// of the same file (<c>{{Body}}</c>); strings with other holes are templates a test completes, not inputs.
    /// </summary>
    private static IEnumerable<(SyntaxNode Node, string Text)> StringsWithDifferentiable(SyntaxNode root)
    {
        var constants = root.DescendantNodes().OfType<FieldDeclarationSyntax>()
            .Where(f => f.Modifiers.Any(SyntaxKind.ConstKeyword))
            .SelectMany(f => f.Declaration.Variables)
            .Where(v => v.Initializer?.Value is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression })
            .GroupBy(v => v.Identifier.ValueText)
            .ToDictionary(g => g.Key, g => ((LiteralExpressionSyntax)g.First().Initializer!.Value).Token.ValueText);
        foreach (SyntaxNode node in root.DescendantNodes())
        {
            string? text = node switch
            {
                LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
                InterpolatedStringExpressionSyntax interpolated => Fill(interpolated, constants),
                _ => null,
            };
            // An input marked like the Diagnostics sample ("// expect: ADG0307") is written to get those diagnostics.
            if (text is not null && text.Contains("[Differentiable]", StringComparison.Ordinal) && !text.Contains("// expect: ADG", StringComparison.Ordinal)) yield return (node, text);
        }
    }

    private static string? Fill(InterpolatedStringExpressionSyntax interpolated, Dictionary<string, string> constants)
    {
        var builder = new System.Text.StringBuilder();
        foreach (InterpolatedStringContentSyntax content in interpolated.Contents)
        {
            switch (content)
            {
                case InterpolatedStringTextSyntax text:
                    builder.Append(text.TextToken.ValueText);
                    break;
                case InterpolationSyntax { Expression: IdentifierNameSyntax identifier, AlignmentClause: null, FormatClause: null }
                    when constants.TryGetValue(identifier.Identifier.ValueText, out string? value):
                    builder.Append(value);
                    break;
                default:
                    return null;
            }
        }
        return builder.ToString();
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
