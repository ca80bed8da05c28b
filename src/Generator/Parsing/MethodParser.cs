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

            // An async method or an iterator cannot return double whatever its declared type: ADG0004 says why,
            // and a return type the compiler could not bind is the compiler's to report.
            bool isIterator = IsIterator(syntax);
            // A void method is vector-valued when it has outputs (out scalars, [Output] buffers); without any it has nothing to differentiate.
            bool voidWithOutputs = method.ReturnsVoid && KnownNames.IsVectorValued(method);
            if (method.ReturnType is ITypeParameterSymbol returnedParameter && !TypeMapper.IsReal(returnedParameter))
            {
                // T F<T>(T x) with T not constrained to generic math: nothing of type T has arithmetic to differentiate.
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.GenericTypeNotReal, syntax.ReturnType.GetLocation(), methodName, returnedParameter.Name,
                    "is returned but is not constrained to floating-point generic math, so values of type " + returnedParameter.Name + " cannot be differentiated", ""));
            }
            // A struct of reals returned is an output too (api.md "Outputs (v2)"): the method is vector-valued.
            else if (!TypeMapper.IsReal(method.ReturnType) && !voidWithOutputs && !IsDifferentiableStruct(method.ReturnType)
                && method.ReturnType.TypeKind != TypeKind.Error && !method.IsAsync && !isIterator)
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.UnsupportedReturnType, syntax.ReturnType.GetLocation(), methodName, method.ReturnType.ToDisplayString()));
            }
            if (method.IsGenericMethod && KnownNames.IsVectorValued(method) && MixedReals(method) is { } mixed)
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.VectorValuedNotSupported, (Location?)syntax.TypeParameterList?.GetLocation() ?? nameLocation, mixed, methodName,
                    "a generic vector-valued method has its inputs and outputs all of one real type (MJacobian's matrix has one element type)"));
            }
            if (method.IsAsync)
            {
                Location asyncLocation = syntax.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.AsyncKeyword)) is { RawKind: not 0 } asyncKeyword
                    ? asyncKeyword.GetLocation() : nameLocation;
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.UnsupportedMethodKind, asyncLocation, methodName, "async"));
            }
            if (isIterator)
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.UnsupportedMethodKind, nameLocation, methodName, "an iterator (it uses yield)"));
            }
            if (method.IsAbstract || method.IsExtern || (syntax.Body is null && syntax.ExpressionBody is null))
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.UnsupportedMethodKind, nameLocation, methodName, "declared without a body (abstract, extern or a partial definition)"));
            }

            var parameters = new List<ParameterSpec>();
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (parameter.RefKind is not (RefKind.None or RefKind.In) && !IsOutValue(parameter))
                {
                    Location location = parameter.Locations.FirstOrDefault() ?? nameLocation;
                    string kind = parameter.RefKind switch
                    {
                        RefKind.Out => "an 'out' parameter",
                        RefKind.Ref => "a 'ref' parameter",
                        RefKind.In => "an 'in' parameter",
                        _ => "a 'ref readonly' parameter",
                    };
                    diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.UnsupportedParameter, location, parameter.Name, methodName, kind));
                }
                ReportStructParameter(parameter, methodName, diagnostics);
                IrType irType = TypeMapper.TypeOf(parameter.Type);
                // An array or span of structs of reals: laid out as an array, its scalar type the struct (gradient Span<S>).
                ITypeSymbol? structElement = StructParameters.StructElementOf(parameter.Type, out ArrayLayout structLayout);
                if (OutputAttributeSyntax(parameter, cancellationToken) is { } output)
                {
                    // An [Output] S[] or Span<S> is written element by element, or field by field, like a double[] (its seed a ReadOnlySpan<S>).
                    ArrayLayout outputLayout = structElement is not null ? structLayout : irType.Layout;
                    string? outputElement = structElement is not null ? structElement.ToDisplayString() : irType.Element?.CSharpName;
                    if (structElement is null && StructGridElement(parameter.Type) is { } gridElement)
                    {
                        diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.VectorValuedNotSupported, output.GetLocation(), parameter.Name, methodName,
                            "matrix and jagged-array outputs of structs are not supported yet: use a " + gridElement.ToDisplayString() + "[] or Span<" + gridElement.ToDisplayString() + "> output, row-major"));
                    }
                    else if (structElement is null && !irType.IsDifferentiableArray)
                    {
                        diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.OutputNotArray, output.GetLocation(), parameter.Name, methodName, parameter.Type.ToDisplayString()));
                    }
                    else if (UnsupportedOutputReason(parameter, outputLayout, outputElement!) is { } reason)
                    {
                        diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.VectorValuedNotSupported, output.GetLocation(), parameter.Name, methodName, reason));
                    }
                }
                parameters.Add(new ParameterSpec(
                    EscapeIdentifier(parameter.Name),
                    TypeName(parameter.Type),
                    IsDifferentiableParameter(parameter),
                    IsThis: method.IsExtensionMethod && parameter.Ordinal == 0,
                    structElement is null ? irType.Layout : structLayout,
                    structElement is not null ? TypeName(structElement) : irType.Element?.CSharpName ?? TypeName(parameter.Type))
                {
                    IsIn = parameter.RefKind == RefKind.In,
                    IsStruct = IsDifferentiableStruct(parameter.Type) || structElement is not null,
                    IsOutput = KnownNames.HasAttribute(parameter, KnownNames.OutputAttribute),
                    IsOut = IsOutValue(parameter),
                    StructLeafTypeName = structElement is not null ? StructShapes.LeafRealTypeName(structElement, method.ContainingType)
                        : IsDifferentiableStruct(parameter.Type) ? StructShapes.LeafRealTypeName(parameter.Type, method.ContainingType) : null,
                });
            }

            if (KnownNames.IsVectorValued(method))
            {
                // MJacobian flattens vectors and spans; matrix and jagged inputs of a vector-valued method are not flattened yet.
                foreach (IParameterSymbol parameter in method.Parameters.Where(p => IsDifferentiableParameter(p) && TypeMapper.TypeOf(p.Type).Layout is ArrayLayout.Matrix or ArrayLayout.Jagged))
                {
                    diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.VectorValuedNotSupported, parameter.Locations.FirstOrDefault() ?? nameLocation, parameter.Name, methodName,
                        "a vector-valued method (with outputs) takes matrix or jagged-array inputs only as [NoDerivative] data for now (MJacobian flattens arrays and spans)"));
                }
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
                parameters.ToEquatableArray())
            {
                Modes = KnownNames.ModesOf(method),
                ReturnsStruct = IsDifferentiableStruct(method.ReturnType),
                ReturnStructLeafTypeName = IsDifferentiableStruct(method.ReturnType) ? StructShapes.LeafRealTypeName(method.ReturnType, method.ContainingType) : null,
                TypeParameterList = TypeParametersOf(method).List,
                ConstraintClauses = TypeParametersOf(method).Clauses,
                GenericReals = GenericMath.TypeParametersInScope(method).Where(t => TypeMapper.IsReal(t)).Select(t => EscapeIdentifier(t.Name)).ToEquatableArray(),
            };

            if ((spec.Modes & DerivativeModes.Hessian) != 0 && spec.IsVectorValued)
            {
                // api.md: second order is for scalar-valued methods. The other companions are still generated.
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.HessianOfVectorValued, AttributeLocation(method, nameLocation, cancellationToken), methodName));
            }

            spec = spec with { Dispatch = CompanionDispatchReader.Read(method, spec) };
            if (OverrideRules.Check(method, nameLocation) is { } notAlike)
            {
                diagnostics.Add(notAlike);
            }

            if (!diagnostics.Any(d => d.IsError))
            {
                CheckCompanionClashes(method, spec, syntax, diagnostics);
            }
            return new ParsedMethod(method, spec, body, diagnostics);
        }

        /// <summary>
        /// ADG0104/ADG0105: a struct parameter holding doubles or floats that cannot be differentiated (a member the
        /// generated code cannot read or set, a field that cannot carry a derivative), which would otherwise lose its gradient silently.
        /// </summary>
        private static void ReportStructParameter(IParameterSymbol parameter, string methodName, List<EngineDiagnostic> diagnostics)
        {
            if (parameter.RefKind is not (RefKind.None or RefKind.In) || KnownNames.HasAttribute(parameter, KnownNames.NoDerivativeAttribute)) return;
            // An array or span of structs is checked by its element type (a Point[] whose Point cannot be taken apart).
            ITypeSymbol type = StructParameters.StructElementOf(parameter.Type, out _) ?? parameter.Type;
            var (kind, offending) = StructParameters.Classify(type);
            Location location = parameter.Locations.FirstOrDefault() ?? Location.None;
            string typeName = type.ToDisplayString();
            if (kind == StructKind.OfReals && StructShapes.Describe(type, parameter.ContainingType, out string? whyNot) is null)
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.StructNotDifferentiable, location, parameter.Name, methodName, typeName, whyNot!));
            }
            else if (kind == StructKind.Mixed && offending is not null)
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.StructWithNonRealField, location, parameter.Name, methodName, typeName,
                    StructParameters.FieldName(offending), offending.Type.ToDisplayString()));
            }
        }

        /// <summary>An <c>out double</c> or <c>out float</c> parameter: a scalar output of the method (api.md "Outputs (v2)").</summary>
        public static bool IsOutScalar(IParameterSymbol parameter) =>
            parameter.RefKind == RefKind.Out && TypeMapper.IsReal(parameter.Type);

        /// <summary>
        /// For a generic method: a differentiable input or output whose real type differs from another's (a T and a
        /// double), named; null when all are one type.
        /// </summary>
        private static string? MixedReals(IMethodSymbol method)
        {
            var reals = method.Parameters
                .Where(p => IsDifferentiableParameter(p) || IsOutScalar(p) || KnownNames.HasAttribute(p, KnownNames.OutputAttribute))
                .Select(p => (p.Name, Type: TypeMapper.TypeOf(p.Type) is { Kind: IrTypeKind.Array } array ? array.Element!.CSharpName : TypeMapper.TypeOf(p.Type).CSharpName))
                .ToList();
            if (!method.ReturnsVoid) reals.Insert(0, ("the return value", TypeMapper.TypeOf(method.ReturnType).CSharpName));
            return reals.FirstOrDefault(r => r.Type != reals[0].Type).Name;
        }

        /// <summary>The type parameter list and constraint clauses of a generic method as its companions declare them, fully qualified.</summary>
        private static (string List, string Clauses) TypeParametersOf(IMethodSymbol method)
        {
            if (!method.IsGenericMethod) return ("", "");
            var clauses = new System.Text.StringBuilder();
            foreach (ITypeParameterSymbol parameter in method.TypeParameters)
            {
                var constraints = new List<string>();
                if (parameter.HasReferenceTypeConstraint) constraints.Add("class");
                if (parameter.HasUnmanagedTypeConstraint) constraints.Add("unmanaged");
                else if (parameter.HasValueTypeConstraint) constraints.Add("struct");
                if (parameter.HasNotNullConstraint) constraints.Add("notnull");
                constraints.AddRange(parameter.ConstraintTypes.Select(TypeName));
                if (parameter.HasConstructorConstraint) constraints.Add("new()");
                if (constraints.Count > 0) clauses.Append(" where ").Append(EscapeIdentifier(parameter.Name)).Append(" : ").Append(string.Join(", ", constraints));
            }
            return ("<" + string.Join(", ", method.TypeParameters.Select(t => EscapeIdentifier(t.Name))) + ">", clauses.ToString());
        }

        /// <summary>An <c>out</c> parameter of a struct of reals (<c>out Vector3 v</c>): an output of the method, leaf by leaf.</summary>
        public static bool IsOutStruct(IParameterSymbol parameter) => parameter.RefKind == RefKind.Out && IsDifferentiableStruct(parameter.Type);

        /// <summary>An <c>out</c> output: a scalar or a struct of reals.</summary>
        public static bool IsOutValue(IParameterSymbol parameter) => IsOutScalar(parameter) || IsOutStruct(parameter);

        /// <summary>
        /// Why an <c>[Output]</c> array or span of doubles, floats or structs of reals cannot be an output yet (null when it can): outputs are
        /// written element by element, so a read-only span cannot be one, and matrices and jagged arrays are not flattened
        /// into MJacobian's rows yet; an output is not also an input, so <c>[NoDerivative]</c> or <c>in</c> on it means nothing.
        /// </summary>
        private static string? UnsupportedOutputReason(IParameterSymbol parameter, ArrayLayout layout, string elementName) => layout switch
        {
            ArrayLayout.ReadOnlySpan => "a ReadOnlySpan cannot be written: declare it Span<" + elementName + ">",
            ArrayLayout.Matrix or ArrayLayout.Jagged => "matrix and jagged-array outputs are not supported yet: use a T[] or Span<T> output, row-major",
            _ when parameter.RefKind != RefKind.None => "an output buffer is passed by value (remove '" + parameter.RefKind.ToString().ToLowerInvariant() + "')",
            _ when KnownNames.HasAttribute(parameter, KnownNames.NoDerivativeAttribute) => "an output cannot also be [NoDerivative]: remove one of the two attributes",
            _ => null,
        };

        /// <summary>
        /// For a matrix or jagged array of structs of reals (<c>Point[,]</c>, <c>Vector2[][]</c>): the struct; null for any other
        /// type. Such an array is not flattened into MJacobian's rows yet, so it cannot be an output.
        /// </summary>
        private static ITypeSymbol? StructGridElement(ITypeSymbol type) => type switch
        {
            IArrayTypeSymbol { Rank: 2 } matrix when IsDifferentiableStruct(matrix.ElementType) => matrix.ElementType,
            IArrayTypeSymbol { Rank: 1, ElementType: IArrayTypeSymbol { Rank: 1 } row } when IsDifferentiableStruct(row.ElementType) => row.ElementType,
            _ => null,
        };

        /// <summary>The <c>[Output]</c> attribute on a parameter, where it is written (null when there is none).</summary>
        private static SyntaxNode? OutputAttributeSyntax(IParameterSymbol parameter, CancellationToken cancellationToken) =>
            parameter.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.OutputAttribute)?.ApplicationSyntaxReference?.GetSyntax(cancellationToken);

        /// <summary>A parameter gets a gradient when its type is differentiable and it is not [NoDerivative].</summary>
        /// An output (<c>out</c>, <c>[Output]</c>) is never an input: its value on entry is a constant.
        public static bool IsDifferentiableParameter(IParameterSymbol parameter) =>
            parameter.RefKind is RefKind.None or RefKind.In
            // A SIMD vector parameter is data: a gradient is taken with respect to spans and arrays (the vectors read from them).
            && (TypeMapper.TypeOf(parameter.Type) is { CarriesDerivative: true, IsSimdVector: false } || IsDifferentiableStruct(parameter.Type) || IsDifferentiableStructArray(parameter.Type))
            && !KnownNames.HasAttribute(parameter, KnownNames.NoDerivativeAttribute)
            && !KnownNames.HasAttribute(parameter, KnownNames.OutputAttribute);

        /// <summary>A struct whose instance fields are all double/float or such structs (api.md v2): it gets a gradient of its own type.</summary>
        public static bool IsDifferentiableStruct(ITypeSymbol type) => StructParameters.Classify(type).Kind == StructKind.OfReals;

        /// <summary>An array or span of such structs (<c>Vector3[]</c>, <c>ReadOnlySpan&lt;Point&gt;</c>): its gradient is a <c>Span&lt;S&gt;</c>.</summary>
        public static bool IsDifferentiableStructArray(ITypeSymbol type) => StructParameters.StructElementOf(type, out _) is not null;

        /// <summary>
        /// A member the user wrote that a companion would collide with makes the build fail with a duplicate
        /// definition; report it instead. A field, property, event or nested type of the companion's name always
        /// collides (CS0102); a method does when its parameter types and by-reference-ness are the companion's
        /// (CS0111; static-ness does not tell overloads apart). Members this generator wrote are marked [GeneratedCode].
        /// </summary>
        private static void CheckCompanionClashes(IMethodSymbol method, MethodSpec spec, MethodDeclarationSyntax syntax, List<EngineDiagnostic> diagnostics)
        {
            var companions = Companion.GeneratedFor(spec).Select(companion => (
                Name: companion.NameFor(method.Name),
                Signature: CompanionSignature(method, spec, companion)));
            foreach (var (name, signature) in companions)
            {
                ISymbol? clash = method.ContainingType.GetMembers(name).FirstOrDefault(m =>
                    !IsGeneratedByUs(m) && !m.IsImplicitlyDeclared
                    && (m is not IMethodSymbol other || SignatureOf(other).SequenceEqual(signature)));
                if (clash is not null)
                {
                    Location location = clash.Locations.FirstOrDefault(l => l.IsInSource && l.SourceTree == syntax.SyntaxTree) ?? syntax.Identifier.GetLocation();
                    diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.CompanionNameClash, location, method.Name, name));
                }
            }
        }

        /// <summary>A method's parameter list as overloading sees it: each parameter's type, and whether it is passed by reference.</summary>
        public static List<(string Type, bool ByRef)> SignatureOf(IMethodSymbol method) =>
            method.Parameters.Select(p => (TypeName(p.Type), p.RefKind != RefKind.None)).ToList();

        /// <summary>The parameter list <paramref name="companion"/> of <paramref name="method"/> is declared with, as <see cref="SignatureOf"/> spells it.</summary>
        public static List<(string Type, bool ByRef)> CompanionSignature(IMethodSymbol method, MethodSpec spec, Companion companion) =>
            SignatureOf(method).Concat(companion.DerivedParameters(spec).Select(d => (d.TypeName, d.Passing != DerivedPassing.Value))).ToList();

        /// <summary>Whether the method's own body (not a lambda's or local function's inside it) has a yield.</summary>
        private static bool IsIterator(MethodDeclarationSyntax syntax) =>
            syntax.Body is { } body && body
                .DescendantNodes(node => node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                .Any(node => node is YieldStatementSyntax);

        /// <summary>
        /// For a [Differentiable] attribute on something other than a method declaration (a local function, a
        /// lambda, an operator, an accessor), what it is; the generator only reads method declarations.
        /// </summary>
        public static string? UnsupportedDeclarationKind(SyntaxNode node) => node switch
        {
            LocalFunctionStatementSyntax => "a local function",
            AnonymousFunctionExpressionSyntax => "a lambda",
            OperatorDeclarationSyntax => "an operator",
            ConversionOperatorDeclarationSyntax => "a conversion operator",
            AccessorDeclarationSyntax => "a property or event accessor",
            _ => null,
        };

        /// <summary>Whether AutoDiffGen wrote the member (its companions carry [GeneratedCode("AutoDiffGen", …)]).</summary>
        public static bool IsGeneratedByUs(ISymbol symbol) =>
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

        /// <summary>Where a diagnostic about the method's <c>Derivatives</c> goes: its [Differentiable] attribute, else its name.</summary>
        public static Location AttributeLocation(IMethodSymbol method, Location fallback, CancellationToken cancellationToken)
        {
            AttributeData? attribute = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.DifferentiableAttribute);
            return attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? fallback;
        }

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
