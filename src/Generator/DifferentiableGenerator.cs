using System.Linq;
using System.Text;
using System.Threading;
using AutoDiffGen.Generator.Engine;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiffGen.Generator
{
    /// <summary>
    /// Emits <c>MGradient</c> and <c>MBackward</c> beside every <c>[Differentiable]</c> method (api.md).
    /// </summary>
    /// <remarks>
    /// The pipeline carries only value-equatable models (the generated file's name and text), so an edit elsewhere, or
    /// a blank line above the method, leaves this method's output cached. The generator reports nothing: a method
    /// with an error gets no companions, and the analyzers report the one clear ADG diagnostic.
    /// </remarks>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class DifferentiableGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline steps, for incrementality tests.</summary>
        public static class TrackingNames
        {
            public const string Methods = "DifferentiableMethods";
            public const string GeneratedFiles = "GeneratedFiles";
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<GeneratedFile> files = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownNames.DifferentiableAttribute,
                    predicate: static (node, _) => node is MethodDeclarationSyntax,
                    transform: static (attributeContext, cancellationToken) => Generate(attributeContext, cancellationToken))
                .WithTrackingName(TrackingNames.Methods)
                .Where(static file => file is not null)
                .Select(static (file, _) => file!)
                .WithTrackingName(TrackingNames.GeneratedFiles);

            context.RegisterSourceOutput(files, static (output, file) =>
                output.AddSource(file.HintName, SourceText.From(file.Source, Encoding.UTF8)));
            RegisterOnDemandTangents(context);
        }

        private static GeneratedFile? Generate(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            // Half-typed code gets no companions, as it gets no ADG diagnostic (the analyzers skip it too).
            if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax
                || Analyzers.SyntaxErrors.In(syntax) || IsDuplicateDeclaration(method))
            {
                return null;
            }
            EngineResult result = DifferentiationEngine.Run(method, syntax, context.SemanticModel, emit: true, cancellationToken);
            return result.Source is null ? null : new GeneratedFile(HintName(method), result.Source);
        }

        /// <summary>
        /// A second declaration of the same signature (CS0111): both would get the same file name, and the compiler
        /// reports the duplicate itself, so neither gets companions.
        /// </summary>
        private static bool IsDuplicateDeclaration(IMethodSymbol method) =>
            method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().Count(other =>
                other.Parameters.Length == method.Parameters.Length
                && other.Parameters.Zip(method.Parameters, (a, b) => a.RefKind == b.RefKind && SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same)) > 1;

        /// <summary>
        /// A file name unique per method, overloads included, and stable across runs: the type, the method and its
        /// parameter types, fully qualified (<c>F(A.Vec)</c> and <c>F(B.Vec)</c> differ). Characters a file name cannot
        /// hold become '_'; since that can make two signatures alike (<c>double[]</c>, <c>double*[]</c>…), a name that
        /// needed it ends with a hash of the method's documentation ID, which is unique per signature.
        /// </summary>
        private static string HintName(IMethodSymbol method)
        {
            var builder = new StringBuilder();
            builder.Append(WithoutGlobal(method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))).Append('.').Append(method.Name);
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                builder.Append('_');
                if (parameter.RefKind != RefKind.None) builder.Append(parameter.RefKind.ToString().ToLowerInvariant()).Append(' ');
                builder.Append(WithoutGlobal(parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)));
            }
            var sanitized = new StringBuilder();
            bool lossy = false;
            foreach (char c in builder.ToString())
            {
                bool kept = c < 128 && (char.IsLetterOrDigit(c) || c is '.' or '_');
                sanitized.Append(kept ? c : '_');
                lossy |= !kept;
            }
            if (lossy)
            {
                sanitized.Append("_h").Append(StableHash(method.GetDocumentationCommentId() ?? builder.ToString()).ToString("x8"));
            }
            return sanitized.Append(".g.cs").ToString();
        }

        private static string WithoutGlobal(string name) => name.Replace("global::", "");

        /// <summary>FNV-1a: the same on every run and machine (string.GetHashCode is randomised per process).</summary>
        private static uint StableHash(string text)
        {
            uint hash = 2166136261;
            foreach (char c in text)
            {
                hash = (hash ^ c) * 16777619;
            }
            return hash;
        }
    }

    /// <summary>One generated source file: the pipeline's only model, a pair of strings.</summary>
    internal sealed record GeneratedFile(string HintName, string Source);
}
