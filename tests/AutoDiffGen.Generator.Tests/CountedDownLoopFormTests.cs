using System;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// Which reversed counted loops walk their own counter down (Engine/Reverse/CountedDownLoops.cs): one indexing array
/// elements does (the JIT then drops its bounds checks), one of TensorPrimitives calls keeps the repeat (measured slower
/// counted down: RESULTS.md, "Quiet machine after the third session's merges"). Only the generated text shows the form.
/// </summary>
public class CountedDownLoopFormTests
{
    // Explicit <double>: the harness compiles with a language version without first-class spans.
    private const string Source = """
        using System;
        using System.Numerics.Tensors;
        using AutoDiffGen;
        namespace Samples;
        public static partial class Loops
        {
            [Differentiable]
            public static double Elements(double[] r, [NoDerivative] int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    double t = 0;
                    for (int j = 0; j <= i; j++) t += r[i * n + j] * r[j];
                    s += t * t;
                }
                return s;
            }

            [Differentiable]
            public static double Rows(double[] w, double[] h, [NoDerivative] int rows, [NoDerivative] int width)
            {
                double s = 0;
                for (int i = 0; i < rows; i++)
                {
                    double t = 0;
                    for (int c = 0; c <= i; c++) t += TensorPrimitives.Dot<double>(w.AsSpan(c * width, width), h);
                    s += t * t;
                }
                return s;
            }
        }
        """;

    [Fact]
    public void An_element_loop_counts_its_counter_down_and_a_loop_of_span_primitives_keeps_the_repeat()
    {
        GeneratorRun run = GeneratorHarness.Run(Source);
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.OutputErrors);
        string elements = run.GeneratedSources.Single(s => s.HintName.Contains(".Elements_", StringComparison.Ordinal)).SourceText.ToString();
        string rows = run.GeneratedSources.Single(s => s.HintName.Contains(".Rows_", StringComparison.Ordinal)).SourceText.ToString();
        Assert.True(elements.Contains("j >= 0; j--)", StringComparison.Ordinal), elements);
        Assert.DoesNotContain("c >= 0; c--)", rows, StringComparison.Ordinal);
        Assert.True(rows.Contains("_iteration", StringComparison.Ordinal), rows);
    }
}
