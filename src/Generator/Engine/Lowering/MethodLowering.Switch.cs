using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// <c>switch</c> statements and expressions as if/else chains, the structured control flow the reverse transform
    /// already handles: the value is evaluated once, the sections (arms) are tested in source order with
    /// <c>default</c> last, a <c>when</c> guard is evaluated only when its pattern matched. Patterns are conditions like
    /// comparisons: a relational pattern on a differentiable value (<c>x switch { &lt; 0 =&gt; …, _ =&gt; … }</c>) is a
    /// branch condition like <c>&lt;</c>, the gradient is that of the arm taken.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        private void LowerSwitch(ISwitchOperation switchStatement)
        {
            PatternInput input = LowerPatternInput(switchStatement.Value);
            ISwitchCaseOperation? defaultSection = switchStatement.Cases.FirstOrDefault(c => c.Clauses.Any(clause => clause is IDefaultCaseClauseOperation));
            List<ISwitchCaseOperation> sections = switchStatement.Cases.Where(c => c.Clauses.Any(clause => clause is not IDefaultCaseClauseOperation)).ToList();
            // A break before the end of a section leaves the switch through the control variable, reset after it.
            bool breaksInside = switchStatement.Cases.Any(c => SectionStatements(c).Any(ControlFlow.MayBreak));
            LowerSections(switchStatement, input, sections, 0, defaultSection);
            if (breaksInside)
            {
                SetOrigin(switchStatement);
                IrExpression broke = Emit(new IrBinary(IrBinaryOperator.Equals, Read(Jump()), IrConstant.Of(JumpState.Break), IrType.Bool));
                Add(new IrIf(broke, new IrBlock(new[] { Stamp(new IrAssign(Jump(), IrConstant.Of(JumpState.None))) }), new IrBlock()));
            }
        }

        private void LowerSections(ISwitchOperation switchStatement, PatternInput input, List<ISwitchCaseOperation> sections, int index, ISwitchCaseOperation? defaultSection)
        {
            if (index == sections.Count)
            {
                if (defaultSection is not null) LowerStatementList(SectionStatements(defaultSection));
                return;
            }
            ISwitchCaseOperation section = sections[index];
            SetOrigin(switchStatement);
            IrExpression matches = LowerAlternatives(section.Clauses.Where(c => c is not IDefaultCaseClauseOperation)
                .Select(clause => (System.Func<IrExpression>)(() => LowerClause(input, clause))).ToList());
            IrBlock then = Nested(() => LowerStatementList(SectionStatements(section)));
            IrBlock otherwise = Nested(() => LowerSections(switchStatement, input, sections, index + 1, defaultSection));
            SetOrigin(switchStatement);
            Add(new IrIf(matches, then, otherwise));
        }

        /// <summary>A section's statements without its final <c>break</c> (which only ends the section).</summary>
        private static IReadOnlyList<IOperation> SectionStatements(ISwitchCaseOperation section)
        {
            var statements = section.Body.ToList();
            if (statements.Count > 0 && statements[statements.Count - 1] is IBranchOperation { BranchKind: BranchKind.Break }) statements.RemoveAt(statements.Count - 1);
            return statements;
        }

        private IrExpression LowerClause(PatternInput input, ICaseClauseOperation clause) => clause switch
        {
            ISingleValueCaseClauseOperation single when input.Value is { } value => LowerEquality(value, single.Value, single),
            IPatternCaseClauseOperation pattern => LowerGuarded(input, pattern.Pattern, pattern.Guard),
            _ => Unsupported(clause, "the case label '" + Describe(clause) + "'"),
        };

        private IrExpression LowerSwitchExpression(ISwitchExpressionOperation switchExpression)
        {
            PatternInput input = LowerPatternInput(switchExpression.Value);
            IrVariable value = _variables.Temporary(TypeOf(switchExpression.Type!));
            LowerArms(switchExpression, input, value, 0);
            return Read(value);
        }

        private void LowerArms(ISwitchExpressionOperation switchExpression, PatternInput input, IrVariable value, int index)
        {
            if (index == switchExpression.Arms.Length)
            {
                // No arm matched: what the compiler throws for a switch expression that is not exhaustive.
                bool exists = switchExpression.SemanticModel?.Compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.SwitchExpressionException") is not null;
                Add(new IrThrow(exists
                    ? new IrOpaque("new global::System.Runtime.CompilerServices.SwitchExpressionException((object){0})", ImmutableArray.Create(PatternInputValue(input)), new IrType(IrTypeKind.Other, "global::System.Exception"))
                    : new IrOpaque("new global::System.InvalidOperationException()", ImmutableArray<IrExpression>.Empty, new IrType(IrTypeKind.Other, "global::System.Exception"))));
                return;
            }
            ISwitchExpressionArmOperation arm = switchExpression.Arms[index];
            if (arm.Guard is null && AlwaysMatches(arm.Pattern))
            {
                LowerPattern(input, arm.Pattern); // binds a var pattern's variable
                AssignBranch(value, arm.Value);
                return; // the arms after it are unreachable
            }
            IrExpression matches = LowerGuarded(input, arm.Pattern, arm.Guard);
            IrBlock then = Nested(() => AssignBranch(value, arm.Value));
            IrBlock otherwise = Nested(() => LowerArms(switchExpression, input, value, index + 1));
            Add(new IrIf(matches, then, otherwise));
        }

        /// <summary>The switched value, evaluated once, in an operand nothing reassigns (the reverse sweep tests the arms again).</summary>
        private IrExpression SwitchInput(IOperation value)
        {
            IrExpression lowered = LowerExpression(value);
            return lowered is IrVariableReference { Variable.Role: not IrVariableRole.Temporary } ? Copy(lowered) : lowered;
        }

        /// <summary><c>pattern when guard</c>: the guard is evaluated only when the pattern matched.</summary>
        private IrExpression LowerGuarded(PatternInput input, IPatternOperation pattern, IOperation? guard)
        {
            IrExpression matched = LowerPattern(input, pattern);
            if (guard is null) return matched;
            return ShortCircuit(matched, isAnd: true, () => LowerExpression(guard));
        }

        /// <summary>Whether any of the alternatives holds, each evaluated only while none before it did.</summary>
        private IrExpression LowerAlternatives(IReadOnlyList<System.Func<IrExpression>> alternatives)
        {
            IrExpression result = alternatives[0]();
            for (int i = 1; i < alternatives.Count; i++)
            {
                result = ShortCircuit(result, isAnd: false, alternatives[i]);
            }
            return result;
        }

        /// <summary><c>left &amp;&amp; right</c> or <c>left || right</c>, as the lowering of <c>&amp;&amp;</c>/<c>||</c> does it.</summary>
        private IrExpression ShortCircuit(IrExpression left, bool isAnd, System.Func<IrExpression> right)
        {
            if (left is IrConstant { Value: bool known })
            {
                if (known == isAnd) return right();
                return left;
            }
            IrVariable value = _variables.Temporary(IrType.Bool);
            Add(new IrAssign(value, left));
            IrBlock evaluateRight = Nested(() => AssignTo(value, right()));
            Add(isAnd ? new IrIf(left, evaluateRight, new IrBlock()) : new IrIf(left, new IrBlock(), evaluateRight));
            return Read(value);
        }

        private IrExpression LowerPattern(IrExpression input, IPatternOperation pattern)
        {
            switch (pattern)
            {
                case IConstantPatternOperation constant:
                    return LowerEquality(input, constant.Value, pattern);
                case IRelationalPatternOperation relational when RelationalOperators.TryGetValue(relational.OperatorKind, out IrBinaryOperator op) && IsOrdered(input.Type):
                {
                    IrExpression bound = LowerExpression(relational.Value);
                    if (input.Type.IsDifferentiable)
                    {
                        AddNonSmoothPending(pattern, input, "The relational pattern '" + Describe(pattern) + "'", "where the value equals its bound",
                            "the derivative of the arm it selects (the jump between the arms contributes nothing)");
                    }
                    return Emit(new IrBinary(op, input, bound, IrType.Bool));
                }
                case IBinaryPatternOperation or INegatedPatternOperation:
                    return LowerCombinator(PatternInput.Of(input), pattern);
                case IDiscardPatternOperation:
                    return IrConstant.Of(true);
                case IDeclarationPatternOperation declaration when AlwaysMatches(declaration):
                    if (declaration.DeclaredSymbol is ILocalSymbol local)
                    {
                        IrVariable variable = _variables.Create(MethodParser.EscapeIdentifier(local.Name), TypeOf(local.Type), IrVariableRole.Local);
                        _symbolVariables[local] = variable;
                        AssignTo(variable, input);
                    }
                    return IrConstant.Of(true);
                case ITypePatternOperation when AlwaysMatches(pattern):
                    return IrConstant.Of(true);
                case IRecursivePatternOperation recursive:
                    return LowerRecursivePattern(input, recursive); // MethodLowering.Patterns.cs
                case IListPatternOperation list:
                    return LowerListPattern(input, list);
                default:
                    return Unsupported(pattern, "the pattern '" + Describe(pattern)
                        + "' (switch supports constant, relational, and/or/not, discard, var, property, positional and list patterns; a type test needs a value of another type)");
            }
        }

        /// <summary>
        /// A pattern that matches every value of the input's type: a discard, <c>var v</c>, or a type pattern of that
        /// very (non-nullable value) type.
        /// </summary>
        private static bool AlwaysMatches(IPatternOperation pattern) => pattern switch
        {
            IDiscardPatternOperation => true,
            // var v: always, on a value type or a type parameter (a generic real, T of generic math); not on an array (it would alias it).
            IDeclarationPatternOperation declaration => declaration.MatchesNull && (declaration.InputType.IsValueType || declaration.InputType is ITypeParameterSymbol)
                || declaration.MatchedType is { IsValueType: true } matched && declaration.InputType.IsValueType && SymbolEqualityComparer.Default.Equals(matched, declaration.InputType),
            ITypePatternOperation type => type.InputType.IsValueType && SymbolEqualityComparer.Default.Equals(type.MatchedType, type.InputType),
            _ => false,
        };

        /// <summary><c>input == constant</c> for a constant pattern or a case label.</summary>
        private IrExpression LowerEquality(IrExpression input, IOperation constant, IOperation at)
        {
            if (!IsOrdered(input.Type) && input.Type.Kind != IrTypeKind.Bool && !IsEnumOrString(at, input))
            {
                return Unsupported(at, "the pattern '" + Describe(at) + "' on a value of type '" + input.Type + "' (switch supports numbers, bools, chars, enums and strings)");
            }
            IrExpression value = LowerExpression(constant);
            if (value.Type.CSharpName != input.Type.CSharpName && IsNumeric(value.Type) && IsNumeric(input.Type))
            {
                value = Emit(new IrConvert(value, input.Type));
            }
            if (input.Type.Kind == IrTypeKind.Other)
            {
                // An enum or a string: compared by the type's own ==.
                return Emit(new IrOpaque("({0} == {1})", ImmutableArray.Create(input, value), IrType.Bool));
            }
            return Emit(new IrBinary(IrBinaryOperator.Equals, input, value, IrType.Bool));
        }

        private static bool IsOrdered(IrType type) => type.Kind is IrTypeKind.Double or IrTypeKind.Float or IrTypeKind.Integer or IrTypeKind.GenericReal;

        private static bool IsEnumOrString(IOperation at, IrExpression input)
        {
            ITypeSymbol? type = at switch
            {
                IPatternOperation pattern => pattern.InputType,
                ISingleValueCaseClauseOperation { Value: { } value } => value.Type,
                _ => null,
            };
            return type is { TypeKind: TypeKind.Enum } or { SpecialType: SpecialType.System_String } && input.Type.Kind == IrTypeKind.Other;
        }

        private static readonly Dictionary<BinaryOperatorKind, IrBinaryOperator> RelationalOperators = new()
        {
            [BinaryOperatorKind.LessThan] = IrBinaryOperator.LessThan,
            [BinaryOperatorKind.LessThanOrEqual] = IrBinaryOperator.LessThanOrEqual,
            [BinaryOperatorKind.GreaterThan] = IrBinaryOperator.GreaterThan,
            [BinaryOperatorKind.GreaterThanOrEqual] = IrBinaryOperator.GreaterThanOrEqual,
        };
    }
}
