using System;
using System.Linq;
using AutoDiffGen.Generator.Engine.Analysis;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using AutoDiffGen.Generator.Engine.Tangent;

namespace AutoDiffGen.Generator.Engine.SecondOrder
{
    /// <summary>
    /// What <c>MHessianVector</c> runs: the reverse transform over the closed tangent function ḟ(p, v) = ∇f · v. Its
    /// gradient with respect to <c>p</c> is <c>H v</c> and with respect to <c>v</c> is <c>∇f</c>; <see cref="Closed"/>'s
    /// <see cref="ClosedTangent.Value"/> holds <c>f</c> once the forward sweep has run.
    /// </summary>
    internal sealed record HessianVectorProgram(ClosedTangent Closed, ReverseProgram Reverse);

    /// <summary>
    /// Second order by reverse over forward: <c>Reverse(Close(Tangent(f)))</c>. One forward sweep computes f, ∇f·v and
    /// everything their reverse needs; one reverse sweep gives H·v and ∇f together, so the cost is a small constant times
    /// one gradient (never k gradients), and no second pass is needed for the gradient.
    /// </summary>
    /// <remarks>
    /// Why reverse over forward and not forward over reverse: the tangent program is ordinary straight-line code with the
    /// primal's control flow (no tape), so closing it gives a function the existing reverse transform takes unchanged, with
    /// its tapes, checkpoints and pooled adjoints; forward over reverse would need a tangent transform of tape operations
    /// and of the reverse sweep's own constructs. Both cost the same order of work.
    /// </remarks>
    internal static class HessianVectorTransform
    {
        /// <summary>
        /// The program, or <see cref="NotSupportedException"/> whose message names what second order cannot go through yet
        /// (the engine reports it as ADG0305; the other companions are still generated).
        /// </summary>
        /// <param name="tangent">The method's tangent program when the engine already made one (reused), else null.</param>
        public static HessianVectorProgram Transform(IrFunction function, ActivityAnalysis activity, TangentProgram? tangent)
        {
            tangent ??= TangentModeTransform.Transform(function, activity);
            ClosedTangent closed = TangentFunction.CloseWithValue(tangent);
            ReverseProgram reverse = ReverseModeTransform.Transform(closed.Function, ActivityAnalysis.Analyze(closed.Function));
            return new HessianVectorProgram(closed, reverse);
        }
    }
}
