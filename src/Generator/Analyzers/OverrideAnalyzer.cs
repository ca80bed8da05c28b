using System;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoDiffGen.Generator.Analyzers
{
    /// <summary>
    /// ADG0107 on an override without [Differentiable] of a [Differentiable] virtual method (<see cref="OverrideRules"/>):
    /// the generator never sees such a method, so this analyzer reports it. A [Differentiable] override that is not
    /// differentiable alike is reported by the parser, with the method's other diagnostics.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class OverrideAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.OverrideNotDifferentiableAlike, DiagnosticDescriptors.InternalError);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.MethodDeclaration);
        }

        private static void Analyze(SyntaxNodeAnalysisContext context)
        {
            var syntax = (MethodDeclarationSyntax)context.Node;
            // Cheap first: only overrides without attributes of their own that could be [Differentiable], not while being typed.
            if (!syntax.Modifiers.Any(SyntaxKind.OverrideKeyword) || SyntaxErrors.In(syntax)) return;
            try
            {
                if (context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is IMethodSymbol method
                    && !KnownNames.HasAttribute(method, KnownNames.DifferentiableAttribute)
                    && OverrideRules.Check(method, syntax.Identifier.GetLocation()) is { } diagnostic)
                {
                    context.ReportDiagnostic(diagnostic.ToDiagnostic(null));
                }
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                DifferentiableAnalyzer.ReportInternalError(context, syntax.Identifier, exception);
            }
        }
    }
}
