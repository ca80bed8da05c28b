using System;

namespace AutoDiffGen
{
    /// <summary>
    /// Which derivative companions the AutoDiffGen generator emits for a <see cref="DifferentiableAttribute"/> method.
    /// The values combine: <c>[Differentiable(Derivatives.Reverse | Derivatives.Forward)]</c>.
    /// </summary>
    [Flags]
    public enum Derivatives
    {
        /// <summary>Reverse mode (the default): <c>MGradient</c> and <c>MBackward</c>.</summary>
        Reverse = 1,

        /// <summary>Forward mode: <c>MTangent</c>, the Jacobian-vector product.</summary>
        Forward = 2,

        /// <summary>Second order: <c>MHessian</c> and <c>MHessianVector</c> (scalar-valued methods; implies <see cref="Reverse"/>).</summary>
        Hessian = 4,
    }
}
