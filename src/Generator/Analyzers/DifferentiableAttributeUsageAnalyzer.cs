using System;
using System.Collections.Immutable;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AutoDiffGen.Generator.Analyzers
{
    /// <summary>
    /// ADG0004 for [Differentiable] on a local function, a lambda, an operator or an accessor. The generator reads only
    /// method declarations, so it emits nothing for these; this says so instead of leaving the attribute without effect.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class DifferentiableAttributeUsageAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.UnsupportedMethodKind, DiagnosticDescriptors.InternalError);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(Analyze,
                SyntaxKind.LocalFunctionStatement, SyntaxKind.ParenthesizedLambdaExpression, SyntaxKind.SimpleLambdaExpression,
                SyntaxKind.OperatorDeclaration, SyntaxKind.ConversionOperatorDeclaration,
                SyntaxKind.GetAccessorDeclaration, SyntaxKind.SetAccessorDeclaration, SyntaxKind.InitAccessorDeclaration,
                SyntaxKind.AddAccessorDeclaration, SyntaxKind.RemoveAccessorDeclaration);
        }

        private static void Analyze(SyntaxNodeAnalysisContext context)
        {
            SyntaxList<AttributeListSyntax> attributeLists = context.Node switch
            {
                LocalFunctionStatementSyntax local => local.AttributeLists,
                LambdaExpressionSyntax lambda => lambda.AttributeLists,
                BaseMethodDeclarationSyntax member => member.AttributeLists,
                AccessorDeclarationSyntax accessor => accessor.AttributeLists,
                _ => default,
            };
            if (attributeLists.Count == 0 || SyntaxErrors.In(context.Node)) return;
            try
            {
                foreach (AttributeListSyntax list in attributeLists)
                {
                    foreach (AttributeSyntax attribute in list.Attributes)
                    {
                        if (context.SemanticModel.GetSymbolInfo(attribute, context.CancellationToken).Symbol is not IMethodSymbol { ContainingType: { } attributeType }
                            || attributeType.ToDisplayString() != KnownNames.DifferentiableAttribute
                            || MethodParser.UnsupportedDeclarationKind(context.Node) is not { } kind)
                        {
                            continue;
                        }
                        string name = DeclarationName(context.Node);
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnsupportedMethodKind, attribute.GetLocation(), name, kind));
                    }
                }
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                DifferentiableAnalyzer.ReportInternalError(context, context.Node.GetFirstToken(), exception);
            }
        }

        private static string DeclarationName(SyntaxNode node) => node switch
        {
            LocalFunctionStatementSyntax local => local.Identifier.ValueText,
            OperatorDeclarationSyntax op => "operator " + op.OperatorToken.ValueText,
            ConversionOperatorDeclarationSyntax conversion => "operator " + conversion.Type,
            AccessorDeclarationSyntax accessor => accessor.Keyword.ValueText + " accessor",
            _ => "lambda",
        };

    }
}
