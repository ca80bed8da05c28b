using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Decides whether a callee is differentiable: marked [Differentiable] (its <c>…Backward</c> is generated, maybe in
    /// another assembly), or accompanied by a hand-written <c>…Backward</c> of the shape api.md fixes.
    /// </summary>
    internal static class CallTargets
    {
        /// <param name="structResult">Whether a callee returning a struct of reals is wanted too (its companions return the
        /// struct and take a struct seed; the caller makes one call per leaf, <see cref="CallTarget.ResultStruct"/>).</param>
        public static CallTarget? TryCreate(IMethodSymbol callee, bool structResult = false)
        {
            bool returns = TypeMapper.IsReal(callee.ReturnType)
                || structResult && !callee.ReturnsVoid && MethodParser.IsDifferentiableStruct(callee.ReturnType);
            if (callee.Parameters.Any(p => p.RefKind is not (RefKind.None or RefKind.In)) || !returns)
            {
                return null;
            }
            bool[] differentiable = callee.Parameters.Select(MethodParser.IsDifferentiableParameter).ToArray();
            bool isMarked = KnownNames.HasAttribute(callee.OriginalDefinition, KnownNames.DifferentiableAttribute);
            // A generic callee's companions are generated only when it is [Differentiable] (a hand-written generic …Backward is not looked for).
            if (!isMarked && (callee.IsGenericMethod || !HasHandWrittenBackward(callee, differentiable)))
            {
                return null;
            }
            string tangentName = Model.Companion.Tangent.NameFor(callee.Name);
            if (isMarked && MayDispatchElsewhere(callee))
            {
                // A call that may run an override goes through the virtual companions the modes declare: one generated on
                // demand for a caller is not virtual, so the forward and second-order companions must be asked for.
                Model.DerivativeModes modes = KnownNames.ModesOf(callee.OriginalDefinition);
                bool ownTangent = KnownNames.GetsOwnTangent(callee.OriginalDefinition);
                string ask = " (ask for them on " + callee.Name + " and its overrides: a companion generated on demand is not virtual)";
                return Create(callee, differentiable, ownTangent,
                    ownTangent ? null : "it calls the virtual method " + callee.Name + ", which does not declare Derivatives.Forward" + ask,
                    (modes & Model.DerivativeModes.Hessian) != 0 || callee.OriginalDefinition.DeclaringSyntaxReferences.Length == 0 && MissingSecondOrderCompanions(callee) is null ? null
                        : "it calls the virtual method " + callee.Name + ", which does not declare Derivatives.Hessian" + ask);
            }
            bool hasTangent = (isMarked && (callee.OriginalDefinition.DeclaringSyntaxReferences.Length > 0 || (KnownNames.ModesOf(callee.OriginalDefinition) & Model.DerivativeModes.Forward) != 0))
                || HasTangentMember(callee, differentiable);
            return Create(callee, differentiable, hasTangent,
                hasTangent ? null
                    : isMarked ? "it calls " + callee.Name + " from another assembly, which has no " + tangentName + " (mark " + callee.Name + " [Differentiable(Derivatives.Forward)] in its assembly)"
                    : "it calls " + callee.Name + ", whose derivative is a hand-written " + callee.Name + KnownNames.BackwardSuffix + " with no " + tangentName + " beside it",
                SecondOrderRefusal(callee, isMarked, differentiable));
        }

        private static CallTarget Create(IMethodSymbol callee, bool[] differentiable, bool hasTangent, string? tangentRefusal, string? secondOrderRefusal) =>
            new CallTarget(
                MethodParser.TypeName(callee.ContainingType),
                MethodParser.EscapeIdentifier(callee.Name),
                callee.IsStatic,
                differentiable.ToEquatableArray(),
                callee.Parameters.Select(p => MethodLowering.TypeOf(p.Type)).ToEquatableArray())
            {
                // G<T>(x) from a generic method, G<double>(x) from a double one: the companions take the same type arguments.
                TypeArgumentList = callee.IsGenericMethod ? "<" + string.Join(", ", callee.TypeArguments.Select(MethodParser.TypeName)) + ">" : "",
                HasTangent = hasTangent,
                TangentRefusal = tangentRefusal,
                SecondOrderRefusal = secondOrderRefusal,
            };

        /// <summary>
        /// Whether a call of <paramref name="callee"/> may run another body than its own: it is virtual, abstract or an
        /// override, and neither sealed (<c>sealed override</c>) nor declared in a sealed class or a struct. A call that binds
        /// to an override in a sealed class (<c>leaf.Energy(p)</c> with <c>leaf</c> of that class) or to a sealed override
        /// runs that very method, so its own companions are the right ones whether virtual or not.
        /// </summary>
        public static bool MayDispatchElsewhere(IMethodSymbol callee) =>
            (callee.IsVirtual || callee.IsAbstract || callee.IsOverride)
            && (callee.IsAbstract || !(callee.IsSealed || callee.ContainingType.IsSealed || callee.ContainingType.IsValueType));

        /// <summary>
        /// For a callee that <see cref="MayDispatchElsewhere"/>: why its companions do not dispatch like it, or null when
        /// they do (a [Differentiable] virtual method with a body: its companions are virtual, README "Virtual methods").
        /// </summary>
        public static string? WhyCompanionsDoNotDispatch(IMethodSymbol callee)
        {
            IMethodSymbol definition = callee.OriginalDefinition;
            if (!KnownNames.HasAttribute(definition, KnownNames.DifferentiableAttribute)) return "it is not [Differentiable]";
            if (definition.IsAbstract) return "it is abstract";
            if (definition.DeclaringSyntaxReferences.Length > 0) return null;
            // Compiled in another assembly: its companions are there to look at.
            return callee.ContainingType.GetMembers(Model.Companion.Backward.NameFor(callee.Name)).OfType<IMethodSymbol>().Any(m => m.IsVirtual || m.IsOverride)
                ? null : "they were compiled non-virtual in its assembly";
        }


        /// <summary>
        /// Why a second-order caller cannot go through <paramref name="callee"/>, from its signature (what its body does is
        /// checked when its <c>…BackwardTangent</c> is generated), or null: the callee's <c>…BackwardTangent</c> exists or is
        /// generated on demand.
        /// </summary>
        private static string? SecondOrderRefusal(IMethodSymbol callee, bool isMarked, bool[] differentiable)
        {
            string name = callee.Name;
            if (!isMarked)
            {
                return "it calls " + name + ", whose derivative is a hand-written " + name + KnownNames.BackwardSuffix + " with no source to differentiate twice";
            }
            if (callee.OriginalDefinition.DeclaringSyntaxReferences.Length == 0)
            {
                return MissingSecondOrderCompanions(callee) is { } missing
                    ? "it calls " + name + " from another assembly, which has no " + missing.Companions + " (mark " + name + " [Differentiable(" + missing.Flags + ")] in its assembly)"
                    : null;
            }
            return null;
        }

        /// <summary>
        /// For a [Differentiable] callee compiled in another assembly: the companions a second-order caller calls that it
        /// lacks (its forward sweep calls the callee's <c>MTangent</c>, its reverse sweep the <c>MBackwardTangent</c>), as
        /// "GTangent or GBackwardTangent", and the flags its attribute needs there; null when it has both.
        /// </summary>
        public static (string Companions, string Flags)? MissingSecondOrderCompanions(IMethodSymbol callee)
        {
            var missing = new[] { Model.Companion.Tangent, Model.Companion.BackwardTangent }
                .Where(c => callee.ContainingType.GetMembers(c.NameFor(callee.Name)).IsEmpty).ToList();
            if (missing.Count == 0) return null;
            string flags = missing.Contains(Model.Companion.Tangent) ? "Derivatives.Forward | Derivatives.Hessian" : "Derivatives.Hessian";
            return (string.Join(" or ", missing.Select(c => c.NameFor(callee.Name))), flags);
        }

        /// <summary>
        /// <c>R NameTangent(P1 p1, …, Pn pn, D1 d1, …, Dk dk, out R tangent)</c> (api.md): the callee's parameters, one tangent
        /// per differentiable parameter (its own type; <c>ReadOnlySpan&lt;T&gt;</c> for arrays and spans), then the result's
        /// tangent, with the callee's static-ness. Hand-written, or generated into another assembly.
        /// </summary>
        private static bool HasTangentMember(IMethodSymbol callee, bool[] differentiable)
        {
            int tangents = differentiable.Count(d => d);
            int n = callee.Parameters.Length;
            foreach (ISymbol member in callee.ContainingType.GetMembers(Model.Companion.Tangent.NameFor(callee.Name)))
            {
                if (member is not IMethodSymbol tangent || tangent.IsStatic != callee.IsStatic || tangent.Parameters.Length != n + tangents + 1) continue;
                var ps = tangent.Parameters;
                bool matches = SymbolEqualityComparer.Default.Equals(tangent.ReturnType, callee.ReturnType);
                for (int i = 0; i < n && matches; i++)
                {
                    matches = ps[i].RefKind == callee.Parameters[i].RefKind && SymbolEqualityComparer.Default.Equals(ps[i].Type, callee.Parameters[i].Type);
                }
                int next = n;
                for (int i = 0; i < n && matches; i++)
                {
                    if (!differentiable[i]) continue;
                    IParameterSymbol d = ps[next++];
                    IrType type = MethodLowering.TypeOf(callee.Parameters[i].Type);
                    matches = d.RefKind is RefKind.None or RefKind.In && (type.Kind == IrTypeKind.Array
                        ? MethodParser.TypeName(d.Type) == TangentTypeName(type)
                        : SymbolEqualityComparer.Default.Equals(d.Type, callee.Parameters[i].Type));
                }
                IParameterSymbol last = ps[n + tangents];
                matches = matches && last.RefKind == RefKind.Out && SymbolEqualityComparer.Default.Equals(last.Type, callee.ReturnType);
                if (matches) return true;
            }
            return false;
        }

        /// <summary>The tangent type of an array parameter: a read-only span for vectors and spans, the array type itself otherwise.</summary>
        public static string TangentTypeName(IrType arrayType) => arrayType.Layout is ArrayLayout.Matrix or ArrayLayout.Jagged
            ? arrayType.CSharpName
            : "global::System.ReadOnlySpan<" + arrayType.Element!.CSharpName + ">";

        /// <summary>
        /// <c>R NameBackward(P1 p1, …, Pn pn, R seed, ref A1 a1, …)</c>: the callee's parameters, the seed, then one
        /// <c>ref</c> adjoint per differentiable parameter, with the callee's static-ness.
        /// </summary>
        private static bool HasHandWrittenBackward(IMethodSymbol callee, bool[] differentiable)
        {
            int adjoints = differentiable.Count(d => d);
            foreach (ISymbol member in callee.ContainingType.GetMembers(callee.Name + KnownNames.BackwardSuffix))
            {
                if (member is not IMethodSymbol backward || backward.IsStatic != callee.IsStatic) continue;
                var ps = backward.Parameters;
                int n = callee.Parameters.Length;
                if (ps.Length != n + 1 + adjoints) continue;
                bool matches = true;
                for (int i = 0; i < n && matches; i++)
                {
                    matches = ps[i].RefKind == callee.Parameters[i].RefKind && SymbolEqualityComparer.Default.Equals(ps[i].Type, callee.Parameters[i].Type);
                }
                matches = matches && SymbolEqualityComparer.Default.Equals(ps[n].Type, callee.ReturnType);
                int next = n + 1;
                for (int i = 0; i < n && matches; i++)
                {
                    if (!differentiable[i]) continue;
                    IParameterSymbol adjoint = ps[next++];
                    matches = adjoint.RefKind == RefKind.Ref && SymbolEqualityComparer.Default.Equals(adjoint.Type, callee.Parameters[i].Type);
                }
                if (matches) return true;
            }
            return false;
        }
    }
}
