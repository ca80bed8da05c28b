using System.Collections.Immutable;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>
    /// <c>Target = Callee.MTangent(args…, tangents…, out ResultTangent)</c>: a differentiable call in forward mode, which
    /// computes the callee's value and the tangent of its result together. <see cref="Tangents"/> has one entry per
    /// differentiable parameter of the callee, in order; null where the argument is passive (its tangent is zero).
    /// <see cref="Target"/> is null when the value is discarded.
    /// </summary>
    internal sealed record IrTangentCall(IrVariable? Target, IrDifferentiableCall Call, ImmutableArray<IrExpression?> Tangents, IrVariable ResultTangent) : IrStatement;
}
