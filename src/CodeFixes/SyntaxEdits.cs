using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.CodeFixes
{
    /// <summary>The small syntax edits the fixes share; each keeps the user's trivia (comments, indentation, line ends).</summary>
    internal static class SyntaxEdits
    {
        public const string AttributeNamespace = "AutoDiffGen";

        /// <summary>The type declarations around <paramref name="node"/> (itself included) that are not partial, innermost first.</summary>
        public static IReadOnlyList<TypeDeclarationSyntax> NonPartialTypesAround(SyntaxNode node) =>
            node.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword)).ToList();

        /// <summary>
        /// Adds <c>partial</c> as the last modifier (C# wants it right before <c>class</c>, <c>struct</c>, <c>record</c> or
        /// <c>interface</c>); with no modifiers, it takes over the keyword's leading trivia.
        /// </summary>
        public static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
        {
            if (declaration.Modifiers.Any(SyntaxKind.PartialKeyword)) return declaration;
            SyntaxToken partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
            if (declaration.Modifiers.Count == 0)
            {
                SyntaxToken keyword = declaration.Keyword;
                partial = partial.WithLeadingTrivia(keyword.LeadingTrivia);
                declaration = declaration.ReplaceToken(keyword, keyword.WithLeadingTrivia(SyntaxFactory.TriviaList()));
            }
            return declaration.WithModifiers(declaration.Modifiers.Add(partial));
        }

        /// <summary>
        /// <c>Name</c> when it binds to <c>AutoDiffGen.NameAttribute</c> at <paramref name="position"/> (a <c>using
        /// AutoDiffGen;</c> is in scope), otherwise the qualified name.
        /// </summary>
        public static NameSyntax AttributeName(SemanticModel semanticModel, int position, string shortName)
        {
            string metadataName = AttributeNamespace + "." + shortName + "Attribute";
            foreach (string candidate in new[] { shortName, AttributeNamespace + "." + shortName })
            {
                NameSyntax name = SyntaxFactory.ParseName(candidate + "Attribute");
                ISymbol? symbol = semanticModel.GetSpeculativeSymbolInfo(position, name, SpeculativeBindingOption.BindAsTypeOrNamespace).Symbol;
                if (symbol is ITypeSymbol type && type.ToDisplayString() == metadataName)
                {
                    return SyntaxFactory.ParseName(candidate);
                }
            }
            return SyntaxFactory.ParseName("global::" + AttributeNamespace + "." + shortName);
        }

        public static AttributeListSyntax AttributeList(NameSyntax name) =>
            SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(name)));

        /// <summary>
        /// Puts <paramref name="list"/> on a line of its own above a member, after its other attributes: the doc
        /// comment stays above everything, the member keeps its indentation.
        /// </summary>
        public static MethodDeclarationSyntax AddAttributeOnOwnLine(MethodDeclarationSyntax method, AttributeListSyntax list, string endOfLine)
        {
            if (method.AttributeLists.Count > 0)
            {
                AttributeListSyntax last = method.AttributeLists.Last();
                SyntaxTriviaList indentation = Indentation(last.GetLeadingTrivia());
                list = list.WithLeadingTrivia(indentation).WithTrailingTrivia(SyntaxFactory.EndOfLine(endOfLine));
                return method.WithAttributeLists(method.AttributeLists.Insert(method.AttributeLists.Count, list));
            }
            SyntaxToken first = method.GetFirstToken();
            SyntaxTriviaList leading = first.LeadingTrivia;
            list = list.WithLeadingTrivia(leading).WithTrailingTrivia(SyntaxFactory.EndOfLine(endOfLine));
            method = method.ReplaceToken(first, first.WithLeadingTrivia(Indentation(leading)));
            return method.WithAttributeLists(method.AttributeLists.Add(list));
        }

        /// <summary>Puts <paramref name="list"/> in front of a parameter, on the same line: <c>[NoDerivative] double c</c>.</summary>
        public static ParameterSyntax AddAttributeInline(ParameterSyntax parameter, AttributeListSyntax list)
        {
            SyntaxToken first = parameter.GetFirstToken();
            list = list.WithLeadingTrivia(first.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.Space);
            if (parameter.AttributeLists.Count == 0)
            {
                parameter = parameter.ReplaceToken(first, first.WithLeadingTrivia(SyntaxFactory.TriviaList()));
                return parameter.WithAttributeLists(parameter.AttributeLists.Add(list));
            }
            return parameter.WithAttributeLists(parameter.AttributeLists.Add(list.WithLeadingTrivia(SyntaxFactory.TriviaList())));
        }

        /// <summary>The whitespace that starts the last line of <paramref name="leading"/> (the member's indentation).</summary>
        private static SyntaxTriviaList Indentation(SyntaxTriviaList leading)
        {
            SyntaxTrivia last = leading.LastOrDefault();
            return last.IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.TriviaList(last) : SyntaxFactory.TriviaList();
        }

        /// <summary>The line ending the document already uses.</summary>
        public static string EndOfLine(SyntaxNode root) =>
            root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } eol ? eol.ToString() : "\n";

        /// <summary>
        /// <paramref name="method"/> with <paramref name="list"/> on a line of its own and every type around it partial, in
        /// one edit of <paramref name="root"/>: a method that becomes [Differentiable] needs both, or the fix trades its
        /// error for ADG0001.
        /// </summary>
        public static SyntaxNode MarkMethodAndMakeTypesPartial(SyntaxNode root, MethodDeclarationSyntax method, AttributeListSyntax list)
        {
            var types = NonPartialTypesAround(method);
            string endOfLine = EndOfLine(root);
            return root.ReplaceNodes(
                types.Cast<SyntaxNode>().Append(method),
                (original, rewritten) => original == method
                    ? AddAttributeOnOwnLine((MethodDeclarationSyntax)rewritten, list, endOfLine)
                    : AddPartial((TypeDeclarationSyntax)rewritten));
        }
    }
}
