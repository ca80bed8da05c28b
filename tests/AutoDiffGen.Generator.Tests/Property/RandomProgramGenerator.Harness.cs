using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// How a random program's parameters map to the harness's flat coordinates: <c>a</c> (the array argument, empty when M
/// has none), <c>s</c> (the doubles, then the two fields X, Y of the struct parameter <c>q</c> when M has one, then the
/// fields of the <see cref="StructArrayLength"/> elements of the array-of-structs parameter <c>pq</c> when M has one) and
/// <c>n</c>; a gradient, adjoint or tangent vector is laid out as a's elements, then s. Shared by M's harness and the
/// vector-valued twin's.
/// </summary>
public sealed record HarnessLayout(int Doubles, bool HasCount, bool HasArray, bool HasStruct, bool HasStructArray = false)
{
    /// <summary>The length of the array-of-structs parameter <c>pq</c>.</summary>
    public const int StructArrayLength = 2;

    public static HarnessLayout Of(RandomProgram program) =>
        new(program.DoubleParameters, program.HasCountParameter, program.HasArrayParameter, program.HasStructParameter, program.HasStructArrayParameter);

    private static string D(int k) => k.ToString(CultureInfo.InvariantCulture);

    private IEnumerable<int> Scalars => Enumerable.Range(0, Doubles);

    /// <summary>The struct's fields are the coordinates right after the doubles.</summary>
    private string StructAt(string vector, string offset) =>
        $"new {RandomProgramGenerator.StructName}({vector}[{offset}{D(Doubles)}], {vector}[{offset}{D(Doubles + 1)}])";

    /// <summary>The first coordinate of <c>pq</c>'s fields: after the doubles and q's two.</summary>
    private int StructArrayFirst => Doubles + (HasStruct ? 2 : 0);

    /// <summary><c>new Pt[] { new Pt(v[o + 0], v[o + 1]), … }</c>: pq's elements from their coordinates.</summary>
    private string StructArrayAt(string vector, string offset) =>
        $"new {RandomProgramGenerator.StructName}[] {{ " + string.Join(", ", Enumerable.Range(0, StructArrayLength)
            .Select(e => $"new {RandomProgramGenerator.StructName}({vector}[{offset}{D(StructArrayFirst + 2 * e)}], {vector}[{offset}{D(StructArrayFirst + 2 * e + 1)}])")) + " }";

    /// <summary>M's arguments at the point (a copy of a: M may write into it; pq is built afresh for each call).</summary>
    public string Arguments(string array = "(double[])a.Clone()", string? structArray = null) => string.Join(", ", (HasArray ? new[] { array } : new string[0])
        .Concat(Scalars.Select(k => $"s[{D(k)}]"))
        .Concat(HasStruct ? new[] { StructAt("s", "") } : new string[0])
        .Concat(HasStructArray ? new[] { structArray ?? StructArrayAt("s", "") } : new string[0])
        .Concat(HasCount ? new[] { "n" } : new string[0]));

    /// <summary>Whether M has an array parameter it may write into (<c>a</c>, <c>pq</c>), which the harness checks after the companions.</summary>
    public bool HasWritableArray => HasArray || HasStructArray;

    /// <summary>pq's elements as M gets them, for a local the harness compares after a call.</summary>
    public string StructArrayArgument => StructArrayAt("s", "");

    /// <summary>Declares MGradient's array-of-structs gradient <c>dpq</c> (filled with junk: it is overwritten), before the call.</summary>
    public string GradientBuffers => ResultBuffers("d");

    /// <summary>Declares the array-of-structs result named with <paramref name="prefix"/> (<c>dpq</c>, filled with junk: it is overwritten).</summary>
    public string ResultBuffers(string prefix) => HasStructArray
        ? $" var {prefix}pq = new {RandomProgramGenerator.StructName}[{D(StructArrayLength)}]; Array.Fill({prefix}pq, new {RandomProgramGenerator.StructName}(1e300, -1e300));"
        : "";

