using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Parsing
{
    /// <summary>
    /// A diagnostic found while reading or analysing a method. The analyzers report these; the generator only asks
    /// whether there is an error (then it emits nothing for the method).
    /// </summary>
    internal sealed class EngineDiagnostic
    {
        public EngineDiagnostic(DiagnosticDescriptor descriptor, Location location, params object[] arguments)
        {
            Descriptor = descriptor;
            Location = location;
            Arguments = arguments;
        }

        public DiagnosticDescriptor Descriptor { get; }

        public Location Location { get; }

        public object[] Arguments { get; }

        public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

        /// <summary>Same rule, same place, same message: one report is enough.</summary>
        public bool IsSameAs(EngineDiagnostic other) =>
            Descriptor.Id == other.Descriptor.Id && Location == other.Location
            && Arguments.Length == other.Arguments.Length && Arguments.Zip(other.Arguments, Equals).All(equal => equal);

        /// <summary>
        /// <see cref="IsSameAs"/> as an equality, for a set of the diagnostics already reported (a long branchy method has a
        /// pending diagnostic per comparison, and comparing each with every one before it grew with the square of the method).
        /// </summary>
        public static IEqualityComparer<EngineDiagnostic> SameReport { get; } = new SameReportComparer();

        private sealed class SameReportComparer : IEqualityComparer<EngineDiagnostic>
        {
            public bool Equals(EngineDiagnostic? x, EngineDiagnostic? y) => ReferenceEquals(x, y) || x is not null && y is not null && x.IsSameAs(y);

            /// <remarks>The arguments are left out: equal ones must hash alike, and their types need not say how.</remarks>
            public int GetHashCode(EngineDiagnostic d) => (d.Descriptor.Id.GetHashCode() * 31) ^ d.Location.GetHashCode();
        }

        /// <summary>The Roslyn diagnostic, with the [Differentiable] method as an additional location.</summary>
        public Diagnostic ToDiagnostic(Location? methodLocation) =>
            Diagnostic.Create(Descriptor, Location, methodLocation is null ? null : new[] { methodLocation }, Arguments);
    }
}
