using System.Collections.Immutable;

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

        /// <summary>A generic callee's type arguments as the call spells them (<c>&lt;T&gt;</c>, <c>&lt;double&gt;</c>); empty otherwise.</summary>
        public string TypeArgumentList { get; init; } = "";

        public string BackwardName => Model.Companion.Backward.NameFor(MethodName);

        /// <summary>The callee's forward-mode companion (generated, on demand in the same compilation, or hand-written).</summary>
        public string TangentName => Model.Companion.Tangent.NameFor(MethodName);
    }
}
