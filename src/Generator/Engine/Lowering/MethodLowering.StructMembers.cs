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
    /// The constructors, methods, operators and computed properties of a user struct of reals whose code is in the
    /// compilation are differentiated by inlining them where they are used, like local functions: <c>this</c> is the struct's
    /// leaves (the variable itself for a local receiver, so a mutating method changes it as in C#; a copy otherwise), a
    /// constructor starts from zero leaves. What their bodies do wrong is reported at the call, in the method's own file.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary>A struct-valued use of a user struct's member from source: <c>new P(x)</c>, <c>p.Scaled(2)</c>, <c>a + b</c>, <c>p.Mirror</c>.</summary>
        private StructValue? TryInlineStructMember(IOperation operation, StructShape shape)
        {
            switch (operation)
            {
                case IObjectCreationOperation { Constructor: { } constructor } creation when ShapeOf(constructor.ContainingType) is { } owner:
                {
                    StructVariable created = NewStructLocal("_new", owner, IrVariableRole.Temporary);
                    StoreStruct(created, Zero(owner));
                    return InlineMember(creation, constructor, null, creation.Arguments, created, null, resultUsed: false) ? created.Value : null;
                }
                case IInvocationOperation invocation:
                {
                    StructVariable result = NewStructLocal(LocalResultName(invocation.TargetMethod), shape);
                    return InlineMember(invocation, invocation.TargetMethod, invocation.Instance, invocation.Arguments, null, result, resultUsed: false) ? result.Value : null;
                }
                case IPropertyReferenceOperation { Property.GetMethod: { } getter } property:
                {
                    StructVariable result = NewStructLocal(LocalResultName(getter), shape);
                    return InlineMember(property, getter, property.Instance, property.Arguments, null, result, resultUsed: false) ? result.Value : null;
                }
                default:
                    return null;
            }
        }

        /// <summary>A scalar-valued use of a user struct's member from source: <c>p.Norm()</c>, <c>p.Length</c>; null when it is not one.</summary>
        private IrExpression? TryInlineStructScalar(IOperation operation)
        {
            IrExpression? result = null;
            bool inlined = operation switch
            {
                IInvocationOperation invocation => InlineMember(invocation, invocation.TargetMethod, invocation.Instance, invocation.Arguments, null, null, resultUsed: true, r => result = r),
                IPropertyReferenceOperation { Property.GetMethod: { } getter } property => InlineMember(property, getter, property.Instance, property.Arguments, null, null, resultUsed: true, r => result = r),
                _ => false,
            };
            return inlined ? result : null;
        }

        /// <summary>A user struct's operator from source, <c>a + b</c>.</summary>
        private StructValue? InlineOperator(IOperation site, IMethodSymbol method, IOperation left, IOperation right, StructShape shape)
        {
            if (method.Parameters.Length != 2) return null;
            StructVariable result = NewStructLocal(LocalResultName(method), shape);
            var arguments = new List<(IParameterSymbol, IOperation, IOperation)> { (method.Parameters[0], left, left), (method.Parameters[1], right, right) };
            return InlineMember(site, method, null, arguments, null, result, resultUsed: false) ? result.Value : null;
        }

        private bool InlineMember(IOperation site, IMethodSymbol member, IOperation? instance, ImmutableArray<IArgumentOperation> arguments,
            StructVariable? receiver, StructVariable? structResult, bool resultUsed, System.Action<IrExpression>? scalarResult = null) =>
            InlineMember(site, member, instance, arguments.Select(a => (a.Parameter!, a.Value, (IOperation)a)).ToList(), receiver, structResult, resultUsed, scalarResult);

        /// <summary>
        /// Inlines <paramref name="member"/> of a user struct of reals when its code is in the compilation; false (nothing
        /// lowered) when it is not such a member. <paramref name="receiver"/>, when given, is <c>this</c> (a constructor's new value).
        /// </summary>
        private bool InlineMember(IOperation site, IMethodSymbol member, IOperation? instance, IReadOnlyList<(IParameterSymbol, IOperation, IOperation)> arguments,
            StructVariable? receiver, StructVariable? structResult, bool resultUsed, System.Action<IrExpression>? scalarResult = null)
        {
            if (ShapeOf(member.ContainingType) is not { } owner || IsNumericsType(member.ContainingType, out _) || member.IsGenericMethod
                || SourceBody(member, site) is not { } body)
            {
                return false;
            }
            if (receiver is null && !member.IsStatic && member.MethodKind != MethodKind.Constructor)
            {
                if (instance is null) return false;
                // A local receiver is this itself (a mutating method changes it), and so is a parameter the body writes (its
                // leaves are locals then: DeclareStructParameter); any other value is a copy.
                receiver = instance is ILocalReferenceOperation or IInstanceReferenceOperation or IMemberReferenceOperation or IParameterReferenceOperation && IsStructVariableOperation(instance)
                    && StructPlaceWithoutReport(instance) is { } place ? place : CopyToStructLocal(LowerStruct(instance, owner));
            }
            int diagnostics = _diagnostics.Count, pending = _pending.Count;
            IrExpression result = InlineBody(member, body, site, arguments, receiver, structResult, resultUsed, "'" + member.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "'",
                "a struct member is differentiated by inlining it where it is used, so it cannot call itself: write the loop");
            ReportAtCallSite(site, diagnostics, pending);
            scalarResult?.Invoke(result);
            return true;
        }

        /// <summary>
        /// Like <see cref="StructPlace"/> for a receiver, without reporting: a parameter receiver (or its member) is read, not
        /// written, unless the body writes the parameter somewhere and it was copied into locals (a mutating method's receiver).
        /// </summary>
        private StructVariable? StructPlaceWithoutReport(IOperation operation) => operation switch
        {
            IParameterReferenceOperation parameter => CopiedParameter(parameter) ? StructPlace(operation) : null,
            IMemberReferenceOperation { Instance: IParameterReferenceOperation parameter } => CopiedParameter(parameter) ? StructPlace(operation) : null,
            _ => StructPlace(operation),
        };

        /// <summary>A struct parameter the body writes, held in locals (<see cref="DeclareStructParameter"/>), which a place may name.</summary>
        private bool CopiedParameter(IParameterReferenceOperation parameter) =>
            _structVariables.TryGetValue(parameter.Parameter, out StructVariable? variable) && variable.Leaves.All(l => l.Role != IrVariableRole.Parameter);

        private StructVariable CopyToStructLocal(StructValue value)
        {
            StructVariable copy = NewStructLocal("_s", value.Shape, IrVariableRole.Temporary);
            StoreStruct(copy, value);
            return copy;
        }

        /// <summary>The body of a member declared once in source, in this compilation; null for metadata and abstract members.</summary>
        private IBlockOperation? SourceBody(IMethodSymbol member, IOperation site)
        {
            if (member.DeclaringSyntaxReferences.Length != 1 || site.SemanticModel is not { } model) return null;
            SyntaxNode syntax = member.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken);
            if (!model.Compilation.ContainsSyntaxTree(syntax.SyntaxTree)) return null;
