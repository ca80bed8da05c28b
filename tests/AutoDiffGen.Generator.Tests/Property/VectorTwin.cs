using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// The vector-valued twin of a random program: <c>V</c>, M's own body with its outputs moved to parameters. V takes M's
/// parameters plus <c>[Output] double[] zo</c> (2 elements), <c>out double zq</c> and <c>[Output] ZPair[] zs</c> (1 element
/// of a readonly record struct declared beside V); it starts with <c>zq = 0; zo[0] = 0; zo[1] = p0 * p0; zs[0] = new ZPair(p0, 0);</c>,
/// and each <c>return E;</c> of M becomes <c>{ zo[0] = E; zq = Math.Sin(zo[0]) * zo[1]; zo[1] = zo[1] + zo[0];
/// zs[0] = new ZPair(zo[0] * zo[1], zq); zs[0] = zs[0] with { B = zs[0].B + zo[0] }; return; }</c>. So with f = M(x) and u = p0² (the inputs' p0),
/// V's outputs are (f, u + f, sin(f)·u, f·(u + f), sin(f)·u + f): outputs read back after they are written, written twice
/// (a whole struct element, then rebuilt with <c>with</c> from its own value), written on every early-return path of M (from branches and loops),
/// an out scalar and an array of structs flattened field by field, over every construct the random programs use. Its
/// Jacobian follows from M's gradient by the chain rule, which the checker compares with.
/// </summary>
public static class VectorTwin
{
    public const string MethodName = "V";
    public const int Outputs = 5;

    private static readonly Regex Return = new(@"\breturn ([^;]+);", RegexOptions.CultureInvariant);

    /// <summary>The twin's source (a partial of the program's class) and its harness, or null when M cannot have one.</summary>
    public static (string Source, string Harness)? For(RandomProgram program)
    {
        int start = program.Source.IndexOf("public static double M(", StringComparison.Ordinal);
        if (start < 0) return null;
        int open = program.Source.IndexOf('{', start);
        int close = program.Source.LastIndexOf('}', program.Source.LastIndexOf('}') - 1); // M is the class's last member
        string signature = program.Source.Substring(start, open - start).Trim();
        string parameters = signature.Substring(signature.IndexOf('(') + 1, signature.LastIndexOf(')') - signature.IndexOf('(') - 1);
        string body = program.Source.Substring(open + 1, close - open - 1);
        // M's own returns only: the local functions after the marker return their own values.
        int marker = body.IndexOf(RandomProgramGenerator.LocalFunctionsMarker, StringComparison.Ordinal);
        string own = marker < 0 ? body : body.Substring(0, marker), localFunctions = marker < 0 ? "" : body.Substring(marker);
        body = Return.Replace(own, m => "{ zo[0] = " + m.Groups[1].Value + "; zq = Math.Sin(zo[0]) * zo[1]; zo[1] = zo[1] + zo[0]; "
            + "zs[0] = new ZPair(zo[0] * zo[1], zq); zs[0] = zs[0] with { B = zs[0].B + zo[0] }; return; }") + localFunctions;

        var source = new StringBuilder();
        // The program's own using directives (System.Numerics.Tensors when it calls TensorPrimitives).
        string usings = string.Concat(program.Source.Split('\n').Where(line => line.StartsWith("using ", StringComparison.Ordinal)).Select(line => line.TrimEnd('\r') + "\n"));
        source.Append(usings).Append("\nnamespace Prop;\n\npublic static partial class ").Append(program.ClassName).Append("\n{\n");
        source.Append("    public readonly record struct ZPair(double A, double B);\n\n");
        source.Append("    [Differentiable]\n");
        source.Append("    public static void V(").Append(parameters).Append(", [Output] double[] zo, out double zq, [Output] ZPair[] zs)\n    {\n");
        source.Append("        zq = 0;\n        zo[0] = 0;\n        zo[1] = p0 * p0;\n        zs[0] = new ZPair(p0, 0);\n");
        source.Append(body).Append("}\n}\n");
        return (source.ToString(), Harness(program));
    }

    /// <summary>
    /// <c>TwinValue(a, s, n)</c>, <c>TwinJacobian(a, s, n, J)</c>, <c>TwinTangent(a, s, n, v, t)</c> and
    /// <c>TwinBackward(a, s, n, w, g)</c>: V's companions over flattened inputs (a's elements, then the doubles) and outputs
    /// (zo[0], zo[1], zq), each returning the outputs.
    /// </summary>
    private static string Harness(RandomProgram program)
    {
        var layout = HarnessLayout.Of(program);
        bool hasArray = layout.HasArray;
        string args = layout.Arguments();
        string tangents = layout.Tangents;
        string refs = layout.RefAdjoints;
        string loadAdjoints = layout.LoadAdjoints(zero: true);
        string copyBack = layout.CopyBack;
        var text = new StringBuilder();
        text.Append("using System;\n\nnamespace Prop;\n\npublic static partial class ").Append(program.ClassName).Append("\n{\n");
        text.Append("    private static double[] TwinOutputs(double[] o, double q, ZPair[] z) => new[] { o[0], o[1], q, z[0].A, z[0].B };\n\n");
        text.Append($"    public static double[] TwinValue(double[] a, double[] s, int n) {{ var o = new double[2]; var z = new ZPair[1]; V({args}, o, out double q, z); return TwinOutputs(o, q, z); }}\n\n");
        text.Append($"    public static double[] TwinJacobian(double[] a, double[] s, int n, double[,] J) {{ var o = new double[2]; var z = new ZPair[1]; VJacobian({args}, o, out double q, z, J); return TwinOutputs(o, q, z); }}\n\n");
        if (program.HasTangent) // over a hand-written …Backward only, V has no MTangent (its MJacobian runs reverse sweeps)
        {
            text.Append("    public static double[] TwinTangent(double[] a, double[] s, int n, double[] v, double[] t)\n    {\n");
            text.Append($"        var o = new double[2];\n        var z = new ZPair[1];\n        var dO = new double[2];\n        var dz = new[] {{ new ZPair(7, 7) }};\n");
            text.Append($"        VTangent({args}, o, out double q, z, {tangents}dO, out double dq, dz);\n");
            text.Append("        t[0] = dO[0]; t[1] = dO[1]; t[2] = dq; t[3] = dz[0].A; t[4] = dz[0].B;\n        return TwinOutputs(o, q, z);\n    }\n\n");
        }
        text.Append("    public static double[] TwinBackward(double[] a, double[] s, int n, double[] w, double[] g)\n    {\n");
        text.Append($"        var o = new double[2];\n        var z = new ZPair[1];\n       {loadAdjoints}\n");
        text.Append($"        VBackward({args}, o, out double q, z, new ReadOnlySpan<double>(w, 0, 2), w[2], new[] {{ new ZPair(w[3], w[4]) }}{(hasArray ? ", g.AsSpan(0, a.Length)" : "")}{refs});\n");
        text.Append($"       {copyBack}\n        return TwinOutputs(o, q, z);\n    }}\n");
        text.Append("}\n");
        return text.ToString();
    }
}
