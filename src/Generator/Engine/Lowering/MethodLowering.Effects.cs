using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Guards and passive effects: <c>throw</c> (statements, and arms of <c>?:</c> and switch expressions), calls run
    /// only for their effect (<c>Debug.Assert</c>, logging, <c>ArgumentOutOfRangeException.ThrowIfNegative</c>), and the
    /// interpolated strings they take. None of them carries a derivative: they run in the forward sweep, where the
    /// method runs them, and have no reverse.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary><c>throw e;</c>: the exception is created where the method creates it; the path has no derivative.</summary>
        private void LowerThrow(IThrowOperation thrown)
        {
            if (thrown.Exception is null)
            {
                Unsupported(thrown, "a rethrow (throw;)");
                return;
            }
            IrExpression exception = LowerException(thrown.Exception);
            SetOriginIfNone(thrown);
            Add(new IrThrow(exception));
        }

        /// <summary>The exception of a throw: <c>new ArgumentException(…)</c> with its arguments evaluated in order, or any passive value.</summary>
        private IrExpression LowerException(IOperation exception)
        {
            while (exception is IConversionOperation { IsImplicit: true } conversion) exception = conversion.Operand;
            if (exception is IObjectCreationOperation { Constructor: { } constructor, Initializer: null, Type: { } type } creation)
            {
                ImmutableArray<IrExpression> arguments = LowerOperands(creation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0)
                    .Select(a => a.Value).ToList(), null);
                string placeholders = string.Join(", ", Enumerable.Range(0, arguments.Length).Select(i => "{" + i.ToString(CultureInfo.InvariantCulture) + "}"));
                _ = constructor;
                return new IrOpaque("new " + MethodParser.TypeName(type) + "(" + placeholders + ")", arguments, TypeOf(type));
            }
            return LowerExpression(exception);
        }

        /// <summary>Whether <paramref name="operation"/> is an argument of the exception a throw creates.</summary>
        private static bool IsExceptionArgument(IOperation operation)
        {
            if (operation.Parent is not IArgumentOperation { Parent: IObjectCreationOperation creation }) return false;
            IOperation? parent = creation.Parent;
            while (parent is IConversionOperation { IsImplicit: true }) parent = parent.Parent;
            return parent is IThrowOperation;
        }

        /// <summary>An arm of <c>?:</c> or of a switch expression: its value into <paramref name="target"/>, or the throw it is.</summary>
        /// <summary>
        /// <c>x ?? throw new ArgumentNullException(nameof(x))</c>: a null guard, then <c>x</c> itself (an array is named, not
        /// copied). The throw runs where the method runs it, before anything is written.
        /// </summary>
        private IrExpression LowerCoalesceThrow(ICoalesceOperation coalesce)
        {
            IrExpression value = LowerExpression(coalesce.Value);
            IOperation whenNull = coalesce.WhenNull;
            while (whenNull is IConversionOperation { IsImplicit: true } conversion) whenNull = conversion.Operand;
            IrExpression isNull = NullTest(value, isNull: true);
            IrBlock guard = Nested(() => LowerThrow((IThrowOperation)whenNull));
            Add(new IrIf(isNull, guard, new IrBlock()));
            return value;
        }

        /// <summary>
        /// <c>x is null</c> / <c>x is not null</c> on an array (a null guard): a passive condition, like a comparison.
        /// <c>x == null</c>, <c>x != null</c> and the patterns <c>null</c> and <c>not null</c> all come here.
        /// </summary>
        private IrExpression NullTest(IrExpression value, bool isNull) =>
            Emit(new IrOpaque(isNull ? "({0} is null)" : "({0} is not null)", ImmutableArray.Create(value), IrType.Bool));

        /// <summary><c>x == null</c> or <c>x != null</c> on a reference (compared as object by the language): its null test.</summary>
        private IrExpression? TryLowerNullComparison(IBinaryOperation binary)
        {
            if (binary.OperatorKind is not (BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals)) return null;
            IOperation? compared = IsNullLiteral(binary.RightOperand) ? binary.LeftOperand : IsNullLiteral(binary.LeftOperand) ? binary.RightOperand : null;
            while (compared is IConversionOperation { IsImplicit: true, Operand.Type.IsReferenceType: true } conversion) compared = conversion.Operand;
            if (compared?.Type is not { IsReferenceType: true }) return null;
            return NullTest(LowerExpression(compared), isNull: binary.OperatorKind == BinaryOperatorKind.Equals);
        }

        /// <summary><c>x is null</c> or <c>x is not null</c> on a reference: its null test (the value is read once, never copied).</summary>
        private IrExpression? TryLowerNullPattern(IIsPatternOperation isPattern)
        {
            if (isPattern.Value.Type is not { IsReferenceType: true }) return null;
            return isPattern.Pattern switch
            {
                IConstantPatternOperation constant when IsNullLiteral(constant.Value) => NullTest(LowerExpression(isPattern.Value), isNull: true),
                INegatedPatternOperation { Pattern: IConstantPatternOperation constant } when IsNullLiteral(constant.Value) => NullTest(LowerExpression(isPattern.Value), isNull: false),
                _ => null,
            };
        }

        private static bool IsNullLiteral(IOperation operation)
        {
            while (operation is IConversionOperation { IsImplicit: true } conversion) operation = conversion.Operand;
            return operation is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } };
        }

        private void AssignBranch(IrVariable target, IOperation arm)
        {
            if (!LoweredAsThrow(arm)) AssignTo(target, LowerExpression(arm));
        }

        /// <summary>An arm of <c>?:</c> or of a switch expression that is a throw: lowered as the throw statement (true), else nothing done.</summary>
        private bool LoweredAsThrow(IOperation arm)
        {
            IOperation unwrapped = arm;
            while (unwrapped is IConversionOperation { IsImplicit: true } conversion) unwrapped = conversion.Operand;
            if (unwrapped is not IThrowOperation thrown) return false;
            LowerThrow(thrown);
            return true;
        }

        /// <summary>
        /// <c>$"…{x:F2}…"</c> as a passive string: the text parts and the holes are operands (so no text of the user's can be
        /// mistaken for a placeholder), rendered back as holes of an interpolated string with their alignment and format.
        /// </summary>
        private IrExpression LowerInterpolatedString(IInterpolatedStringOperation interpolated)
        {
            var operands = new List<IOperation>();
            var template = new StringBuilder("$\"");
            foreach (IInterpolatedStringContentOperation part in interpolated.Parts)
            {
                string placeholder = "{" + operands.Count.ToString(CultureInfo.InvariantCulture) + "}";
                switch (part)
                {
                    case IInterpolatedStringTextOperation text:
                        operands.Add(text.Text);
                        template.Append('{').Append(placeholder).Append('}');
                        break;
                    case IInterpolationOperation hole:
                        operands.Add(hole.Expression);
                        template.Append('{').Append(placeholder);
                        if (hole.Alignment is { ConstantValue: { HasValue: true, Value: { } alignment } })
                        {
                            template.Append(',').Append(System.Convert.ToString(alignment, CultureInfo.InvariantCulture));
                        }
                        if (hole.FormatString is { ConstantValue: { HasValue: true, Value: string format } })
                        {
                            template.Append(':').Append(format);
                        }
                        template.Append('}');
                        break;
                    default:
                        return Unsupported(interpolated, "the interpolated string '" + Describe(interpolated) + "'");
                }
            }
            template.Append('"');
            ImmutableArray<IrExpression> lowered = LowerOperands(operands, null);
            return Emit(new IrOpaque(template.ToString(), lowered, TypeOf(interpolated.Type!)));
        }

        /// <summary>
        /// An interpolated string passed to a handler parameter (<c>Debug.Assert(c, $"x = {x}")</c>): the same text is
        /// written in the generated call, which binds to the same handler; its holes are read from the handler's
        /// <c>AppendLiteral</c>/<c>AppendFormatted</c> calls.
        /// </summary>
        private IrExpression LowerInterpolatedStringHandler(IInterpolatedStringHandlerCreationOperation handler)
        {
            var operands = new List<IOperation>();
            var template = new StringBuilder("$\"");
            if (handler.Content is not IInterpolatedStringOperation content) return Unsupported(handler, "the interpolated string '" + Describe(handler) + "'");
            foreach (IInterpolatedStringContentOperation part in content.Parts)
            {
                if (part is not IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation { Arguments.Length: > 0 } append })
                {
                    return Unsupported(handler, "the interpolated string '" + Describe(handler) + "'");
                }
                string placeholder = "{" + operands.Count.ToString(CultureInfo.InvariantCulture) + "}";
                IOperation value = append.Arguments[0].Value;
                while (value is IConversionOperation { IsImplicit: true } conversion) value = conversion.Operand;
                operands.Add(value);
                template.Append('{').Append(placeholder);
                if (append.TargetMethod.Name == "AppendFormatted")
                {
                    foreach (IArgumentOperation argument in append.Arguments.Skip(1).Where(a => a.ArgumentKind == ArgumentKind.Explicit))
                    {
                        if (argument.Parameter?.Name == "alignment" && argument.Value.ConstantValue is { HasValue: true, Value: { } alignment })
                        {
                            template.Append(',').Append(System.Convert.ToString(alignment, CultureInfo.InvariantCulture));
                        }
                        else if (argument.Parameter?.Name == "format" && argument.Value.ConstantValue is { HasValue: true, Value: string format })
                        {
                            template.Append(':').Append(format);
                        }
                    }
                }
                template.Append('}');
            }
            template.Append('"');
            ImmutableArray<IrExpression> lowered = LowerOperands(operands, null);
            // Not evaluated into a temporary: the text is passed to the handler parameter where the method passes it.
            return new IrOpaque(template.ToString(), lowered, TypeOf(handler.Type!));
        }

        /// <summary>
        /// The differentiable values a call to a method that has no derivative takes in a way that would need one: all
        /// of them when its result is used; for a call run for its effect only, those it could change. A double or float
        /// is passed by value (a copy, also when boxed); an array is safe only as a <c>ReadOnlySpan</c>, or passed to an
        /// argument guard (<c>ArgumentNullException.ThrowIfNull</c>), or to a method in the compilation that visibly
        /// neither writes into the parameter nor passes it on. An array of doubles the call may write into is reported
        /// whether or not it is differentiable, and whether or not the call's value is used: the reverse sweep reads
        /// arrays again (recomputed reads, partials such as <c>x[k]</c>), and would silently see the changed values.
        /// </summary>
        private IEnumerable<IrExpression> NonDifferentiableCallOperands(IInvocationOperation invocation, IMethodSymbol callee, IReadOnlyList<IrExpression> arguments,
            IrExpression? receiver, bool effectOnly)
        {
            ReportArraysTheCallMayWrite(invocation, callee, arguments);
            if (!effectOnly)
            {
                return DerivativeCarrying(arguments.Concat(receiver is null ? System.Array.Empty<IrExpression>() : new[] { receiver })).ToList();
            }
            var result = new List<IrExpression>();
            if (receiver is not null && DerivativeCarrying(new[] { receiver }).FirstOrDefault() is { } carried && !carried.Type.IsDifferentiable)
            {
                result.Add(carried); // a method called on an array of doubles may change it
            }
            return result;
        }

        /// <summary>Reports each array of doubles (or floats) passed to a call that is not differentiated and may write into it.</summary>
        private void ReportArraysTheCallMayWrite(IInvocationOperation invocation, IMethodSymbol callee, IReadOnlyList<IrExpression> arguments)
        {
            if (IsArgumentGuard(callee)) return;
            for (int k = 0; k < arguments.Count && k < callee.Parameters.Length; k++)
            {
                IrExpression source = DerivativeCarrying(new[] { arguments[k] }).FirstOrDefault() ?? arguments[k];
                if (!source.Type.CarriesDerivative || source.Type.IsDifferentiable) continue;
                IParameterSymbol parameter = callee.Parameters[k];
                if (parameter.RefKind is RefKind.None or RefKind.In && TypeOf(parameter.Type).Layout == ArrayLayout.ReadOnlySpan) continue;
                if (IsVisiblyReadOnly(callee, parameter)) continue;
                IArgumentOperation? argument = invocation.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter, parameter));
                Report(DiagnosticDescriptors.UnsupportedConstruct, (argument?.Syntax ?? invocation.Syntax).GetLocation(),
                    "the argument '" + (argument?.Syntax.ToString() ?? Describe(invocation)) + "': '" + callee.Name + "' is neither [Differentiable] nor has a …Backward, and may write into the array (its parameter '"
                    + parameter.Name + "' is not a ReadOnlySpan); the reverse sweep would read the changed values (pass a copy, or a ReadOnlySpan)", _method.Name);
            }
        }

        /// <summary>
        /// A method in the compilation whose body never writes into <paramref name="parameter"/>'s elements and never
        /// passes it to anything (an argument, an assignment to another variable, a return): it can only read it.
        /// </summary>
        private static bool IsVisiblyReadOnly(IMethodSymbol callee, IParameterSymbol parameter)
        {
            var declarations = callee.OriginalDefinition.DeclaringSyntaxReferences;
            if (declarations.IsEmpty || WritesIntoParameter(callee, parameter)) return false;
            foreach (SyntaxReference reference in declarations)
            {
                foreach (IdentifierNameSyntax name in reference.GetSyntax().DescendantNodes().OfType<IdentifierNameSyntax>())
                {
                    if (name.Identifier.ValueText != parameter.Name) continue;
                    // Only `p[i]` and `p.Length` are reads that cannot let the array escape.
                    bool indexed = name.Parent is ElementAccessExpressionSyntax element && element.Expression == name;
                    bool length = name.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length" or "LongLength" } member && member.Expression == name;
                    if (!indexed && !length) return false;
                }
            }
            return true;
        }

        /// <summary>
        /// The argument guards of the base library (<c>ArgumentNullException.ThrowIfNull</c>,
        /// <c>ArgumentOutOfRangeException.ThrowIfNegative</c>, …): they read their arguments and throw, nothing else.
        /// </summary>
        private static bool IsArgumentGuard(IMethodSymbol callee) =>
            callee.IsStatic && callee.Name.StartsWith("ThrowIf", System.StringComparison.Ordinal)
            && callee.ContainingType is { } type && type.ContainingNamespace?.ToDisplayString() == "System"
            && type.Name is "ArgumentException" or "ArgumentNullException" or "ArgumentOutOfRangeException" or "ObjectDisposedException";
    }
}
