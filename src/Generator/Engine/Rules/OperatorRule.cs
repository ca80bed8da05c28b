using System.Collections.Immutable;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>
    /// Builds the partial derivatives of <c>result = op(operands)</c>, one per operand; null for a partial of exactly 1
    /// (the seed passes unchanged: no multiplication is emitted).
    /// </summary>
    internal delegate ImmutableArray<IrExpression?> OperatorPartialsBuilder(PartialBuilder t, ImmutableArray<IrExpression> operands, IrExpression result);

    /// <summary>
    /// One operator of the rule table (<see cref="RuleTable"/>): its C# spelling and, for the arithmetic ones, how the
    /// derivative flows through it. Read by the reverse transform (partials), activity analysis (whether a derivative
    /// flows), lowering's diagnostics (non-smooth and zero-derivative operands) and
    /// the emitter (spelling).
    /// </summary>
    internal sealed class OperatorRule
    {
        public OperatorRule(string symbol) => Symbol = symbol;

        /// <summary>How C# writes the operator.</summary>
        public string Symbol { get; }

        /// <summary>The partials, for operators a derivative flows through (arithmetic); null for the others.</summary>
        public OperatorPartialsBuilder? PartialsBuilder { get; init; }

        /// <summary>Whether a derivative flows from the operands to the result.</summary>
        public bool CarriesDerivative => PartialsBuilder is not null;

        /// <summary>What the diagnostics call a use of the operator ("The remainder '…'").</summary>
        public string Noun { get; init; } = "";

        /// <summary>Where the operator is not differentiable and the subgradient used there (ADG0204); null when smooth.</summary>
        public NonSmoothness? NonSmooth { get; init; }

        /// <summary>The operands ADG0204 is reported for when they depend on a differentiable parameter.</summary>
        public ImmutableArray<int> NonSmoothOperands { get; init; } = ImmutableArray<int>.Empty;

        /// <summary>The operands ADG0201 (the gradient does not flow) is reported for, with the words that name each.</summary>
        public ImmutableArray<(int Operand, string Name)> ZeroDerivativeOperands { get; init; } = ImmutableArray<(int, string)>.Empty;

        public ImmutableArray<IrExpression?> Partials(ImmutableArray<IrExpression> operands, IrExpression result) =>
            PartialsBuilder!(new PartialBuilder(result.Type), operands, result);
    }
}
