using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiffGen.Analyzer.Tests.Infrastructure;

/// <summary>
/// Expected diagnostics written into a source: <c>{|ADG0101:try { … }|}</c> marks the exact span of an ADG0101.
/// Markers nest; the source the compiler sees has them removed.
/// </summary>
public static class Markup
{
    private static readonly Regex Token = new(@"\{\|(ADG[0-9]{4}):|\|\}", RegexOptions.Compiled);

    public static (string Source, IReadOnlyList<(string Id, TextSpan Span)> Expected) Parse(string markup)
    {
        var source = new StringBuilder();
        var expected = new List<(string, TextSpan)>();
        var open = new Stack<(string Id, int Start)>();
        int position = 0;
        foreach (Match match in Token.Matches(markup))
        {
            source.Append(markup, position, match.Index - position);
            position = match.Index + match.Length;
            if (match.Groups[1].Success)
            {
                open.Push((match.Groups[1].Value, source.Length));
            }
            else
            {
                var (id, start) = open.Pop();
                expected.Add((id, TextSpan.FromBounds(start, source.Length)));
            }
        }
        source.Append(markup, position, markup.Length - position);
        if (open.Count > 0) throw new System.ArgumentException("Unclosed marker " + open.Peek().Id);
        expected.Sort((a, b) => a.Item2.Start != b.Item2.Start ? a.Item2.Start.CompareTo(b.Item2.Start) : string.CompareOrdinal(a.Item1, b.Item1));
        return (source.ToString(), expected);
    }
}
