using System;
using System.Collections.Immutable;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>The operators' entries of the rule table.</summary>
    internal static partial class RuleTable
    {
        private static readonly OperatorRule[] BinaryRules = BuildBinaryRules();
        private static readonly OperatorRule[] UnaryRules = BuildUnaryRules();

        public static OperatorRule Of(IrBinaryOperator op) => BinaryRules[(int)op];

        public static OperatorRule Of(IrUnaryOperator op) => UnaryRules[(int)op];

        private static OperatorRule[] BuildBinaryRules()
        {
            var comparisonNonSmooth = new NonSmoothness("where its operands are equal", "the derivative of the branch it selects (the jump between the branches contributes nothing)");
            OperatorRule Comparison(string symbol) => new(symbol) { Noun = "comparison", NonSmooth = comparisonNonSmooth, NonSmoothOperands = ImmutableArray.Create(0, 1) };

            var rules = new OperatorRule[Enum.GetValues(typeof(IrBinaryOperator)).Length];
            rules[(int)IrBinaryOperator.Add] = new("+") { PartialsBuilder = (t, o, r) => Partials(null, null) };
            rules[(int)IrBinaryOperator.Subtract] = new("-") { PartialsBuilder = (t, o, r) => Partials(null, t.Constant(-1)) };
            rules[(int)IrBinaryOperator.Multiply] = new("*") { PartialsBuilder = (t, o, r) => Partials(o[1], o[0]) };
            // y = a / b: ∂y/∂a = 1/b, ∂y/∂b = −y/b.
            rules[(int)IrBinaryOperator.Divide] = new("/")
            {
                PartialsBuilder = (t, o, r) => Partials(t.Div(t.One, o[1]), t.Neg(t.Div(r, o[1]))),
            };
            // y = a % b = a − trunc(a/b)·b: ∂y/∂a = 1, ∂y/∂b = −trunc(a/b) (almost everywhere). Truncate is written as
            // a call, not differentiated: it is constant between the jumps.
            rules[(int)IrBinaryOperator.Remainder] = new("%")
            {
                PartialsBuilder = (t, o, r) => Partials(null, t.Neg(new IrOpaque(Named("Truncate").Spelling(t.Type) + "({0})",
                    ImmutableArray.Create(t.Div(o[0], o[1])), t.Type))),
                Noun = "remainder",
                // The divisor's partial −trunc(a/b) is not zero: the gradient flows through both operands, and both
                // see the same jumps (ADG0204), not a lost gradient (ADG0201).
                NonSmooth = new NonSmoothness("where the dividend crosses a multiple of the divisor",
                    "1 with respect to the dividend and −trunc(dividend / divisor) with respect to the divisor (the jumps contribute nothing)"),
                NonSmoothOperands = ImmutableArray.Create(0, 1),
            };
            rules[(int)IrBinaryOperator.LessThan] = Comparison("<");
            rules[(int)IrBinaryOperator.LessThanOrEqual] = Comparison("<=");
            rules[(int)IrBinaryOperator.GreaterThan] = Comparison(">");
            rules[(int)IrBinaryOperator.GreaterThanOrEqual] = Comparison(">=");
            rules[(int)IrBinaryOperator.Equals] = Comparison("==");
            rules[(int)IrBinaryOperator.NotEquals] = Comparison("!=");
            // Logic, bits and shifts: on bools and integers only, which carry no derivative.
            rules[(int)IrBinaryOperator.And] = new("&");
            rules[(int)IrBinaryOperator.Or] = new("|");
            rules[(int)IrBinaryOperator.ExclusiveOr] = new("^");
            rules[(int)IrBinaryOperator.LeftShift] = new("<<");
            rules[(int)IrBinaryOperator.RightShift] = new(">>");
            return rules;
        }

        private static OperatorRule[] BuildUnaryRules()
        {
            var rules = new OperatorRule[Enum.GetValues(typeof(IrUnaryOperator)).Length];
            rules[(int)IrUnaryOperator.Negate] = new("-") { PartialsBuilder = (t, o, r) => Partials(t.Constant(-1)) };
            rules[(int)IrUnaryOperator.Not] = new("!");
            rules[(int)IrUnaryOperator.BitwiseComplement] = new("~");
            return rules;
        }

        private static ImmutableArray<IrExpression?> Partials(params IrExpression?[] partials) => ImmutableArray.Create(partials);
    }
}
