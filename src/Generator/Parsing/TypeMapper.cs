using AutoDiffGen.Generator.Engine.Ir;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>Maps Roslyn types to IR types: scalars, arrays and spans of scalars, and everything else as passive.</summary>
    internal static class TypeMapper
    {
        public static IrType TypeOf(ITypeSymbol type)
        {
            type = TypeSubstitution.Apply(type); // T of a generic struct whose member is inlined: its type argument
            switch (type.SpecialType)
            {
                case SpecialType.System_Double: return IrType.Double;
                case SpecialType.System_Single: return IrType.Float;
                case SpecialType.System_Boolean: return IrType.Bool;
                case SpecialType.System_Int32: return IrType.Int;
                case SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_SByte or SpecialType.System_Byte
                    or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Char:
                    return new IrType(IrTypeKind.Integer, MethodParser.TypeName(type));
            }
            if (type is ITypeParameterSymbol parameter && GenericMath.IsGenericReal(parameter))
            {
                return IrType.GenericReal(MethodParser.EscapeIdentifier(parameter.Name));
            }
            if (type is IArrayTypeSymbol array)
            {
                if (array.Rank == 1 && ScalarOf(array.ElementType) is { } element)
                {
                    return IrType.ArrayOf(element, ArrayLayout.Vector);
                }
                if (array.Rank == 2 && ScalarOf(array.ElementType) is { } matrixElement)
                {
                    return IrType.ArrayOf(matrixElement, ArrayLayout.Matrix);
                }
                if (array.Rank == 1 && array.ElementType is IArrayTypeSymbol { Rank: 1 } row && ScalarOf(row.ElementType) is { } jaggedElement)
                {
                    return IrType.ArrayOf(jaggedElement, ArrayLayout.Jagged);
                }
            }
            if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
                && named.ContainingNamespace?.ToDisplayString() == "System"
                && named.Name is "Span" or "ReadOnlySpan"
                && ScalarOf(named.TypeArguments[0]) is { } spanElement)
            {
                return IrType.ArrayOf(spanElement, named.Name == "Span" ? ArrayLayout.Span : ArrayLayout.ReadOnlySpan);
            }
            if (SimdFamilyOf(type) is { } family && ScalarOf(((INamedTypeSymbol)type).TypeArguments[0]) is { IsDifferentiable: true } lane)
            {
                return IrType.SimdOf(lane, family);
            }
            return new IrType(IrTypeKind.Other, MethodParser.TypeName(type));
        }

        /// <summary>For <c>Vector&lt;T&gt;</c> and <c>Vector64/128/256/512&lt;T&gt;</c>: which one (any lane type).</summary>
        public static SimdFamily? SimdFamilyOf(ITypeSymbol? type)
        {
            if (type is not INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named) return null;
            string? ns = named.ContainingNamespace?.ToDisplayString();
            if (ns == "System.Numerics" && named.Name == "Vector") return SimdFamily.Vector;
            if (ns != "System.Runtime.Intrinsics") return null;
            return named.Name switch
            {
                "Vector64" => SimdFamily.Vector64,
                "Vector128" => SimdFamily.Vector128,
                "Vector256" => SimdFamily.Vector256,
                "Vector512" => SimdFamily.Vector512,
                _ => null,
            };
        }

        private static IrType? ScalarOf(ITypeSymbol type)
        {
            IrType mapped = type.SpecialType is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Boolean
                or SpecialType.System_Int32 or SpecialType.System_Int64 || IsReal(type) ? TypeOf(type) : null!;
            return mapped;
        }

        /// <summary>Whether <paramref name="type"/> is a real scalar: double, float or a generic-math type parameter.</summary>
        public static bool IsReal(ITypeSymbol? type)
        {
            if (type is null) return false;
            type = TypeSubstitution.Apply(type);
            return type.SpecialType is SpecialType.System_Double or SpecialType.System_Single
                || type is ITypeParameterSymbol parameter && GenericMath.IsGenericReal(parameter);
        }
    }
}
