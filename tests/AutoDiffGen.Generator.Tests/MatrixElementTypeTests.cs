using System;
using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// api.md: the matrix of <c>MJacobian</c> and <c>MHessian</c> has element type <c>float</c> when every differentiable input
/// and output is <c>float</c>, otherwise <c>double</c>. A struct counts as the one real type of its leaves: Vector2/3/4,
/// Quaternion and a record struct of floats are float; Complex, a struct of doubles, or one mixing float and double
/// fields are double. The generated code compiles in every case (the matrix cells take the leaves without a cast).
/// </summary>
public class MatrixElementTypeTests
{
    private const string Source = """
        using System.Numerics;
        using AutoDiffGen;
        namespace Samples;
        public readonly record struct PointF(float X, float Y);
        public readonly record struct Mixed(float A, double B);
        public readonly record struct Nested(PointF P, float Z);
        public static partial class Kinds
        {
            [Differentiable(Derivatives.Reverse | Derivatives.Hessian)]
            public static float QuatF(Quaternion q, float k) => q.X * q.Y * k + q.W * q.W;

            [Differentiable(Derivatives.Reverse | Derivatives.Hessian)]
            public static float NestedF(Nested n) => n.P.X * n.P.Y * n.Z;

            [Differentiable(Derivatives.Reverse | Derivatives.Hessian)]
            public static double VectorAndDouble(Vector3 v, double k) => v.X * v.Y * k;

            [Differentiable(Derivatives.Reverse | Derivatives.Hessian)]
            public static double MixedD(Mixed m) => m.A * m.B * m.B;

            [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
            public static PointF ScaleF(PointF p, float k) => new(p.X * k, p.Y * k);

            [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
            public static Vector2 HalfF(Vector2 v, [Output] Vector2[] r) { r[0] = v * 0.5f; return v * v; }

            [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
            public static Complex SquareC(Complex z) => z * z;

            [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
            public static PointF FromDouble(double t) => new((float)t, (float)(t * t));
        }
        """;

    [Theory]
    [InlineData("QuatFHessian", "float")]
    [InlineData("NestedFHessian", "float")]
    [InlineData("VectorAndDoubleHessian", "double")]
    [InlineData("MixedDHessian", "double")]
    [InlineData("ScaleFJacobian", "float")]
    [InlineData("HalfFJacobian", "float")]
    [InlineData("SquareCJacobian", "double")]
    [InlineData("FromDoubleJacobian", "double")]
    public void A_struct_counts_as_the_one_real_type_of_its_leaves(string companion, string element)
    {
        GeneratorRun run = GeneratorHarness.Run(Source).AssertCompiles();
        string all = string.Concat(run.GeneratedSources.Select(s => s.SourceText.ToString()));
        string declaration = all.Split('\n').Single(line => line.Contains(" " + companion + "(", StringComparison.Ordinal) && line.Contains("public static", StringComparison.Ordinal));
        Assert.Contains(", " + element + "[,] ", declaration, StringComparison.Ordinal);
    }
}
