using System;

namespace AutoDiffGen
{
    /// <summary>
    /// Marks a method whose derivative companions the AutoDiffGen source generator emits at build time: by default the
    /// reverse-mode ones (<c>MGradient</c>, <c>MBackward</c>); <see cref="Derivatives"/> chooses others (<c>MTangent</c>
    /// for <see cref="AutoDiffGen.Derivatives.Forward"/>). The method must be declared in a <c>partial</c> type (every
    /// enclosing type partial too).
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    public sealed class DifferentiableAttribute : Attribute
    {
        /// <summary>Generates the reverse-mode companions (<see cref="AutoDiffGen.Derivatives.Reverse"/>).</summary>
        public DifferentiableAttribute()
            : this(Derivatives.Reverse)
        {
        }

        /// <summary>Generates the companions of the given modes.</summary>
        public DifferentiableAttribute(Derivatives derivatives)
        {
            Derivatives = derivatives;
        }

        /// <summary>Which companions are generated.</summary>
        public Derivatives Derivatives { get; }
    }
}
