using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AutoDiffGen.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.CodeFixes
{
    /// <summary>ADG0203: marks a parameter whose gradient is always zero [NoDerivative] (it is data, not a variable).</summary>
    [ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(MarkParameterNoDerivativeCodeFixProvider)), Shared]
    public sealed class MarkParameterNoDerivativeCodeFixProvider : CodeFixProvider
    {
        public const string EquivalenceKey = "AutoDiffGen.MarkParameterNoDerivative";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
            DiagnosticIds.ParameterDoesNotAffectResult, DiagnosticIds.StructNotDifferentiable, DiagnosticIds.StructWithNonRealField);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan)) continue;
                if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<ParameterSyntax>() is not { } parameter) continue;
                context.RegisterCodeFix(
                    CodeAction.Create("Mark '" + parameter.Identifier.ValueText + "' [NoDerivative]",
                        ct => MarkAsync(context.Document, diagnostic.Location.SourceSpan.Start, ct), EquivalenceKey),
                    diagnostic);
            }
        }

        private static async Task<Document> MarkAsync(Document document, int position, CancellationToken cancellationToken)
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            SemanticModel? semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root?.FindToken(position).Parent?.FirstAncestorOrSelf<ParameterSyntax>() is not { } parameter || semanticModel is null) return document;
            NameSyntax name = SyntaxEdits.AttributeName(semanticModel, parameter.SpanStart, "NoDerivative");
            ParameterSyntax marked = SyntaxEdits.AddAttributeInline(parameter, SyntaxEdits.AttributeList(name));
            return document.WithSyntaxRoot(root.ReplaceNode(parameter, marked));
        }
    }
}
