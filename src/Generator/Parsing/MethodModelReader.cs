using System.Collections.Generic;
using System.Linq;
using System.Text;
using AutoDiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>
    /// Reads a <see cref="MethodModel"/> in the generator's attribute transform, which runs for every [Differentiable]
    /// method on every keystroke: the declaration's text, the text around it and the names in both — syntax only, plus
    /// the symbol the transform is given. Nothing here binds a method body (that costs a thousand times more).
    /// </summary>
    internal static class MethodModelReader
    {
        /// <param name="attribute">The [Differentiable] attribute, as the transform found it (its <c>Derivatives</c> argument).</param>
        public static MethodModel? Read(ISymbol symbol, SyntaxNode node, AttributeData? attribute)
        {
            if (symbol is not IMethodSymbol method || node is not MethodDeclarationSyntax syntax
                || method.OriginalDefinition.GetDocumentationCommentId() is not { } id)
            {
                return null;
            }
            var names = new SortedSet<string>(System.StringComparer.Ordinal);
            AddIdentifiers(syntax, names);
            string context = Context(syntax, names);
            // Half-typed code gets no companions, as it gets no ADG diagnostic (the analyzers skip it too); a second
            // declaration of the same signature (CS0111) neither, so two files never share a name.
            bool getsNoCompanions = Analyzers.SyntaxErrors.In(syntax) || IsDuplicateDeclaration(method);
            return new MethodModel(id, syntax.SyntaxTree.FilePath, syntax.ToString(), context, names.ToEquatableArray(),
                KnownNames.ModesOf(attribute), (KnownNames.ModesOf(attribute) & DerivativeModes.Forward) != 0 || KnownNames.IsVectorValued(method),
                getsNoCompanions);
        }

        /// <summary>
        /// A second declaration of the same signature (CS0111): both would get the same file name, and the compiler
        /// reports the duplicate itself, so neither gets companions.
        /// </summary>
        private static bool IsDuplicateDeclaration(IMethodSymbol method) =>
            method.ContainingType.GetMembers(method.Name).Length > 1
            && method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().Count(other =>
                other.Parameters.Length == method.Parameters.Length
                && other.Parameters.Zip(method.Parameters, (a, b) => a.RefKind == b.RefKind && SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same)) > 1;

        /// <summary>
        /// The using directives, namespaces and enclosing type headers (attributes, modifiers, name, type parameters,
        /// base list, constraints), innermost last; their identifiers join <paramref name="names"/>.
        /// </summary>
        private static string Context(MethodDeclarationSyntax syntax, SortedSet<string> names)
        {
            var parts = new List<string>();
            for (SyntaxNode? node = syntax.Parent; node is not null; node = node.Parent)
            {
                switch (node)
                {
                    case TypeDeclarationSyntax type:
                        var header = new StringBuilder();
                        header.Append(type.AttributeLists.ToString()).Append(' ').Append(type.Modifiers.ToString()).Append(' ')
                            .Append(type.Keyword.ValueText).Append(' ').Append(type.Identifier.ValueText)
                            .Append(type.TypeParameterList?.ToString()).Append(' ').Append(type.BaseList?.ToString()).Append(' ')
                            .Append(type.ConstraintClauses.ToString());
                        names.Add(type.Identifier.ValueText);
                        AddIdentifiers(type.AttributeLists, names);
                        if (type.BaseList is not null) AddIdentifiers(type.BaseList, names);
                        parts.Add(header.ToString());
                        break;
                    case BaseNamespaceDeclarationSyntax ns:
                        parts.Add("namespace " + ns.Name + " " + ns.Externs + " " + ns.Usings);
                        AddIdentifiers(ns.Usings, names);
                        break;
                    case CompilationUnitSyntax unit:
                        parts.Add(unit.Externs + " " + unit.Usings);
                        AddIdentifiers(unit.Usings, names);
                        break;
                }
            }
            parts.Reverse();
            return string.Join("\n", parts);
        }

        private static void AddIdentifiers<TNode>(SyntaxList<TNode> nodes, SortedSet<string> names) where TNode : SyntaxNode
        {
            foreach (TNode node in nodes)
            {
                AddIdentifiers(node, names);
            }
        }

        private static void AddIdentifiers(SyntaxNode node, SortedSet<string> names)
        {
            foreach (SyntaxToken token in node.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken))
                {
                    names.Add(token.ValueText);
                }
            }
        }
    }
}
