using AutoDiffGen.Generator.Model;
using AutoDiffGen.Generator.Pipeline;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator
{
    /// <summary>
    /// Companions generated on demand (api.md): a forward-mode method calls its callees' <c>…Tangent</c>, so a
    /// [Differentiable] callee in the same compilation that did not ask for <c>Derivatives.Forward</c> gets its MTangent
    /// anyway, in a file of its own, with its own accessibility. Which callees need one is read from the call graph; the
    /// engine runs on a callee only when its request (its key and those of the methods it reaches) changes.
    /// </summary>
    public sealed partial class DifferentiableGenerator
    {
        private static void RegisterOnDemandTangents(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<CallGraph> graph,
            IncrementalValueProvider<CompilationHandle> compilation)
        {
            IncrementalValuesProvider<TangentRequest> requests = graph
                .SelectMany(static (graph, _) => graph.OnDemandTangents())
                .WithTrackingName(TrackingNames.TangentRequests);

            AddFiles(context, requests.SelectBehindKey(compilation, TangentFile), TrackingNames.TangentFiles);
        }
    }
}
