using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Calls of <c>System.Numerics.Tensors.TensorPrimitives</c> (issue 13): a reduction becomes an <see cref="IrSpanCall"/>
    /// value, a map an <see cref="IrSpanStore"/>; each span argument becomes an <see cref="IrSpan"/> view of an array or
    /// span variable (see IrSpan.cs for the design).
    /// </summary>
    internal sealed partial class MethodLowering
    {
        private const string TensorPrimitivesType = "System.Numerics.Tensors.TensorPrimitives";

        private static bool IsTensorPrimitives(IMethodSymbol callee) =>
            callee.IsStatic && callee.ContainingType?.ToDisplayString() == TensorPrimitivesType;

        /// <summary>Whether a type is one of the SIMD vector types (Vector&lt;T&gt;, Vector2/3/4 excluded, Vector64/128/256/512&lt;T&gt;) or their static helper classes.</summary>
        private static bool IsSimdVectorType(ITypeSymbol? type) =>
            type is INamedTypeSymbol named
            && (named.ContainingNamespace?.ToDisplayString() is "System.Numerics" && named.Name == "Vector"
                || named.ContainingNamespace?.ToDisplayString() is "System.Runtime.Intrinsics" && named.Name is "Vector64" or "Vector128" or "Vector256" or "Vector512");

        private IrExpression LowerTensorPrimitive(IInvocationOperation invocation, bool resultUsed)
        {
            IMethodSymbol callee = invocation.TargetMethod;
            // Generic overloads (Dot<T>) and the older float-only ones (Dot(ReadOnlySpan<float>, …)).
            ITypeSymbol? element = callee.IsGenericMethod
                ? callee.TypeArguments.Length == 1 ? callee.TypeArguments[0] : null
                : callee.Parameters.Select(p => p.Type).OfType<INamedTypeSymbol>().FirstOrDefault(t => t.Name is "ReadOnlySpan" or "Span" && t.TypeArguments.Length == 1)?.TypeArguments[0];
            var shape = new List<SpanParameter>();
            bool shapeKnown = element is { SpecialType: SpecialType.System_Double or SpecialType.System_Single };
            foreach (IParameterSymbol parameter in callee.Parameters)
            {
                if (!shapeKnown) break;
                if (SymbolEqualityComparer.Default.Equals(parameter.Type, element)) shape.Add(SpanParameter.Scalar);
                else if (parameter.Type is INamedTypeSymbol { Name: "ReadOnlySpan", TypeArguments.Length: 1 } r && SymbolEqualityComparer.Default.Equals(r.TypeArguments[0], element)) shape.Add(SpanParameter.Span);
                else if (parameter.Type is INamedTypeSymbol { Name: "Span", TypeArguments.Length: 1 } w && SymbolEqualityComparer.Default.Equals(w.TypeArguments[0], element)
                    && parameter.Ordinal == callee.Parameters.Length - 1) shape.Add(SpanParameter.Destination);
                else shapeKnown = false;
            }
            bool returnsValue = !callee.ReturnsVoid;
            SpanRule? rule = shapeKnown && (!returnsValue || SymbolEqualityComparer.Default.Equals(callee.ReturnType, element))
                ? RuleTable.FindSpan(callee.Name, shape, returnsValue)
                : null;

            // Arguments in source order, passed in parameter order.
            var lowered = new IrExpression[callee.Parameters.Length];
            IrType? elementType = shapeKnown ? TypeOf(element!) : null;
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                int ordinal = argument.Parameter!.Ordinal;
                if (rule is not null && shape[ordinal] != SpanParameter.Scalar)
                {
                    lowered[ordinal] = LowerSpanOperand(argument.Value, elementType!, shape[ordinal] == SpanParameter.Destination);
                }
                else
                {
                    IrExpression value = LowerExpression(WithoutArrayToSpanConversion(argument.Value));
                    if (rule is not null && value.Type.CSharpName != elementType!.CSharpName && IsNumeric(value.Type)) value = Emit(new IrConvert(value, elementType));
                    lowered[ordinal] = value;
                }
            }
            var arguments = lowered.ToImmutableArray();

            if (rule is null)
            {
                // A member (or overload) the table does not have: fine on data, an error on anything differentiable.
                foreach (IrExpression argument in DerivativeCarrying(arguments))
                {
                    AddPending(invocation, DiagnosticDescriptors.TensorPrimitiveWithoutRule, argument,
                        callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), isError: true);
                }
                string placeholders = string.Join(", ", Enumerable.Range(0, arguments.Length).Select(i => "{" + i + "}"));
                var call = new IrOpaque(SpanRule.Owner + "." + callee.Name + "(" + placeholders + ")", arguments,
                    callee.ReturnsVoid ? new IrType(IrTypeKind.Other, "void") : TypeOf(callee.ReturnType));
                if (callee.ReturnsVoid || !resultUsed)
                {
                    Add(new IrEffect(call));
                    return IrConstant.Of(0);
                }
                return Emit(call);
            }

            for (int i = 0; i < shape.Count; i++)
            {
                if (shape[i] != SpanParameter.Scalar && arguments[i] is not IrSpan { Variable: not null })
                {
                    return callee.ReturnsVoid ? IrConstant.Of(0) : new IrConstant(null, elementType!); // reported where the operand was lowered
                }
            }
            if (rule.NonSmooth is { } nonSmooth)
            {
                foreach (IrExpression argument in arguments.Take(rule.Kind == SpanRuleKind.Map ? arguments.Length - 1 : arguments.Length))
                {
                    IrExpression operand = argument is IrSpan span ? span.Array : argument;
                    if (operand.Type.CarriesDerivative) AddNonSmoothPending(invocation, operand, "'" + Describe(invocation) + "'", nonSmooth.Where, nonSmooth.Subgradient);
                }
            }
            if (rule.Kind == SpanRuleKind.Reduction)
            {
                return Emit(new IrSpanCall(rule.Function, arguments, elementType!));
            }
            Add(new IrSpanStore(new IrSpanCall(rule.Function, arguments, new IrType(IrTypeKind.Other, "void"))));
            return IrConstant.Of(0);
        }

        /// <summary>
        /// A span argument as a view of a variable: the array or span itself (<c>x</c>), or a slice written at the call
        /// (<c>x.AsSpan(s, n)</c>, <c>x.AsSpan(s)</c>, <c>x.Slice(s, n)</c>, <c>new ReadOnlySpan&lt;T&gt;(x, s, n)</c>, nested).
        /// </summary>
        private IrExpression LowerSpanOperand(IOperation value, IrType element, bool isDestination)
        {
            IrType spanType = IrType.ArrayOf(element, isDestination ? ArrayLayout.Span : ArrayLayout.ReadOnlySpan);
            IOperation operation = value;
            // Implicit conversions: T[] → (ReadOnly)Span<T>, Span<T> → ReadOnlySpan<T>.
            while (operation is IConversionOperation { IsImplicit: true } conversion) operation = conversion.Operand;

            if (operation is ILocalReferenceOperation { Local: var spanLocal } && _spanViews.TryGetValue(spanLocal, out IrSpan? declared))
            {
                return CheckDestination(value, declared with { SpanType = spanType }, isDestination);
            }
            IOperation? source = null, start = null, length = null;
            switch (operation)
            {
                case IInvocationOperation { TargetMethod: { Name: "AsSpan", ContainingType: { } owner } method } asSpan
                    when owner.ToDisplayString() == "System.MemoryExtensions" && method.Parameters.Length >= 1 && method.Parameters.Skip(1).All(p => p.Type.SpecialType == SpecialType.System_Int32):
                    source = asSpan.Arguments.First(a => a.Parameter!.Ordinal == 0).Value;
                    start = asSpan.Arguments.FirstOrDefault(a => a.Parameter!.Ordinal == 1)?.Value;
                    length = asSpan.Arguments.FirstOrDefault(a => a.Parameter!.Ordinal == 2)?.Value;
                    break;
                case IInvocationOperation { TargetMethod.Name: "Slice", Instance: { Type: INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" } } instance } slice
                    when slice.TargetMethod.Parameters.All(p => p.Type.SpecialType == SpecialType.System_Int32):
                    source = instance;
                    start = slice.Arguments.FirstOrDefault(a => a.Parameter!.Ordinal == 0)?.Value;
                    length = slice.Arguments.FirstOrDefault(a => a.Parameter!.Ordinal == 1)?.Value;
                    break;
                case IObjectCreationOperation { Type: INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" }, Constructor: { } constructor } creation
                    when constructor.Parameters.Length is 1 or 3 && constructor.Parameters[0].Type is IArrayTypeSymbol:
                    source = creation.Arguments.First(a => a.Parameter!.Ordinal == 0).Value;
                    start = creation.Arguments.FirstOrDefault(a => a.Parameter!.Ordinal == 1)?.Value;
                    length = creation.Arguments.FirstOrDefault(a => a.Parameter!.Ordinal == 2)?.Value;
                    break;
            }

            if (source is null && operation is IInvocationOperation { TargetMethod.Name: "AsSpan" or "Slice" } unsupportedSlice
                && (unsupportedSlice.TargetMethod.ContainingType?.ToDisplayString() == "System.MemoryExtensions" || unsupportedSlice.Instance?.Type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" }))
            {
                // x.AsSpan(1..^1), x.Slice(Index…): only int offsets and lengths name a view the engine can follow.
                Report(DiagnosticDescriptors.UnsupportedSpanOperand, value.Syntax.GetLocation(), value.Syntax.ToString(), _method.Name);
                return new IrConstant(null, spanType);
            }
            if (source is null)
            {
                IrExpression whole = LowerExpression(operation);
                if (whole is IrSpan view) return view;
                if (whole is IrVariableReference { Variable: { Role: not (IrVariableRole.Parameter or IrVariableRole.Local) } or { Type.Layout: not ArrayLayout.Vector, Role: IrVariableRole.Local } } opaque
                    && opaque.Type.IsDifferentiableArray)
                {
                    // A span computed by something the engine does not follow, or held in a span local: its elements
                    // would carry no derivative back to the array they view. An error when it is active.
                    AddPending(value, DiagnosticDescriptors.UnsupportedSpanOperand, opaque, value.Syntax.ToString(), isError: true);
                }
                if (whole is IrVariableReference { Type: { Kind: IrTypeKind.Array, Layout: ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan } } reference)
                {
                    return CheckDestination(value, new IrSpan(reference, null, null, spanType), isDestination);
                }
                if (whole.Type.CarriesDerivative || whole is IrVariableReference { Type.Kind: IrTypeKind.Other })
                {
                    Report(DiagnosticDescriptors.UnsupportedSpanOperand, value.Syntax.GetLocation(), value.Syntax.ToString(), _method.Name);
                }
                return whole;
            }

            // A slice of a slice: the offsets add up.
            IrExpression inner = LowerSpanOperand(source, element, isDestination);
            if (inner is not IrSpan parent) return inner;
            IrExpression? startValue = start is null ? null : LowerExpression(start);
            IrExpression? lengthValue = length is null ? null : LowerExpression(length);
            IrExpression? combinedStart = parent.Start is null ? startValue
                : startValue is null ? parent.Start
                : Emit(new IrBinary(IrBinaryOperator.Add, parent.Start, startValue, IrType.Int));
            if (lengthValue is null && startValue is not null)
            {
                // x.Slice(s): up to the end of the parent view.
                IrExpression parentLength = parent.Length ?? Emit(new IrOpaque("{0}.Length", ImmutableArray.Create(parent.Array), IrType.Int));
                lengthValue = Emit(new IrBinary(IrBinaryOperator.Subtract, parentLength, startValue, IrType.Int));
            }
            else if (lengthValue is null)
            {
                lengthValue = parent.Length;
            }
            return new IrSpan(parent.Array, combinedStart, lengthValue, spanType);
        }

        /// <summary>A destination must be the method's own array or span (a parameter or local), as for <c>a[i] = …</c>.</summary>
        private IrExpression CheckDestination(IOperation value, IrSpan view, bool isDestination)
        {
            if (isDestination && (view.Variable is not { } array || array.Role is not (IrVariableRole.Parameter or IrVariableRole.Local) || _sharedArrays.Contains(array)))
            {
                Report(DiagnosticDescriptors.WriteToMember, value.Syntax.GetLocation(), value.Syntax.ToString(), _method.Name);
                return new IrConstant(null, view.Type);
            }
            return view;
        }

        /// <summary>
        /// Span locals that view an array of the method (<c>ReadOnlySpan&lt;double&gt; row = w.AsSpan(i * n, n);</c>): not
        /// variables of the IR but names for a view, resolved where they are used (a TensorPrimitives argument, an
        /// element, a slice, <c>.Length</c>), so their elements are the array's and the gradient reaches it.
        /// </summary>
        private readonly Dictionary<ISymbol, IrSpan> _spanViews = new(SymbolEqualityComparer.Default);

        /// <summary>
        /// Declares <paramref name="local"/> as a view when it is a span of double or float, initialised with an array or
        /// span of the method or a slice of one, and never assigned again; its offset and length are evaluated here,
        /// once, as C# does.
        /// </summary>
        private bool? _usesTensorPrimitives;

        /// <summary>Whether the method's body names TensorPrimitives (read from syntax, once).</summary>
        private bool UsesTensorPrimitives => _usesTensorPrimitives ??= _method.DeclaringSyntaxReferences.Any(r =>
            r.GetSyntax().DescendantTokens().Any(t => t.ValueText == "TensorPrimitives"));

        private bool TryDeclareSpanView(ILocalSymbol local, IVariableInitializerOperation? initializer)
        {
            if (initializer is null || local.Type is not INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", TypeArguments.Length: 1 } spanType
                || spanType.ContainingNamespace?.ToDisplayString() != "System"
                || spanType.TypeArguments[0].SpecialType is not (SpecialType.System_Double or SpecialType.System_Single)
                || IsReassigned(local))
            {
                return false;
            }
            IrType element = TypeOf(spanType.TypeArguments[0]);
            IrExpression lowered = LowerSpanOperand(initializer.Value, element, isDestination: false);
            if (lowered is not IrSpan { Variable: { Role: IrVariableRole.Parameter or IrVariableRole.Local } } view) return false;
            IrExpression? Snapshot(IrExpression? e) => e is IrVariableReference { Variable.Role: not IrVariableRole.Temporary } ? Copy(e) : e;
            _spanViews[local] = view with
            {
                Start = Snapshot(view.Start),
                Length = Snapshot(view.Length),
                SpanType = IrType.ArrayOf(element, spanType.Name == "Span" ? ArrayLayout.Span : ArrayLayout.ReadOnlySpan),
            };
            return true;
        }

        /// <summary>Whether the method assigns <paramref name="local"/> after its declaration (read from syntax: by name, conservatively).</summary>
        private bool IsReassigned(ILocalSymbol local)
        {
            foreach (SyntaxReference reference in _method.DeclaringSyntaxReferences)
            {
                foreach (SyntaxNode node in reference.GetSyntax().DescendantNodes())
                {
                    if (node is Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax { Left: Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax name }
                        && name.Identifier.ValueText == local.Name)
                    {
                        return true;
                    }
                    if (node is Microsoft.CodeAnalysis.CSharp.Syntax.ArgumentSyntax { RefKindKeyword.ValueText: "ref" or "out", Expression: Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax refName }
                        && refName.Identifier.ValueText == local.Name)
                    {
                        return true;
                    }
                }
            }
            return false;
        }

        /// <summary><c>row[k]</c> on a span-local view: the element <c>start + k</c> of the array it views.</summary>
        private IrElementRead? SpanViewElement(IPropertyReferenceOperation indexer, IOperation? evaluatedAfter)
        {
            if (indexer.Instance is not ILocalReferenceOperation { Local: var local } || !_spanViews.TryGetValue(local, out IrSpan? view)) return null;
            IrExpression index = LowerOperands(new[] { indexer.Arguments[0].Value }, evaluatedAfter)[0];
            if (view.Start is not null) index = Emit(new IrBinary(IrBinaryOperator.Add, view.Start, index, IrType.Int));
            return new IrElementRead(view.Array, ImmutableArray.Create(index), view.SpanType.Element!);
        }

        /// <summary><c>row.Length</c> (and <c>IsEmpty</c>) of a span-local view.</summary>
        private IrExpression? SpanViewMember(ISymbol member, IOperation? instance)
        {
            if (instance is not ILocalReferenceOperation { Local: var local } || !_spanViews.TryGetValue(local, out IrSpan? view)) return null;
            return member.Name switch
            {
                "Length" => Emit(view.LengthExpression),
                "IsEmpty" => Emit(new IrBinary(IrBinaryOperator.Equals, Emit(view.LengthExpression), IrConstant.Of(0), IrType.Bool)),
                _ => null,
            };
        }
    }
}