    /// <summary>MGradient's gradients after a's: <c>out double d0, …, out Pt dq, dpq</c>.</summary>
    public string OutGradients => OutResults("d");

    /// <summary>Scalar and struct results after a's, named with <paramref name="prefix"/>: <c>out double d0, …, out Pt dq, dpq</c>.</summary>
    public string OutResults(string prefix) => string.Join(", ", Scalars.Select(k => $"out double {prefix}{D(k)}")
        .Concat(HasStruct ? new[] { $"out {RandomProgramGenerator.StructName} {prefix}q" } : new string[0])
        .Concat(HasStructArray ? new[] { prefix + "pq" } : new string[0]));

    /// <summary>Locals d0, …, dq, dpq holding the adjoints read from g (or zero).</summary>
    public string LoadAdjoints(bool zero) => string.Concat(Scalars.Select(k => $" double d{D(k)} = {(zero ? "0" : $"g[a.Length + {D(k)}]")};"))
        + (HasStruct ? $" var dq = {(zero ? $"new {RandomProgramGenerator.StructName}()" : StructAt("g", "a.Length + "))};" : "")
        + (HasStructArray ? $" var dpq = {(zero ? $"new {RandomProgramGenerator.StructName}[{D(StructArrayLength)}]" : StructArrayAt("g", "a.Length + "))};" : "");

    /// <summary>MBackward's adjoint arguments after a's: <c>ref d0, …, ref dq, dpq</c>, each with a leading comma.</summary>
    public string RefAdjoints => string.Concat(Scalars.Select(k => $", ref d{D(k)}")) + (HasStruct ? ", ref dq" : "") + (HasStructArray ? ", dpq" : "");

    /// <summary>Copies the gradients after a's back into g.</summary>
    public string CopyBack => CopyBackInto("g", "d");

    /// <summary>Copies the results named with <paramref name="prefix"/> (<see cref="OutResults"/>) into <paramref name="vector"/> after a's.</summary>
    public string CopyBackInto(string vector, string prefix) => string.Concat(Scalars.Select(k => $" {vector}[a.Length + {D(k)}] = {prefix}{D(k)};"))
        + (HasStruct ? $" {vector}[a.Length + {D(Doubles)}] = {prefix}q.X; {vector}[a.Length + {D(Doubles + 1)}] = {prefix}q.Y;" : "")
        + string.Concat(Enumerable.Range(0, HasStructArray ? StructArrayLength : 0)
            .Select(e => $" {vector}[a.Length + {D(StructArrayFirst + 2 * e)}] = {prefix}pq[{D(e)}].X; {vector}[a.Length + {D(StructArrayFirst + 2 * e + 1)}] = {prefix}pq[{D(e)}].Y;"));

    /// <summary>MTangent's tangent arguments along v, each followed by a comma.</summary>
    public string Tangents => string.Concat((HasArray ? new[] { "new ReadOnlySpan<double>(v, 0, a.Length)" } : new string[0])
        .Concat(Scalars.Select(k => $"v[a.Length + {D(k)}]"))
        .Concat(HasStruct ? new[] { StructAt("v", "a.Length + ") } : new string[0])
        .Concat(HasStructArray ? new[] { StructArrayAt("v", "a.Length + ") } : new string[0])
        .Select(t => t + ", "));
}

