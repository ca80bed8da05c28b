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
    /// <summary>
    /// ADG0001: makes the type of the [Differentiable] method partial, and every type around it, in one step (the
    /// diagnostic's additional location is the method, so one fix covers the whole chain).
    /// </summary>
    [ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(MakeTypePartialCodeFixProvider)), Shared]
    public sealed class MakeTypePartialCodeFixProvider : CodeFixProvider
    {
        public const string EquivalenceKey = "AutoDiffGen.MakeTypePartial";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.TypeNotPartial);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                // Start from the method when the diagnostic names it (then its innermost type is covered too).
                Location anchor = diagnostic.AdditionalLocations.FirstOrDefault(l => l.SourceTree == root.SyntaxTree) ?? diagnostic.Location;
                if (!root.FullSpan.Contains(anchor.SourceSpan)) continue;
                SyntaxNode start = root.FindToken(anchor.SourceSpan.Start).Parent!;
                var types = SyntaxEdits.NonPartialTypesAround(start);
                if (types.Count == 0) continue;
                string title = types.Count == 1
                    ? "Make '" + types[0].Identifier.ValueText + "' partial"
                    : "Make '" + types[0].Identifier.ValueText + "' and its enclosing types partial";
                context.RegisterCodeFix(
                    CodeAction.Create(title, ct => MakePartialAsync(context.Document, anchor, ct), EquivalenceKey),
                    diagnostic);
            }
        }

        private static async Task<Document> MakePartialAsync(Document document, Location anchor, CancellationToken cancellationToken)
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null) return document;
            var types = SyntaxEdits.NonPartialTypesAround(root.FindToken(anchor.SourceSpan.Start).Parent!);
            SyntaxNode newRoot = root.ReplaceNodes(types, (_, rewritten) => SyntaxEdits.AddPartial((TypeDeclarationSyntax)rewritten));
            return document.WithSyntaxRoot(newRoot);
        }
    }
}
