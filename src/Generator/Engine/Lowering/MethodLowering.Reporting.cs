using System;
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
    /// Reporting: unsupported constructs and diagnostics that hold only where their operand is active, with the words that name the construct.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        private IrExpression Unsupported(IOperation operation, string construct)
        {
            Report(DiagnosticDescriptors.UnsupportedConstruct, operation.Syntax.GetLocation(), construct, _method.Name);
            return operation.Type is { } type ? new IrConstant(null, TypeOf(type)) : IrConstant.Of(0);
        }

        /// <remarks>A local function inlined at several calls would report the same construct once per call: once is enough.</remarks>
        private void Report(DiagnosticDescriptor descriptor, Location location, params object[] arguments)
        {
            var diagnostic = new EngineDiagnostic(descriptor, location, arguments);
            if (!_diagnostics.Any(d => d.IsSameAs(diagnostic))) _diagnostics.Add(diagnostic);
        }

        /// <summary>A diagnostic that applies only if <paramref name="operand"/> turns out to be active.</summary>
        private void AddPending(IOperation operation, DiagnosticDescriptor descriptor, IrExpression operand, string subject, bool isError = false, string? extraArgument = null, string? secondExtraArgument = null)
        {
            if (operand is IrArrayView { Array: var storage }) operand = storage; // a slice is active when its storage is
            if (operand is not IrVariableReference reference) return;
            object[] arguments = new object?[] { subject, _method.Name, extraArgument, secondExtraArgument }.OfType<object>().ToArray();
            _pending.Add(new PendingDiagnostic(new EngineDiagnostic(descriptor, operation.Syntax.GetLocation(), arguments), reference.Variable));
        }

        /// <summary>ADG0204 for a non-smooth operation on <paramref name="operand"/>, should it turn out varied (off by default).</summary>
        private void AddNonSmoothPending(IOperation operation, IrExpression operand, string subject, string where, string subgradient)
        {
            if (operand is not IrVariableReference reference || _effectArguments > 0) return;
            var diagnostic = new EngineDiagnostic(DiagnosticDescriptors.NonSmoothOperation, operation.Syntax.GetLocation(), subject, _method.Name, where, subgradient);
            _pending.Add(new PendingDiagnostic(diagnostic, reference.Variable));
        }

        private static string DescribeUnsupported(IOperation operation) => DescribeUnsafe(operation.Syntax) ?? operation switch
        {
            ITryOperation => "a try/catch/finally statement",
            IUsingOperation or IUsingDeclarationOperation => "a using statement",
            ILockOperation => "a lock statement",
            IForEachLoopOperation => "a foreach loop",
            IBranchOperation { BranchKind: BranchKind.GoTo } => "a goto statement",
            IReturnOperation { Kind: OperationKind.YieldReturn or OperationKind.YieldBreak } => "a yield statement",
            ILabeledOperation => "a labeled statement",
            IDelegateCreationOperation { Target: IMethodReferenceOperation method } => "the method group '" + method.Method.Name + "' used as a delegate",
            IAnonymousFunctionOperation or IDelegateCreationOperation => "a lambda",
            IAwaitOperation => "an await",
            IArrayElementReferenceOperation { Type.TypeKind: TypeKind.Struct } => "'" + Describe(operation) + "', an element of an array of structs that is not a parameter or a local of the method "
                + "(arrays and spans of structs of reals are differentiated when they are parameters or local arrays: copy the elements into a local array, or keep the fields in arrays of doubles)",
            IArrayElementReferenceOperation => "'" + Describe(operation) + "' (a row of a jagged array is not a value: index it fully, m[i][j])",
            IArrayCreationOperation => "creating '" + Describe(operation) + "'",
            IObjectCreationOperation { Type: { } created } when StructParameters.Classify(created).Kind != StructKind.NotDifferentiable =>
                "the struct value '" + Describe(operation) + "' (struct values are not differentiated yet: keep its fields in double or float locals)",
            IWithOperation { Type: { } copied } when StructParameters.Classify(copied).Kind != StructKind.NotDifferentiable =>
                "the struct value '" + Describe(operation) + "' (struct values are not differentiated yet: keep its fields in double or float locals)",
            IObjectCreationOperation => "an object creation",
            IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicIndexerAccessOperation => "a dynamic operation",
            IAddressOfOperation => "a pointer operation",
            ITranslatedQueryOperation => "a LINQ query",
            IInvalidOperation => "code with errors",
            _ => "the " + operation.Kind + " '" + Describe(operation) + "'",
        };

        /// <summary>Pointers and unsafe code, named from the syntax (several of them have no IOperation of their own).</summary>
        private static string? DescribeUnsafe(SyntaxNode syntax) => syntax switch
        {
            FixedStatementSyntax => "a fixed statement (unsafe code)",
            UnsafeStatementSyntax => "an unsafe block",
            StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax => "stackalloc",
            PrefixUnaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.PointerIndirectionExpression } => "a pointer dereference (unsafe code)",
            PrefixUnaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.AddressOfExpression } => "taking an address (unsafe code)",
            MemberAccessExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.PointerMemberAccessExpression } => "a pointer member access (unsafe code)",
            SizeOfExpressionSyntax => "sizeof (unsafe code)",
            _ => null,
        };

        private static string OperatorSymbol(IBinaryOperation binary) => binary.OperatorKind switch
        {
            BinaryOperatorKind.Add => "+",
            BinaryOperatorKind.Subtract => "-",
            BinaryOperatorKind.Multiply => "*",
            BinaryOperatorKind.Divide => "/",
            BinaryOperatorKind.Remainder => "%",
            BinaryOperatorKind.Equals => "==",
            BinaryOperatorKind.NotEquals => "!=",
            BinaryOperatorKind.LessThan => "<",
            BinaryOperatorKind.LessThanOrEqual => "<=",
            BinaryOperatorKind.GreaterThan => ">",
            BinaryOperatorKind.GreaterThanOrEqual => ">=",
            BinaryOperatorKind.And => "&",
            BinaryOperatorKind.Or => "|",
            BinaryOperatorKind.ExclusiveOr => "^",
            BinaryOperatorKind.LeftShift => "<<",
            BinaryOperatorKind.RightShift => ">>",
            BinaryOperatorKind.UnsignedRightShift => ">>>",
            _ => "?",
        };
    }
}
