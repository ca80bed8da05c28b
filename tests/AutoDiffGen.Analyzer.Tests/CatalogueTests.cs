using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using AutoDiffGen.Analyzer.Tests.Infrastructure;
using AutoDiffGen.CodeFixes;
using AutoDiffGen.Generator.Analyzers;
using AutoDiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace AutoDiffGen.Analyzer.Tests;

/// <summary>
/// The catalogue is complete and consistent: every descriptor has a unique ADGnnnn id, a help link to its page, a
/// page with what/why/wrong/fixed/suppress, a release entry that agrees with it, a test and an example in the
/// diagnostics sample; and the analyzer and the code fixes use the catalogue, nothing else.
/// </summary>
public class CatalogueTests
{
    private static IReadOnlyList<DiagnosticDescriptor> Descriptors { get; } = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToList();

    public static IEnumerable<object[]> Ids() => Descriptors.Select(d => new object[] { d.Id });

    private static DiagnosticDescriptor Descriptor(string id) => Descriptors.Single(d => d.Id == id);

    [Fact]
    public void Ids_are_unique_and_well_formed()
    {
        Assert.True(Descriptors.Count >= 13);
        Assert.Equal(Descriptors.Count, Descriptors.Select(d => d.Id).Distinct().Count());
        Assert.All(Descriptors, d => Assert.Matches("^ADG[0-9]{4}$", d.Id));
    }

    [Fact]
    public void The_analyzer_supports_every_descriptor_and_All_lists_each_once()
    {
        Assert.Equal(Descriptors.Select(d => d.Id).OrderBy(i => i), DiagnosticDescriptors.All.Select(d => d.Id).OrderBy(i => i));
        Assert.Equal(Descriptors.Select(d => d.Id).OrderBy(i => i), new DifferentiableAnalyzer().SupportedDiagnostics.Select(d => d.Id).OrderBy(i => i));
        Assert.All(Harness.Analyzers.SelectMany(a => a.SupportedDiagnostics), d => Assert.Contains(d, DiagnosticDescriptors.All));
    }

    [Fact]
    public void DiagnosticIds_constants_are_the_descriptor_ids()
    {
        var constants = typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        var fields = typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor)).ToDictionary(f => f.Name, f => ((DiagnosticDescriptor)f.GetValue(null)!).Id);
        Assert.Equal(fields.OrderBy(p => p.Key), constants.OrderBy(p => p.Key));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_points_to_the_page(string id)
    {
        DiagnosticDescriptor descriptor = Descriptor(id);
        Assert.Equal(DiagnosticDescriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
        Assert.StartsWith("AutoDiffGen.", descriptor.Category);
        // Every message names the [Differentiable] method: one argument is it.
        Assert.Contains("'{", descriptor.MessageFormat.ToString());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Docs_page_explains_what_why_wrong_fixed_and_how_to_suppress(string id)
    {
        string path = Path.Combine(Harness.RepositoryRoot, "docs", "diagnostics", id + ".md");
        Assert.True(File.Exists(path), "Missing " + path);
        string page = File.ReadAllText(path);
        Assert.StartsWith("# " + id + ": " + Descriptor(id).Title, page);
        foreach (string heading in new[] { "## What it means", "## Why", "## Wrong", "## Fixed", "## How to suppress" })
        {
            Assert.Contains(heading, page);
        }
        Assert.Contains("```csharp", page);
        Assert.Contains(id, page.Substring(page.IndexOf("## How to suppress", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Release_entry_agrees_with_the_descriptor(string id)
    {
        DiagnosticDescriptor descriptor = Descriptor(id);
        var entries = ReleaseEntries().Where(e => e.Id == id).ToList();
        var entry = Assert.Single(entries);
        Assert.Equal(descriptor.Category, entry.Category);
        string severity = descriptor.IsEnabledByDefault ? descriptor.DefaultSeverity.ToString() : "Disabled";
        Assert.Equal(severity, entry.Severity);
    }

    [Fact]
    public void Release_files_name_no_unknown_rule()
    {
        var known = Descriptors.Select(d => d.Id).ToHashSet();
        Assert.All(ReleaseEntries(), e => Assert.Contains(e.Id, known));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Diagnostics_index_links_the_page(string id)
    {
        string index = File.ReadAllText(Path.Combine(Harness.RepositoryRoot, "docs", "diagnostics", "README.md"));
        Assert.Contains("[" + id + "](" + id + ".md)", index);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Every_rule_has_an_analyzer_test_and_a_sample(string id)
    {
        // ADG0999 cannot be provoked from source; ADG0306 needs a callee compiled in a second assembly, which a markup
        // case cannot have: DiagnosticTests.ADG0305_and_ADG0306_name_the_callee_and_what_second_order_cannot_go_through tests it.
        bool tested = id is DiagnosticIds.InternalError or DiagnosticIds.CalleeWithoutSecondOrder
            || DiagnosticTests.Cases().Any(c => ((string)c[1]).Contains("{|" + id + ":", StringComparison.Ordinal));
        Assert.True(tested, id + " has no case in DiagnosticTests");
        if (id != DiagnosticIds.InternalError)
        {
            Assert.Contains(DiagnosticsSampleTests.ExpectedFromMarkers(), e => e.Id == id);
        }
    }

    [Fact]
    public void Code_fixes_fix_catalogue_ids_only()
    {
        var known = Descriptors.Select(d => d.Id).ToHashSet();
        CodeFixProvider[] providers = { new MakeTypePartialCodeFixProvider(), new MarkParameterNoDerivativeCodeFixProvider(), new MarkCalleeDifferentiableCodeFixProvider(), new ConstrainToFloatingPointCodeFixProvider() };
        Assert.All(providers.SelectMany(p => p.FixableDiagnosticIds), id => Assert.Contains(id, known));
    }

    private static IEnumerable<(string Id, string Category, string Severity)> ReleaseEntries()
    {
        foreach (string file in new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" })
        {
            foreach (string line in File.ReadLines(Path.Combine(Harness.RepositoryRoot, "src", "Generator", file)))
            {
                Match match = Regex.Match(line, @"^(ADG[0-9]{4})\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|");
                if (match.Success) yield return (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
            }
        }
    }
}
