using System.Text;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// Sources of one long [Differentiable] method, for measuring how the engine's cost grows with a method's size
/// (issue 11): n statements of straight-line code, or the same n statements as the body of a loop. Four kinds of
/// statement in turn: a product, a call (Sin), an overwrite of a local carried from statement to statement (so the
/// reverse sweep restores it: a saved local outside the loop, the tape inside) or an accumulation (<c>s += …</c>,
/// which lets the loop be recomputed and fused), and an Exp. Shared with the Generator tests' linearity test.
/// </summary>
public static class LongMethods
{
    /// <summary><c>public static double F(double x, double y[, int m])</c> in <c>LongMethods.Model</c>.</summary>
    /// <param name="statements">How many statements the method (or the loop body) has.</param>
    /// <param name="inLoop">Whether the statements are the body of <c>for (int i = 0; i &lt; m; i++)</c>.</param>
    /// <param name="accumulate">The third statement of four accumulates into <c>s</c> instead of overwriting <c>a</c>.</param>
    /// <param name="branchy">The third statement of four overwrites <c>a</c> in an if/else on the previous value
    /// (branchy code: every if is a join in the reverse sweep's analyses).</param>
    /// <param name="arrays">The method reads its input from an array, <c>F(double[] x, double y[, int m])</c>: statement k
    /// reads <c>x[k]</c>, <c>x[k + 3]</c> or <c>x[k + 5]</c> (constant indices, as in unrolled code), so the reverse sweep
    /// accumulates into thousands of distinct elements of the adjoint array, each a few times (the element passes:
    /// merging accumulations, cancelling resets).</param>
    public static string Source(int statements, bool inLoop, bool accumulate = false, bool branchy = false, bool arrays = false)
    {
        string input = arrays ? "double[] x" : "double x";
        string Element(int k) => arrays ? $"x[{k}]" : "x";
        var text = new StringBuilder();
        text.AppendLine("using System;");
        text.AppendLine("using AutoDiffGen;");
        text.AppendLine("namespace LongMethods;");
        text.AppendLine("public static partial class Model");
        text.AppendLine("{");
        text.AppendLine("    [Differentiable]");
        text.AppendLine(inLoop ? $"    public static double F({input}, double y, int m)" : $"    public static double F({input}, double y)");
        text.AppendLine("    {");
        text.AppendLine($"        double a = {Element(0)};");
        text.AppendLine("        double s = 0;");
        if (inLoop) text.AppendLine("        for (int i = 0; i < m; i++) {");
        for (int k = 0; k < statements; k++)
        {
            string previous = k == 0 ? Element(0) : "v" + (k - 1);
            text.Append("        ").AppendLine((k % 4) switch
            {
                0 when arrays => $"double v{k} = {previous} * {Element(k)} + 0.5;",
                0 => $"double v{k} = {previous} * y + 0.5;",
                1 => $"double v{k} = Math.Sin({previous}) * {Element(k + 3)};",
                2 when accumulate => $"s += {previous} * 0.5; double v{k} = {previous} - y;",
                2 when branchy => $"if ({previous} > 0) a = a * 0.5 + {previous}; else a = a - {previous} * y; double v{k} = a - y;",
                2 when arrays => $"a = a * 0.5 + {previous}; double v{k} = a - {Element(k + 5)} * y;",
                2 => $"a = a * 0.5 + {previous}; double v{k} = a - y;",
                _ => $"double v{k} = Math.Exp(-{previous} * 0.1) + a;",
            });
        }
        if (inLoop)
        {
            text.AppendLine($"        s += v{statements - 1};");
            text.AppendLine("        }");
            text.AppendLine("        return s;");
        }
        else
        {
            text.AppendLine($"        return v{statements - 1} + s;");
        }
        text.AppendLine("    }");
        text.AppendLine("}");
        return text.ToString();
    }
}
