using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>
    /// The type arguments of the generic struct whose member is being inlined. Roslyn gives the body of a member only as
    /// declared: <c>Vec&lt;double&gt;.Dot</c>'s body is <c>Vec&lt;T&gt;.Dot</c>'s, whose operations have type <c>T</c>. While such a
    /// body is lowered (MethodLowering.LocalFunctions.cs, InlineBody), <see cref="TypeMapper.TypeOf"/> and the struct shapes see
    /// each of the struct's type parameters as the type argument of the call (<c>T</c> → <c>double</c>), so the inlined code is
    /// the caller's, as if the member had been written for <c>double</c>.
    /// </summary>
    /// <remarks>
    /// The lowering of one method runs on one thread from start to end, and every scope is left in a <c>finally</c>: the
    /// state is per thread and empty between methods, so concurrent runs of the generator and the analyzer never see
    /// each other's.
    /// </remarks>
    internal static class TypeSubstitution
    {
        [ThreadStatic] private static Dictionary<ITypeParameterSymbol, ITypeSymbol>? s_current;

        /// <summary>
        /// Enters the body of a member of <paramref name="containingType"/> (and of the types around it): its type parameters
        /// stand for its type arguments, themselves read in the scope already entered (a member of <c>Vec&lt;T&gt;</c> inlined
        /// from another member of <c>Vec&lt;double&gt;</c>). Nothing changes for a type that is not a constructed generic.
        /// </summary>
        public static Scope Enter(INamedTypeSymbol? containingType)
        {
            Dictionary<ITypeParameterSymbol, ITypeSymbol>? previous = s_current;
            Dictionary<ITypeParameterSymbol, ITypeSymbol>? next = null;
            for (INamedTypeSymbol? type = containingType; type is not null; type = type.ContainingType)
            {
                if (!type.IsGenericType || type.IsDefinition) continue;
                AddScope(type.OriginalDefinition.TypeParameters, type.TypeArguments, previous, ref next);
            }
            if (next is not null) s_current = next;
            return new Scope(previous);
        }

        private static void AddScope(IReadOnlyList<ITypeParameterSymbol> parameters, IReadOnlyList<ITypeSymbol> arguments,
            Dictionary<ITypeParameterSymbol, ITypeSymbol>? previous, ref Dictionary<ITypeParameterSymbol, ITypeSymbol>? next)
        {
            for (int i = 0; i < parameters.Count && i < arguments.Count; i++)
            {
                if (SymbolEqualityComparer.Default.Equals(parameters[i], arguments[i])) continue;
                next ??= previous is null
                    ? new Dictionary<ITypeParameterSymbol, ITypeSymbol>(SymbolEqualityComparer.Default)
                    : new Dictionary<ITypeParameterSymbol, ITypeSymbol>(previous, SymbolEqualityComparer.Default);
                next[parameters[i]] = Apply(arguments[i], previous);
            }
        }

        /// <summary><paramref name="type"/> with the type parameters of the entered scopes replaced (<c>Vec&lt;T&gt;</c> → <c>Vec&lt;double&gt;</c>).</summary>
        public static ITypeSymbol Apply(ITypeSymbol type) => s_current is null ? type : Apply(type, s_current);

        private static ITypeSymbol Apply(ITypeSymbol type, Dictionary<ITypeParameterSymbol, ITypeSymbol>? map)
        {
            if (map is null) return type;
            switch (type)
            {
                case ITypeParameterSymbol parameter:
                    return map.TryGetValue(parameter, out ITypeSymbol? actual) ? actual : type;
                case INamedTypeSymbol { IsGenericType: true } named when named.ContainingType is not { IsGenericType: true }:
                {
                    ITypeSymbol[] arguments = named.TypeArguments.Select(a => Apply(a, map)).ToArray();
                    return arguments.SequenceEqual(named.TypeArguments, SymbolEqualityComparer.Default)
                        ? type
                        : named.OriginalDefinition.Construct(arguments);
                }
                default:
                    return type;
            }
        }

        /// <summary>Restores the substitution that was in force before <see cref="Enter"/>.</summary>
        public readonly struct Scope : IDisposable
        {
            private readonly Dictionary<ITypeParameterSymbol, ITypeSymbol>? _previous;

            public Scope(Dictionary<ITypeParameterSymbol, ITypeSymbol>? previous) => _previous = previous;

            public void Dispose() => s_current = _previous;
        }
    }
}
