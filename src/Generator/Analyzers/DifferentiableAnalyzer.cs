using System;
using System.Collections.Immutable;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoDiffGen.Generator.Analyzers
{
    /// <summary>
    /// Reports, in the IDE and at build, everything that keeps a [Differentiable] method from getting its companions
    /// or from getting the gradient its author expects, at the exact operation, with the method as an additional
    /// location. It runs the generator's own engine, so the two never disagree: the generator emits nothing exactly
    /// when this reports an error.
    /// </summary>
    /// <remarks>
    /// No exception leaves it (an analyzer that throws shows up as AD0001 and loses every diagnostic): the engine
    /// turns its own failures into ADG0999, and anything else that goes wrong here does too.
    /// </remarks>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DifferentiableAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(AnalyzeMethod, SyntaxKind.MethodDeclaration);
        }

        private static void AnalyzeMethod(SyntaxNodeAnalysisContext context)
        {
            var syntax = (MethodDeclarationSyntax)context.Node;
            if (syntax.AttributeLists.Count == 0 || SyntaxErrors.In(syntax)) return;
            try
            {
                if (context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not IMethodSymbol method
                    || !KnownNames.HasAttribute(method, KnownNames.DifferentiableAttribute))
                {
                    return;
                }
                EngineResult result = DifferentiationEngine.Run(method, syntax, context.SemanticModel, emit: true, context.CancellationToken);
                Location methodLocation = syntax.Identifier.GetLocation();
                foreach (EngineDiagnostic diagnostic in result.Diagnostics)
                {
                    context.ReportDiagnostic(diagnostic.ToDiagnostic(diagnostic.Location == methodLocation ? null : methodLocation));
                }
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                ReportInternalError(context, syntax.Identifier, exception);
            }
        }

        internal static void ReportInternalError(SyntaxNodeAnalysisContext context, SyntaxToken name, Exception exception)
        {
            try
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, name.GetLocation(),
                    name.ValueText, exception.GetType().Name + ": " + exception.Message));
            }
            catch (Exception) when (!context.CancellationToken.IsCancellationRequested)
            {
                // Nothing more can be said; never let the analyzer itself fail.
            }
        }
    }
}
