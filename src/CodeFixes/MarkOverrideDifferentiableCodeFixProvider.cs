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
    /// ADG0107 on an override without [Differentiable]: gives it the attribute of the [Differentiable] method it overrides
    /// (the same modes, so its companions override every virtual one), and makes its types partial in the same step. An
    /// override that is [Differentiable] with fewer modes or other [NoDerivative] parameters is left to the user: which of
    /// the two attributes is meant is theirs to say.
    /// </summary>
    [ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(MarkOverrideDifferentiableCodeFixProvider)), Shared]
    public sealed class MarkOverrideDifferentiableCodeFixProvider : CodeFixProvider
    {
        public const string EquivalenceKey = "AutoDiffGen.MarkOverrideDifferentiable";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.OverrideNotDifferentiableAlike);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            SemanticModel? semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || semanticModel is null) return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan)
                    || root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method
                    || semanticModel.GetDeclaredSymbol(method, context.CancellationToken) is not { } symbol
                    || HasDifferentiable(symbol)
                    || BaseAttribute(symbol) is not { } attribute)
                {
                    continue;
                }
                context.RegisterCodeFix(
                    CodeAction.Create("Mark '" + symbol.Name + "' [Differentiable] like the method it overrides",
                        ct => MarkAsync(context.Document, method.Span, attribute, ct), EquivalenceKey),
                    diagnostic);
            }
        }

        private static bool HasDifferentiable(ISymbol symbol) =>
            symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == SyntaxEdits.AttributeNamespace + ".DifferentiableAttribute");

        /// <summary>The [Differentiable] attribute of the nearest method the override overrides that has one.</summary>
        private static AttributeData? BaseAttribute(IMethodSymbol method)
        {
            for (IMethodSymbol? overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
            {
                AttributeData? attribute = overridden.OriginalDefinition.GetAttributes()
                    .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == SyntaxEdits.AttributeNamespace + ".DifferentiableAttribute");
                if (attribute is not null) return attribute;
            }
            return null;
        }

        private static async Task<Solution> MarkAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, AttributeData baseAttribute, CancellationToken cancellationToken)
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            SemanticModel? semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || semanticModel is null
                || root.FindNode(span).FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method)
            {
                return document.Project.Solution;
            }
            NameSyntax name = SyntaxEdits.AttributeName(semanticModel, method.SpanStart, "Differentiable");
            AttributeSyntax attribute = SyntaxFactory.Attribute(name);
            if (baseAttribute.ConstructorArguments is { Length: 1 } arguments && arguments[0].Value is int flags)
            {
                // The modes as the user writes them: Derivatives.Reverse | Derivatives.Forward, qualified like the attribute's name.
                string prefix = name.ToString().Contains(".") ? "global::" + SyntaxEdits.AttributeNamespace + ".Derivatives." : "Derivatives.";
                string modes = string.Join(" | ", new[] { (1, "Reverse"), (2, "Forward"), (4, "Hessian") }.Where(m => (flags & m.Item1) != 0).Select(m => prefix + m.Item2));
                attribute = attribute.WithArgumentList(SyntaxFactory.ParseAttributeArgumentList("(" + modes + ")"));
            }
            var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute));
            return document.WithSyntaxRoot(SyntaxEdits.MarkMethodAndMakeTypesPartial(root, method, list)).Project.Solution;
        }
    }
}
