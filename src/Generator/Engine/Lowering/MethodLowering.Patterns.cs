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
    /// Property, positional and list patterns (<c>x is { Length: &gt; 0 }</c>, <c>p is { X: &gt; 0, Y: var y }</c>,
    /// <c>t is (&gt; 0, _)</c>, <c>x is [var first, .., &gt; 0]</c>), in <c>is</c> and in switch arms. They are conditions
    /// like comparisons: each one is a conjunction of the tests its parts make, evaluated left to right and stopping at the
    /// first that fails, as C# does (a null test first on a reference). The values they read are what the rest of the
    /// lowering reads: a struct of reals is its leaves (a member is a slice of them), an element of an array or span an
    /// element read (so a <c>var</c> pattern on an element binds a differentiable local), a length an integer (data).
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary>
        /// The value a pattern tests: a scalar, an array or a passive reference (<see cref="Value"/>), or a struct of reals
        /// (<see cref="Struct"/>, its leaves).
        /// </summary>
        private sealed record PatternInput(IrExpression? Value, StructValue? Struct)
        {
            public static PatternInput Of(IrExpression value) => new(value, null);

            public static PatternInput Of(StructValue value) => new(null, value);
        }

        /// <summary>The switched (or tested) value, evaluated once: a struct of reals as its leaves, anything else as <see cref="SwitchInput"/>.</summary>
        private PatternInput LowerPatternInput(IOperation value)
        {
            if (ShapeOf(value.Type) is { } shape) return PatternInput.Of(Snapshot(LowerStruct(value, shape)));
            if (value.Type is { } type && TypeOf(type).Kind == IrTypeKind.Array)
            {
                return PatternInput.Of(LowerArrayOperand(value)); // the array itself, never a copy of the reference (its adjoint is its own)
            }
            return PatternInput.Of(SwitchInput(value));
        }

        /// <summary>A pattern on either kind of input.</summary>
        private IrExpression LowerPattern(PatternInput input, IPatternOperation pattern) =>
            input.Struct is { } value ? LowerStructPattern(value, pattern) : LowerPattern(input.Value!, pattern);

        /// <summary><c>p and q</c>, <c>p or q</c> (the right part tested only when the left does not decide), <c>not p</c>: the parts on the same input.</summary>
        private IrExpression LowerCombinator(PatternInput input, IPatternOperation pattern)
        {
            if (pattern is INegatedPatternOperation negated)
            {
                IrExpression operand = LowerPattern(input, negated.Pattern);
                return operand is IrConstant { Value: bool b } ? IrConstant.Of(!b) : Emit(new IrUnary(IrUnaryOperator.Not, operand, IrType.Bool));
            }
            var binary = (IBinaryPatternOperation)pattern;
            IrExpression left = LowerPattern(input, binary.LeftPattern);
            return ShortCircuit(left, binary.OperatorKind == BinaryOperatorKind.And, () => LowerPattern(input, binary.RightPattern));
        }

        /// <summary>The input as a value passed on (the exception of a switch expression no arm matches): a struct rebuilt.</summary>
        private IrExpression PatternInputValue(PatternInput input) => input.Struct is { } value ? RebuildStruct(value) : input.Value!;

        /// <summary>Whether every test holds, each evaluated only while all before it did.</summary>
        private IrExpression AllOf(IReadOnlyList<System.Func<IrExpression>> tests)
        {
            if (tests.Count == 0) return IrConstant.Of(true);
            IrExpression result = tests[0]();
            for (int i = 1; i < tests.Count; i++)
            {
                result = ShortCircuit(result, isAnd: true, tests[i]);
            }
            return result;
        }

        // ---------------------------------------------------------------- structs of reals

        /// <summary>A pattern on a struct of reals: property and positional patterns read its members' leaves.</summary>
        private IrExpression LowerStructPattern(StructValue input, IPatternOperation pattern)
        {
            switch (pattern)
            {
                case IRecursivePatternOperation recursive when SameType(recursive.MatchedType, recursive.InputType):
                {
                    var tests = new List<System.Func<IrExpression>>();
                    for (int i = 0; i < recursive.DeconstructionSubpatterns.Length; i++)
                    {
                        IPatternOperation subpattern = recursive.DeconstructionSubpatterns[i];
                        int position = i;
                        tests.Add(() => PositionalElement(input, recursive, position) is { } element
                            ? LowerPattern(element, subpattern)
                            : Unsupported(subpattern, "the positional pattern '" + Describe(recursive) + "' on '" + recursive.InputType.ToDisplayString()
                                + "' (positional patterns take apart tuples and positional record structs; use a property pattern { X: … } instead)"));
                    }
                    foreach (IPropertySubpatternOperation property in recursive.PropertySubpatterns)
                    {
                        tests.Add(() => StructMemberInput(input, property.Member) is { } member
                            ? LowerPattern(member, property.Pattern)
                            : Unsupported(property.Member, "the member '" + Describe(property.Member) + "' in the property pattern '" + Describe(recursive)
                                + "' (a pattern on a struct of reals reads its fields; read a computed property or method into a local first and test that)"));
                    }
                    IrExpression matched = AllOf(tests);
                    if (recursive.DeclaredSymbol is ILocalSymbol local) BindStructLocal(local, input);
                    return matched;
                }
                case IDeclarationPatternOperation declaration when AlwaysMatches(declaration):
                    if (declaration.DeclaredSymbol is ILocalSymbol declared) BindStructLocal(declared, input);
                    return IrConstant.Of(true);
                case IBinaryPatternOperation or INegatedPatternOperation:
                    return LowerCombinator(PatternInput.Of(input), pattern);
                case IDiscardPatternOperation:
                    return IrConstant.Of(true);
                case ITypePatternOperation when AlwaysMatches(pattern):
                    return IrConstant.Of(true);
                default:
                    return Unsupported(pattern, "the pattern '" + Describe(pattern) + "' on the struct '" + pattern.InputType.ToDisplayString()
                        + "' (a struct of reals is matched by property and positional patterns, var, discard, and/or/not; compare its fields instead)");
            }
        }

        /// <summary><c>is { … } q</c> or <c>var q</c> on a struct: a struct local holding a copy of the value.</summary>
        private void BindStructLocal(ILocalSymbol local, StructValue value)
        {
            StructVariable variable = NewStructLocal(MethodParser.EscapeIdentifier(local.Name), value.Shape);
            StoreStruct(variable, value, declaration: true);
            _structVariables[local] = variable;
        }

        /// <summary>
        /// The value of a member a property subpattern names (<c>X</c>, or <c>Inner.X</c> in an extended pattern): a slice of
        /// the struct's leaves. Null for a member that is not one of its fields (a computed property).
        /// </summary>
        private PatternInput? StructMemberInput(StructValue input, IOperation memberReference)
        {
            if (memberReference is not IMemberReferenceOperation { Member: { IsStatic: false } member, Instance: { } instance }) return null;
            StructValue? owner = input;
            if (instance is not IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.PatternInput })
            {
                owner = StructMemberInput(input, instance)?.Struct; // { Inner.X: … }: Inner first
            }
            if (owner is null) return null;
            int index = owner.Shape.IndexOf(MemberName(member));
            if (index < 0 || member is IPropertySymbol property && (property.IsIndexer || !IsAutoProperty(property, owner.Shape))) return null;
            return MemberOf(owner, index);
        }

        /// <summary>Member <paramref name="index"/> of a struct value: a nested struct's leaves, or the one leaf of a scalar.</summary>
        private static PatternInput MemberOf(StructValue owner, int index)
        {
            StructMember member = owner.Shape.Members[index];
            ImmutableArray<IrExpression> leaves = owner.Leaves.Skip(owner.Shape.FirstLeafOf(index)).Take(member.LeafCount).ToImmutableArray();
            return member.Nested is { } nested ? PatternInput.Of(new StructValue(nested, leaves)) : PatternInput.Of(leaves[0]);
        }

        /// <summary>
        /// Element <paramref name="position"/> of a positional pattern: a tuple's element, or the member a positional record
        /// struct's compiler-generated <c>Deconstruct</c> gives there. Null for a hand-written <c>Deconstruct</c>.
        /// </summary>
        private static PatternInput? PositionalElement(StructValue input, IRecursivePatternOperation pattern, int position)
        {
            if (pattern.DeconstructSymbol is null && pattern.InputType.IsTupleType)
            {
                return position < input.Shape.Members.Length ? MemberOf(input, position) : null;
            }
            if (pattern.DeconstructSymbol is IMethodSymbol { IsImplicitlyDeclared: true } deconstruct && position < deconstruct.Parameters.Length)
            {
                int index = input.Shape.IndexOf(MethodParser.EscapeIdentifier(deconstruct.Parameters[position].Name));
                return index < 0 ? null : MemberOf(input, index);
            }
            return null;
        }

        private static bool SameType(ITypeSymbol? matched, ITypeSymbol input) =>
            matched is null || SymbolEqualityComparer.Default.Equals(matched, input);

        // ---------------------------------------------------------------- arrays, spans and passive references

        /// <summary>
        /// <c>x is { Length: &gt; 0 }</c> on an array, a span or a passive reference (a string): a null test on a reference,
        /// then each member's pattern. The members of a differentiable array are its shape (<c>Length</c>, <c>Rank</c>).
        /// </summary>
        private IrExpression LowerRecursivePattern(IrExpression input, IRecursivePatternOperation pattern)
        {
            if (!SameType(pattern.MatchedType, pattern.InputType))
            {
                return Unsupported(pattern, "the type test in the pattern '" + Describe(pattern) + "' (the value already has its type; drop the type name)");
            }
            if (pattern.DeclaredSymbol is not null || pattern.DeconstructionSubpatterns.Length > 0)
            {
                return Unsupported(pattern, "the pattern '" + Describe(pattern) + "' on a value of type '" + pattern.InputType.ToDisplayString()
                    + "' (on an array, a span or a string, a property pattern tests members such as Length; use the value itself instead of a new name)");
            }
            var tests = new List<System.Func<IrExpression>>();
            if (pattern.InputType.IsReferenceType) tests.Add(() => NullTest(input, isNull: false));
            foreach (IPropertySubpatternOperation property in pattern.PropertySubpatterns)
            {
                tests.Add(() => ReferenceMemberInput(input, property.Member) is { } member
                    ? LowerPattern(member, property.Pattern)
                    : Unsupported(property.Member, "the member '" + Describe(property.Member) + "' of a differentiable value in the property pattern '" + Describe(pattern)
                        + "' (a pattern on an array or span tests its Length; test an element with a list pattern [ … ] or an index x[i] instead)"));
            }
            return AllOf(tests);
        }

        /// <summary>
        /// A member of an array, span or passive reference a property subpattern reads: a shape member of a differentiable
        /// array (data), or any member of a value that carries no derivative. Null otherwise.
        /// </summary>
        private IrExpression? ReferenceMemberInput(IrExpression input, IOperation memberReference)
        {
            if (memberReference is not IMemberReferenceOperation { Member: { IsStatic: false } member, Instance: { } instance, Type: { } type }) return null;
            if (member is IPropertySymbol { IsIndexer: true }) return null;
            IrExpression? owner = instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.PatternInput } ? input : ReferenceMemberInput(input, instance);
            if (owner is null) return null;
            bool isShape = owner.Type.Kind == IrTypeKind.Array && member.Name is "Length" or "LongLength" or "Rank" or "IsEmpty";
            IrType memberType = TypeOf(type);
            if (!isShape && (owner.Type.CarriesDerivative || memberType.CarriesDerivative)) return null;
            return Emit(new IrOpaque("{0}." + MethodParser.EscapeIdentifier(member.Name), ImmutableArray.Create(owner), memberType));
        }

        /// <summary>
        /// <c>x is [a, .., b]</c> on a one-dimensional array or span: the length test (exact, or at least the elements named
        /// when there is a <c>..</c>), then each element's pattern, elements after the <c>..</c> counted from the end.
        /// </summary>
        private IrExpression LowerListPattern(IrExpression input, IListPatternOperation pattern)
        {
            if (input.Type is not { Kind: IrTypeKind.Array, Layout: ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan } || input.Type.Element is not { } elementType)
            {
                return Unsupported(pattern, "the list pattern '" + Describe(pattern) + "' on a value of type '" + pattern.InputType.ToDisplayString()
                    + "' (list patterns are supported on arrays and spans of numbers)");
            }
            int slice = -1;
            for (int i = 0; i < pattern.Patterns.Length; i++)
            {
                if (pattern.Patterns[i] is not ISlicePatternOperation sliced) continue;
                slice = i;
                if (sliced.Pattern is not null)
                {
                    // Reported, and the rest lowered as if it were a plain '..', so the names the other elements bind exist.
                    Unsupported(sliced, "the slice pattern '" + Describe(sliced) + "' with a subpattern (a list pattern may skip elements with '..'; take the slice with x[a..b] instead)");
                }
            }
            if (pattern.DeclaredSymbol is not null)
            {
                return Unsupported(pattern, "the name declared by the list pattern '" + Describe(pattern) + "' (use the array itself)");
            }
            int named = slice < 0 ? pattern.Patterns.Length : pattern.Patterns.Length - 1;
            var tests = new List<System.Func<IrExpression>>();
            if (pattern.InputType.IsReferenceType) tests.Add(() => NullTest(input, isNull: false));
            IrExpression? length = null;
            tests.Add(() =>
            {
                length = Emit(new IrOpaque("{0}.Length", ImmutableArray.Create(input), IrType.Int));
                return Emit(new IrBinary(slice < 0 ? IrBinaryOperator.Equals : IrBinaryOperator.GreaterThanOrEqual, length, IrConstant.Of(named), IrType.Bool));
            });
            for (int i = 0; i < pattern.Patterns.Length; i++)
            {
                IPatternOperation element = pattern.Patterns[i];
                if (i == slice || element is IDiscardPatternOperation) continue;
                int position = i;
                tests.Add(() =>
                {
                    IrExpression index = slice < 0 || position < slice
                        ? IrConstant.Of(position)
                        : Emit(new IrBinary(IrBinaryOperator.Subtract, length!, IrConstant.Of(pattern.Patterns.Length - position), IrType.Int));
                    IrExpression value = Emit(new IrElementRead(input, ImmutableArray.Create(index), elementType));
                    return LowerPattern(value, element);
                });
            }
            return AllOf(tests);
        }
    }
}
