using System;
using System.Globalization;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// Which hand-written derivatives a random program's <c>HandSoft</c> has, when it has one (api.md "custom derivatives").
/// </summary>
public enum HandWrittenDerivatives
{
    /// <summary>No <c>HandSoft</c>: the program calls only generated [Differentiable] helpers.</summary>
    None,

    /// <summary>
    /// <c>HandSoftBackward</c> only: reverse mode goes through <c>OverHand</c>, but its MTangent and MBackwardTangent cannot be
    /// generated, so M asks for reverse mode only (its forward twin gets ADG0307), a second-order twin gets ADG0305, and a
    /// vector-valued twin an MJacobian of reverse sweeps and no MTangent.
    /// </summary>
    BackwardOnly,

    /// <summary><c>HandSoftBackward</c> and <c>HandSoftTangent</c>: forward mode goes through too (the hand-written tangent is called).</summary>
    BackwardAndTangent,
}

public sealed partial class RandomProgramGenerator
{
    /// <summary>The share of programs with a <c>HandSoft</c> (half of them with a hand-written tangent too).</summary>
    private const double HandWrittenShare = 0.12;

    /// <summary>The [Differentiable] helper that calls the hand-written <c>HandSoft</c>; M's last return adds <c>OverHand(p0)</c>.</summary>
    public const string OverHandName = "OverHand";

    private HandWrittenDerivatives _handWritten;

    /// <summary>
    /// Decides from a stream of its own (so every other program is written exactly as before this feature) whether the
    /// program gets <c>HandSoft</c> = log(1 + eˣ) with a hand-written <c>HandSoftBackward</c> (and maybe <c>HandSoftTangent</c>),
    /// and a [Differentiable] helper <c>OverHand(a) = c₁·HandSoft(tanh a) + sin(a)·HandSoft(c₂·tanh a)</c> that M calls.
    /// </summary>
    private void MaybeWriteHandWrittenHelper()
    {
        var own = new Random(unchecked(_seed * 7919 + 17));
        if (own.NextDouble() >= HandWrittenShare) return;
        _handWritten = own.Next(2) == 0 ? HandWrittenDerivatives.BackwardOnly : HandWrittenDerivatives.BackwardAndTangent;
        string c1 = Math.Round(0.5 + own.NextDouble(), 3).ToString("R", CultureInfo.InvariantCulture);
        string c2 = Math.Round(0.5 + own.NextDouble(), 3).ToString("R", CultureInfo.InvariantCulture);
        Line("// Not [Differentiable]: its derivatives are hand-written.");
        Line("public static double HandSoft(double v) => Math.Log(1 + Math.Exp(v));");
        Line("public static double HandSoftBackward(double v, double seed, ref double dv) { dv += seed / (1 + Math.Exp(-v)); return HandSoft(v); }");
        if (_handWritten == HandWrittenDerivatives.BackwardAndTangent)
        {
            Line("public static double HandSoftTangent(double v, double dv, out double tangent) { tangent = dv / (1 + Math.Exp(-v)); return HandSoft(v); }");
        }
        Line("");
        Line("[Differentiable]");
        Line($"public static double {OverHandName}(double a) => {c1} * HandSoft(Math.Tanh(a)) + Math.Sin(a) * HandSoft({c2} * Math.Tanh(a));");
        Line("");
    }

    /// <summary>M's final result with the call of <c>OverHand</c> when the program has one (|OverHand| ≤ c₁·log(1 + e) + log(1 + e^c₂) &lt; 4).</summary>
    private Expr WithHandWrittenCall(Expr result) =>
        _handWritten == HandWrittenDerivatives.None ? result : new Expr($"{result.Text} + {OverHandName}(p0)", result.Bound + 4);
}
