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
    /// ADG0106: constrains the type parameter the diagnostic names to <c>System.Numerics.IFloatingPointIeee754&lt;T&gt;</c>,
    /// which gives every member a derivative calls: a new <c>where</c> clause, or one more constraint in the existing one.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ConstrainToFloatingPointCodeFixProvider)), Shared]
    public sealed class ConstrainToFloatingPointCodeFixProvider : CodeFixProvider
    {
        public const string EquivalenceKey = "AutoDiffGen.ConstrainToFloatingPoint";

        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.GenericTypeNotReal);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (Diagnostic diagnostic in context.Diagnostics)
            {
                // Reported on the returned T or on the type parameter: either way the token is the parameter's name.
                SyntaxToken token = root.FindToken(diagnostic.Location.SourceSpan.Start);
                if (token.Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { TypeParameterList: { } list } method
                    || list.Parameters.All(p => p.Identifier.ValueText != token.ValueText))
                {
                    continue;
                }
                string name = token.ValueText;
                context.RegisterCodeFix(
                    CodeAction.Create("Constrain '" + name + "' to IFloatingPointIeee754<" + name + ">",
                        ct => ConstrainAsync(context.Document, method, name, ct), EquivalenceKey),
                    diagnostic);
            }
        }

        private static async Task<Document> ConstrainAsync(Document document, MethodDeclarationSyntax method, string name, CancellationToken cancellationToken)
        {
            SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null) return document;
            TypeParameterConstraintSyntax constraint = SyntaxFactory.TypeConstraint(SyntaxFactory.ParseTypeName("System.Numerics.IFloatingPointIeee754<" + name + ">"));
            MethodDeclarationSyntax fixedMethod;
            if (method.ConstraintClauses.FirstOrDefault(c => c.Name.Identifier.ValueText == name) is { } clause)
            {
                // The clause's trailing space moves behind the new constraint (…<T>=> would lex as >=).
                fixedMethod = method.ReplaceNode(clause, clause.WithoutTrailingTrivia().AddConstraints(constraint).WithTrailingTrivia(clause.GetTrailingTrivia()));
            }
            else
            {
                // where T : … goes after the parameter list, before the body or =>, on the same line.
                TypeParameterConstraintClauseSyntax newClause = SyntaxFactory.TypeParameterConstraintClause(SyntaxFactory.IdentifierName(name))
                    .AddConstraints(constraint)
                    .WithLeadingTrivia(SyntaxFactory.Space)
                    .WithTrailingTrivia(method.ParameterList.GetTrailingTrivia());
                fixedMethod = method
                    .WithParameterList(method.ParameterList.WithTrailingTrivia())
                    .WithConstraintClauses(method.ConstraintClauses.Add(newClause));
            }
            return document.WithSyntaxRoot(root.ReplaceNode(method, fixedMethod));
        }
    }
}
