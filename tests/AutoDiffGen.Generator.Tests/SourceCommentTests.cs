using System;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// The comment over each source statement's generated code (Lowering's SourceText): one line, spaces and tabs collapsed,
/// the first line only with " …", at most 100 characters, no comment end. A tidy short line is taken as it is, the rest
/// normalized: both ways pinned here.
/// </summary>
public class SourceCommentTests
{
    private const string Source = """
        using AutoDiffGen;
        namespace Samples;
        public static partial class Comments
        {
            [Differentiable]
            public static double F(double x, double y)
            {
            double a  =  x * y;
            double b =	x + 1;
            double c = x /* h */ * 0.5;
            double d = c + b;
            double e = a + b + c + d + a + b + c + d + a + b + c + d + a + b + c + d + a + b + c + d + a + b + c + d + a;
            double f = a
                + b;
            double g = a * 1.0000000000000000000000000000000000000000000000000000000000000000000000000000000000;
            double h = g * 1.00000000000000000000000000000000000000000000000000000000000000000000000000000000000;
                return a + b + c + d + e + f + g + h;
            }
        }
        """;

    [Theory]
    [InlineData("double a = x * y;")]
    [InlineData("double b = x + 1;")]
    [InlineData("double c = x /* h * / * 0.5;")]
    [InlineData("double d = c + b;")]
    [InlineData("double e = a + b + c + d + a + b + c + d + a + b + c + d + a + b + c + d + a + b + c + d + a + b + …")]
    [InlineData("double f = a …")]
    [InlineData("double g = a * 1.0000000000000000000000000000000000000000000000000000000000000000000000000000000000;")]
    [InlineData("double h = g * 1.0000000000000000000000000000000000000000000000000000000000000000000000000000000000…")]
    public void Each_statement_is_commented_with_its_text_on_one_line(string comment)
    {
        GeneratorRun run = GeneratorHarness.Run(Source).AssertCompiles();
        string generated = string.Concat(run.GeneratedSources.Select(s => s.SourceText.ToString()));
        string[] comments = generated.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("// ", StringComparison.Ordinal)).ToArray();
        Assert.Contains("// " + comment, comments);
    }
}
