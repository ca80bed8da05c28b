using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Model;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>
    /// Reads how a [Differentiable] instance method's companions dispatch (<see cref="CompanionDispatch"/>): virtual when the
    /// method may be overridden, <c>override</c> where a base class has a virtual companion of the same signature, <c>new</c>
    /// where it has a non-virtual one. A base class in another assembly shows its compiled companions; one in this
    /// compilation does not (the generator's input holds no generated code), so its companions are predicted from its
    /// [Differentiable] method, by the same catalogue that will write them.
    /// </summary>
    internal static class CompanionDispatchReader
    {
        public static CompanionDispatch Read(IMethodSymbol method, MethodSpec spec)
        {
            if (method.IsStatic || method.ContainingType.TypeKind != TypeKind.Class) return CompanionDispatch.None;
            int overrides = 0, hides = 0;
            foreach (Companion companion in Companion.GeneratedFor(spec))
            {
                bool? virtualInBase = BaseCompanion(method, spec, companion);
                if (virtualInBase == true) overrides |= CompanionDispatch.Bit(companion.Kind);
                else if (virtualInBase == false) hides |= CompanionDispatch.Bit(companion.Kind);
            }
            bool open = IsOpen(method);
            return open || overrides != 0 || hides != 0
                ? new CompanionDispatch(open, method.IsSealed, overrides, hides)
                : CompanionDispatch.None;
        }

        /// <summary>
        /// The [Differentiable] method of this compilation whose companions <paramref name="method"/>'s override (the nearest
        /// it overrides), or null. Its companions exist only if it gets them (no errors of its own): the engine asks, as for
        /// a callee, so that an override of a method being edited waits for it instead of overriding nothing.
        /// </summary>
        public static IMethodSymbol? OverriddenInSource(IMethodSymbol method, MethodSpec spec) =>
            spec.Dispatch.Overrides != 0 && OverrideRules.DifferentiableAncestor(method) is { DeclaringSyntaxReferences.Length: > 0 } ancestor ? ancestor : null;

        /// <summary>
        /// Whether <paramref name="method"/> may be overridden, so that its companions are virtual: a virtual method or an
        /// override of a class, neither sealed nor in a sealed class.
        /// </summary>
        public static bool IsOpen(IMethodSymbol method) =>
            !method.IsStatic && method.ContainingType.TypeKind == TypeKind.Class && (method.IsVirtual || method.IsOverride)
            && !method.IsSealed && !method.ContainingType.IsSealed;

        /// <summary>
        /// Whether a base class declares <paramref name="companion"/> of <paramref name="method"/> with the same signature,
        /// nearest first: true when virtual (so it is overridden), false when not (so it is hidden), null when none does.
        /// </summary>
        private static bool? BaseCompanion(IMethodSymbol method, MethodSpec spec, Companion companion)
        {
            string name = companion.NameFor(method.Name);
            var signature = MethodParser.CompanionSignature(method, spec, companion);
            for (INamedTypeSymbol? type = method.ContainingType.BaseType; type is not null; type = type.BaseType)
            {
                // Compiled companions: a base class in another assembly (or generated code, when an analyzer reads this).
                foreach (IMethodSymbol member in type.GetMembers(name).OfType<IMethodSymbol>())
                {
                    if (member.DeclaredAccessibility == Accessibility.Private || !MethodParser.SignatureOf(member).SequenceEqual(signature)) continue;
                    return (member.IsVirtual || member.IsOverride || member.IsAbstract) && !member.IsSealed;
                }
                // Companions still to be generated, for a [Differentiable] method of a base class in this compilation.
                foreach (IMethodSymbol baseMethod in type.GetMembers(method.Name).OfType<IMethodSymbol>())
                {
                    if (baseMethod.DeclaringSyntaxReferences.Length == 0 || baseMethod.IsAbstract || baseMethod.IsStatic
                        || baseMethod.DeclaredAccessibility == Accessibility.Private
                        || !KnownNames.HasAttribute(baseMethod, KnownNames.DifferentiableAttribute)
                        || !MethodParser.SignatureOf(baseMethod).SequenceEqual(MethodParser.SignatureOf(method))
                        || baseMethod.Parameters.Length != spec.Parameters.Count)
                    {
                        continue;
                    }
                    MethodSpec baseSpec = spec with
                    {
                        Modes = KnownNames.ModesOf(baseMethod),
                        Parameters = spec.Parameters.Select((p, i) => p with { IsDifferentiable = MethodParser.IsDifferentiableParameter(baseMethod.Parameters[i]) }).ToEquatableArray(),
                    };
                    if (Companion.GeneratedFor(baseSpec).Contains(companion)
                        && MethodParser.CompanionSignature(baseMethod, baseSpec, companion).SequenceEqual(signature))
                    {
                        return IsOpen(baseMethod);
                    }
                }
            }
            return null;
        }
    }
}
