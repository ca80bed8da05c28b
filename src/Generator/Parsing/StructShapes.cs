using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>
    /// Reads a struct of reals (<see cref="StructParameters.Classify(ITypeSymbol)"/> says <see cref="StructKind.OfReals"/>) into
    /// the <see cref="StructShape"/> the engine replaces by scalars: its members in api.md's flattening order, whether the
    /// generated code can read them, and how it spells a new value (a gradient is a value of the same struct).
    /// </summary>
    internal static class StructShapes
    {
        /// <summary>
        /// The shape of <paramref name="type"/> as code in <paramref name="within"/> sees it, or null with the reason in
        /// <paramref name="whyNot"/> (a member the generated code cannot read, no way to build a value).
        /// </summary>
        public static StructShape? Describe(ITypeSymbol type, INamedTypeSymbol? within, out string? whyNot) => Describe(type, within, out whyNot, depth: 0);

        private static StructShape? Describe(ITypeSymbol type, INamedTypeSymbol? within, out string? whyNot, int depth)
        {
            whyNot = null;
            if (StructParameters.Classify(type).Kind != StructKind.OfReals || type is not INamedTypeSymbol named || depth > 8)
            {
                whyNot = "it is not a struct whose fields are all double or float";
                return null;
            }
            string typeName = MethodParser.TypeName(named);
            string? ns = named.ContainingNamespace?.ToDisplayString();
            if (ns == "System.Numerics")
            {
                // The reference assemblies do not show every field (Complex keeps private ones): their public members, as api.md orders them.
                switch (named.Name)
                {
                    case "Complex":
                        return Known(typeName, IrType.Double, "Real", "Imaginary");
                    case "Vector2":
                        return Known(typeName, IrType.Float, "X", "Y");
                    case "Vector3":
                        return Known(typeName, IrType.Float, "X", "Y", "Z");
                    case "Vector4" or "Quaternion":
                        return Known(typeName, IrType.Float, "X", "Y", "Z", "W");
                }
            }

            // A tuple's element names are aliases of Item1, Item2…: its fields are those.
            var fields = named.IsTupleType
                ? named.TupleElements.Select(e => e.CorrespondingTupleField ?? e).ToList()
                : named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst).ToList();
            var members = ImmutableArray.CreateBuilder<StructMember>(fields.Count);
            foreach (IFieldSymbol field in fields)
            {
                ISymbol visible = (ISymbol?)StructParameters.PropertyOf(field) ?? field;
                string name = StructParameters.FieldName(field);
                if (!IsReadable(visible, within))
                {
                    whyNot = "its member '" + name + "' cannot be read by the generated code (make it public or internal)";
                    return null;
                }
                bool settable = visible switch
                {
                    IFieldSymbol f => !f.IsReadOnly && !named.IsReadOnly,
                    IPropertySymbol p => p.SetMethod is { IsInitOnly: false } setter && IsReadable(setter, within),
                    _ => false,
                };
                if (TypeMapper.IsReal(field.Type))
                {
                    members.Add(new StructMember(MethodParser.EscapeIdentifier(name), TypeMapper.TypeOf(field.Type), null, settable));
                    continue;
                }
                StructShape? nested = Describe(field.Type, within, out string? nestedWhyNot, depth + 1);
                if (nested is null)
                {
                    whyNot = "its member '" + name + "' is a struct that cannot be differentiated: " + nestedWhyNot;
                    return null;
                }
                members.Add(new StructMember(MethodParser.EscapeIdentifier(name), null, nested, settable));
            }

            StructConstruction? construction = ConstructionOf(named, fields, within);
            if (construction is null)
            {
                whyNot = "the generated code cannot build a value of it (its gradient): give it settable or init members, or make it a positional record struct";
                return null;
            }
            return new StructShape(typeName, members.ToImmutable(), construction.Value);
        }

        /// <summary>
        /// The one real type every leaf of the struct <paramref name="type"/> has (<c>float</c> for <c>Vector3</c> and a record
        /// struct of floats, <c>double</c> for <c>Complex</c>, <c>T</c> for a struct of a generic real), or <c>double</c> when
        /// they differ or the struct cannot be described: the matrix element type of <c>MJacobian</c> and <c>MHessian</c>
        /// counts such a struct as that type (api.md: <c>float</c> when every input and output is <c>float</c>).
        /// </summary>
        public static string LeafRealTypeName(ITypeSymbol type, INamedTypeSymbol? within)
        {
            StructShape? shape = Describe(type, within, out _);
            if (shape is null || shape.Leaves.Length == 0) return "double";
            string first = shape.Leaves[0].Type.CSharpName;
            return shape.Leaves.All(l => l.Type.CSharpName == first) ? first : "double";
        }

        private static StructShape Known(string typeName, IrType scalar, params string[] names) =>
            new(typeName, names.Select(n => new StructMember(n, scalar, null, Settable: scalar.Kind == IrTypeKind.Float)).ToImmutableArray(), StructConstruction.Constructor);

        /// <summary>
        /// A value tuple is a tuple literal; a positional record (a constructor whose parameters are its members, by name, in
        /// order) is built by that constructor; any other struct by an object initializer when every member can be set or
        /// initialised. A constructor of another struct is not trusted to store each argument in the member of its name.
        /// </summary>
        private static StructConstruction? ConstructionOf(INamedTypeSymbol named, System.Collections.Generic.List<IFieldSymbol> fields, INamedTypeSymbol? within)
        {
            if (named.IsTupleType && fields.Count is >= 2 and <= 7) return StructConstruction.Tuple;
            var names = fields.Select(StructParameters.FieldName).ToList();
            if (IsRecord(named) && named.InstanceConstructors.Any(c => IsReadable(c, within) && c.Parameters.Length == fields.Count
                && c.Parameters.Select(p => p.Name).SequenceEqual(names)
                && c.Parameters.Select((p, i) => SymbolEqualityComparer.Default.Equals(p.Type, fields[i].Type)).All(same => same)))
            {
                return StructConstruction.Constructor;
            }
            bool initializable = fields.All(f => (ISymbol?)StructParameters.PropertyOf(f) switch
            {
                IPropertySymbol p => p.SetMethod is { } setter && IsReadable(setter, within),
                null => !f.IsReadOnly,
                _ => false,
            });
            return initializable ? StructConstruction.Initializer : null;
        }

        /// <summary>
        /// Whether <paramref name="type"/> is a record. Roslyn says so for one in source; a <c>record struct</c> read from
        /// metadata is recognised by what the compiler generates for a positional one, its <c>Deconstruct</c> (marked
        /// [CompilerGenerated], so a hand-written constructor is never taken for a primary one).
        /// </summary>
        public static bool IsRecord(INamedTypeSymbol type) =>
            type.IsRecord
            || type.Locations.All(l => l.IsInMetadata) && type.GetMembers("Deconstruct").OfType<IMethodSymbol>().Any(d =>
                d.Parameters.Length > 0 && d.Parameters.All(p => p.RefKind == RefKind.Out)
                && d.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.CompilerServices.CompilerGeneratedAttribute"));

        /// <summary>Whether code in <paramref name="within"/> (the type the companions are generated into) can use <paramref name="member"/>.</summary>
        private static bool IsReadable(ISymbol member, INamedTypeSymbol? within)
        {
            for (ISymbol? symbol = member; symbol is not null and not INamespaceSymbol; symbol = symbol.ContainingSymbol)
            {
                switch (symbol.DeclaredAccessibility)
                {
                    case Accessibility.Public or Accessibility.NotApplicable:
                        continue;
                    case Accessibility.Internal or Accessibility.ProtectedOrInternal:
                        if (within is null || !SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, within.ContainingAssembly)) return false;
                        continue;
                    default:
                        // private (or protected, which a struct cannot declare): only from inside the declaring type.
                        if (!IsInside(within, symbol.ContainingType)) return false;
                        continue;
                }
            }
            return true;
        }

        private static bool IsInside(INamedTypeSymbol? within, INamedTypeSymbol? type)
        {
            for (INamedTypeSymbol? t = within; t is not null; t = t.ContainingType)
            {
                if (SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, type?.OriginalDefinition)) return true;
            }
            return false;
        }
    }
}
