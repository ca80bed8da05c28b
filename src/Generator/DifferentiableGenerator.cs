using System.Collections.Immutable;
using System.Linq;
using System.Text;
using AutoDiffGen.Generator.Model;
using AutoDiffGen.Generator.Parsing;
using AutoDiffGen.Generator.Pipeline;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiffGen.Generator
{
    /// <summary>
    /// Emits <c>MGradient</c> and <c>MBackward</c> beside every <c>[Differentiable]</c> method (api.md), and the other
    /// companions its <c>Derivatives</c> ask for.
    /// </summary>
    /// <remarks>
    /// The pipeline (design.md, "the cache boundary"), every step a value-equatable model:
    /// <list type="number">
    /// <item>the edited file's attributed methods are read as <see cref="MethodModel"/>s: text and names, nothing bound —
    /// this is all that runs on a keystroke for the methods of the edited file, and nothing runs for the others;</item>
    /// <item>each file's declarations, without bodies, are fingerprinted by name (only the edited file's again), and
    /// merged into a <see cref="DeclarationIndex"/>;</item>
    /// <item>a method's <see cref="MethodKey"/> is its model plus the fingerprint of the declarations of the names it
    /// uses; the engine runs on a method only when its key changes (<see cref="KeyOnlyComparer{TKey}"/>);</item>
    /// <item>the <see cref="CallGraph"/> of the engine's results decides what crosses methods: a caller of a method
    /// with an error gets none of its own companions, and a forward-mode caller's callees get an <c>MTangent</c>.</item>
    /// </list>
    /// An edit outside every [Differentiable] method re-reads the models and stops there; an edit inside one reruns the
    /// engine on that method; a changed signature reruns it on the methods that name it. The generator reports nothing:
    /// a method with an error gets no companions, and the analyzers report the one clear ADG diagnostic.
    /// </remarks>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class DifferentiableGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline steps, for incrementality tests.</summary>
        public static class TrackingNames
        {
            public const string Methods = "DifferentiableMethods";
            public const string Declarations = "Declarations";
            public const string DeclarationIndex = "DeclarationIndex";
            public const string MethodKeys = "MethodKeys";
            public const string CheckedMethods = "CheckedMethods";
            public const string CallGraph = "CallGraph";
            public const string EmitRequests = "EmitRequests";
            public const string GeneratedFiles = "GeneratedFiles";
            public const string TangentRequests = "TangentRequests";
            public const string TangentFiles = "OnDemandTangentFiles";

            /// <summary>The steps that run the engine: on an edit, only these cost anything.</summary>
            public static readonly ImmutableArray<string> EngineSteps = ImmutableArray.Create(CheckedMethods, GeneratedFiles, TangentFiles);
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            // Each file, as syntax: the steps after it run again for the edited file only (the unit of an unchanged tree is
            // the same object). Not ForAttributeWithMetadataName: in Roslyn 4.8 it binds every target and reruns the
            // transform for every [Differentiable] method whenever the compilation changes, on every keystroke.
            IncrementalValuesProvider<CompilationUnitSyntax> units = context.SyntaxProvider
                .CreateSyntaxProvider(static (node, _) => node is CompilationUnitSyntax, static (syntaxContext, _) => (CompilationUnitSyntax)syntaxContext.Node);

            IncrementalValuesProvider<MethodModel> models = units
                .Select(static (unit, cancellationToken) => MethodModelReader.ReadAll(unit, cancellationToken))
                .SelectMany(static (models, _) => models)
                .WithTrackingName(TrackingNames.Methods);

            IncrementalValuesProvider<FileDeclarations> declarations = units
                .Select(static (unit, cancellationToken) => FileDeclarations.Of(unit, cancellationToken))
                .WithTrackingName(TrackingNames.Declarations);

            IncrementalValueProvider<DeclarationIndex> index = declarations.Collect()
                .Combine(context.CompilationProvider.Select(static (compilation, _) => CompilationEnvironment.Of(compilation)))
                .Select(static (pair, _) => new DeclarationIndex(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.DeclarationIndex);

            IncrementalValuesProvider<MethodKey> keys = models.Combine(index)
                .Select(static (pair, _) => pair.Right.KeyOf(pair.Left))
                .WithTrackingName(TrackingNames.MethodKeys);

            IncrementalValueProvider<CompilationHandle> compilation = context.CompilationProvider
                .Select(static (compilation, _) => new CompilationHandle(compilation));

            // Attributed methods that are not [Differentiable] (a [Fact], an [Obsolete]…) stop here.
            IncrementalValuesProvider<CheckedMethod> checkedMethods = keys
                .SelectBehindKey(compilation, Check)
                .WithTrackingName(TrackingNames.CheckedMethods)
                .Where(static method => method.IsDifferentiable);

            IncrementalValueProvider<CallGraph> graph = checkedMethods.Collect()
                .Select(static (methods, _) => new CallGraph(methods))
                .WithTrackingName(TrackingNames.CallGraph);

            IncrementalValuesProvider<EmitRequest> requests = checkedMethods.Combine(graph)
                .Select(static (pair, _) => pair.Right.EmitRequestFor(pair.Left))
                .WithTrackingName(TrackingNames.EmitRequests);

            AddFiles(context, requests.SelectBehindKey(compilation, Emit), TrackingNames.GeneratedFiles);
            RegisterOnDemandTangents(context, graph, compilation);
        }

        /// <summary>The files the engine produced (null: the method gets none), as generated sources.</summary>
        private static void AddFiles(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<GeneratedFile?> files, string trackingName)
        {
            IncrementalValuesProvider<GeneratedFile> produced = files
                .Where(static file => file is not null)
                .Select(static (file, _) => file!)
                .WithTrackingName(trackingName);
            context.RegisterSourceOutput(produced, static (output, file) =>
                output.AddSource(file.HintName, SourceText.From(file.Source, Encoding.UTF8)));
        }
    }

    /// <summary>One generated source file: the pipeline's last model, a pair of strings.</summary>
    internal sealed record GeneratedFile(string HintName, string Source);
}
