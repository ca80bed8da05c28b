using System.Linq;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Calls inside loops of one-line scalar [Differentiable] helpers (<c>static double Sigmoid(double x) =&gt; 1 / (1 +
    /// Math.Exp(-x));</c>) are inlined from source, like callees taking structs (MethodLowering.StructCallees.cs), instead of
    /// being called through their companions.
    /// </summary>
    /// <remarks>
    /// <para>Why: the reverse of a call <c>t = F(x)</c> is <c>FBackward(x, seed, ref dx)</c>, which runs <c>F</c> forward
    /// again before its reverse — every call costs the helper twice forward. For a one-line helper that second forward is
    /// most of its gradient (a sigmoid's <c>exp</c> and division, where its partial needs one product), and the caller's
    /// store-or-recompute passes cannot see through the call to keep the <c>exp</c> it already computed. Inlined, the
    /// helper's expression becomes the caller's own statements: its intermediate values are stored or recomputed like
    /// the caller's (an LSTM's gates: one tape value per gate instead of a second <c>exp</c> in reverse). The derivatives
    /// are the same as through <c>FBackward</c>, which differentiates the same expression.</para>
    /// <para>Which: a static (or this-object, non-virtual) non-generic method of this compilation, declared once, without a
    /// hand-written <c>…Backward</c> (<see cref="WhyNotInlined"/>), whose parameters (by value) and result are all predefined
    /// numeric types, and whose body is a single expression (<c>=&gt; e</c> or <c>{ return e; }</c>) of at most
    /// <see cref="SmallCalleeNodes"/> syntax nodes, so that inlining never grows the caller by more than a statement's worth.
    /// A longer helper keeps its companions (its own gradient, shared by every call). Only calls inside a loop of the
    /// method: there the second forward runs every iteration and the loop's taping, recomputation or fusion decides how
    /// its values are kept; a call outside loops costs the helper's gradient once, and its companions keep the caller
    /// short (and are what second-order callers and on-demand tangents are built on). The caller's cache key holds such a
    /// helper's body (Pipeline/DeclarationIndex.cs).</para>
    /// </remarks>
    internal sealed partial class MethodLowering
    {
        /// <summary>The largest body, in syntax nodes, of a helper inlined for being small (a sigmoid has 14).</summary>
        internal const int SmallCalleeNodes = 48;

        /// <summary>Whether <paramref name="invocation"/> calls a one-line scalar [Differentiable] helper that is inlined (see the type's remarks).</summary>
        private bool InlinesSmallCallee(IInvocationOperation invocation)
        {
            IMethodSymbol callee = invocation.TargetMethod;
            if (!InsideLoop(invocation) || callee.MethodKind != MethodKind.Ordinary || callee.ReturnsVoid || !KnownNames.HasAttribute(callee.OriginalDefinition, KnownNames.DifferentiableAttribute)) return false;
            if (!IsPredefinedNumber(callee.ReturnType) || callee.Parameters.Any(p => p.RefKind != RefKind.None || !IsPredefinedNumber(p.Type)
                || KnownNames.HasAttribute(p, KnownNames.OutputAttribute)))
            {
                return false;
            }
            if (callee.OriginalDefinition.DeclaringSyntaxReferences.Length != 1 || WhyNotInlined(invocation) is not null) return false;
            return callee.OriginalDefinition.DeclaringSyntaxReferences[0].GetSyntax(_cancellationToken) is MethodDeclarationSyntax declaration
                && SingleExpressionBody(declaration) is { } body && body.DescendantNodesAndSelf().Count() <= SmallCalleeNodes;
        }

        private static bool InsideLoop(IOperation operation)
        {
            for (IOperation? parent = operation.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is ILoopOperation) return true;
            }
            return false;
        }

        /// <summary>The expression of <c>=&gt; e</c> or of <c>{ return e; }</c>; null for any other body.</summary>
        internal static ExpressionSyntax? SingleExpressionBody(MethodDeclarationSyntax method) =>
            method.ExpressionBody?.Expression
            ?? (method.Body is { Statements: { Count: 1 } statements } && statements[0] is ReturnStatementSyntax { Expression: { } returned } ? returned : null);

        private static bool IsPredefinedNumber(ITypeSymbol type) =>
            type.SpecialType is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Int64;
    }
}
