namespace AutoDiffGen.Generator.Model
{
    /// <summary>
    /// How the companions of an instance method of a class dispatch (README "Virtual methods"): a virtual
    /// [Differentiable] method gets virtual companions, and an override that is [Differentiable] too overrides them, so
    /// <c>shape.EnergyGradient(…)</c> on a <c>Shape</c> that is a <c>Square</c> differentiates <c>Square.Energy</c>, as
    /// <c>shape.Energy(…)</c> runs it. Static methods and methods of structs have <see cref="None"/>.
    /// </summary>
    /// <param name="Open">The method may be overridden (virtual, or an override neither sealed nor in a sealed class): a
    /// companion that overrides nothing is declared <c>virtual</c>.</param>
    /// <param name="Sealed">A <c>sealed override</c>: its overriding companions are sealed too.</param>
    /// <param name="Overrides">The companions a base class declares virtual with the same signature, one bit per
    /// <see cref="CompanionKind"/> (<see cref="Bit"/>): declared <c>override</c>.</param>
    /// <param name="Hides">The companions a base class declares non-virtual with the same signature (a <c>new</c> method over
    /// a [Differentiable] one), one bit per kind: declared <c>new</c>, as the compiler asks of a member that hides another.</param>
    internal sealed record CompanionDispatch(bool Open, bool Sealed, int Overrides, int Hides)
    {
        public static readonly CompanionDispatch None = new(false, false, 0, 0);

        /// <summary>The bit of <paramref name="kind"/> in <see cref="Overrides"/> and <see cref="Hides"/>.</summary>
        public static int Bit(CompanionKind kind) => 1 << (int)kind;

        /// <summary>The modifier a companion of <paramref name="kind"/> is declared with, with its trailing space (or empty).</summary>
        public string ModifierFor(CompanionKind kind) =>
            (Overrides & Bit(kind)) != 0 ? (Sealed ? "sealed override " : "override ")
            : (Hides & Bit(kind)) != 0 ? (Open ? "new virtual " : "new ")
            : Open ? "virtual "
            : "";
    }
}
