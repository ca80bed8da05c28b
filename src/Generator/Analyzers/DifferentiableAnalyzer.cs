using System;
using System.Collections.Immutable;
using System.Linq;
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
    /// Reports, in the IDE and at build, everything that keeps a [Differentiable] method from getting its companions,
    /// at the exact operation, with the method as an additional location. It runs the generator's own engine, so the
    /// two never disagree.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DifferentiableAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.TypeNotPartial,
            DiagnosticDescriptors.UnsupportedReturnType,
            DiagnosticDescriptors.UnsupportedParameter,
            DiagnosticDescriptors.UnsupportedMethodKind,
            DiagnosticDescriptors.CompanionNameClash,
            DiagnosticDescriptors.UnsupportedConstruct,
            DiagnosticDescriptors.NonDifferentiableCall,
            DiagnosticDescriptors.WriteToMember,
            DiagnosticDescriptors.ZeroDerivativeOperation,
            DiagnosticDescriptors.InternalError);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(AnalyzeMethod, SyntaxKind.MethodDeclaration);
        }

        private static void AnalyzeMethod(SyntaxNodeAnalysisContext context)
        {
            var syntax = (MethodDeclarationSyntax)context.Node;
            if (syntax.AttributeLists.Count == 0) return;
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
            catch (OperationCanceledException)
            {
                throw;
            }
            catch (Exception exception)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, syntax.Identifier.GetLocation(),
                    syntax.Identifier.ValueText, exception.GetType().Name + ": " + exception.Message));
            }
        }
    }
}
