using System.Numerics;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>
/// A generic struct of reals (issue 10): <c>Vec2&lt;T&gt;</c> with T : IFloatingPointIeee754&lt;T&gt; is a struct of reals once T is
/// (api.md: a struct whose instance fields are all double/float), and its members are differentiated from source where
/// they are called, at <c>Vec2&lt;double&gt;</c>, at <c>Vec2&lt;float&gt;</c>, and at <c>Vec2&lt;T&gt;</c> inside a generic method.
/// </summary>
public struct Vec2<T> where T : IFloatingPointIeee754<T>
{
    public T X;
    public T Y;

    public Vec2(T x, T y)
    {
        X = x;
        Y = y;
    }

    public readonly T Dot(Vec2<T> other) => X * other.X + Y * other.Y;

    public readonly T Length => T.Sqrt(X * X + Y * Y);

    public readonly Vec2<T> Scale(T k) => new(k * X, k * Y);
}

/// <summary>A positional generic record struct: built by its constructor, its gradient too.</summary>
public readonly record struct Pair<T>(T A, T B) where T : IFloatingPointIeee754<T>;

public static partial class GenericStructs
{
    /// <summary>k⟨v, v⟩ + |v|, written once for any T: the struct's members are inlined with T as it is.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static T Energy<T>(Vec2<T> v, T k) where T : IFloatingPointIeee754<T> => k * v.Dot(v) + v.Length;

    /// <summary>k⟨v, v⟩ + |k v| at Vec2&lt;double&gt;: the generic struct's members read as double code.</summary>
    [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
    public static double EnergyOfDoubles(Vec2<double> v, double k) => k * v.Dot(v) + v.Scale(k).Length;

    /// <summary>⟨v, (p.A, p.B)⟩·p.A + |v| at float, a generic record struct beside the generic struct.</summary>
    [Differentiable]
    public static float EnergyOfFloats(Vec2<float> v, Pair<float> p) => v.Dot(new Vec2<float>(p.A, p.B)) * p.A + v.Length;

    /// <summary>The generic method called at double with a struct built from scalars: through its generic companions.</summary>
    [Differentiable]
    public static double ThroughGeneric(double a, double b) => Energy(new Vec2<double>(a, b), a * b);

    /// <summary>Generic struct locals in a generic method: w = b·(a, b), ⟨w, v⟩ + |w|.</summary>
    [Differentiable]
    public static T Locals<T>(T a, T b) where T : IFloatingPointIeee754<T>
    {
        var v = new Vec2<T>(a, b);
        Vec2<T> w = v.Scale(b);
        return w.Dot(v) + w.Length;
    }
}
