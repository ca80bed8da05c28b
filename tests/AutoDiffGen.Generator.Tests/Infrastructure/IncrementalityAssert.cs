using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoDiffGen.Generator.Tests.Infrastructure;

/// <summary>
/// The NetEscapades.EnumGenerators check: run the generator, rerun the same driver on a modified compilation, and
/// assert that every tracked step and every output is Cached or Unchanged, and that no Roslyn object that pins a
/// compilation (symbol, syntax, compilation, location, semantic model) is reachable from any step output.
/// </summary>
public static class IncrementalityAssert
{
    /// <summary>
    /// Roslyn's own ForAttributeWithMetadataName steps carry these suffixes; they legitimately hold syntax nodes
    /// and re-run for every edited file, so only the generator's own named steps are checked.
    /// </summary>
    private static bool IsRoslynInternalStep(string name) =>
        name.Contains("_ForAttribute", StringComparison.Ordinal) ||
        name.Contains("ForAttributeWithMetadataName", StringComparison.Ordinal) ||
        name is "Compilation" or "ParseOptions" or "AdditionalTexts" or "AnalyzerConfigOptions" or "MetadataReferences" or "SourceOutput" or "ImplementationSourceOutput";

    /// <summary>
    /// The steps that fingerprint each file's declarations (syntax only, the edited file alone): an edit that adds or
    /// changes a declaration anywhere changes them, whatever it is, so they are exempt from the Cached/Unchanged check;
    /// every step after them, per method, is not. <see cref="AssertNothingRecomputed"/> checks them too.
    /// </summary>
    public static readonly string[] DeclarationSteps = { DifferentiableGenerator.TrackingNames.Declarations, DifferentiableGenerator.TrackingNames.DeclarationIndex };

