using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>
    /// A differentiable callee as the engine needs it: how to call it forward, how to call its <c>…Backward</c>
    /// (api.md fixes that shape), and which of its parameters receive an adjoint.
    /// </summary>
    /// <param name="ContainingType">The callee's type, <c>global::</c>-qualified; used for static calls.</param>
    /// <param name="MethodName">The callee's name; its pullback is <c>MethodName + "Backward"</c>.</param>
    /// <param name="IsStatic">Static callees are called through <see cref="ContainingType"/>, instance ones through a receiver.</param>
    /// <param name="ParameterIsDifferentiable">Per parameter: whether <c>…Backward</c> takes a <c>ref</c> adjoint for it.</param>
    /// <param name="ParameterTypes">Per parameter: its type (the adjoint has the same type).</param>
    internal sealed record CallTarget(
        string ContainingType,
        string MethodName,
        bool IsStatic,
        EquatableArray<bool> ParameterIsDifferentiable,
        EquatableArray<IrType> ParameterTypes)
    {
        /// <summary>
        /// Whether the callee has an <c>…Tangent</c> a forward-mode caller can call: generated (the callee is
        /// [Differentiable]: in this compilation on demand, in another assembly when it asked for Forward) or hand-written.
        /// </summary>
        public bool HasTangent { get; init; }

        /// <summary>
        /// When <see cref="HasTangent"/> is false: why (ADG0307's reason when the callee is reached through another
        /// [Differentiable] method): "it calls G, whose derivative is a hand-written GBackward…".
        /// </summary>
        public string? TangentRefusal { get; init; }

        /// <summary>A generic callee's type arguments as the call spells them (<c>&lt;T&gt;</c>, <c>&lt;double&gt;</c>); empty otherwise.</summary>
        public string TypeArgumentList { get; init; } = "";

        /// <summary>
        /// Why second order cannot go through a call of this callee (ADG0305's reason), or null when it can: the callee's
        /// <c>…BackwardTangent</c> exists (generated: in this compilation on demand, in another assembly when it asked for
        /// <c>Derivatives.Hessian</c>).
        /// </summary>
        public string? SecondOrderRefusal { get; init; }

        /// <summary>
        /// Whether this target is the callee's closed tangent <c>ġ(p…, v…) = ∇g(p) · v</c> rather than the callee itself (see
        /// <see cref="ClosedTangent"/>): called forward through <c>…Tangent</c>, reversed through <c>…BackwardTangent</c>.
        /// </summary>
        public bool IsClosedTangent { get; init; }

        /// <summary>How many of the parameters are the callee's own (the rest are a closed tangent's directions).</summary>
        public int OwnParameterCount => IsClosedTangent ? ParameterTypes.Count - ParameterIsDifferentiable.Count(d => d) / 2 : ParameterTypes.Count;

        public string BackwardName => (IsClosedTangent ? Model.Companion.BackwardTangent : Model.Companion.Backward).NameFor(MethodName);

        /// <summary>
        /// The callee's closed tangent as a callee of its own, for second order: its parameters are the callee's followed by
        /// one direction per differentiable parameter (of that parameter's type, differentiable), its result is the tangent of
        /// the callee's result. Its pullback is the callee's <c>…BackwardTangent</c>: <c>seed · H·v</c> into the adjoints of
        /// the parameters, <c>seed · ∇g</c> into those of the directions.
        /// </summary>
        public CallTarget ClosedTangent()
        {
            var differentiable = ParameterIsDifferentiable.ToList();
            var types = ParameterTypes.ToList();
            for (int i = 0; i < ParameterIsDifferentiable.Count; i++)
            {
                if (!ParameterIsDifferentiable[i]) continue;
                differentiable.Add(true);
                types.Add(ParameterTypes[i]);
            }
            return this with { ParameterIsDifferentiable = differentiable.ToEquatableArray(), ParameterTypes = types.ToEquatableArray(), IsClosedTangent = true };
        }

        /// <summary>The callee's forward-mode companion (generated, on demand in the same compilation, or hand-written).</summary>
        public string TangentName => Model.Companion.Tangent.NameFor(MethodName);

        /// <summary>
        /// The callee's parameters that are structs of reals (api.md v2), in order: the IR passes each as its leaves, consecutive
        /// arguments from <see cref="StructArgument.FirstArgument"/>, and <see cref="ParameterIsDifferentiable"/> and
        /// <see cref="ParameterTypes"/> hold one entry per leaf. Only the emitter meets the struct again: it rebuilds the value
        /// for the call, passes <c>…Backward</c> a zeroed struct adjoint and adds its fields to the leaves' adjoints, and builds
        /// a struct tangent for <c>…Tangent</c>. Empty when every parameter is one argument.
        /// </summary>
        public EquatableArray<StructArgument> StructArguments { get; init; } = EquatableArray<StructArgument>.Empty;

        /// <summary>
        /// For a callee returning a struct of reals called through its companions: the struct, and which of its leaves this
        /// call is (<see cref="ResultLeaf"/>). The IR holds one call per leaf, each a scalar: <c>F(args).X</c> forward, and
        /// <c>FBackward(args, new S(seed, 0), …)</c> (a seed on that leaf alone) in reverse, which by linearity add up to
        /// the one call with the whole seed; the emitter writes the calls of one result that sit side by side as that one
        /// call (Emitter/CompanionEmitter.StructResults.cs). Null for a scalar result.
        /// </summary>
        public StructShape? ResultStruct { get; init; }

        /// <summary>The leaf of <see cref="ResultStruct"/> this call yields.</summary>
        public int ResultLeaf { get; init; }

        /// <summary><c>.X</c>: the member path of <see cref="ResultLeaf"/>, or empty for a scalar result.</summary>
        public string ResultLeafPath => ResultStruct is null ? "" : ResultStruct.Leaves[ResultLeaf].Path;

        /// <summary>The struct parameter whose leaves start at argument <paramref name="index"/>, or null.</summary>
        public StructArgument? StructArgumentAt(int index)
        {
            foreach (StructArgument argument in StructArguments)
            {
                if (argument.FirstArgument == index) return argument;
            }
            return null;
        }

        /// <summary>
        /// This target with the parameters at <paramref name="structs"/> (by ordinal, ascending) passed as their leaves: one
        /// argument, differentiable flag and type per leaf.
        /// </summary>
        public CallTarget WithStructArguments(IReadOnlyList<(int Ordinal, StructShape Shape, string Name)> structs)
        {
            var differentiable = new List<bool>();
            var types = new List<IrType>();
            var arguments = new List<StructArgument>();
            for (int i = 0; i < ParameterTypes.Count; i++)
            {
                var (_, shape, name) = structs.FirstOrDefault(s => s.Ordinal == i);
                if (shape is null)
                {
                    differentiable.Add(ParameterIsDifferentiable[i]);
                    types.Add(ParameterTypes[i]);
                    continue;
                }
                arguments.Add(new StructArgument(types.Count, shape, name));
                foreach (StructLeaf leaf in shape.Leaves)
                {
                    differentiable.Add(ParameterIsDifferentiable[i]);
                    types.Add(leaf.Type);
                }
            }
            return this with
            {
                ParameterIsDifferentiable = differentiable.ToEquatableArray(),
                ParameterTypes = types.ToEquatableArray(),
                StructArguments = arguments.ToEquatableArray(),
            };
        }
    }

    /// <summary>A callee's struct parameter (named <paramref name="Name"/>) passed as its leaves: the arguments <c>FirstArgument … FirstArgument + Shape.Leaves.Length - 1</c>.</summary>
    internal sealed record StructArgument(int FirstArgument, StructShape Shape, string Name);
}