public sealed partial class RandomProgramGenerator
{
    /// <summary>
    /// Entry points with one shape for every program, so the checker calls them by reflection whatever M's parameters
    /// are (reflection cannot pass the <c>Span&lt;double&gt;</c> gradients of array parameters):
    /// <c>Value(a, s, n)</c>, <c>Gradient(a, s, n, g)</c> and <c>Backward(a, s, n, seed, g)</c>, laid out as
    /// <see cref="HarnessLayout"/> says. Each call gets its own copy of <c>a</c>, since M may write into it; MGradient and
    /// MBackward must leave that copy as M leaves its own (api.md: inputs are not modified beyond what M does), else the
    /// call throws. MGradient's array gradient starts filled with junk: api.md says it is overwritten.
    /// </summary>
    public static string WriteHarness(string className, HarnessLayout layout, bool forward = true)
    {
        bool hasArray = layout.HasArray, writable = layout.HasWritableArray;
        string args = layout.Arguments(hasArray ? "written" : "(double[])a.Clone()", layout.HasStructArray ? "writtenPq" : null);
        string declareWritten = "        var written = (double[])a.Clone();" + (layout.HasStructArray ? " var writtenPq = " + layout.StructArrayArgument + ";" : "") + "\n";
        string checkWritten(string companion) => $"        CheckWritten(a, written, {(layout.HasStructArray ? "writtenPq, " : "")}s, n, \"{companion}\");\n";
        var text = new StringBuilder();
        text.Append("using System;\n\nnamespace Prop;\n\npublic static partial class ").Append(className).Append("\n{\n");
        text.Append($"    public static double Value(double[] a, double[] s, int n) => M({layout.Arguments()});\n\n");
        if (writable)
        {
            string pq = layout.HasStructArray ? RandomProgramGenerator.StructName + "[] writtenPq, " : "";
            text.Append($"    private static void CheckWritten(double[] a, double[] written, {pq}double[] s, int n, string companion)\n    {{\n");
            text.Append("        var expected = (double[])a.Clone();\n");
            text.Append(layout.HasStructArray ? $"        var expectedPq = {layout.StructArrayArgument};\n" : "");
            text.Append($"        M({layout.Arguments("expected", layout.HasStructArray ? "expectedPq" : null)});\n");
            text.Append("        for (int k = 0; k < a.Length; k++) Same(written[k], expected[k], companion, \"a[\" + k + \"]\");\n");
            if (layout.HasStructArray)
            {
                text.Append("        for (int k = 0; k < expectedPq.Length; k++) { Same(writtenPq[k].X, expectedPq[k].X, companion, \"pq[\" + k + \"].X\"); Same(writtenPq[k].Y, expectedPq[k].Y, companion, \"pq[\" + k + \"].Y\"); }\n");
            }
            text.Append("    }\n\n");
            text.Append("    private static void Same(double written, double expected, string companion, string what)\n    {\n");
            text.Append("        if (written != expected && !(double.IsNaN(written) && double.IsNaN(expected)))\n");
            text.Append("            throw new InvalidOperationException($\"{companion} left {what} = {written:R} where M leaves {expected:R}\");\n    }\n\n");
        }
        text.Append("    public static double Gradient(double[] a, double[] s, int n, double[] g)\n    {\n");
        if (hasArray) text.Append("        var da = new double[a.Length];\n        Array.Fill(da, 1e300);\n");
        if (writable) text.Append(declareWritten);
        if (layout.HasStructArray) text.Append($"       {layout.GradientBuffers}\n");
        text.Append($"        double value = MGradient({args}{(hasArray ? ", da" : "")}, {layout.OutGradients});\n");
        if (hasArray) text.Append("        da.CopyTo(g, 0);\n");
        if (writable) text.Append(checkWritten("MGradient"));
        text.Append($"       {layout.CopyBack}\n        return value;\n    }}\n\n");
        text.Append("    public static double Backward(double[] a, double[] s, int n, double seed, double[] g)\n    {\n");
        text.Append($"       {layout.LoadAdjoints(zero: false)}\n");
        if (writable) text.Append(declareWritten);
        text.Append($"        double value = MBackward({args}, seed{(hasArray ? ", g.AsSpan(0, a.Length)" : "")}{layout.RefAdjoints});\n");
        if (writable) text.Append(checkWritten("MBackward"));
        text.Append($"       {layout.CopyBack}\n        return value;\n    }}\n\n");
        if (forward)
        {
            // MTangent along v (array elements first, then the scalars, as the gradient is laid out).
            text.Append("    public static double Tangent(double[] a, double[] s, int n, double[] v, out double t) =>\n");
            text.Append($"        MTangent({layout.Arguments()}, {layout.Tangents}out t);\n");
        }
        text.Append("}\n");
        return text.ToString();
    }
}
