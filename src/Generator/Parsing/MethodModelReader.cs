using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using AutoDiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>
    /// Reads the <see cref="MethodModel"/>s of a file when it changes (the syntax provider caches the others): the
    /// declaration's text, the text around it and the names in both — syntax only. Nothing here binds, not even the
    /// attribute: every method with an attribute is read, and <see cref="Identify"/>, behind the cache boundary, tells
    /// the [Differentiable] ones (an attribute can be named through an alias, even a global one in another file).
    /// </summary>
    internal static class MethodModelReader
    {
        /// <summary>The models of the methods in <paramref name="unit"/> that carry at least one attribute, in source order.</summary>
        public static EquatableArray<MethodModel> ReadAll(CompilationUnitSyntax unit, CancellationToken cancellationToken)
        {
            var models = new List<MethodModel>();
            foreach (MethodDeclarationSyntax method in AttributedMethods(unit.Members))
            {
                cancellationToken.ThrowIfCancellationRequested();
                models.Add(Read(method));
            }
            return models.ToEquatableArray();
        }

        /// <summary>Attributed methods of types (nested ones included) in namespaces: no method body is entered.</summary>
        private static IEnumerable<MethodDeclarationSyntax> AttributedMethods(SyntaxList<MemberDeclarationSyntax> members)
        {
            foreach (MemberDeclarationSyntax member in members)
            {
                switch (member)
                {
                    case MethodDeclarationSyntax { AttributeLists.Count: > 0 } method:
                        yield return method;
                        break;
                    case BaseNamespaceDeclarationSyntax ns:
                        foreach (MethodDeclarationSyntax inner in AttributedMethods(ns.Members)) yield return inner;
                        break;
                    case TypeDeclarationSyntax type:
                        foreach (MethodDeclarationSyntax inner in AttributedMethods(type.Members)) yield return inner;
                        break;
                }
            }
        }

        public static MethodModel Read(MethodDeclarationSyntax syntax)
        {
            var names = new SortedSet<string>(System.StringComparer.Ordinal);
            AddIdentifiers(syntax, names);
            string context = Context(syntax, names);
            // Half-typed code gets no companions, as it gets no ADG diagnostic (the analyzers skip it too).
            return new MethodModel(syntax.SyntaxTree.FilePath, syntax.ToString(), context, names.ToEquatableArray(), Analyzers.SyntaxErrors.In(syntax));
        }

        /// <summary>
        /// The declaration of <paramref name="model"/> in <paramref name="compilation"/>: the method of its file with its
        /// text and context (two types of one file can declare the same text). Null when it is gone.
        /// </summary>
        public static MethodDeclarationSyntax? Find(MethodModel model, Compilation compilation, CancellationToken cancellationToken)
        {
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
            {
                if (tree.FilePath != model.FilePath || tree.GetRoot(cancellationToken) is not CompilationUnitSyntax unit) continue;
                foreach (MethodDeclarationSyntax method in AttributedMethods(unit.Members))
                {
                    if (method.Span.Length == model.DeclarationText.Length && method.ToString() == model.DeclarationText
                        && Context(method, new SortedSet<string>(System.StringComparer.Ordinal)) == model.Context)
                    {
                        return method;
                    }
                }
            }
            return null;
        }

        /// <summary>
        /// What binding the declaration says: null when its own attributes do not include AutoDiffGen's [Differentiable]
        /// (a partial method's other part may carry it: then that part is the one read).
        /// </summary>
        public static MethodIdentity? Identify(IMethodSymbol method, MethodDeclarationSyntax syntax)
        {
            bool differentiable = method.GetAttributes().Any(a => a.AttributeClass is { } c && c.ToDisplayString() == KnownNames.DifferentiableAttribute
                && a.ApplicationSyntaxReference is { } applied && applied.SyntaxTree == syntax.SyntaxTree && syntax.Span.Contains(applied.Span));
            if (!differentiable || method.OriginalDefinition.GetDocumentationCommentId() is not { } id)
            {
                return null;
            }
            return new MethodIdentity(id, KnownNames.GetsOwnTangent(method), IsDuplicateDeclaration(method), KnownNames.ModesOf(method));
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
                    // A one-line helper called in a loop is inlined: its body is a dependency (MethodModel.InlinedBodyName).
                    if (token.Parent?.Parent is InvocationExpressionSyntax or MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax }
                        && token.Parent.Ancestors().Any(a => a is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or CommonForEachStatementSyntax))
                    {
                        names.Add(MethodModel.InlinedBodyName(token.ValueText));
                    }
                }
            }
        }
    }
}
