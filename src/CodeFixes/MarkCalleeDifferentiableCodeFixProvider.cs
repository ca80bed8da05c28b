using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AutoDiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.CodeFixes
{
    /// <summary>
    /// ADG0102: marks the called method [Differentiable] when its source is in the solution and it could be (it
    /// returns double or float, takes its parameters by value, is not generic and has a body). Its types are made
    /// partial in the same step, so the fix does not trade one error for another.
    /// </summary>
    [ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(MarkCalleeDifferentiableCodeFixProvider)), Shared]
    public sealed class MarkCalleeDifferentiableCodeFixProvider : CodeFixProvider
    {
        public const string EquivalenceKey = "AutoDiffGen.MarkCalleeDifferentiable";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.NonDifferentiableCall);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            SemanticModel? semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || semanticModel is null) return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan)) continue;
                SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
                    || semanticModel.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol called)
                {
                    continue;
                }
                IMethodSymbol callee = (called.ReducedFrom ?? called).OriginalDefinition;
                if (!CouldBeDifferentiable(callee)) continue;
                SyntaxReference? reference = callee.DeclaringSyntaxReferences.FirstOrDefault();
                Document? calleeDocument = reference is null ? null : context.Document.Project.Solution.GetDocument(reference.SyntaxTree);
                if (reference is null || calleeDocument is null) continue;
                context.RegisterCodeFix(
                    CodeAction.Create("Mark '" + callee.Name + "' [Differentiable]",
                        ct => MarkAsync(calleeDocument, reference.Span, ct), EquivalenceKey + "." + callee.Name),
                    diagnostic);
            }
        }

        private static bool CouldBeDifferentiable(IMethodSymbol callee) =>
            callee.MethodKind == MethodKind.Ordinary
            && !callee.IsGenericMethod && !callee.IsAbstract && !callee.IsExtern && !callee.IsAsync
            && callee.ReturnType.SpecialType is SpecialType.System_Double or SpecialType.System_Single
            && callee.Parameters.All(p => p.RefKind == RefKind.None)
            && !callee.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == SyntaxEdits.AttributeNamespace + ".DifferentiableAttribute")
            && callee.DeclaringSyntaxReferences.Length == 1
            && callee.DeclaringSyntaxReferences[0].GetSyntax() is MethodDeclarationSyntax { Body: not null } or MethodDeclarationSyntax { ExpressionBody: not null };

        private static async Task<Solution> MarkAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            SemanticModel? semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || semanticModel is null
                || root.FindNode(span).FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method)
            {
                return document.Project.Solution;
            }
            NameSyntax name = SyntaxEdits.AttributeName(semanticModel, method.SpanStart, "Differentiable");
            return document.WithSyntaxRoot(SyntaxEdits.MarkMethodAndMakeTypesPartial(root, method, SyntaxEdits.AttributeList(name))).Project.Solution;
        }
    }
}
