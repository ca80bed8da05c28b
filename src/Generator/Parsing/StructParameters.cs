using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>What a struct parameter's fields say about differentiating it.</summary>
    internal enum StructKind
    {
        /// <summary>Not a struct, or a struct with no double or float in it (data, passed through like an int).</summary>
        NotDifferentiable,
        /// <summary>Every instance field is a double, a float, or such a struct (Vector3, Complex, a record struct of doubles, a tuple of doubles).</summary>
        OfReals,
        /// <summary>Some field holds a double or float and another holds something that cannot carry a derivative.</summary>
        Mixed,
    }

    /// <summary>
    /// Classifies struct types (api.md v2: a struct whose instance fields are all double/float, or such structs, is
    /// differentiable; <see cref="StructShapes"/> reads its shape). A struct that holds doubles but also something that
    /// cannot carry a derivative, passed through as data, would silently get no gradient: the parser reports such a
    /// parameter (ADG0105) unless it is [NoDerivative].
    /// </summary>
    internal static class StructParameters
    {
        /// <summary>The kind of <paramref name="type"/>, and for <see cref="StructKind.Mixed"/> the first field that cannot carry a derivative.</summary>
        public static (StructKind Kind, IFieldSymbol? Offending) Classify(ITypeSymbol type) => Classify(type, depth: 0);

        private static (StructKind Kind, IFieldSymbol? Offending) Classify(ITypeSymbol type, int depth)
        {
            // Spans are arrays to the engine (TypeMapper), and other ref structs cannot be fields of a gradient.
            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Struct, IsRefLikeType: false } named || named.SpecialType != SpecialType.None
                || named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T || depth > 8)
            {
                return (StructKind.NotDifferentiable, null);
            }
            // Complex keeps its parts in private fields, which metadata does not show a compilation.
            if (named.Name == "Complex" && named.ContainingNamespace?.ToDisplayString() == "System.Numerics")
            {
                return (StructKind.OfReals, null);
            }
            bool anyReal = false;
            IFieldSymbol? offending = null;
            foreach (IFieldSymbol field in named.GetMembers().OfType<IFieldSymbol>().Where(f => !f.IsStatic && !f.IsConst))
            {
                if (TypeMapper.IsReal(field.Type))
                {
                    anyReal = true;
                    continue;
                }
                var (kind, inner) = Classify(field.Type, depth + 1);
                if (kind == StructKind.OfReals)
                {
                    anyReal = true;
                }
                else
                {
                    if (kind == StructKind.Mixed) anyReal = true;
                    offending ??= kind == StructKind.Mixed ? inner : field;
                }
            }
            if (!anyReal) return (StructKind.NotDifferentiable, null);
            return offending is null ? (StructKind.OfReals, null) : (StructKind.Mixed, offending);
        }

        /// <summary>
        /// For an array or span of a struct of reals (<c>Vector3[]</c>, <c>ReadOnlySpan&lt;Point&gt;</c>, <c>Span&lt;Complex&gt;</c>, api.md
        /// v2): the struct, and how the elements are stored; null for any other type (a matrix or jagged array of structs among them).
        /// </summary>
        public static ITypeSymbol? StructElementOf(ITypeSymbol type, out Engine.Ir.ArrayLayout layout)
        {
            layout = Engine.Ir.ArrayLayout.None;
            ITypeSymbol? element = null;
            if (type is IArrayTypeSymbol { Rank: 1 } array)
            {
                element = array.ElementType;
                layout = Engine.Ir.ArrayLayout.Vector;
            }
            else if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1, Name: "Span" or "ReadOnlySpan" } span
                && span.ContainingNamespace?.ToDisplayString() == "System")
            {
                element = span.TypeArguments[0];
                layout = span.Name == "Span" ? Engine.Ir.ArrayLayout.Span : Engine.Ir.ArrayLayout.ReadOnlySpan;
            }
            if (element is not null && Classify(element).Kind == StructKind.OfReals) return element;
            layout = Engine.Ir.ArrayLayout.None;
            return null;
        }

        /// <summary>The name a user knows a field by: the property of a backing field, or the field itself.</summary>
        public static string FieldName(IFieldSymbol field) => PropertyOf(field)?.Name ?? field.Name;

        /// <summary>
        /// The auto-property whose backing field <paramref name="field"/> is, or null. In source Roslyn links them
        /// (<see cref="IFieldSymbol.AssociatedSymbol"/>); a struct read from metadata (a <c>record struct</c> of another assembly)
        /// shows only the compiler's private field <c>&lt;X&gt;k__BackingField</c>, which is found back by its name.
        /// </summary>
        public static IPropertySymbol? PropertyOf(IFieldSymbol field)
        {
            if (field.AssociatedSymbol is IPropertySymbol associated) return associated;
            const string suffix = ">k__BackingField";
            string name = field.Name;
            if (!field.IsImplicitlyDeclared && field.Locations.Any(l => l.IsInSource)) return null;
            if (name.Length <= suffix.Length + 1 || name[0] != '<' || !name.EndsWith(suffix, System.StringComparison.Ordinal)) return null;
            string property = name.Substring(1, name.Length - suffix.Length - 1);
            return field.ContainingType.GetMembers(property).OfType<IPropertySymbol>()
                .FirstOrDefault(p => !p.IsStatic && !p.IsIndexer && SymbolEqualityComparer.Default.Equals(p.Type, field.Type));
        }
    }
}
