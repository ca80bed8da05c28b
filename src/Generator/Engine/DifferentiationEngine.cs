using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Emitter;
using AutoDiffGen.Generator.Engine.Analysis;
using AutoDiffGen.Generator.Engine.Lowering;
using AutoDiffGen.Generator.Engine.Reverse;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.Generator.Engine
{
    /// <summary>What the engine made of one [Differentiable] method.</summary>
    internal sealed class EngineResult
    {
        public EngineResult(IReadOnlyList<EngineDiagnostic> diagnostics, string? source)
        {
            Diagnostics = diagnostics;
            Source = source;
        }

        /// <summary>Everything wrong with the method, for the analyzers to report.</summary>
        public IReadOnlyList<EngineDiagnostic> Diagnostics { get; }

        /// <summary>The companions' source, or null when the method has an error (then nothing is emitted).</summary>
        public string? Source { get; }
    }

    /// <summary>
    /// The whole pipeline for one method — Parser → Lowering → Analysis → Reverse → Emitter — shared by the generator
    /// and the analyzers, so both always agree on what is differentiable. No exception leaves it: an internal failure
    /// becomes one ADG0999 warning and no output.
    /// </summary>
    internal static class DifferentiationEngine
    {
        public static EngineResult Run(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, bool emit, CancellationToken cancellationToken)
        {
            var diagnostics = new List<EngineDiagnostic>();
            try
            {
                ParsedMethod parsed = MethodParser.Parse(method, syntax, semanticModel, cancellationToken);
                diagnostics.AddRange(parsed.Diagnostics);
                if (parsed.Spec is null || parsed.Body is null || diagnostics.Any(d => d.IsError))
                {
                    return new EngineResult(diagnostics, null);
                }

                LoweringResult lowered = MethodLowering.Lower(method, parsed.Body, cancellationToken);
                diagnostics.AddRange(lowered.Diagnostics);
                ActivityAnalysis activity = ActivityAnalysis.Analyze(lowered.Function);
                foreach (PendingDiagnostic pending in lowered.Pending)
                {
                    // Only operations on values that depend on a differentiable parameter matter.
                    if (activity.Varied.Contains(pending.Operand)) diagnostics.Add(pending.Diagnostic);
                }
                if (diagnostics.Any(d => d.IsError))
                {
                    return new EngineResult(diagnostics, null);
                }

                ReverseProgram program = ReverseModeTransform.Transform(lowered.Function, activity);
                if (!emit)
                {
                    return new EngineResult(diagnostics, null);
                }
                IEnumerable<string> reserved = syntax.DescendantTokens()
                    .Where(t => t.IsKind(SyntaxKind.IdentifierToken))
                    .Select(t => t.ValueText)
                    .Concat(method.Parameters.Select(p => p.Name));
                string source = CompanionEmitter.Emit(parsed.Spec, program, reserved);
                return new EngineResult(diagnostics, source);
            }
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.InternalError, syntax.Identifier.GetLocation(), method.Name,
                    exception.GetType().Name + ": " + exception.Message));
                return new EngineResult(diagnostics, null);
            }
        }
    }
}
