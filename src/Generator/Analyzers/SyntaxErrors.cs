using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Analyzers
{
    /// <summary>
    /// Code that is being typed: a declaration or body with syntax errors gets no ADG diagnostic and no companions.
    /// The compiler's own errors are the ones that help there, and an ADG diagnostic on half-typed code (ADG0004
    /// "declared without a body" on <c>double H(double</c>) is noise that changes with every keystroke.
    /// </summary>
    internal static class SyntaxErrors
    {
        /// <summary>Whether <paramref name="node"/> or anything inside it has a syntax error (warnings do not count).</summary>
        public static bool In(SyntaxNode node)
        {
            if (!node.ContainsDiagnostics) return false;
            foreach (Diagnostic diagnostic in node.GetDiagnostics())
            {
                if (diagnostic.Severity == DiagnosticSeverity.Error) return true;
            }
            return false;
        }
    }
}
