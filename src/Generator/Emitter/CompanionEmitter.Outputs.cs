using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>What the companions of a vector-valued method add: seeds per output, output buffers' checks.</summary>
    internal sealed partial class CompanionEmitter
    {
        /// <summary>
        /// The declaration of a vector-valued <c>MBackward</c> (api.md): the method's parameters, one seed per output in
        /// output order (<c>seed</c> for the return value, <c>d&lt;name&gt;</c> for the others), then the input adjoints.
        /// </summary>
        private void EmitVectorBackwardDeclaration(Dictionary<ParameterSpec, string> names, string seed, string modifiers, string primalParameters)
        {
            Line("/// <summary>");
            Line("/// Reverse-mode pullback (vector-Jacobian product) of <c>" + _spec.Name + "</c>: runs it forward, leaving its outputs as it does,");
            Line("/// then back-propagates one seed per output, adding <c>Σ seed · ∂output/∂p</c> over the outputs into the adjoint");
            Line("/// of each differentiable parameter <c>p</c>.");
            Line("/// </summary>");
            if (_spec.ReturnsValue) Line("/// <param name=\"" + seed + "\">The seed (adjoint) of the return value.</param>");
            foreach (ParameterSpec output in _spec.Parameters.Where(p => p.IsAnyOutput))
            {
                Line("/// <param name=\"" + names[output].TrimStart('@') + "\">The seed of <c>" + output.Name.TrimStart('@') + "</c>" + (output.IsOutput ? ", one per element." : ".") + "</param>");
            }
            foreach (ParameterSpec p in _spec.Parameters.Where(p => p.IsDifferentiable))
            {
                Line("/// <param name=\"" + names[p].TrimStart('@') + "\">Accumulates <c>Σ seed · ∂output/∂" + p.Name.TrimStart('@') + "</c>.</param>");
            }
            if (_spec.ReturnsValue) Line("/// <returns>The value of <c>" + _spec.Name + "</c> at the arguments given.</returns>");
            Line(GeneratedCodeAttribute);
            string derived = string.Join(", ", Companion.Backward.DerivedParameters(_spec).Select(d => d.Declared + " " + (d.Of is null ? seed : names[d.Of])));
            Line(modifiers + DispatchOf(Companion.Backward) + _spec.ReturnTypeName + " " + Companion.Backward.NameFor(_spec.Name) + _spec.TypeParameterList + "(" + primalParameters + (primalParameters.Length > 0 && derived.Length > 0 ? ", " : "") + derived + ")" + _spec.ConstraintClauses);
        }

        /// <summary>
        /// The checks every companion makes on entry, before the method's own code (api.md "Checks first"): each derived
        /// buffer has its parameter's length or shape, and no output buffer shares memory with an input array (the method
        /// would read what it has just written, and its derivatives would not be those of the function it describes).
        /// </summary>
        private void EmitShapeChecks(Dictionary<ParameterSpec, string> names)
        {
            foreach (ParameterSpec p in _spec.Parameters.Where(p => (p.IsDifferentiable || p.IsOutput) && p.Layout != ArrayLayout.None))
            {
                string derived = names[p];
                string quoted = "\"" + derived.TrimStart('@') + "\"";
                string check = p.Layout is ArrayLayout.Matrix or ArrayLayout.Jagged
                    ? "global::AutoDiffGen.Runtime.AdjointArrays.CheckShape(" + p.Name + ", " + derived + ", " + quoted + ");"
                    : "global::AutoDiffGen.Runtime.AdjointArrays.CheckLength(" + p.Name + ".Length, " + derived + ".Length, " + quoted + ");";
                // A null array is the method's own business: its guard (`x ?? throw …`) or its NullReferenceException must
                // surface from the companion exactly as from the method, not a NullReferenceException of this check.
                Line(p.Layout is ArrayLayout.Span or ArrayLayout.ReadOnlySpan ? check : "if (" + p.Name + " is not null) " + check);
            }
            foreach (ParameterSpec output in _spec.Parameters.Where(p => p.IsOutput))
            {
                foreach (ParameterSpec input in _spec.Parameters.Where(p => p.IsDifferentiable && p.Layout is ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan
                    && p.ScalarTypeName == output.ScalarTypeName))
                {
                    Line("global::AutoDiffGen.Runtime.AdjointArrays.CheckDistinct<" + output.ScalarTypeName + ">(" + output.Name + ", " + input.Name
                        + ", \"" + output.Name.TrimStart('@') + "\", \"" + input.Name.TrimStart('@') + "\");");
                }
            }
        }
    }
}
