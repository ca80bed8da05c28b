using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using AutoDiffGen.Generator.Engine;
using AutoDiffGen.Generator.Model;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.Generator
{
    /// <summary>
    /// The pipeline's engine steps, behind the cache boundary: each runs only for a key that changed, and only then
    /// binds the method (finds it again in this run's compilation).
    /// </summary>
    public sealed partial class DifferentiableGenerator
    {
        /// <summary>
        /// The engine on one method, every [Differentiable] callee in source assumed to get its companions and its tangents,
        /// without reading their bodies (the call graph checks that afterwards); the callees are recorded for the graph. First the declaration is bound (not the
        /// body): an attributed method that is not [Differentiable] stops there.
        /// </summary>
        private static CheckedMethod Check(MethodKey key, Compilation compilation, CancellationToken cancellationToken) =>
            Guarded(() => CheckCore(key, compilation, cancellationToken), CheckedMethod.NotDifferentiable(key), cancellationToken);

        private static CheckedMethod CheckCore(MethodKey key, Compilation compilation, CancellationToken cancellationToken)
        {
            if (Find(key.Model, compilation, cancellationToken) is not var (method, syntax, semanticModel)
                || MethodModelReader.Identify(method, syntax) is not { } identity)
            {
                return CheckedMethod.NotDifferentiable(key);
            }
            var noCompanions = new CheckedMethod(key, identity, "", null, EquatableArray<string>.Empty);
            if (noCompanions.GetsNoCompanions)
            {
                return noCompanions;
            }
            var callees = new SortedSet<string>(StringComparer.Ordinal);
            // An exception here is the engine's (it turns its own into ADG0999): the method is known, and gets no companions.
            return Guarded(() =>
            {
                EngineResult result = DifferentiationEngine.Run(method, syntax, semanticModel, callee =>
                {
                    if (callee.GetDocumentationCommentId() is { } id) callees.Add(id);
                    return true;
                }, cancellationToken);
                return new CheckedMethod(key, identity, HintName(method), result.Source, callees.ToEquatableArray(), result.RefusesTangent);
            }, noCompanions, cancellationToken);
        }

        /// <summary>
        /// A method's file: its own result when every method it reaches gets companions; otherwise the engine again,
        /// checking its callees from the compilation (a call into a method with an error is an error when it carries a
        /// derivative, and fine when it does not).
        /// </summary>
        private static GeneratedFile? Emit(EmitRequest request, Compilation compilation, CancellationToken cancellationToken) =>
            Guarded(() => EmitCore(request, compilation, cancellationToken), null, cancellationToken);

        private static GeneratedFile? EmitCore(EmitRequest request, Compilation compilation, CancellationToken cancellationToken)
        {
            CheckedMethod checkedMethod = request.Method;
            if (checkedMethod.Source is null)
            {
                return null;
            }
            if (request.ReachableWhenSomeFail.Count == 0)
            {
                return new GeneratedFile(checkedMethod.HintName, checkedMethod.Source);
            }
            if (Find(checkedMethod.Key.Model, compilation, cancellationToken) is not var (method, syntax, semanticModel))
            {
                return null;
            }
            EngineResult result = DifferentiationEngine.Run(method, syntax, semanticModel, emit: true, cancellationToken, parseOutput: false);
            return result.Source is null ? null : new GeneratedFile(checkedMethod.HintName, result.Source);
        }

        /// <summary>The on-demand <c>MTangent</c> and/or <c>MBackwardTangent</c> of a callee, in a file named after the callee's own.</summary>
        private static GeneratedFile? TangentFile(TangentRequest request, Compilation compilation, CancellationToken cancellationToken) =>
            Guarded(() => TangentFileCore(request, compilation, cancellationToken), null, cancellationToken);

        private static GeneratedFile? TangentFileCore(TangentRequest request, Compilation compilation, CancellationToken cancellationToken)
        {
            if (Find(request.Callee.Model, compilation, cancellationToken) is not var (method, syntax, semanticModel))
            {
                return null;
            }
            // Every method it reaches gets its companions (then its tangent depends on none of their code), or the engine checks them.
            Func<IMethodSymbol, bool>? calleeGetsCompanions = request.ReachableWhenSomeFail.Count == 0 ? static _ => true : null;
            EngineResult result = DifferentiationEngine.RunOnDemand(method, syntax, semanticModel, calleeGetsCompanions, request.Companions, cancellationToken);
            return result.Source is null
                ? null
                : new GeneratedFile(request.HintName.Replace(".g.cs", "." + Companion.Tangent.Suffix + ".g.cs"), result.Source);
        }

        /// <summary>
        /// No exception leaves the generator (the engine turns its own into ADG0999, which the analyzer reports): anything
        /// else that fails here means no companions for that method, not a failed generator run.
        /// </summary>
        private static T Guarded<T>(Func<T> step, T onFailure, CancellationToken cancellationToken)
        {
            try
            {
                return step();
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                return onFailure;
            }
        }

        /// <summary>
        /// The method a model was read from, in this run's compilation: the declaration in its file with its text and
        /// context, bound. Null when it is gone (the key would have changed).
        /// </summary>
        private static (IMethodSymbol Method, MethodDeclarationSyntax Syntax, SemanticModel SemanticModel)? Find(MethodModel model, Compilation compilation, CancellationToken cancellationToken)
        {
            if (MethodModelReader.Find(model, compilation, cancellationToken) is not { } syntax)
            {
                return null;
            }
#pragma warning disable RS1030 // The engine step has no semantic model of its own: it binds the one method whose key changed.
            SemanticModel semanticModel = compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            return semanticModel.GetDeclaredSymbol(syntax, cancellationToken) is IMethodSymbol method ? (method, syntax, semanticModel) : null;
        }

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
}
