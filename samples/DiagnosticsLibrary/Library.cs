using AutoDiffGen;

namespace DiagnosticsLibrary;

public static partial class Library
{
    /// <summary>Reverse mode only: FarGradient and FarBackward, no FarTangent, no FarBackwardTangent.</summary>
    [Differentiable]
    public static double Far(double x) => x * x;
}
