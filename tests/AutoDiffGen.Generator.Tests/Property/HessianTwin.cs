using System;
using System.Text;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// The second-order twin of a random program: the same program with M asking for <c>Derivatives.Hessian</c> too, and one
/// more harness entry point, <c>HessianVector(a, s, n, v, g, hv)</c>: M's <c>MHessianVector</c> over the harness's flat
/// coordinates (a's elements, the doubles, the struct parameter's X and Y, the array of structs' fields), returning the
/// value, with the gradient in <c>g</c> and H·v in <c>hv</c>. The struct parameter's direction, gradient and H·v are
/// <c>Pt</c> values, the array of structs' are spans of <c>Pt</c> (api.md).
/// </summary>
public static class HessianTwin
{
    private const string SecondOrderAttribute = "[Differentiable(Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]";

    /// <summary>The twin's attribute when M asks for reverse mode only (over a hand-written …Backward only).</summary>
    private const string ReverseSecondOrderAttribute = "[Differentiable(Derivatives.Reverse | Derivatives.Hessian)]";

    /// <summary>
    /// The twin (its source replaces the program's, its harness is compiled beside the program's own), or null when M
    /// cannot have second order by design: it calls TensorPrimitives, a struct callee through its companions (Spiral,
    /// VecEnergy: not yet supported), or OverHand, whose HandSoft has hand-written
    /// derivatives that cannot be differentiated again (ADG0305; <see cref="Refused"/> gives those twins to check the refusal).
    /// </summary>
    public static (string Source, string Harness)? For(RandomProgram program) =>
        program.HandWritten != HandWrittenDerivatives.None ? null : Twin(program);

    /// <summary>The twin's source of a program over a hand-written derivative (OverHand), which second order must refuse with ADG0305; no harness.</summary>
    public static string? Refused(RandomProgram program) =>
        program.HandWritten == HandWrittenDerivatives.None ? null : Twin(program)?.Source;

    private static (string Source, string Harness)? Twin(RandomProgram program)
    {
        if (program.Source.Contains("TensorPrimitives.", StringComparison.Ordinal)) return null;
        if (RandomProgramGenerator.CallsStructCompanions(program.Source)) return null; // ADG0305 for now: see there
        string mAttribute = program.HasTangent ? RandomProgramGenerator.ForwardAttribute : RandomProgramGenerator.ReverseOnlyAttribute;
        int at = program.Source.IndexOf(mAttribute, StringComparison.Ordinal);
        if (at < 0 || program.Source.IndexOf(mAttribute, at + 1, StringComparison.Ordinal) >= 0) return null; // only M has it
        string source = program.Source.Substring(0, at) + (program.HasTangent ? SecondOrderAttribute : ReverseSecondOrderAttribute) + program.Source.Substring(at + mAttribute.Length);
        // The struct helper's hand-written derivative has no source to differentiate twice (ADG0305): the twin differentiates the helper itself.
        source = RandomProgramGenerator.WithDifferentiableStructHelper(source);
        return (source, Harness(program));
    }

    private static string Harness(RandomProgram program)
    {
        var layout = HarnessLayout.Of(program);
        bool hasArray = layout.HasArray;
        var text = new StringBuilder();
        text.Append("using System;\n\nnamespace Prop;\n\npublic static partial class ").Append(program.ClassName).Append("\n{\n");
        text.Append("    public static double HessianVector(double[] a, double[] s, int n, double[] v, double[] g, double[] hv)\n    {\n");
        if (hasArray) text.Append("        var da = new double[a.Length];\n        var hva = new double[a.Length];\n");
        if (layout.HasStructArray) text.Append($"       {layout.ResultBuffers("d")}\n       {layout.ResultBuffers("h")}\n");
        text.Append($"        double value = MHessianVector({layout.Arguments()}, {layout.Tangents}{(hasArray ? "da, " : "")}{layout.OutResults("d")}, {(hasArray ? "hva, " : "")}{layout.OutResults("h")});\n");
        if (hasArray) text.Append("        da.CopyTo(g, 0);\n        hva.CopyTo(hv, 0);\n");
        text.Append($"       {layout.CopyBackInto("g", "d")}\n       {layout.CopyBackInto("hv", "h")}\n        return value;\n    }}\n");
        text.Append("}\n");
        return text.ToString();
    }
}
