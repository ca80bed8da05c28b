using System;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// The shape of a TensorPrimitives map's adjoint when its destination is exactly one of its inputs (<c>Tanh(h, h)</c>,
/// <c>Add(z, b, z)</c>): the input's contribution updates the seed in place, with no pooled copy of the seed and no
/// clearing (ReverseModeTransform.Spans.cs). The Integration tests check the values either way; only the generated text
/// shows whether the cheap path was taken, and it once silently was not (the input and the destination are two IR
/// nodes, compared by reference).
/// </summary>
public class SpanInPlaceAdjointTests
{
    // Explicit <double>: the harness compiles with a language version without first-class spans.
    private const string Source = """
        using System;
        using System.Numerics.Tensors;
        using AutoDiffGen;
        namespace Samples;
        public static partial class Layers
        {
            [Differentiable]
            public static double Layer(double[] h, double[] b, [NoDerivative] double[] w)
            {
                TensorPrimitives.Add<double>(h, b, h);
                TensorPrimitives.Tanh<double>(h, h);
                return TensorPrimitives.Dot<double>(h, w);
            }

            [Differentiable]
            public static double Rows(double[] h, double[] b, [NoDerivative] double[] w, [NoDerivative] int n)
            {
                double total = 0;
                for (int s = 0; s < n; s++)
                {
                    TensorPrimitives.Add<double>(h, b, h);
                    TensorPrimitives.Tanh<double>(h, h);
                    TensorPrimitives.SoftMax<double>(h, h);
                    total += TensorPrimitives.Dot<double>(h, w);
                }
                return total;
            }

            [Differentiable]
            public static double Shifted(double[] h, [NoDerivative] double[] w)
            {
                TensorPrimitives.Tanh<double>(h.AsSpan(0, h.Length - 1), h.AsSpan(1, h.Length - 1));
                return TensorPrimitives.Dot<double>(h, w);
            }
        }
        """;

    [Theory]
    [InlineData("LayerBackward(")]
    [InlineData("RowsBackward(")]
    public void A_map_whose_destination_is_its_input_updates_the_seed_in_place(string companion)
    {
        string body = Body(companion);
        Assert.DoesNotContain("_seed", body, StringComparison.Ordinal);
        // tanh's partial 1 − y² from its output, multiplied into the seed itself.
        Assert.Contains("TensorPrimitives.Multiply<double>(global::System.MemoryExtensions.AsSpan(_d_h", body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_different_view_of_the_same_array_still_copies_the_seed()
    {
        // Tanh(h[0..n-1], h[1..n]): the destination overlaps the input without being it, so the seed is copied first.
        Assert.Contains("_seed", Body("ShiftedBackward("), StringComparison.Ordinal);
    }

    private static string Body(string companion)
    {
        GeneratorRun run = GeneratorHarness.Run(Source).AssertCompiles();
        string text = run.GeneratedSources.Select(s => s.SourceText.ToString()).Single(t => t.Contains("public static double " + companion, StringComparison.Ordinal));
        int start = text.IndexOf("public static double " + companion, StringComparison.Ordinal);
        int end = text.IndexOf("\n        public static", start + 1, StringComparison.Ordinal);
        return end < 0 ? text.Substring(start) : text.Substring(start, end - start);
    }
}
