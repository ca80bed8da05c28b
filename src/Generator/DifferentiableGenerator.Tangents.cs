using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using AutoDiffGen.Generator.Engine;
using AutoDiffGen.Generator.Model;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiffGen.Generator
{
    /// <summary>
    /// Companions generated on demand (api.md): a forward-mode method calls its callees' <c>…Tangent</c>, so a
    /// [Differentiable] callee in the same compilation that did not ask for <c>Derivatives.Forward</c> gets its MTangent
    /// anyway, in a file of its own, with its own accessibility.
    /// </summary>
    public sealed partial class DifferentiableGenerator
    {
        private static void RegisterOnDemandTangents(IncrementalGeneratorInitializationContext context)
        {
            // Per forward-mode method: the documentation ids of the callees it needs a tangent of (equatable strings).
            IncrementalValueProvider<ImmutableArray<EquatableArray<string>>> needed = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.DifferentiableAttribute,
                    predicate: static (node, _) => node is MethodDeclarationSyntax,
                    transform: static (attributeContext, cancellationToken) => TangentCallees(attributeContext, cancellationToken))
                .Where(static ids => ids.Count > 0)
                .Collect();

            // Only when some are needed is the compilation looked at (to find the callees' declarations).
            IncrementalValuesProvider<GeneratedFile> files = needed
                .Select(static (all, _) => all.SelectMany(ids => ids).Distinct().OrderBy(id => id, System.StringComparer.Ordinal).ToEquatableArray())
                .Combine(context.CompilationProvider)
                .SelectMany(static (pair, cancellationToken) => OnDemandTangentFiles(pair.Left, pair.Right, cancellationToken));

            context.RegisterSourceOutput(files, static (output, file) =>
                output.AddSource(file.HintName, SourceText.From(file.Source, Encoding.UTF8)));
        }

        /// <summary>
        /// For a method that gets an MTangent (it asks for forward mode, or is vector-valued): every [Differentiable] method of this compilation it calls, directly or
        /// through other such methods, that does not get one itself (so nothing else generates its MTangent).
        /// </summary>
        private static EquatableArray<string> TangentCallees(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax
                || !KnownNames.GetsOwnTangent(method))
            {
                return EquatableArray<string>.Empty;
            }
            var found = new SortedSet<string>(System.StringComparer.Ordinal);
            var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { method.OriginalDefinition };
            var pending = new Stack<(MethodDeclarationSyntax Syntax, SemanticModel Model)>();
            pending.Push((syntax, context.SemanticModel));
            Compilation compilation = context.SemanticModel.Compilation;
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (body, model) = pending.Pop();
                foreach (InvocationExpressionSyntax invocation in body.DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol callee) continue;
                    IMethodSymbol definition = callee.OriginalDefinition;
                    if (!visited.Add(definition) || !KnownNames.HasAttribute(definition, KnownNames.DifferentiableAttribute)) continue;
                    if (definition.DeclaringSyntaxReferences.Length != 1
                        || definition.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax calleeSyntax
                        || !compilation.ContainsSyntaxTree(calleeSyntax.SyntaxTree))
                    {
                        continue;
                    }
                    if (!KnownNames.GetsOwnTangent(definition) && definition.GetDocumentationCommentId() is { } id)
                    {
                        found.Add(id);
                    }
#pragma warning disable RS1030 // The callee lives in another tree; its model is bound once and shared with the compiler's.
                    pending.Push((calleeSyntax, compilation.GetSemanticModel(calleeSyntax.SyntaxTree)));
#pragma warning restore RS1030
                }
            }
            return found.ToEquatableArray();
        }

        private static IEnumerable<GeneratedFile> OnDemandTangentFiles(EquatableArray<string> ids, Compilation compilation, CancellationToken cancellationToken)
        {
            foreach (string id in ids)
            {
                if (DocumentationCommentId.GetFirstSymbolForDeclarationId(id, compilation) is not IMethodSymbol method
                    || method.DeclaringSyntaxReferences.Length != 1
                    || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax syntax
                    || Analyzers.SyntaxErrors.In(syntax))
                {
                    continue;
                }
#pragma warning disable RS1030 // One model per on-demand callee, shared with the compiler's.
                SemanticModel model = compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
                EngineResult result = DifferentiationEngine.RunTangentOnly(method, syntax, model, cancellationToken);
                if (result.Source is not null)
                {
                    yield return new GeneratedFile(HintName(method).Replace(".g.cs", "." + Companion.Tangent.Suffix + ".g.cs"), result.Source);
                }
            }
        }
    }
}
