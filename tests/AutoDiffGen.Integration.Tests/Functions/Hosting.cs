using System;

namespace AutoDiffGen.Integration.Tests.Functions.Hosting;

/// <summary>An instance method reading fields and properties: they are constants for the gradient.</summary>
public sealed partial class Model
{
    private readonly double _weight;

    public Model(double weight, double bias)
    {
        _weight = weight;
        Bias = bias;
    }

    public double Bias { get; }

    [Differentiable]
    public double Predict(double x, double y) => _weight * x * y + Bias * Math.Sin(x) + Scale;

    private double Scale => 2 * _weight;

    /// <summary>Instance method calling another instance [Differentiable] method and a static one.</summary>
    [Differentiable]
    public double Loss(double x, double y, [NoDerivative] double target)
    {
        double e = Predict(x, y) - target;
        return e * e + Functions.Squares.Square(x);
    }
}

public partial struct Spring
{
    public double Stiffness;

    [Differentiable]
    public readonly double Energy(double stretch) => 0.5 * Stiffness * stretch * stretch;
}

public partial record Polynomial(double A, double B, double C)
{
    [Differentiable]
    public double Evaluate(double x) => (A * x + B) * x + C;
}

public readonly partial record struct Gaussian(double Mean, double Sigma)
{
    [Differentiable]
    public double LogDensity(double x) => -0.5 * ((x - Mean) / Sigma) * ((x - Mean) / Sigma) - Math.Log(Sigma);

    [Differentiable]
    public static double Standard(double x) => Math.Exp(-0.5 * x * x);
}

public static partial class Outer
{
    internal partial struct Middle
    {
        public partial class Inner
        {
            [Differentiable]
            public static double Deep(double x) => x * x * x;
        }
    }
}

/// <summary>Companions keep the accessibility of their method; public wrappers let the tests reach them.</summary>
public partial class Access
{
    [Differentiable]
    private static double Hidden(double x) => 3 * x * x;

    [Differentiable]
    internal static double Internal(double x) => Math.Exp(x);

    [Differentiable]
    protected double Protected(double x) => x / (1 + x * x);

    public static double HiddenGradientFromInside(double x, out double dx) => HiddenGradient(x, out dx);

    public double ProtectedGradientFromInside(double x, out double dx) => ProtectedGradient(x, out dx);
}

/// <summary>int and bool parameters pass through; [NoDerivative] parameters get no gradient.</summary>
public static partial class PassThrough
{
    [Differentiable]
    public static double Mixed(double x, int n, bool negate, [NoDerivative] double scale, double y)
    {
        double r = scale * Math.Pow(x, n) + y;
        return negate ? -r : r;
    }
}

public partial class Box<T>
{
    public T? Tag { get; set; }

    [Differentiable]
    public double Twice(double x) => 2 * x * x;
}
