using System.Globalization;
using System.Linq;
using System.Text;

namespace AutoDiffGen.Generator.Tests.Property;

public sealed partial class RandomProgramGenerator
{
    /// <summary>
    /// Entry points with one shape for every program, so the checker calls them by reflection whatever M's parameters
    /// are (reflection cannot pass the <c>Span&lt;double&gt;</c> gradients of array parameters):
    /// <c>Value(a, s, n)</c>, <c>Gradient(a, s, n, g)</c> and <c>Backward(a, s, n, seed, g)</c>, with <c>a</c> the array
    /// argument (empty when M has none), <c>s</c> the doubles, and <c>g</c> the gradient: a's elements, then one per
    /// double. Each call gets its own copy of <c>a</c>, since M may write into it. MGradient's array gradient starts
    /// filled with junk: api.md says it is overwritten.
    /// </summary>
    public static string WriteHarness(string className, int doubles, bool hasCount, bool hasArray, bool forward = true)
    {
        string D(int k) => k.ToString(CultureInfo.InvariantCulture);
        string args = string.Join(", ", (hasArray ? new[] { "(double[])a.Clone()" } : new string[0])
            .Concat(Enumerable.Range(0, doubles).Select(k => $"s[{D(k)}]"))
            .Concat(hasCount ? new[] { "n" } : new string[0]));
        string outs = string.Join(", ", Enumerable.Range(0, doubles).Select(k => $"out double d{D(k)}"));
        string refs = string.Join(", ", Enumerable.Range(0, doubles).Select(k => $"ref d{D(k)}"));
        string copyBack = string.Concat(Enumerable.Range(0, doubles).Select(k => $" g[a.Length + {D(k)}] = d{D(k)};"));
        string loadAdjoints = string.Concat(Enumerable.Range(0, doubles).Select(k => $" double d{D(k)} = g[a.Length + {D(k)}];"));
        var text = new StringBuilder();
        text.Append("using System;\n\nnamespace Prop;\n\npublic static partial class ").Append(className).Append("\n{\n");
        text.Append($"    public static double Value(double[] a, double[] s, int n) => M({args});\n\n");
        text.Append("    public static double Gradient(double[] a, double[] s, int n, double[] g)\n    {\n");
        if (hasArray) text.Append("        var da = new double[a.Length];\n        Array.Fill(da, 1e300);\n");
        text.Append($"        double value = MGradient({args}{(hasArray ? ", da" : "")}, {outs});\n");
        if (hasArray) text.Append("        da.CopyTo(g, 0);\n");
        text.Append($"       {copyBack}\n        return value;\n    }}\n\n");
        text.Append("    public static double Backward(double[] a, double[] s, int n, double seed, double[] g)\n    {\n");
        text.Append($"       {loadAdjoints}\n");
        text.Append($"        double value = MBackward({args}, seed{(hasArray ? ", g.AsSpan(0, a.Length)" : "")}, {refs});\n");
        text.Append($"       {copyBack}\n        return value;\n    }}\n\n");
        // MTangent along v (array elements first, then the doubles, as the gradient is laid out).
        string tangents = string.Join(", ", (hasArray ? new[] { "new ReadOnlySpan<double>(v, 0, a.Length)" } : new string[0])
            .Concat(Enumerable.Range(0, doubles).Select(k => $"v[a.Length + {D(k)}]")));
        if (forward)
        {
            text.Append("    public static double Tangent(double[] a, double[] s, int n, double[] v, out double t) =>\n");
            text.Append($"        MTangent({args}, {tangents}{(tangents.Length > 0 ? ", " : "")}out t);\n");
        }
        text.Append("}\n");
        return text.ToString();
    }
}