#pragma warning disable RS1030 // The member lives in another tree; its model is bound once and shared with the compiler's.
            SemanticModel memberModel = syntax.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            return memberModel.GetOperation(syntax, _cancellationToken) switch
            {
                IMethodBodyOperation method => method.BlockBody ?? method.ExpressionBody,
                IConstructorBodyOperation { Initializer: null } constructor => constructor.BlockBody ?? constructor.ExpressionBody,
                IBlockOperation block => block,
                _ => null,
            };
        }

        /// <summary>
        /// What an inlined member's body reports is moved to the call (the analyzers report in the method's own file), its
        /// message naming the construct in the member.
        /// </summary>
        private void ReportAtCallSite(IOperation site, int firstDiagnostic, int firstPending)
        {
            Location call = site.Syntax.GetLocation();
            for (int i = firstDiagnostic; i < _diagnostics.Count; i++)
            {
                EngineDiagnostic d = _diagnostics[i];
                if (d.Location.SourceTree != call.SourceTree) _diagnostics[i] = new EngineDiagnostic(d.Descriptor, call, d.Arguments);
            }
            for (int i = firstPending; i < _pending.Count; i++)
            {
                EngineDiagnostic d = _pending[i].Diagnostic;
                if (d.Location.SourceTree != call.SourceTree) _pending[i] = _pending[i] with { Diagnostic = new EngineDiagnostic(d.Descriptor, call, d.Arguments) };
            }
        }
    }
}
