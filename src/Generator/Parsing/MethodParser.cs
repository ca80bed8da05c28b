using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>What the parser read from a [Differentiable] method: its spec, its body and what is wrong with it.</summary>
    internal sealed class ParsedMethod
    {
        public ParsedMethod(IMethodSymbol symbol, MethodSpec? spec, IBlockOperation? body, List<EngineDiagnostic> diagnostics)
        {
            Symbol = symbol;
            Spec = spec;
            Body = body;
            Diagnostics = diagnostics;
        }

        public IMethodSymbol Symbol { get; }

        /// <summary>Null when the declaration itself cannot be differentiated.</summary>
        public MethodSpec? Spec { get; }

        public IBlockOperation? Body { get; }

        public List<EngineDiagnostic> Diagnostics { get; }
    }

    /// <summary>
    /// The Parser stage: reads a [Differentiable] method's symbol and syntax into a <see cref="MethodSpec"/> and its
    /// body's <see cref="IOperation"/> tree, and checks the declaration (partial types, return type, parameters).
    /// </summary>
    internal static class MethodParser
    {
        private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .WithMiscellaneousOptions(SymbolDisplayFormat.FullyQualifiedFormat.MiscellaneousOptions | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        public static string TypeName(ITypeSymbol type) => type.ToDisplayString(TypeFormat);

        public static ParsedMethod Parse(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken)
        {
            var diagnostics = new List<EngineDiagnostic>();
            string methodName = method.Name;
            Location nameLocation = syntax.Identifier.GetLocation();

            // Every type from the method outwards must be partial, or the companions cannot be added beside it.
            var containingTypes = new List<ContainingTypeSpec>();
            for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                bool isPartial = type.DeclaringSyntaxReferences.Any(r =>
                    r.GetSyntax(cancellationToken) is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword));
                if (!isPartial)
                {
                    Location typeLocation = type.Locations.FirstOrDefault(l => l.IsInSource) ?? nameLocation;
                    diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.TypeNotPartial, typeLocation, methodName, type.Name));
                }
                containingTypes.Insert(0, new ContainingTypeSpec(TypeKeyword(type), NameWithTypeParameters(type)));
            }

            if (method.ReturnType.SpecialType is not (SpecialType.System_Double or SpecialType.System_Single))
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.UnsupportedReturnType, syntax.ReturnType.GetLocation(), methodName, method.ReturnType.ToDisplayString()));
            }
            if (method.IsGenericMethod)
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.UnsupportedMethodKind, (Location?)syntax.TypeParameterList?.GetLocation() ?? nameLocation, methodName, "generic"));
            }
            if (method.IsAsync)
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.UnsupportedMethodKind, nameLocation, methodName, "async"));
            }
            if (method.IsAbstract || method.IsExtern || (syntax.Body is null && syntax.ExpressionBody is null))
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.UnsupportedMethodKind, nameLocation, methodName, "without a body"));
            }

            var parameters = new List<ParameterSpec>();
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (parameter.RefKind != RefKind.None)
                {
                    Location location = parameter.Locations.FirstOrDefault() ?? nameLocation;
                    string kind = parameter.RefKind switch { RefKind.Out => "an 'out' parameter", RefKind.Ref => "a 'ref' parameter", _ => "an 'in' parameter" };
                    diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.UnsupportedParameter, location, parameter.Name, methodName, kind));
                }
                IrType irType = TypeMapper.TypeOf(parameter.Type);
                parameters.Add(new ParameterSpec(
                    EscapeIdentifier(parameter.Name),
                    TypeName(parameter.Type),
                    IsDifferentiableParameter(parameter),
                    IsThis: method.IsExtensionMethod && parameter.Ordinal == 0,
                    irType.Layout,
                    irType.Element?.CSharpName ?? TypeName(parameter.Type)));
            }

            IBlockOperation? body = null;
            if (semanticModel.GetOperation(syntax, cancellationToken) is IMethodBodyOperation bodyOperation)
            {
                body = bodyOperation.BlockBody ?? bodyOperation.ExpressionBody;
            }

            string? ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
            var spec = new MethodSpec(
                ns,
                containingTypes.ToEquatableArray(),
                method.Name,
                AccessibilityKeyword(method.DeclaredAccessibility),
                method.IsStatic,
                TypeName(method.ReturnType),
                parameters.ToEquatableArray());

            if (diagnostics.Count == 0)
            {
                CheckCompanionClashes(method, spec, syntax, diagnostics);
            }
            return new ParsedMethod(method, spec, body, diagnostics);
        }

        /// <summary>A parameter gets a gradient when its type is differentiable and it is not [NoDerivative].</summary>
        public static bool IsDifferentiableParameter(IParameterSymbol parameter) =>
            parameter.RefKind == RefKind.None
            && TypeMapper.TypeOf(parameter.Type).CarriesDerivative
            && !KnownNames.HasAttribute(parameter, KnownNames.NoDerivativeAttribute);

        /// <summary>
        /// A member the user wrote with a companion's name and parameter count would make the build fail with a
        /// duplicate definition; report it instead. (Members this generator wrote are marked [GeneratedCode].)
        /// </summary>
        private static void CheckCompanionClashes(IMethodSymbol method, MethodSpec spec, MethodDeclarationSyntax syntax, List<EngineDiagnostic> diagnostics)
        {
            int gradients = spec.Parameters.Count(p => p.IsDifferentiable);
            var companions = new[]
            {
                (Name: method.Name + KnownNames.GradientSuffix, Arity: method.Parameters.Length + gradients),
                (Name: method.Name + KnownNames.BackwardSuffix, Arity: method.Parameters.Length + 1 + gradients),
            };
            foreach (var (name, arity) in companions)
            {
                bool clash = method.ContainingType.GetMembers(name).Any(m =>
                    m is IMethodSymbol other && other.Parameters.Length == arity && other.IsStatic == method.IsStatic
                    && !IsGeneratedByUs(other));
                if (clash)
                {
                    diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.CompanionNameClash, syntax.Identifier.GetLocation(), method.Name, name));
                }
            }
        }

        private static bool IsGeneratedByUs(ISymbol symbol) =>
            symbol.GetAttributes().Any(a => a.AttributeClass?.Name == "GeneratedCodeAttribute"
                && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value as string == KnownNames.GeneratedCodeTool);

        private static string TypeKeyword(INamedTypeSymbol type)
        {
            string prefix = type.TypeKind == TypeKind.Struct
                ? (type.IsRefLikeType ? "ref " : "")
                : "";
            if (type.IsRecord)
            {
                return type.TypeKind == TypeKind.Struct ? prefix + "record struct" : "record";
            }
            return type.TypeKind switch
            {
                TypeKind.Struct => prefix + "struct",
                TypeKind.Interface => "interface",
                _ => "class",
            };
        }

        private static string NameWithTypeParameters(INamedTypeSymbol type) =>
            type.TypeParameters.Length == 0
                ? EscapeIdentifier(type.Name)
                : EscapeIdentifier(type.Name) + "<" + string.Join(", ", type.TypeParameters.Select(t => EscapeIdentifier(t.Name))) + ">";

        public static string EscapeIdentifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name
                : name;

        private static string AccessibilityKeyword(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Internal => "internal",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => "private",
        };
    }
}