    private static readonly Type[] BannedTypes =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Compilation), typeof(SemanticModel),
        typeof(Location), typeof(SyntaxToken), typeof(SyntaxTrivia), typeof(SyntaxReference), typeof(IOperation),
        typeof(AttributeData), typeof(AnalyzerConfigOptionsProvider),
    };

    /// <summary>
    /// Runs the generator on <paramref name="sources"/>, then again after <paramref name="edit"/>, and asserts the
    /// second run reused everything. Returns both runs' generated text for further checks.
    /// </summary>
    public static (string First, string Second) AssertCachedAfter(Func<CSharpCompilation, CSharpCompilation> edit, params string[] sources)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver();
        driver = driver.RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        if (first.Exception is not null) throw new Xunit.Sdk.XunitException("The generator threw: " + first.Exception);
        if (first.GeneratedSources.IsEmpty) throw new Xunit.Sdk.XunitException("The generator produced nothing on the first run, so nothing can be cached.");

        AssertNamedStepsExist(first);
        AssertNoBannedObjects(first);

        CSharpCompilation modified = edit(compilation);
        driver = driver.RunGenerators(modified);
        GeneratorRunResult second = driver.GetRunResult().Results.Single();
        if (second.Exception is not null) throw new Xunit.Sdk.XunitException("The generator threw on the second run: " + second.Exception);

        AssertNoBannedObjects(second);
        AssertAllCachedOrUnchanged(second);

        string firstText = Text(first);
        string secondText = Text(second);
        Assert.Equal(firstText, secondText);
        return (firstText, secondText);
    }

    /// <summary>
    /// A fresh driver run on <paramref name="sources"/>, then the same driver on <paramref name="edit"/>'s result;
    /// neither run may throw, and the second's step outputs hold no Roslyn object.
    /// </summary>
    public static (CSharpCompilation Edited, GeneratorDriver Driver, GeneratorRunResult First, GeneratorRunResult Second) RunTwice(
        Func<CSharpCompilation, CSharpCompilation> edit, params string[] sources)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        CSharpCompilation edited = edit(compilation);
        driver = driver.RunGenerators(edited);
        GeneratorRunResult second = driver.GetRunResult().Results.Single();
        Assert.Null(second.Exception);
        AssertNoBannedObjects(second);
        return (edited, driver, first, second);
    }

    /// <summary>An edit that adds a file unrelated to any [Differentiable] method.</summary>
    public static CSharpCompilation AddUnrelatedFile(CSharpCompilation compilation) =>
        compilation.AddSyntaxTrees(GeneratorHarness.Parse(
            "namespace Unrelated { public static class Added { public static int Twice(int x) => 2 * x; } }", "Added.cs"));

    /// <summary>An edit that rewrites the text of the file at <paramref name="index"/> with <paramref name="rewrite"/>.</summary>
    public static Func<CSharpCompilation, CSharpCompilation> EditFile(int index, Func<string, string> rewrite) => compilation =>
    {
        SyntaxTree old = compilation.SyntaxTrees.ElementAt(index);
        string newText = rewrite(old.GetText().ToString());
        if (newText == old.GetText().ToString()) throw new ArgumentException("The edit changed nothing.");
        return compilation.ReplaceSyntaxTree(old, GeneratorHarness.Parse(newText, old.FilePath));
    };

    /// <summary>
    /// <paramref name="oldValue"/> replaced in <paramref name="text"/> (line ends normalised first); an edit that finds
    /// nothing to replace throws, so a test cannot silently edit nothing.
    /// </summary>
    public static string Replace(string text, string oldValue, string newValue)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (!text.Contains(oldValue, StringComparison.Ordinal)) throw new ArgumentException($"'{oldValue}' is not in the source.");
        return text.Replace(oldValue, newValue, StringComparison.Ordinal);
    }

    /// <summary>The values a named step recomputed in this run (New, Modified or Removed), not reused.</summary>
    public static List<object?> Recomputed(GeneratorRunResult result, string stepName)
    {
        Assert.True(result.TrackedSteps.ContainsKey(stepName), $"No tracked step '{stepName}': {string.Join(", ", result.TrackedSteps.Keys)}");
        return result.TrackedSteps[stepName]
            .SelectMany(step => step.Outputs)
            .Where(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .Select(o => (object?)o.Value)
            .ToList();
    }

    /// <summary>Every generated file, name and text, ordered by name.</summary>
    public static string Text(GeneratorRunResult result) =>
        string.Concat(result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).Select(s => s.HintName + "\n" + s.SourceText));

    public static IEnumerable<KeyValuePair<string, ImmutableArray<IncrementalGeneratorRunStep>>> OwnSteps(GeneratorRunResult result) =>
        result.TrackedSteps.Where(kv => !IsRoslynInternalStep(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal);

    private static void AssertNamedStepsExist(GeneratorRunResult result)
    {
        if (!OwnSteps(result).Any())
        {
            throw new Xunit.Sdk.XunitException(
                "The generator names none of its pipeline steps (WithTrackingName), so its incrementality cannot be checked. " +
                "Tracked steps: " + string.Join(", ", result.TrackedSteps.Keys));
        }
    }

    /// <summary>Every named step, the declaration steps included, and every output Cached or Unchanged.</summary>
    public static void AssertNothingRecomputed(GeneratorRunResult result) => AssertAllCachedOrUnchanged(result, exempt: Array.Empty<string>());

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result) => AssertAllCachedOrUnchanged(result, DeclarationSteps);

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result, string[] exempt)
    {
        var failures = new List<string>();
        foreach (var (name, steps) in OwnSteps(result).Where(kv => !exempt.Contains(kv.Key)))
        {
            foreach (IncrementalGeneratorRunStep step in steps)
            {
                foreach (var (value, reason) in step.Outputs)
                {
                    if (reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                    {
                        failures.Add($"step '{name}' output {reason}: {Describe(value)}");
                    }
                }
            }
        }
        foreach (var (name, steps) in result.TrackedOutputSteps)
        {
            foreach (IncrementalGeneratorRunStep step in steps)
            {
                foreach (var (value, reason) in step.Outputs)
                {
                    if (reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                    {
                        failures.Add($"output step '{name}' {reason}: {Describe(value)}");
                    }
                }
            }
        }
        if (failures.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("After an unrelated edit these steps were not Cached or Unchanged:\n" + string.Join("\n", failures));
        }
    }

    private static string Describe(object? value)
    {
        string text = value?.ToString() ?? "null";
        return text.Length > 300 ? text.Substring(0, 300) + "…" : text;
    }

    /// <summary>Fails when a step output reaches an object that would keep a compilation alive.</summary>
    public static void AssertNoBannedObjects(GeneratorRunResult result)
    {
        var failures = new List<string>();
        foreach (var (name, steps) in OwnSteps(result).Concat(result.TrackedOutputSteps))
        {
            foreach (IncrementalGeneratorRunStep step in steps)
            {
                for (int i = 0; i < step.Outputs.Length; i++)
                {
                    var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
                    Visit(step.Outputs[i].Value, $"{name}[{i}]", visited, failures, depth: 0);
                }
            }
        }
        if (failures.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("Step outputs reach Roslyn objects that pin a compilation:\n" + string.Join("\n", failures.Distinct().Take(20)));
        }
    }

    private static void Visit(object? node, string path, HashSet<object> visited, List<string> failures, int depth)
    {
        if (node is null || depth > 64) return;
        Type type = node.GetType();
        if (BannedTypes.Any(b => b.IsAssignableFrom(type)))
        {
            failures.Add($"{path} is a {type.FullName}");
            return;
        }
        if (type.IsPrimitive || type.IsEnum || type.IsPointer || node is string or decimal or Type or MemberInfo or Delegate or Encoding)
        {
            return;
        }
        if (!type.IsValueType && !visited.Add(node)) return;

        if (node is Array array)
        {
            if (type.GetElementType() is { } element && (element.IsPrimitive || element.IsEnum || element == typeof(string))) return;
            int i = 0;
            foreach (object? item in array)
            {
                Visit(item, $"{path}[{i++}]", visited, failures, depth + 1);
            }
            return;
        }

        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike) continue;
                Visit(field.GetValue(node), $"{path}.{field.Name}", visited, failures, depth + 1);
            }
        }
    }
}
