using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>
    /// The Roslyn side of generic math (api.md "Generic math"): which type parameters are reals the engine
    /// differentiates in (<c>where T : IFloatingPointIeee754&lt;T&gt;</c> or any set including <c>INumberBase&lt;T&gt;</c>),
    /// and which members of the <c>System.Numerics</c> interfaces are constants, conversions or operators on them.
    /// </summary>
    internal static class GenericMath
    {
        private const string Namespace = "System.Numerics";

        /// <summary>
        /// A type parameter constrained (directly or through an interface it inherits) to <c>INumberBase&lt;T&gt;</c> of
        /// itself: it has the arithmetic operators, <c>T.Zero</c>, <c>T.One</c> and <c>T.CreateTruncating</c>, all the
        /// generated code needs besides the functions the method itself calls (<see cref="MissingMember"/> checks those).
        /// </summary>
        public static bool IsGenericReal(ITypeParameterSymbol parameter) =>
            parameter.ConstraintTypes.OfType<INamedTypeSymbol>()
                .SelectMany(c => c.AllInterfaces.Add(c))
                .Any(i => IsNumericsInterface(i, "INumberBase") && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], parameter));

        /// <summary>The type parameters a method's body can use: its own, then those of its containing types, innermost first.</summary>
        public static IEnumerable<ITypeParameterSymbol> TypeParametersInScope(IMethodSymbol method)
        {
            foreach (ITypeParameterSymbol parameter in method.TypeParameters) yield return parameter;
            for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                foreach (ITypeParameterSymbol parameter in type.TypeParameters) yield return parameter;
            }
        }

        /// <summary>A static member of one of the generic-math interfaces of <c>System.Numerics</c> (<c>T.Sin</c>, <c>T.One</c>, <c>op_Addition</c>).</summary>
        public static bool IsInterfaceMember(ISymbol? member) =>
            member is { IsStatic: true, ContainingType: { TypeKind: TypeKind.Interface } owner } && owner.ContainingNamespace?.ToDisplayString() == Namespace;

        /// <summary>
        /// The value of <c>T.Zero</c>, <c>T.One</c> or <c>T.NegativeOne</c>: the constants the engine folds and simplifies
        /// with. Other constants (<c>T.Pi</c>, <c>T.E</c>, <c>T.Epsilon</c>) are read as passive values, spelled as written.
        /// </summary>
        public static double? IdentityConstant(IPropertySymbol property) =>
            !IsInterfaceMember(property) ? null : property.Name switch
            {
                "Zero" or "AdditiveIdentity" => 0.0,
                "One" or "MultiplicativeIdentity" => 1.0,
                "NegativeOne" => -1.0,
                _ => null,
            };

        /// <summary>
        /// <c>T.CreateChecked(x)</c>, <c>T.CreateTruncating(x)</c> or <c>T.CreateSaturating(x)</c>: a conversion to <c>T</c>;
        /// also <c>double.CreateChecked(t)</c> (double's own member), the way out of <c>T</c> to a double callee, and
        /// <c>int.CreateTruncating(t)</c>, generic math's <c>(int)x</c>.
        /// </summary>
        public static bool IsCreate(IMethodSymbol method) =>
            (IsInterfaceMember(method) || method.ContainingType?.SpecialType is SpecialType.System_Double or SpecialType.System_Single
                or SpecialType.System_Int32 or SpecialType.System_Int64) && method.Name is "CreateChecked" or "CreateTruncating" or "CreateSaturating" && method.Parameters.Length == 1;

        /// <summary>
        /// The first member the generated code calls on <paramref name="parameter"/> that its constraints do not give
        /// (the derivative of <c>T.Pow</c> calls <c>T.Log</c>; an <c>INumber&lt;T&gt;</c> has no <c>Log</c>), with the
        /// interface that declares it; null when every one is there.
        /// </summary>
        public static (string Member, string Interface)? MissingMember(ITypeParameterSymbol parameter, IEnumerable<string> members, Compilation compilation)
        {
            var available = new HashSet<string>(parameter.ConstraintTypes.OfType<INamedTypeSymbol>()
                .SelectMany(c => c.AllInterfaces.Add(c))
                .SelectMany(i => i.GetMembers())
                .Where(m => m.IsStatic)
                .Select(m => m.Name));
            foreach (string member in members.Distinct().OrderBy(m => m, System.StringComparer.Ordinal))
            {
                if (available.Contains(member)) continue;
                return (member, DeclaringInterface(member, compilation) ?? "IFloatingPointIeee754");
            }
            return null;
        }

        /// <summary>The generic-math interface (of those IFloatingPointIeee754 inherits) that declares <paramref name="member"/>, named as C# writes it.</summary>
        private static string? DeclaringInterface(string member, Compilation compilation)
        {
            INamedTypeSymbol? all = compilation.GetTypeByMetadataName(Namespace + ".IFloatingPointIeee754`1");
            if (all is null) return null;
            INamedTypeSymbol? owner = all.AllInterfaces.Add(all).FirstOrDefault(i => i.GetMembers(member).Any(m => m.IsStatic));
            return owner?.Name;
        }

        private static bool IsNumericsInterface(INamedTypeSymbol type, string name) =>
            type.Name == name && type.TypeArguments.Length == 1 && type.ContainingNamespace?.ToDisplayString() == Namespace;
    }
}
