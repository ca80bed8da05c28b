using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// SIMD vector code, <c>Vector&lt;T&gt;</c> and <c>Vector64/128/256/512&lt;T&gt;</c> of double or float (IrSimd.cs has the
    /// design): the operators become <see cref="IrBinary"/>/<see cref="IrUnary"/> on vector values, the named operations
    /// of the rule table <see cref="IrSimdCall"/>s, loads a <see cref="SimdFunction.Load"/> of a span view and stores an
    /// <see cref="IrSimdStore"/>. Anything else on a differentiable vector is ADG0403, naming the operation and the way out.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        private const string SimdWayOut = "write that step with TensorPrimitives on spans, or as a scalar loop";

        /// <summary>Whether the type is a vector of double or float lanes the engine differentiates.</summary>
        private static bool IsDifferentiableSimd(ITypeSymbol? type) => type is not null && TypeMapper.TypeOf(type).IsSimdVector;

        /// <summary><c>Vector&lt;double&gt;.Zero</c> and <c>.One</c>: constant vectors; <c>.Count</c>, the lane count; null for any other member.</summary>
        private static IrExpression? SimdConstant(IPropertyReferenceOperation property)
        {
            if (property.Property is { IsStatic: true, Name: "Count" } && TypeMapper.SimdFamilyOf(property.Property.ContainingType) is not null)
            {
                return new IrSimdLaneCount(new IrType(IrTypeKind.Other, MethodParser.TypeName(property.Property.ContainingType)));
            }
            if (!property.Property.IsStatic || property.Type is null || !IsDifferentiableSimd(property.Type)) return null;
            IrType type = TypeMapper.TypeOf(property.Type);
            return property.Property.Name switch
            {
                "Zero" => IrConstant.Real(0, type),
                "One" => IrConstant.Real(1, type),
                _ => null,
            };
        }

        /// <summary><c>new Vector&lt;T&gt;(s)</c> (broadcast), <c>new Vector&lt;T&gt;(span | array[, index])</c> (load).</summary>
        private IrExpression LowerSimdCreation(IObjectCreationOperation creation)
        {
            if (IsDifferentiableSimd(creation.Type) && LowerSimdConstruction(creation, creation.Constructor!, creation.Arguments) is { } lowered) return lowered;
            ImmutableArray<IrExpression> operands = LowerOperands(creation.Arguments.Select(a => WithoutArrayToSpanConversion(a.Value)).ToList(), null);
            ReportSimdVectorOperands(creation, operands, "only new Vector<T>(value), new Vector<T>(span) and new Vector<T>(array[, index]) are differentiated");
            string placeholders = string.Join(", ", Enumerable.Range(0, operands.Length).Select(i => "{" + i + "}"));
            return Emit(new IrOpaque("new " + MethodParser.TypeName(creation.Type!) + "(" + placeholders + ")", operands, TypeOf(creation.Type!)));
        }

        /// <summary>
        /// A broadcast or a load written as a constructor or a <c>Create</c>: one scalar of the lane type, or one span or array
        /// (optionally with a start index) of it. Null for any other shape (several scalars, bytes).
        /// </summary>
        private IrExpression? LowerSimdConstruction(IOperation operation, IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments)
        {
            IrType vectorType = TypeMapper.TypeOf(method.MethodKind == MethodKind.Constructor ? method.ContainingType : method.ReturnType);
            IrType lane = vectorType.Element!;
            var ordered = arguments.OrderBy(a => a.Parameter!.Ordinal).ToList();
            if (ordered.Count == 1 && TypeMapper.TypeOf(ordered[0].Parameter!.Type) is { IsDifferentiable: true, IsSimdVector: false } scalarType && scalarType.CSharpName == lane.CSharpName)
            {
                IrExpression value = LowerExpression(ordered[0].Value);
                if (value.Type.CSharpName != lane.CSharpName && IsNumeric(value.Type)) value = Emit(new IrConvert(value, lane));
                return value is IrConstant { Value: double or float } constant
                    ? IrConstant.Real(System.Convert.ToDouble(constant.Value), vectorType)
                    : Emit(new IrSimdCall(SimdFunction.Broadcast, ImmutableArray.Create(value), vectorType));
            }
            bool sourceIsLanes = ordered.Count is 1 or 2 && TypeMapper.TypeOf(ordered[0].Parameter!.Type) is { Kind: IrTypeKind.Array, Rank: 1 } source
                && source.Element!.CSharpName == lane.CSharpName
                && (ordered.Count == 1 || ordered[1].Parameter!.Type.SpecialType == SpecialType.System_Int32);
            if (!sourceIsLanes) return null;
            if (LowerSimdWindow(operation, ordered[0].Value, ordered.Count == 2 ? ordered[1].Value : null, lane, isDestination: false) is not { } view) return IrConstant.Real(0, vectorType);
            return Emit(new IrSimdCall(SimdFunction.Load, ImmutableArray.Create<IrExpression>(view), vectorType));
        }

        /// <summary>The window of a load or store: a span view of an array or span of the method, moved on by <paramref name="index"/> if given.</summary>
        private IrSpan? LowerSimdWindow(IOperation at, IOperation source, IOperation? index, IrType lane, bool isDestination)
        {
            while (source is IConversionOperation { IsImplicit: true } conversion) source = conversion.Operand;
            if (index is null && source is IInvocationOperation { Arguments.Length: 1, TargetMethod.Name: "Slice", Instance: { Type: INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" } } sliced } slice
                && slice.Arguments[0].Value.Type?.SpecialType == SpecialType.System_Int32)
            {
                return LowerSimdWindow(at, sliced, slice.Arguments[0].Value, lane, isDestination); // x.Slice(i): no length to compute
            }
            if (index is null && source is IInvocationOperation { Arguments.Length: 2, TargetMethod: { Name: "AsSpan", ContainingType: { } owner } } asSpan
                && owner.ToDisplayString() == "System.MemoryExtensions" && asSpan.Arguments.First(a => a.Parameter!.Ordinal == 1).Value.Type?.SpecialType == SpecialType.System_Int32)
            {
                return LowerSimdWindow(at, asSpan.Arguments.First(a => a.Parameter!.Ordinal == 0).Value, asSpan.Arguments.First(a => a.Parameter!.Ordinal == 1).Value, lane, isDestination);
            }
            IrExpression lowered = LowerSpanOperand(source, lane, isDestination);
            if (lowered is not IrSpan { Variable: not null } view)
            {
                if (lowered.Type.CarriesDerivative && !(lowered is IrConstant)) AddPending(at, DiagnosticDescriptors.SimdVectorNotSupported, lowered, Describe(at), isError: true,
                    extraArgument: "a vector is loaded from or stored to an array or span of the method, or a slice of one (x, x.Slice(i), x.AsSpan(i))");
                return null;
            }
            if (index is null) return view;
            IrExpression start = LowerExpression(index);
            IrExpression combined = view.Start is null ? start : Emit(new IrBinary(IrBinaryOperator.Add, view.Start, start, IrType.Int));
            // The window runs to the end of the view (only Count lanes are touched).
            IrExpression? length = view.Length is null ? null : Emit(new IrBinary(IrBinaryOperator.Subtract, view.Length, start, IrType.Int));
            return view with { Start = combined, Length = length };
        }

        /// <summary>
        /// A call on a SIMD vector, or of the static helper classes Vector and Vector64…512: null when it is none of
        /// those (the caller lowers it as any other call).
        /// </summary>
        private IrExpression? TryLowerSimdInvocation(IInvocationOperation invocation, bool resultUsed)
        {
            IMethodSymbol callee = invocation.TargetMethod;
            bool onHelper = callee.IsStatic && IsSimdVectorType(callee.ContainingType);
            bool onVector = !callee.IsStatic && TypeMapper.SimdFamilyOf(callee.ContainingType) is not null;
            if (!onHelper && !onVector) return null;
            if (invocation.Arguments.Any(a => a.Parameter!.RefKind != RefKind.None))
            {
                // Vector.LoadUnsafe(ref x[i]), StoreUnsafe(ref …): the engine follows no reference. ADG0403 on the array
                // referenced, with the way out, rather than ADG0101 on the ref argument.
                IOperation Storage(IOperation value) => value switch
                {
                    IArrayElementReferenceOperation element => element.ArrayReference,
                    IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance } => instance,
                    _ => value,
                };
                ReportSimdVectorOperands(invocation, invocation.Arguments.Select(a => LowerExpression(Storage(a.Value))).ToList());
                return callee.ReturnsVoid ? IrConstant.Of(0) : new IrConstant(null, TypeOf(callee.ReturnType));
            }
            // The receiver first: an extension method (v.CopyTo(span) on Vector256) has it as its first argument.
            var arguments = invocation.Arguments.OrderBy(a => a.Parameter!.Ordinal).ToList();
            IOperation? receiver = onVector ? invocation.Instance : arguments.Count > 0 && callee.IsExtensionMethod ? arguments[0].Value : null;
            var rest = onVector || !callee.IsExtensionMethod ? arguments : arguments.Skip(1).ToList();
            IrType? resultType = callee.ReturnsVoid ? null : TypeOf(callee.ReturnType);
            string name = callee.Name;

            if (name == "CopyTo" && receiver is not null && IsDifferentiableSimd(receiver.Type) && rest.Count is 1 or 2)
            {
                IrExpression value = LowerExpression(receiver);
                if (LowerSimdWindow(invocation, rest[0].Value, rest.Count == 2 ? rest[1].Value : null, value.Type.Element!, isDestination: true) is { } destination)
                {
                    Add(new IrSimdStore(destination, value));
                }
                return IrConstant.Of(0);
            }
            if (onHelper && name == "Create" && resultType is { IsSimdVector: true } && LowerSimdConstruction(invocation, callee, invocation.Arguments) is { } created)
            {
                return created;
            }
            if (onHelper && resultType is not null && arguments.All(a => a.Parameter!.RefKind == RefKind.None))
            {
                switch (name)
                {
                    case "Add" or "Subtract" or "Multiply" or "Divide" when arguments.Count == 2 && resultType.IsSimdVector:
                    {
                        var operands = LowerOperands(arguments.Select(a => a.Value).ToList(), null);
                        var op = name switch { "Add" => IrBinaryOperator.Add, "Subtract" => IrBinaryOperator.Subtract, "Multiply" => IrBinaryOperator.Multiply, _ => IrBinaryOperator.Divide };
                        return Emit(new IrBinary(op, operands[0], operands[1], resultType));
                    }
                    case "Negate" when arguments.Count == 1 && resultType.IsSimdVector:
                        return Emit(new IrUnary(IrUnaryOperator.Negate, LowerExpression(arguments[0].Value), resultType));
                }
                if (RuleTable.FindSimd(name) is { } rule && arguments.Count == rule.Arity
                    && arguments.Select((a, i) => rule.PassiveArguments.Contains(i) || IsDifferentiableSimd(a.Value.Type)).All(ok => ok)
                    && (resultType.IsSimdVector || resultType.IsDifferentiable))
                {
                    var operands = LowerOperands(arguments.Select(a => a.Value).ToList(), null);
                    if (rule.NonSmooth is { } nonSmooth)
                    {
                        foreach (IrExpression operand in operands.Where((_, i) => !rule.PassiveArguments.Contains(i)))
                        {
                            AddNonSmoothPending(invocation, operand, "'" + Describe(invocation) + "'", nonSmooth.Where, nonSmooth.Subgradient);
                        }
                    }
                    return Emit(new IrSimdCall(rule.Function, operands, resultType));
                }
            }
            return null; // anything else: an ordinary call, reported as ADG0403 on a differentiable operand (LowerInvocation)
        }

        /// <summary>A lane-wise comparison (a mask) or an all/any test (a bool): passive, like a comparison of scalars.</summary>
        private static bool IsSimdComparison(IMethodSymbol callee) =>
            callee.Name is "Equals" or "GreaterThan" or "GreaterThanOrEqual" or "LessThan" or "LessThanOrEqual"
                or "EqualsAll" or "EqualsAny" or "GreaterThanAll" or "GreaterThanAny" or "GreaterThanOrEqualAll" or "GreaterThanOrEqualAny"
                or "LessThanAll" or "LessThanAny" or "LessThanOrEqualAll" or "LessThanOrEqualAny" or "IsNaN" or "IsNegative" or "IsPositive" or "IsZero";

        /// <summary>An operator of a SIMD vector type (<c>v * w</c>, <c>v * s</c>, <c>-v</c>): the IR operator, lane-wise; null for others.</summary>
        private static bool IsSimdOperator(IMethodSymbol? method) => method is not null && TypeMapper.SimdFamilyOf(method.ContainingType) is not null;

        /// <summary>Why an operation on a differentiable vector is refused (ADG0403's last argument).</summary>
        private static string SimdRefusal(IOperation operation) => operation switch
        {
            IInvocationOperation { TargetMethod.Name: "LoadUnsafe" or "Load" or "LoadAligned" or "LoadAlignedNonTemporal" } =>
                "loads through references or pointers are not followed; load with new Vector<T>(span.Slice(i)) or Vector256.Create(span.Slice(i)), or " + SimdWayOut,
            IInvocationOperation { TargetMethod.Name: "StoreUnsafe" or "Store" or "StoreAligned" or "StoreAlignedNonTemporal" } =>
                "stores through references or pointers are not followed; store with v.CopyTo(span.Slice(i)), or " + SimdWayOut,
            IInvocationOperation { TargetMethod.Name: "Create" } =>
                "only Create(value) (one value in every lane) and Create(span or array) (a load) are differentiated; broadcast one value or load the lanes from a span, or " + SimdWayOut,
            IInvocationOperation { TargetMethod.Name: "GetElement" or "WithElement" or "ToScalar" } or IPropertyReferenceOperation { Property.IsIndexer: true } =>
                "single lanes are not differentiated; reduce with Vector.Sum or Vector.Dot, or " + SimdWayOut,
            IInvocationOperation invocation =>
                "the differentiated vector operations are + - * / and unary -, " + string.Join(", ", RuleTable.SimdNames.OrderBy(n => n, System.StringComparer.Ordinal))
                + ", Create, loads from spans and arrays and CopyTo; '" + invocation.TargetMethod.Name + "' is not one; " + SimdWayOut,
            _ => SimdWayOut,
        };

        /// <summary>A SIMD operation on differentiable values the engine does not follow: ADG0403 with the way out.</summary>
        private void ReportSimdVectorOperands(IOperation operation, IEnumerable<IrExpression> operands, string? why = null)
        {
            foreach (IrExpression operand in DerivativeCarrying(operands))
            {
                AddPending(operation, DiagnosticDescriptors.SimdVectorNotSupported, operand, Describe(operation), isError: true, extraArgument: why ?? SimdRefusal(operation));
            }
        }
    }
}
