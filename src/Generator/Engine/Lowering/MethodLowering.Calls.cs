using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Calls: math functions from the rule table, [Differentiable] callees (their companions), hand-written <c>…Backward</c> methods, passive calls, and member reads.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary>
        /// Whether a callee declared in source assigns an element of <paramref name="parameter"/> (<c>a[i] = …</c>,
        /// <c>a[i] += …</c>, <c>a[i]++</c>) — read from its syntax, which is all the callee's declaration offers here.
        /// A callee compiled elsewhere is assumed not to (its companions were generated where it is declared).
        /// </summary>
        private static bool WritesIntoParameter(IMethodSymbol callee, IParameterSymbol parameter)
        {
            foreach (SyntaxReference reference in callee.OriginalDefinition.DeclaringSyntaxReferences)
            {
                foreach (SyntaxNode node in reference.GetSyntax().DescendantNodes())
                {
                    ExpressionSyntax? written = node switch
                    {
                        AssignmentExpressionSyntax assignment => assignment.Left,
                        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix => prefix.Operand,
                        PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } postfix => postfix.Operand,
                        _ => null,
                    };
                    while (written is ElementAccessExpressionSyntax element)
                    {
                        if (element.Expression is IdentifierNameSyntax name && name.Identifier.ValueText == parameter.Name) return true;
                        written = element.Expression;
                    }
                }
            }
            return false;
        }

        private static IOperation WithoutArrayToSpanConversion(IOperation value) =>
            value is IConversionOperation { IsImplicit: true, Operand.Type: IArrayTypeSymbol { Rank: 1 } array } conversion
            && conversion.Type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", TypeArguments.Length: 1 } span
            && SymbolEqualityComparer.Default.Equals(span.TypeArguments[0], array.ElementType)
                ? conversion.Operand
                : value;

        /// <param name="resultUsed">False for a call evaluated as a statement: its value, if any, is discarded.</param>
        /// <param name="structResult">For a callee returning a struct of reals called through its companions: where its leaves
        /// go (one call per leaf, MethodLowering.StructCallees.cs); null otherwise.</param>
        private IrExpression LowerInvocation(IInvocationOperation invocation, bool resultUsed, StructVariable? structResult = null)
        {
            IMethodSymbol callee = invocation.TargetMethod;
            if (callee.MethodKind == MethodKind.LocalFunction)
            {
                return LowerLocalFunctionCall(invocation, resultUsed);
            }
            if (IsTensorPrimitives(callee))
            {
                return LowerTensorPrimitive(invocation, resultUsed);
            }
            if (TryLowerSimdInvocation(invocation, resultUsed) is { } simd)
            {
                return simd; // Vector<T>, Vector256<T>… (MethodLowering.Simd.cs)
            }
            if (InlinesDifferentiableCallee(invocation) && !ReturnsStruct(callee))
            {
                return InlineDifferentiableCallee(invocation, resultUsed, structResult: null); // MethodLowering.StructCallees.cs
            }
            if (KnownNames.HasAttribute(callee.OriginalDefinition, KnownNames.DifferentiableAttribute) && KnownNames.IsVectorValued(callee) && structResult is null)
            {
                // Its MBackward takes a seed per output; call lowering passes one seed (the result's) today.
                Report(DiagnosticDescriptors.VectorValuedNotSupported, invocation.Syntax.GetLocation(), Describe(invocation), _method.Name,
                    "'" + callee.Name + "' is vector-valued (it has out or [Output] parameters), and calls of vector-valued methods are not differentiated yet: "
                    + "call a scalar-valued [Differentiable] method per output, or inline the computation");
                return IrConstant.Of(0);
            }
            if (callee.ReturnsVoid && ShapeOf(callee.ContainingType) is not null
                && InlineMember(invocation, callee, invocation.Instance, invocation.Arguments, null, null, resultUsed: false))
            {
                return IrConstant.Of(0); // p.Scale(2) on a user struct: inlined from source (MethodLowering.StructMembers.cs)
            }
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                bool interpolationHandler = argument.Value is IInterpolatedStringHandlerCreationOperation; // Debug.Assert(c, $"…"): written the same way
                if (argument.Parameter is null || argument.Parameter.RefKind is not (RefKind.None or RefKind.In) && !interpolationHandler
                    || argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is not IArrayCreationOperation)
                {
                    return Unsupported(argument, "the argument '" + argument.Syntax + "' (passed by reference)");
                }
            }
            // A void call (Debug.Assert, Console.WriteLine) only reads its arguments: a comparison there selects no branch.
            bool effectOnly = callee.ReturnsVoid || !resultUsed;
            if (callee.ReturnsVoid) _effectArguments++;
            // A struct of reals passed to a callee with companions goes as its leaves (MethodLowering.StructCallees.cs).
            List<(int Ordinal, StructShape Shape, string Name)> structParameters = CallTargets.TryCreate(callee, structResult is not null) is not null ? StructParametersOf(callee) : new();
            List<IrExpression> arguments;
            try
            {
                // Evaluated in source order, passed in parameter order. An array passed to a span parameter is passed as is:
                // the generated call converts it the same way (and an adjoint array converts to the callee's Span adjoint).
                if (structParameters.Count > 0)
                {
                    arguments = LowerStructCallArguments(invocation, structParameters);
                }
                else
                {
                    ImmutableArray<IrExpression> evaluated = LowerOperands(invocation.Arguments.Select(a => WithoutArrayToSpanConversion(a.Value)).ToList(), null);
                    arguments = invocation.Arguments.Select((a, i) => (a.Parameter!.Ordinal, Value: evaluated[i]))
                        .OrderBy(a => a.Ordinal).Select(a => a.Value).ToList();
                }
            }
            finally
            {
                if (callee.ReturnsVoid) _effectArguments--;
            }

            if (GenericMath.IsCreate(callee) && (TypeOf(callee.ReturnType).IsDifferentiable || arguments[0].Type.Kind == IrTypeKind.GenericReal))
            {
                return LowerGenericCreate(invocation, arguments[0]); // T.CreateChecked(2), double.CreateChecked(t) (MethodLowering.GenericMath.cs)
            }

            // Math / MathF / double / float functions of the rule table, and T.Sin… of generic math.
            FunctionRule? rule = MathMembers.Find(callee);
            if (rule is { Function: MathFunction function })
            {
                if (rule.NonSmooth is { } nonSmooth)
                {
                    foreach (IrExpression argument in arguments.Where(a => a.Type.IsDifferentiable))
                    {
                        AddNonSmoothPending(invocation, argument, "'" + Describe(invocation) + "'", nonSmooth.Where, nonSmooth.Subgradient);
                    }
                }
                foreach (int flat in rule.FlatArguments)
                {
                    IArgumentOperation argument = invocation.Arguments.First(a => a.Parameter!.Ordinal == flat);
                    AddPending(argument, DiagnosticDescriptors.ZeroDerivativeOperation, arguments[flat],
                        "'" + Describe(invocation) + "' with respect to '" + Describe(argument) + "'");
                }
                return Emit(new IrMathCall(function, arguments.ToImmutableArray(), TypeOf(callee.ReturnType)));
            }

            IrExpression? receiver = null;
            if (!callee.IsStatic && invocation.Instance is not null)
            {
                receiver = LowerExpression(invocation.Instance);
            }

            CallTarget? target = CallTargets.TryCreate(callee, structResult is not null);
            bool calleeHasErrors = target is not null && _calleeGetsCompanions is not null
                && callee.DeclaringSyntaxReferences.Length > 0 && !HasHandWrittenBackward(callee)
                && !_calleeGetsCompanions(callee.OriginalDefinition);
            if (calleeHasErrors)
            {
                // Its …Backward will not be generated: calling it would be generated code that does not compile.
                foreach (IrExpression argument in DerivativeCarrying(arguments.Concat(receiver is null ? Array.Empty<IrExpression>() : new[] { receiver })))
                {
                    AddPending(invocation, DiagnosticDescriptors.UnsupportedConstruct, argument,
                        "the call '" + Describe(invocation) + "': '" + callee.Name + "' is [Differentiable] but gets no companions until its own errors are fixed", isError: true);
                }
                target = null;
            }
            if (target is not null && StructCallRefusal(invocation, structResult is not null) is { } structRefusal)
            {
                return Unsupported(invocation, structRefusal); // MethodLowering.StructCallees.cs
            }
            string? calleeTangentCause = null;
            if (target is { HasTangent: true } && _calleeTangentRefusal is not null
                && KnownNames.HasAttribute(callee.OriginalDefinition, KnownNames.DifferentiableAttribute)
                && callee.OriginalDefinition.DeclaringSyntaxReferences.Length > 0
                && _calleeTangentRefusal(callee.OriginalDefinition) is { } calleeRefusal)
            {
                // Its MTangent would be generated on demand, but would call a method with no forward derivative: a caller
                // that needs it is refused (ADG0307 below, ADG0305 for second order), a Jacobian runs reverse sweeps only.
                calleeTangentCause = calleeRefusal;
                string refusal = "it calls " + callee.Name + ", whose " + target.TangentName + " cannot be generated (" + calleeRefusal + ")";
                target = target with { HasTangent = false, TangentRefusal = refusal, SecondOrderRefusal = target.SecondOrderRefusal ?? refusal };
            }
            if (target is not null)
            {
                if (receiver is not null && receiver.Type.IsDifferentiable)
                {
                    return Unsupported(invocation, "a call on a differentiable receiver");
                }
                foreach (IArgumentOperation argument in invocation.Arguments)
                {
                    int ordinal = argument.Parameter!.Ordinal;
                    var (first, count) = ArgumentsOfParameter(structParameters, ordinal); // a struct's leaves, or the one argument
                    foreach (IrExpression passed in target.ParameterIsDifferentiable[ordinal] ? Enumerable.Empty<IrExpression>() : arguments.Skip(first).Take(count))
                    {
                        if (!passed.Type.CarriesDerivative) continue;
                        // The callee treats the parameter as data: a value that depends on a differentiable parameter
                        // would lose its gradient there, silently.
                        AddPending(argument, DiagnosticDescriptors.UnsupportedConstruct, passed,
                            "the argument '" + argument.Syntax + "': '" + callee.Name + "' takes it as data (parameter '" + argument.Parameter.Name
                            + "' is [NoDerivative]), so its gradient would be lost; remove [NoDerivative] there, or pass a value that does not depend on a differentiable parameter",
                            isError: true);
                    }
                    if (arguments[first].Type.Kind == IrTypeKind.Array && WritesIntoParameter(callee, argument.Parameter))
                    {
                        // The reverse sweep reads the array again (the callee's …Backward reruns the callee on it, and
                        // recomputed reads see it): after the call it no longer holds the values the call started from.
                        Report(DiagnosticDescriptors.UnsupportedConstruct, argument.Syntax.GetLocation(),
                            "the argument '" + argument.Syntax + "': '" + callee.Name + "' writes into its parameter '" + argument.Parameter.Name
                            + "', and a call that changes an array argument is not supported (let the callee copy it, or pass a copy)", _method.Name);
                    }
                }
                if ((KnownNames.ModesOf(_method) & Model.DerivativeModes.Hessian) != 0
                    && KnownNames.HasAttribute(callee.OriginalDefinition, KnownNames.DifferentiableAttribute)
                    && callee.OriginalDefinition.DeclaringSyntaxReferences.Length == 0
                    && CallTargets.MissingSecondOrderCompanions(callee.OriginalDefinition) is { } missing)
                {
                    // api.md: a companion a caller needs of a callee in another assembly that lacks it is an error naming the
                    // flag the callee needs (ADG0306; it also covers the MTangent that ADG0301 would name).
                    foreach (IrExpression argument in DerivativeCarrying(arguments.Concat(receiver is null ? Array.Empty<IrExpression>() : new[] { receiver })))
                    {
                        AddPending(invocation, DiagnosticDescriptors.CalleeWithoutSecondOrder, argument, callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                            isError: true, extraArgument: missing.Companions, secondExtraArgument: missing.Flags);
                    }
                }
                else if (!target.HasTangent && (KnownNames.ModesOf(_method) & Model.DerivativeModes.Forward) != 0)
                {
                    // MTangent of this method will call the callee's …Tangent; without one it would not compile.
                    bool generatedCallee = calleeTangentCause is not null;
                    foreach (IrExpression argument in DerivativeCarrying(arguments.Concat(receiver is null ? Array.Empty<IrExpression>() : new[] { receiver })))
                    {
                        if (generatedCallee)
                        {
                            AddPending(invocation, DiagnosticDescriptors.CalleeTangentNotGenerated, argument, callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                                isError: true, extraArgument: target.TangentName, secondExtraArgument: calleeTangentCause);
                        }
                        else
                        {
                            AddPending(invocation, DiagnosticDescriptors.CalleeWithoutTangent, argument, callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
                                isError: true, extraArgument: target.TangentName);
                        }
                    }
                }
                if (structParameters.Count > 0 || structResult is not null)
                {
                    // Second order would call the callee's closed tangent with struct directions, which is not generated yet.
                    target = target.WithStructArguments(structParameters) with
                    {
                        SecondOrderRefusal = target.SecondOrderRefusal ?? "it calls " + callee.Name + " through its companions with a struct argument or result (" + WhyNotInlined(invocation)
                            + "), and second order does not go through such a call yet: make " + callee.Name + " inlinable, or pass the fields as double or float parameters",
                    };
                }
                if (structResult is not null)
                {
                    EmitStructResultCall(new IrDifferentiableCall(target, receiver, arguments.ToImmutableArray(), IrType.Double), structResult); // MethodLowering.StructCallees.cs
                    return IrConstant.Of(0);
                }
                return Emit(new IrDifferentiableCall(target, receiver, arguments.ToImmutableArray(), TypeOf(callee.ReturnType)));
            }

            // An array's shape is data.
            if (receiver is { Type.Kind: IrTypeKind.Array } && callee.Name is "GetLength" or "GetUpperBound" or "GetLowerBound" or "GetLongLength")
            {
                return Emit(new IrOpaque("{0}." + callee.Name + "({1})", ImmutableArray.Create(receiver, arguments[0]), TypeOf(callee.ReturnType)));
            }

            // Any other call: fine while every argument is passive, an error (after activity analysis) otherwise.
            if (callee.MethodKind == MethodKind.DelegateInvoke || IsLinq(callee))
            {
                // Neither can get a derivative: a delegate's target is unknown, LINQ's lambdas cannot be differentiated.
                string construct = callee.MethodKind == MethodKind.DelegateInvoke
                    ? "the delegate call '" + Describe(invocation) + "'"
                    : "the LINQ call '" + Describe(invocation) + "' (write the loop instead)";
                foreach (IrExpression argument in DerivativeCarrying(arguments.Concat(receiver is null ? Array.Empty<IrExpression>() : new[] { receiver })))
                {
                    AddPending(invocation, DiagnosticDescriptors.UnsupportedConstruct, argument, construct, isError: true);
                }
            }
            else if (calleeHasErrors)
            {
                // Reported above.
            }
            else if (rule is { Kind: RuleKind.Predicate })
            {
                // double.IsNaN(x) and the like: no gradient flows through a bool, so there is nothing to report.
            }
            else if (rule is { Kind: RuleKind.ZeroDerivative })
            {
                foreach (IrExpression argument in arguments.Where(a => a.Type.IsDifferentiable))
                {
                    AddPending(invocation, DiagnosticDescriptors.ZeroDerivativeOperation, argument, "'" + Describe(invocation) + "'");
                }
            }
            else
            {
                if (IsSimdVectorType(callee.ContainingType) || IsSimdVectorType(callee.ReturnType)
                    || TypeMapper.SimdFamilyOf(callee.ContainingType) is not null || TypeMapper.SimdFamilyOf(callee.ReturnType) is not null)
                {
                    // A vector operation the rule table does not have: say which and what to do instead (ADG0403). A
                    // comparison is a mask, through which no gradient flows (like a scalar comparison): nothing to report.
                    if (!IsSimdComparison(callee)) ReportSimdVectorOperands(invocation, arguments.Concat(receiver is null ? Array.Empty<IrExpression>() : new[] { receiver }));
                }
                else foreach (IrExpression argument in NonDifferentiableCallOperands(invocation, callee, arguments, receiver, effectOnly))
                {
                    AddPending(invocation, DiagnosticDescriptors.NonDifferentiableCall, argument, callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat), isError: true,
                        extraArgument: callee.Name + KnownNames.BackwardSuffix);
                }
            }

            var operands = new List<IrExpression>();
            string callText;
            if (callee.IsStatic)
            {
                // A static abstract member of generic math (T.IsNaN(x), T.Floor(x)) is called through the type parameter.
                callText = MethodParser.TypeName(invocation.ConstrainedToType ?? callee.ContainingType!) + "." + CalleeName(callee);
            }
            else if (receiver is not null)
            {
                operands.Add(receiver);
                callText = "{0}." + CalleeName(callee);
            }
            else
            {
                callText = "this." + CalleeName(callee);
            }
            var placeholders = new List<string>();
            for (int i = 0; i < arguments.Count; i++)
            {
                if (structParameters.FirstOrDefault(p => ArgumentsOfParameter(structParameters, p.Ordinal).First == i).Shape is { } shape)
                {
                    // A struct passed as its leaves to a callee that got no companions after all: rebuilt, as data.
                    int first = operands.Count;
                    placeholders.Add(shape.Build(k => "{" + (first + k) + "}"));
                    operands.AddRange(arguments.Skip(i).Take(shape.Leaves.Length));
                    i += shape.Leaves.Length - 1;
                    continue;
                }
                placeholders.Add("{" + operands.Count + "}");
                operands.Add(arguments[i]);
            }
            var call = new IrOpaque(callText + "(" + string.Join(", ", placeholders) + ")", operands.ToImmutableArray(),
                callee.ReturnsVoid ? new IrType(IrTypeKind.Other, "void") : TypeOf(callee.ReturnType));
            if (effectOnly)
            {
                // Run for its effect in the forward sweep (Debug.Assert, logging, a guard): it contributes nothing to the gradient.
                Add(new IrEffect(call));
                return IrConstant.Of(0);
            }
            if (structResult is not null)
            {
                // A struct result of a callee that got no companions after all (reported above): its fields read, as data.
                StoreStruct(structResult, LowerStructAsData(Emit(call), structResult.Shape));
                return IrConstant.Of(0);
            }
            return Emit(call);
        }

        /// <summary>Whether the callee's type has a member named like its <c>…Backward</c> that the user wrote.</summary>
        private static bool HasHandWrittenBackward(IMethodSymbol callee) =>
            callee.ContainingType?.GetMembers(callee.Name + KnownNames.BackwardSuffix).Any(m => !m.IsImplicitlyDeclared && !MethodParser.IsGeneratedByUs(m)) == true;

        private static bool IsLinq(IMethodSymbol callee) =>
            callee.ContainingNamespace?.ToDisplayString() is "System.Linq" or "System.Linq.Parallel";

        private static string CalleeName(IMethodSymbol callee) =>
            callee.IsGenericMethod
                ? MethodParser.EscapeIdentifier(callee.Name) + "<" + string.Join(", ", callee.TypeArguments.Select(MethodParser.TypeName)) + ">"
                : MethodParser.EscapeIdentifier(callee.Name);

        /// <summary>A field or property read: a constant as far as differentiation goes.</summary>
        private IrExpression LowerMemberRead(IOperation operation, ISymbol member, IOperation? instance, ImmutableArray<IArgumentOperation> indexArguments)
        {
            if (TryLowerStructArrayMember(member, instance) is { } structArrayMember)
            {
                return structArrayMember; // p.Length of an array of structs (MethodLowering.StructArrays.cs)
            }
            if (ViewMember(member, instance) is { } viewMember)
            {
                return viewMember; // t.Length of a slice (MethodLowering.Views.cs)
            }
            if (SpanViewMember(member, instance) is { } spanViewMember) return spanViewMember;
            var operands = new List<IrExpression>();
            string text;
            if (member.IsStatic)
            {
                text = MethodParser.TypeName(member.ContainingType) + "." + MethodParser.EscapeIdentifier(member.Name);
            }
            else if (instance is null or IInstanceReferenceOperation)
            {
                text = "this." + MethodParser.EscapeIdentifier(member.Name);
            }
            else if (instance is IArrayElementReferenceOperation { ArrayReference.Type: { } rowOwner, Indices.Length: 1 } row
                && TypeOf(rowOwner).Layout == ArrayLayout.Jagged && member.Name is "Length" or "LongLength")
            {
                // m[i].Length: the length of a jagged array's row.
                operands.Add(LowerArrayOperand(row.ArrayReference));
                operands.Add(LowerExpression(row.Indices[0]));
                text = "{0}[{1}]." + member.Name;
            }
            else
            {
                IrExpression receiver = LowerExpression(instance);
                foreach (IrExpression leaf in DerivativeCarrying(new[] { receiver }).Where(l => l != receiver))
                {
                    // A member of a struct of reals that is not one of its fields and whose code is not in the compilation.
                    AddPending(operation, DiagnosticDescriptors.UnsupportedConstruct, leaf, "the member '" + member.Name + "' of the struct value '" + Describe(instance)
                        + "' (" + StructSupportHint + ")", isError: true);
                }
                bool isShape = receiver.Type.Kind == IrTypeKind.Array && member.Name is "Length" or "LongLength" or "Rank" or "IsEmpty";
                if (receiver.Type.IsSimdVector)
                {
                    ReportSimdVectorOperands(operation, new[] { receiver }); // v[k]: a single lane (ADG0403)
                }
                else if (receiver.Type.CarriesDerivative && !isShape)
                {
                    return Unsupported(operation, "the member '" + member.Name + "' of a differentiable value");
                }
                operands.Add(receiver);
                text = "{0}." + MethodParser.EscapeIdentifier(member.Name);
            }
            if (member is IPropertySymbol { IsIndexer: true })
            {
                text = text.Substring(0, text.LastIndexOf('.'));
                var placeholders = new List<string>();
                foreach (IArgumentOperation argument in indexArguments)
                {
                    IrExpression index = LowerExpression(argument.Value);
                    if (index.Type.IsDifferentiable)
                    {
                        return Unsupported(argument, "an indexer with a differentiable index");
                    }
                    placeholders.Add("{" + operands.Count + "}");
                    operands.Add(index);
                }
                text += "[" + string.Join(", ", placeholders) + "]";
            }
            return Emit(new IrOpaque(text, operands.ToImmutableArray(), TypeOf(((IOperation)operation).Type!)));
        }
    }
}
