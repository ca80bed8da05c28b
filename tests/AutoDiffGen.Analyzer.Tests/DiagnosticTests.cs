using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using AutoDiffGen.Analyzer.Tests.Infrastructure;
using AutoDiffGen.Generator.Analyzers;
using AutoDiffGen.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiffGen.Analyzer.Tests;

/// <summary>
/// One test per diagnostic (and per construct the issue names), each with the exact span the diagnostic must cover
/// marked in the source: <c>{|ADG0101:…|}</c>. Every ADG diagnostic the analyzer reports must be marked, and every
/// mark reported; the additional location is the [Differentiable] method, and the message names it.
/// </summary>
public class DiagnosticTests
{
    /// <summary>A static partial class with helpers and one [Differentiable] method M(x, y) around <paramref name="body"/>.</summary>
    private static string InMethod(string body, string parameters = "double x, double y") => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using AutoDiffGen;

        namespace Cases;

        public static partial class Funcs
        {
            private static double s_field;
            private static double Property { get; set; }
            public static double Plain(double v) => 2 * v;
            public static void Helper(ReadOnlySpan<double> v) { }

            [Differentiable]
            public static double M({{parameters}})
            {
        {{body}}
            }
        }
        """;

    public static IEnumerable<object[]> Cases()
    {
        // ---- declarations
        yield return Case("ADG0001 containing type not partial", """
            using AutoDiffGen;
            public static class {|ADG0001:Funcs|}
            {
                [Differentiable]
                public static double M(double x) => x * x;
            }
            """);
        yield return Case("ADG0001 enclosing type not partial", """
            using AutoDiffGen;
            public class {|ADG0001:Outer|}
            {
                public static partial class Inner
                {
                    [Differentiable]
                    public static double M(double x) => x * x;
                }
            }
            """);
        yield return Case("ADG0002 return type", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static {|ADG0002:int|} M(double x) => (int)(x * x);
            }
            """);
        yield return Case("ADG0003 ref, out of a non-real type and ref readonly parameters (in is an input, out double an output)", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(ref double {|ADG0003:x|}, out int {|ADG0003:y|}, in double z, ref readonly double {|ADG0003:w|}, out double v)
                {
                    y = 0;
                    v = z * z;
                    return x * z;
                }
            }
            """);
        yield return Case("ADG0002 void without outputs (void with outputs is vector-valued)", """
            using System;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static {|ADG0002:void|} M(double x) { }

                [Differentiable]
                public static void WithOutputs(double x, out double y, [Output] Span<double> r) { y = x * x; r[0] = y * x; }
            }
            """);
        yield return Case("ADG0107 overrides of a [Differentiable] virtual method: not [Differentiable], fewer modes, other [NoDerivative] parameters", """
            using AutoDiffGen;
            public partial class Potential
            {
                [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
                public virtual double Energy(double x, double y) => x * x * y;
            }
            public partial class Morse : Potential
            {
                public override double {|ADG0107:Energy|}(double x, double y) => System.Math.Exp(-x) * y;
            }
            public partial class Harmonic : Potential
            {
                [Differentiable]
                public override double {|ADG0107:Energy|}(double x, double y) => x * x + y * y;
            }
            public partial class Pinned : Potential
            {
                [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
                public override double {|ADG0107:Energy|}(double x, [NoDerivative] double y) => x * y;
            }
            public sealed partial class Alike : Potential
            {
                [Differentiable(Derivatives.Hessian | Derivatives.Forward)]
                public override double Energy(double x, double y) => x * y * y;
            }
            public abstract partial class Shape
            {
                public abstract double Area(double r);
            }
            public partial class Disc : Shape
            {
                public override double Area(double r) => 3.14159 * r * r;
            }
            """);
        yield return Case("ADG0106 a returned T without generic-math constraints", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static {|ADG0106:T|} M<T>(T x) => x;
            }
            """);
        yield return Case("ADG0106 a T whose constraints lack what the derivative calls (T.Pow's derivative calls T.Log)", """
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static T M<{|ADG0106:T|}>(T x, T y) where T : INumberBase<T>, IPowerFunctions<T> => T.Pow(x, y);
            }
            """);
        yield return Case("ADG0106 the remainder's derivative calls T.Truncate (IFloatingPoint<T>), which INumber<T> lacks", """
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static T M<{|ADG0106:T|}>(T x, T y) where T : INumber<T> => {|ADG0204:x % y|} * x;
            }
            """);
        yield return Case("no diagnostic: the remainder of a T with IFloatingPoint<T>", """
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static T M<T>(T x, T y) where T : IFloatingPoint<T> => {|ADG0204:x % y|} * x;
            }
            """);
        yield return Case("ADG0106 T.Abs's derivative compares with > (INumber<T>), which INumberBase<T> and IRootFunctions<T> lack", """
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static T M<{|ADG0106:T|}>(T x) where T : IRootFunctions<T>, INumberBase<T> => T.Sqrt(x) * {|ADG0204:T.Abs(x)|};
            }
            """);
        yield return Case("no ADG0004 for a generic method: a type parameter used as data, and a generic-math T", """
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double Data<TTag>(double x, [NoDerivative] TTag tag) => x * x;

                [Differentiable]
                public static T Math<T>(T x) where T : IFloatingPointIeee754<T> => T.Sin(x) * x;
            }
            """);
        yield return Case("ADG0004 async", """
            using System.Threading.Tasks;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static {|ADG0004:async|} Task<double> M(double x)
                {
                    await Task.Yield();
                    return x * x;
                }
            }
            """);
        yield return Case("ADG0004 iterator", """
            using System.Collections.Generic;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static IEnumerable<double> {|ADG0004:M|}(double x)
                {
                    yield return x * x;
                }
            }
            """);
        yield return Case("ADG0004 local function", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                public static double M(double x)
                {
                    [{|ADG0004:Differentiable|}]
                    static double Square(double v) => v * v;
                    return Square(x);
                }
            }
            """);
        yield return Case("ADG0006 method with a companion's signature", """
            using AutoDiffGen;
            public partial class Funcs
            {
                [Differentiable]
                public static double M(double x) => x * x;

                public double {|ADG0006:MGradient|}(double x, out double dx) { dx = 2 * x; return x * x; }
            }
            """);
        yield return Case("ADG0006 field with a companion's name", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double x) => x * x;

                public static double {|ADG0006:MBackward|};
            }
            """);

        // ---- cannot differentiate
        yield return Case("ADG0101 try/catch/finally", InMethod("""
                    {|ADG0101:try
                    {
                        return x * y;
                    }
                    finally
                    {
                    }|}
            """));
        yield return Case("ADG0101 goto", InMethod("""
                    double r = x;
                    {|ADG0101:goto done;|}
                    {|ADG0101:done: return r * y;|}
            """));
        yield return Case("ADG0101 using", InMethod("""
                    {|ADG0101:using (var stream = new System.IO.MemoryStream())
                    {
                        return x * y;
                    }|}
            """));
        yield return Case("ADG0101 lock", InMethod("""
                    {|ADG0101:lock (typeof(Funcs))
                    {
                        return x * y;
                    }|}
            """));
        yield return Case("ADG0101 lambda and delegate call", InMethod("""
                    Func<double, double> twice = {|ADG0101:v => 2 * v|};
                    return {|ADG0101:twice(x)|} * y;
            """));
        yield return Case("no diagnostic: switch, guards, asserts, logging, tuples, local functions, is-patterns, in parameters", InMethod("""
                    if (values.Length == 0) throw new ArgumentException("empty", nameof(values));
                    ArgumentOutOfRangeException.ThrowIfNegative(x);
                    ArgumentNullException.ThrowIfNull(values);
                    System.Diagnostics.Debug.Assert(x >= 0, $"x = {x:F2}");
                    Console.WriteLine(x);
                    Console.WriteLine($"{y} over {values.Length}");
                    Helper(values);
                    double r = mode switch { 0 => x, 1 or 2 => y, < 0 => throw new ArgumentOutOfRangeException(nameof(mode)), _ => x * y };
                    switch (mode)
                    {
                        case 0:
                            r += values[0];
                            break;
                        default:
                            r *= y;
                            break;
                    }
                    var (a, b) = (r * x, r + y);
                    (a, b) = (b, a);
                    return Scale(a) + Sq(x) + (x is {|ADG0204:> 0|} and {|ADG0204:< 1|} ? b : -b);

                    double Scale(double v) => v * y; // a local function cannot capture the in parameter x
                    static double Sq(double v) => v * v;
            """, "in double x, double y, int mode, double[] values"));
        yield return Case("ADG0101 recursive local function", InMethod("""
                    return Power(x, 3) * y;

                    double Power(double v, int n) => n == 0 ? 1 : v * {|ADG0101:Power(v, n - 1)|};
            """));
        yield return Case("ADG0101 local functions calling each other", InMethod("""
                    return Even(x, 4) * y;

                    double Even(double v, int n) => n == 0 ? v : Odd(v * v, n - 1);
                    double Odd(double v, int n) => n == 0 ? v : {|ADG0101:Even(v + 1, n - 1)|};
            """));
        yield return Case("no diagnostic: property and list patterns on a string, an array and a tuple", InMethod("""
                    double r = name switch
                    {
                        { Length: 0 } => x,
                        _ => x * y,
                    };
                    if (values is { Length: > 1 } and [_, var second, ..]) r += second;
                    return (r, 2.0) is (var a, _) ? a : r;
            """, "double x, double y, string name, double[] values"));
        yield return Case("ADG0101 patterns that stay unsupported: a computed property, a slice with a subpattern, a name for an array", InMethod("""
                    double r = z is { {|ADG0101:Magnitude|}: > 1 } ? x : y;
                    if (values is [var a, {|ADG0101:.. var rest|}]) r += a;
                    if (values is {|ADG0101:{ Length: > 2 } named|}) r += x;
                    return r;
            """, "double x, double y, System.Numerics.Complex z, double[] values"));
        // On another object, a struct-taking callee goes through its companions; a virtual one cannot (they are not virtual).
        yield return Case("no ADG0101: a struct-taking virtual [Differentiable] callee goes through its virtual companions", """
            using AutoDiffGen;
            public readonly record struct P(double X, double Y);
            public partial class Model
            {
                [Differentiable]
                public double Energy(P p) => p.X * p.Y;

                [Differentiable]
                public virtual double Spin(P p) => p.X - p.Y;

                [Differentiable]
                public double Total(double x, Model other) => Energy(new P(x, x)) + other.Energy(new P(x, 1)) + Spin(new P(1, x));
            }
            """);
        yield return Case("ADG0101 goto case", InMethod("""
                    double r = x;
                    switch (mode)
                    {
                        case 0:
                            r *= y;
                            {|ADG0101:goto case 1;|}
                        case 1:
                            r += y;
                            break;
                    }
                    return r;
            """, "double x, double y, int mode"));
        yield return Case("ADG0101 deconstruction of a tuple value", InMethod("""
                    {|ADG0101:var (a, b) = new KeyValuePair<double, double>(x, y)|};
                    return a * b;
            """));
        yield return Case("ADG0101 void call that may write into an array", InMethod("""
                    double[] a = { x, y };
                    Array.Reverse({|ADG0101:a|});
                    Console.WriteLine(x);
                    return a[0] * y;
            """));
        yield return Case("ADG0101 call whose value is used and that writes into a data array", """
            using AutoDiffGen;

            public static partial class Funcs
            {
                private static double Set(double[] b, double v) { b[0] = v; return v; }
                private static double Pass(double[] b) => Set(b, 1.0);

                [Differentiable]
                public static double M(double x, [NoDerivative] double[] buf)
                {
                    double s = Set({|ADG0101:buf|}, 2.0);
                    double y = x * buf[0];
                    s += Pass({|ADG0101:buf|});
                    return y * y + s;
                }
            }
            """);
        yield return Case("no diagnostic: a call that only reads a data array's elements and length", """
            using AutoDiffGen;

            public static partial class Funcs
            {
                private static double Last(double[] b) => b.Length == 0 ? 0 : b[b.Length - 1];

                [Differentiable]
                public static double M(double x, [NoDerivative] double[] buf) => x * buf[0] + Last(buf) * x;
            }
            """);
        yield return Case("ADG0101 dynamic", InMethod("""
                    dynamic d = {|ADG0101:x|};
                    return (double)d * y;
            """));
        yield return Case("ADG0101 pointers", InMethod("""
                    unsafe
                    {
                        double* p = {|ADG0101:&x|};
                        return {|ADG0101:*p|} * y;
                    }
            """));
        yield return Case("ADG0101 fixed", InMethod("""
                    double[] a = { x, y };
                    unsafe
                    {
                        {|ADG0101:fixed (double* p = a)
                        {
                            return p[0] * p[1];
                        }|}
                    }
            """));
        yield return Case("ADG0101 LINQ query", InMethod("""
                    double[] a = { x, y };
                    return ({|ADG0101:from v in a select v * v|}).Sum();
            """));
        yield return Case("ADG0101 LINQ method", InMethod("""
                    double[] a = { x, y };
                    return {|ADG0101:a.Sum()|};
            """));
        yield return Case("predicates on active values are passive, not even non-smooth", InMethod("""
                    if (double.IsNaN(x) || !double.IsFinite(y)) return 0;
                    bool negative = float.IsNegative((float)(x * y)) || double.IsInfinity(x) || double.IsSubnormal(y);
                    return negative ? x : double.IsInteger(y) ? y : x * y;
            """));
        yield return Case("ADG0102 double members the rule table leaves out", InMethod("""
                    double s = {|ADG0102:double.SinCos(x)|}.Sin;
                    return s + {|ADG0102:double.ReciprocalEstimate(y)|} + {|ADG0102:double.Ieee754Remainder(x, 2.0)|};
            """));
        yield return Case("ADG0102 call without a derivative", InMethod("""
                    return {|ADG0102:Plain(x * y)|} + y;
            """));
        yield return Case("ADG0101 call to a [Differentiable] method that gets no companions", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double Broken(double v)
                {
                    {|ADG0101:lock (typeof(Funcs))
                    {
                        return v * v;
                    }|}
                }

                [Differentiable]
                public static double M(double x) => {|ADG0101:Broken(x)|} * x;
            }
            """);
        yield return Case("ADG0101 call to a method whose own callee gets no companions, two calls away", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double Broken(double v)
                {
                    {|ADG0101:lock (typeof(Funcs))
                    {
                        return v * v;
                    }|}
                }

                [Differentiable]
                public static double Middle(double v) => {|ADG0101:Broken(v)|} + 1;

                [Differentiable]
                public static double M(double x) => {|ADG0101:Middle(x)|} * x;
            }
            """);
        yield return Case("ADG0101 active argument to a [NoDerivative] parameter of a [Differentiable] callee", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double Scale(double v, [NoDerivative] double factor) => v * factor;

                [Differentiable]
                public static double M(double x, double y) => Scale(y, 2.0) + Scale(x, {|ADG0101:x * y|}) + Scale(y, 3.0 * 4.0);
            }
            """);
        yield return Case("ADG0101 a row of a local jagged array assigned something other than a new array", InMethod("""
                    double[][] t = new double[2][];
                    double[] r = new double[] { x, y };
                    t[0] = new double[2];
                    {|ADG0101:t[1] = r|};
                    t[0][0] = x;
                    return t[0][0] * y;
            """));
        yield return Case("ADG0101 replacing a row of a jagged parameter", InMethod("""
                    {|ADG0101:m[0] = new double[2]|};
                    return x * y;
            """, "double x, double y, double[][] m"));
        yield return Case("ADG0101 an array passed to a [Differentiable] callee that writes into it", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double Normalise(double[] v)
                {
                    double s = 0;
                    for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
                    for (int i = 0; i < v.Length; i++) v[i] /= s;
                    return s;
                }

                [Differentiable]
                public static double Sum(double[] v)
                {
                    double s = 0;
                    for (int i = 0; i < v.Length; i++) s += v[i];
                    return s;
                }

                [Differentiable]
                public static double M(double[] x) => Normalise({|ADG0101:x|}) * x[0] + Sum(x);
            }
            """);
        yield return Case("ADG0101 foreach over a collection that is not an array or span", InMethod("""
                    double s = 0;
                    {|ADG0101:foreach (double v in values) s += v * x;|}
                    return s * y;
            """, "double x, double y, List<double> values"));
        yield return Case("ADG0103 static field write", InMethod("""
                    {|ADG0103:s_field|} = x;
                    return x * y;
            """));
        yield return Case("ADG0103 property write", InMethod("""
                    {|ADG0103:Property|} += 1;
                    return x * y;
            """));
        yield return Case("ADG0103 instance field write", """
            using AutoDiffGen;
            public partial class Model
            {
                private double _last;

                [Differentiable]
                public double M(double x)
                {
                    {|ADG0103:_last|} = x;
                    return x * x;
                }
            }
            """);

        // ---- struct parameters: not differentiated yet, and never passed through silently
        yield return Case("ADG0104 not for Vector3, an in Complex, a record struct and a tuple of doubles: they are differentiated", """
            using System.Numerics;
            using AutoDiffGen;
            public readonly record struct Point(double X, double Y);
            public static partial class Geometry
            {
                [Differentiable]
                public static double M(Vector3 v, in Complex c, Point p, (double, double) t, double x) =>
                    v.X * x + c.Real + p.X * p.Y + t.Item1 * x;
            }
            """);
        yield return Case("ADG0104 a struct of doubles whose field the generated code cannot read, or whose value it cannot build", """
            using AutoDiffGen;
            public struct Opaque
            {
                private double _value;
                public Opaque(double value) => _value = value;
                public double Value => _value;
            }
            public readonly struct Fixed
            {
                public readonly double A;
                public Fixed(double a) => A = a;
            }
            public static partial class Geometry
            {
                [Differentiable]
                public static double M(Opaque {|ADG0104:o|}, Fixed {|ADG0104:f|}, double x) => o.Value * x + f.A;
            }
            """);
        yield return Case("ADG0104 not for [NoDerivative] structs, nor for structs without doubles", """
            using System;
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Geometry
            {
                [Differentiable]
                public static double M([NoDerivative] Vector3 v, DateTime when, int n, double x) => v.X * x + n + when.Day;
            }
            """);
        yield return Case("ADG0105 a struct with a field that cannot carry a derivative, also nested", """
            using AutoDiffGen;
            public record struct Sample(double Value, string Label);
            public struct Wrapper { public Sample Inner; public double Weight; }
            public static partial class Losses
            {
                [Differentiable]
                public static double M(Sample {|ADG0105:s|}, Wrapper {|ADG0105:w|}, double x) => s.Value * x + w.Weight;
            }
            """);

        // ---- arrays and spans of structs (issue 10): differentiated, except what stays refused
        yield return Case("ADG0101 not for arrays and spans of structs read, nor local arrays of structs written", """
            using System;
            using System.Numerics;
            using AutoDiffGen;
            public readonly record struct Point(double X, double Y);
            public static partial class Geometry
            {
                [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
                public static double M(Vector3[] v, ReadOnlySpan<Point> p, Span<Complex> c, [NoDerivative] Point[] data)
                {
                    var q = new Point[p.Length];
                    double s = 0;
                    for (int i = 0; i < p.Length; i++) { q[i] = p[i] with { X = p[i].X * c[i].Real }; s += q[i].X * data[i].Y; }
                    foreach (var e in v) s += e.LengthSquared();
                    return s;
                }

                [Differentiable]
                public static float W(Vector3[] v, Span<Point> p)
                {
                    v[0].X = 2 * v[1].Y;
                    v[1] += v[0];
                    p[0] = new Point(v[0].X, p[1].Y);
                    return v[0].X * v[1].Y + (float)p[0].X;
                }
            }
            """);
        yield return Case("ADG0101 an array of structs passed whole to a method that is not inlined, or a local span of structs", """
            using System;
            using System.Numerics;
            using AutoDiffGen;
            public readonly record struct Point(double X, double Y);
            public static partial class Geometry
            {
                public static double Plain(Point[] p) => p.Length;

                [Differentiable]
                public static double P(Point[] p) => Plain({|ADG0101:p|}) * p[0].Y;

                [Differentiable]
                public static float S(Vector3[] v)
                {
                    Span<Vector3> {|ADG0101:w = v|};
                    return v[0].X;
                }
            }
            """);
        yield return Case("ADG0303 not for an array of structs input of a vector-valued method (MJacobian flattens it)", """
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Geometry
            {
                [Differentiable]
                public static void M(Vector3[] v, [Output] float[] y) { y[0] = v[0].X * v[0].Y; }
            }
            """);
        yield return Case("ADG0303 [Output] matrices, jagged arrays and read-only spans of structs; not [Output] S[] and Span<S> (flattened element by element, then field by field)", """
            using System;
            using System.Numerics;
            using AutoDiffGen;
            public readonly record struct Point(double X, double Y);
            public static partial class Geometry
            {
                [Differentiable]
                public static void M(float x, [Output] Vector3[] y) { y[0] = new Vector3(x); }

                [Differentiable]
                public static void S(double x, [Output] Span<Point> r) { r[0] = new Point(x, x * x); r[0] = r[0] with { Y = r[0].X }; }

                [Differentiable]
                public static void Matrix(double x, [{|ADG0303:Output|}] Point[,] r) { r[0, 0] = new Point(x, x); }

                [Differentiable]
                public static void Jagged(float x, [{|ADG0303:Output|}] Vector2[][] r) { r[0][0] = new Vector2(x); }

                [Differentiable]
                public static void ReadOnly(double x, [{|ADG0303:Output|}] ReadOnlySpan<Point> r) { }

                [Differentiable]
                public static void OutputAndData(double x, [{|ADG0303:Output|}, NoDerivative] Point[] r) { r[0] = new Point(x, x); }
            }
            """);
        yield return Case("ADG0305 not reported: second order through an array of structs", """
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Geometry
            {
                [Differentiable(Derivatives.Hessian)]
                public static float M(Vector3[] v) => v[0].X * v[0].Y;
            }
            """);

        // ---- the gradient does not flow
        yield return Case("ADG0201 Floor Ceiling Round Truncate Sign", InMethod("""
                    return {|ADG0201:Math.Floor(x)|} + {|ADG0201:Math.Ceiling(x)|} + {|ADG0201:MathF.Round((float)x)|}
                        + {|ADG0201:Math.Truncate(x)|} + {|ADG0201:Math.Sign(x)|} + y;
            """, "double {|ADG0203:x|}, double y"));
        yield return Case("ADG0201 the sign argument of CopySign, not its magnitude", InMethod("""
                    return {|ADG0204:Math.CopySign(x, {|ADG0201:y|})|} + {|ADG0204:MathF.CopySign((float)x, {|ADG0201:(float)y|})|};
            """, "double x, double {|ADG0203:y|}"));
        yield return Case("ADG0201 conversion to an integer", InMethod("""
                    int k = {|ADG0201:(int)x|};
                    return k + y;
            """, "double {|ADG0203:x|}, double y"));
        yield return Case("ADG0204, not ADG0201, for a remainder with an active divisor (its partial −trunc(y / x) flows)", InMethod("""
                    return {|ADG0204:y % x|};
            """));
        yield return Case("ADG0202 result independent of the parameters", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double {|ADG0202:M|}(double x, double y) => 3.0;
            }
            """);
        yield return Case("ADG0203 parameter that never affects the result", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double x, double {|ADG0203:unused|}) => x * x;
            }
            """);
        yield return Case("ADG0203 parameter used only in a condition", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double {|ADG0203:x|}, double y) => {|ADG0204:x > 0|} ? y : -y;
            }
            """);
        yield return Case("ADG0204 non-smooth points", InMethod("""
                    return {|ADG0204:Math.Abs(x)|} + {|ADG0204:Math.Max(x, y)|} + {|ADG0204:Math.Min(x, 2.0)|}
                        + {|ADG0204:Math.Clamp(y, 0.0, 1.0)|} + ({|ADG0204:x < y|} ? x : y);
            """));

        // ---- forward mode, outputs and second order (v2)
        yield return Case("ADG0301 forward mode through a callee with only a hand-written Backward", """
            using System;
            using AutoDiffGen;
            public static partial class Funcs
            {
                public static double Soft(double v) => Math.Log(1 + Math.Exp(v));
                public static double SoftBackward(double v, double seed, ref double dv) { dv += seed / (1 + Math.Exp(-v)); return Soft(v); }

                [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
                public static double M(double x) => {|ADG0301:Soft(x)|} * x;

                [Differentiable]
                public static double ReverseOnlyIsFine(double x) => Soft(x) * x;
            }
            """);
        yield return Case("ADG0307 forward mode through a [Differentiable] callee that calls one with only a hand-written Backward, directly or nested", """
            using System;
            using AutoDiffGen;
            public static partial class Funcs
            {
                public static double Soft(double v) => Math.Log(1 + Math.Exp(v));
                public static double SoftBackward(double v, double seed, ref double dv) { dv += seed / (1 + Math.Exp(-v)); return Soft(v); }

                [Differentiable]
                public static double Middle(double x) => Soft(x) * x;

                [Differentiable]
                public static double Upper(double x) => Middle(x) + x;

                [Differentiable]
                public static double Passive(double x) => Soft(2.0) * x;

                [Differentiable(Derivatives.Reverse | Derivatives.Forward)]
                public static double M(double x, double y) => {|ADG0307:Middle(x)|} + {|ADG0307:Upper(y)|} + Passive(x) + Middle(2.0);
            }
            """);
        yield return Case("ADG0302 [Output] on a scalar", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double x, [{|ADG0302:Output|}] double y) => x * y;
            }
            """);
        yield return Case("ADG0303 outputs and inputs vector-valued methods do not support yet", """
            using System;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double Supported(double x, [Output] Span<double> r, [Output] float[] f, out double y) { r[0] = x * x; f[0] = (float)x; y = x; return x; }

                [Differentiable]
                public static void ReadOnly(double x, [{|ADG0303:Output|}] ReadOnlySpan<double> r) { }

                [Differentiable]
                public static void Matrix(double x, [{|ADG0303:Output|}] double[,] r) { r[0, 0] = x; }

                [Differentiable]
                public static void OutputAndData(double x, [{|ADG0303:Output|}, NoDerivative] double[] r) { r[0] = x; }

                [Differentiable]
                public static void MatrixInput(double[,] {|ADG0303:m|}, [Output] double[] r) { r[0] = m[0, 0]; }
            }
            """);
        yield return Case("ADG0303 a call of a vector-valued method", """
            using System;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static void Inner(double x, [Output] Span<double> r) { r[0] = x * x; }

                [Differentiable]
                public static double Outer(double x)
                {
                    Span<double> r = stackalloc double[1];
                    {|ADG0303:Inner(x, r)|};
                    return r[0];
                }
            }
            """);
        yield return Case("ADG0304 Hessian of a method that is not scalar-valued", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable(Derivatives.Hessian)]
                public static double Scalar(double x) => x * x * x;

                [{|ADG0304:Differentiable(Derivatives.Hessian)|}]
                public static void M(double x, out double y) { y = x * x * x; }
            }
            """);
        yield return Case("ADG0305 not reported: second order through calls of [Differentiable] methods, nested", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double Inner(double x) => x * x;

                [Differentiable]
                public static double Middle(double x) => Inner(x) * x;

                [Differentiable(Derivatives.Hessian)]
                public static double M(double x) => Middle(x) * Inner(x);
            }
            """);
        yield return Case("ADG0305 not reported: second order through recursion", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable(Derivatives.Hessian)]
                public static double Power(double x, int n) => n <= 0 ? 1 : x * Power(x, n - 1);
            }
            """);
        yield return Case("ADG0305 second order through a callee it cannot go through, directly or nested (a generic one is fine)", """
            using System;
            using System.Numerics;
            using System.Numerics.Tensors;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double Norm(ReadOnlySpan<double> x) => TensorPrimitives.SumOfSquares(x);

                [Differentiable]
                public static double Middle(double[] x) => Norm(x) * x[0];

                [Differentiable]
                public static T Cube<T>(T x) where T : IFloatingPointIeee754<T> => x * x * x;

                [{|ADG0305:Differentiable(Derivatives.Hessian)|}]
                public static double Direct(double[] x) => Norm(x) + x[1];

                [{|ADG0305:Differentiable(Derivatives.Hessian)|}]
                public static double Nested(double[] x) => Middle(x) * x[1];

                [Differentiable(Derivatives.Hessian)]
                public static double Generic(double x) => Cube(x) * x;
            }
            """);
        yield return Case("ADG0305 second order through a hand-written MBackward", """
            using System;
            using AutoDiffGen;
            public static partial class Funcs
            {
                public static double Soft(double v) => Math.Log(1 + Math.Exp(v));
                public static double SoftBackward(double v, double seed, ref double dv) { dv += seed / (1 + Math.Exp(-v)); return Soft(v); }

                [{|ADG0305:Differentiable(Derivatives.Reverse | Derivatives.Hessian)|}]
                public static double M(double x) => Soft(x) * x;
            }
            """);
        yield return Case("ADG0305 second order through TensorPrimitives", """
            using System.Numerics.Tensors;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [{|ADG0305:Differentiable(Derivatives.Hessian)|}]
                public static double M(System.ReadOnlySpan<double> x) => TensorPrimitives.SumOfSquares(x);
            }
            """);
        yield return Case("ADG0305 not reported: second order through struct parameters, nested and mixed, and a callee taking one", """
            using System.Numerics;
            using AutoDiffGen;
            public readonly record struct P(double X, double Y) { public double Dot(P o) => X * o.X + Y * o.Y; }
            public record struct Pair(P A, P B);
            public static partial class Funcs
            {
                [Differentiable(Derivatives.Hessian)]
                public static float S(Vector2 p, in Vector3 q) => p.X * p.Y * q.Z;

                [Differentiable(Derivatives.Hessian)]
                public static double N(Pair s, double[] w, double k) => s.A.Dot(s.B) * w[0] * k;

                [Differentiable]
                public static double E(P p) => p.Dot(p);

                [Differentiable(Derivatives.Hessian)]
                public static double C(P p, double t) => E(new P(p.X * t, p.Y)) * t;
            }
            """);
        yield return Case("ADG0305 not reported: second order through a matrix, a jagged array, writes into input arrays", """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable(Derivatives.Hessian)]
                public static double Q(double[,] m) => m[0, 0] * m[0, 1];

                [Differentiable(Derivatives.Hessian)]
                public static double J(double[][] m) => m[0][0] * m[1][0];

                [Differentiable(Derivatives.Hessian)]
                public static double W(double[] x) { x[0] = x[0] * x[1]; return x[0] * x[0]; }

                [Differentiable(Derivatives.Hessian)]
                public static double WM(double[,] m) { m[0, 0] = m[0, 0] * m[0, 1]; return m[0, 0] * m[0, 0]; }

                [Differentiable(Derivatives.Hessian)]
                public static double WJ(float[][] m) { m[0][1] = m[0][0] * m[0][1]; return m[0][1] * m[1][0]; }
            }
            """);
        yield return Case("ADG0305 second order through SIMD vectors, not generic math", """
            using System;
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [{|ADG0305:Differentiable(Derivatives.Hessian)|}]
                public static double V(ReadOnlySpan<double> x) => Vector.Sum(new Vector<double>(x) * new Vector<double>(x));

                [Differentiable(Derivatives.Hessian)]
                public static T G<T>(T x) where T : IFloatingPointIeee754<T> => x * x * T.Sin(x);
            }
            """);
        // ---- TensorPrimitives and SIMD vectors (issue 13)
        yield return Case("ADG0401 TensorPrimitives member without a rule", """
            using System.Numerics.Tensors;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double[] x)
                {
                    var c = new double[x.Length];
                    {|ADG0401:TensorPrimitives.Cosh<double>(x, c)|};
                    return TensorPrimitives.Sum<double>(c) + x[0];
                }
            }
            """);
        yield return Case("ADG0402 a range slice passed to TensorPrimitives", """
            using System;
            using System.Numerics.Tensors;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double[] x) => TensorPrimitives.SumOfSquares<double>(x.AsSpan(0, 2)) + TensorPrimitives.SumOfSquares<double>({|ADG0402:x.AsSpan(1..)|});
            }
            """);
        // Vector<T> loads, arithmetic, Sum/Dot and CopyTo are differentiated (issue 13): nothing to report on them.
        yield return Case("ADG0403 not reported on the differentiated Vector<T> operations", """
            using System;
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double[] x, double y)
                {
                    var v = new Vector<double>(x) * y + new Vector<double>(y);
                    var m = Vector.GreaterThan(v, Vector<double>.Zero);
                    v = Vector.SquareRoot(v * v) / y - Vector.Multiply(v, 2.0);
                    v.CopyTo(x);
                    return Vector.Sum(v) + Vector.Dot(v, v) + (Vector.GreaterThanAll(v, Vector<double>.Zero) ? 1 : 0);
                }
            }
            """);
        yield return Case("ADG0204 on the lane-wise selections, as on Math.Abs and Math.Max", """
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double[] x)
                {
                    var v = new Vector<double>(x);
                    var a = {|ADG0204:Vector.Abs(v)|};
                    var b = {|ADG0204:Vector.Max(v, a)|};
                    return Vector.Sum({|ADG0204:Vector.ConditionalSelect(Vector.GreaterThan(v, a), a, b)|});
                }
            }
            """);
        yield return Case("ADG0403 a single lane of a differentiable vector", """
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double[] x)
                {
                    var v = new Vector<double>(x);
                    return {|ADG0403:v[0]|} + Vector.Sum(v);
                }
            }
            """);
        yield return Case("ADG0403 a vector operation the rule table does not have", """
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double[] x)
                {
                    var v = new Vector<double>(x);
                    return Vector.Sum({|ADG0403:Vector.Floor(v)|}) + Vector.Sum({|ADG0403:v & v|});
                }
            }
            """);
        yield return Case("ADG0403 a load through a reference and several lanes created one by one", """
            using System.Numerics;
            using System.Runtime.Intrinsics;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double[] x, double a)
                {
                    var v = {|ADG0403:Vector.LoadUnsafe(ref x[0])|};
                    var w = {|ADG0403:Vector128.Create(a, a)|};
                    return Vector.Sum(v) + Vector128.Sum(w);
                }
            }
            """);
    }

    private static object[] Case(string name, string markup) => new object[] { name, markup };

    /// <summary>The [Differentiable] method that contains <paramref name="span"/>; M for anything outside one.</summary>
    private static string EnclosingMethod(string source, Microsoft.CodeAnalysis.Text.TextSpan span) =>
        Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
            .LastOrDefault(m => m.FullSpan.Contains(span.Start) && (m.AttributeLists.ToString().Contains("Differentiable", StringComparison.Ordinal)
                || m.Modifiers.Any(t => t.ValueText == "override"))) // ADG0107 on an override without [Differentiable]
            ?.Identifier.ValueText ?? "M";

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Reports_exactly_the_marked_diagnostics(string name, string markup)
    {
        _ = name;
        // The verifier asserts each marked id and span, and that nothing else is reported (ADG, AD0001 or a compiler
        // error); the check below asserts what markup cannot: the message and the additional location.
        var test = new AnalyzerVerifier<DifferentiableAnalyzer>.Test
        {
            TestCode = markup,
            EnableEveryRule = true,
            CheckEachDiagnostic = NamesItsMethod,
        };
        test.OtherAnalyzers.Add(new DifferentiableAttributeUsageAnalyzer());
        test.OtherAnalyzers.Add(new OverrideAnalyzer());
        await test.RunAsync();
    }

    /// <summary>
    /// The message names the [Differentiable] method (or, for a local function, the function), and the additional
    /// location is the method's name, unless the diagnostic is on the method already.
    /// </summary>
    private static void NamesItsMethod(Diagnostic diagnostic)
    {
        if (!diagnostic.Id.StartsWith("ADG", StringComparison.Ordinal)) return;
        string source = diagnostic.Location.SourceTree!.ToString();
        string method = diagnostic.Id == "ADG0004" && source.Contains("Square(double v)") ? "Square" : EnclosingMethod(source, diagnostic.Location.SourceSpan);
        Assert.Contains("'" + method + "'", diagnostic.GetMessage(), StringComparison.Ordinal);
        if (diagnostic.AdditionalLocations.Count > 0)
        {
            Location additional = Assert.Single(diagnostic.AdditionalLocations);
            Assert.Equal(method, source.Substring(additional.SourceSpan.Start, additional.SourceSpan.Length));
        }
        else
        {
            Assert.True(diagnostic.Id is "ADG0202" or "ADG0004" or "ADG0999" || source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length) == method,
                "Only diagnostics on the method itself come without the method as additional location: " + diagnostic);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generator_emits_nothing_exactly_when_there_is_an_error(string name, string markup)
    {
        _ = name;
        TestFileMarkupParser.GetSpans(markup, out string source, out ImmutableDictionary<string, ImmutableArray<TextSpan>> _);
        var compilation = Harness.CreateCompilation(source);
        Harness.AnalyzerRun run = Harness.RunAnalyzer(compilation, afterGenerator: false);
        Harness.GeneratorOutput generated = Harness.RunGenerator(compilation);
        Assert.DoesNotContain(generated.DriverDiagnostics, d => d.Id == "CS8785");
        // Per [Differentiable] method: an error inside it (or outside every such method, such as on its type) ⇔ no file for it.
        var allMethods = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().ToList();
        var methods = allMethods.Where(m => m.AttributeLists.ToString().Contains("Differentiable", StringComparison.Ordinal)).ToList();
        var errors = run.Adg.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        foreach (var method in methods)
        {
            string methodName = method.Identifier.ValueText;
            // An error outside every [Differentiable] method (on a type, on a clashing member) counts for every method, except
            // ADG0107 on an override without the attribute, which concerns that override alone.
            bool hasError = errors.Any(d => method.FullSpan.Contains(d.Location.SourceSpan.Start)
                || !methods.Any(m => m.FullSpan.Contains(d.Location.SourceSpan.Start))
                    && !(d.Id == "ADG0107" && allMethods.Any(m => m.FullSpan.Contains(d.Location.SourceSpan.Start))));
            // Methods of one name in several types (overrides) are told apart by their type's name in the hint.
            string owner = method.Ancestors().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax>().First().Identifier.ValueText;
            bool overloadedAcrossTypes = methods.Count(m => m.Identifier.ValueText == methodName) > 1;
            string key = overloadedAcrossTypes ? "." + owner + "." + methodName : "." + methodName;
            bool emitted = generated.GeneratedHintNames.Select(h => "." + h).Any(h => h.Contains(key + "_", StringComparison.Ordinal) || h.EndsWith(key + ".g.cs", StringComparison.Ordinal));
            Assert.True(hasError != emitted, $"{methodName}: error reported: {hasError}, companions emitted: {emitted}\n{Harness.Format(run.Adg)}");
        }
        if (generated.GeneratedHintNames.Any())
        {
            var outputErrors = generated.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(outputErrors.Count == 0, Harness.Format(outputErrors));
        }
    }

    [Fact]
    public void ADG0305_and_ADG0306_name_the_callee_and_what_second_order_cannot_go_through()
    {
        const string source = """
            using System;
            using System.Numerics;
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double Norm(ReadOnlySpan<double> x) => Vector.Sum(new Vector<double>(x) * new Vector<double>(x));

                [Differentiable]
                public static double Middle(double[] x) => x[0] * Norm(x);

                public static double Soft(double v) => Math.Log(1 + Math.Exp(v));
                public static double SoftBackward(double v, double seed, ref double dv) { dv += seed / (1 + Math.Exp(-v)); return Soft(v); }

                [Differentiable(Derivatives.Hessian)]
                public static double Nested(double[] x) => Middle(x) * x[1];

                [Differentiable(Derivatives.Hessian)]
                public static double HandWritten(double x) => Soft(x) * x;

                [Differentiable(Derivatives.Hessian)]
                public static double Elsewhere(double x) => Library.Far(x) * Library.Near(x);

                [Differentiable(Derivatives.Hessian)]
                public static double ForwardOnly(double x) => Library.Mid(x) * x;

                [Differentiable(Derivatives.Hessian)]
                public static double PassiveArgument(double x, [NoDerivative] double c) => Library.Far(c) * x * x;

                [Differentiable]
                public static double Helper(double x) => Library.Far(x);

                [Differentiable(Derivatives.Hessian)]
                public static double ThroughHelper(double x) => Helper(x) * x;
            }
            """;
        // A library compiled elsewhere: Far asked for Reverse only (no FarTangent, no FarBackwardTangent); Near has both.
        const string library = """
            using AutoDiffGen;
            public static partial class Library
            {
                [Differentiable]
                public static double Far(double x) => x * x;
                public static double FarBackward(double x, double seed, ref double dx) { dx += seed * 2 * x; return x * x; }

                [Differentiable(Derivatives.Hessian)]
                public static double Near(double x) => x * x;
                public static double NearBackward(double x, double seed, ref double dx) { dx += seed * 2 * x; return x * x; }
                public static double NearTangent(double x, double dx, out double tangent) { tangent = 2 * x * dx; return x * x; }
                public static double NearBackwardTangent(double x, double vx, double seed, ref double dx, ref double dvx) { dx += seed * 2 * vx; dvx += seed * 2 * x; return x * x; }

                [Differentiable(Derivatives.Forward)]
                public static double Mid(double x) => x * x;
                public static double MidBackward(double x, double seed, ref double dx) { dx += seed * 2 * x; return x * x; }
                public static double MidTangent(double x, double dx, out double tangent) { tangent = 2 * x * dx; return x * x; }
            }
            """;
        using var image = new System.IO.MemoryStream();
        Assert.True(Harness.CreateCompilation(library).WithAssemblyName("Library").Emit(image).Success);
        var reference = MetadataReference.CreateFromImage(image.ToArray());
        var compilation = Harness.CreateCompilation(source).AddReferences(reference);
        var adg = Harness.RunAnalyzer(compilation, afterGenerator: false).Adg;
        var messages = adg.Where(d => d.Id == "ADG0305").ToDictionary(d => EnclosingMethod(source, d.Location.SourceSpan), d => d.GetMessage());
        Assert.Equal(new[] { "HandWritten", "Nested", "ThroughHelper" }, messages.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Contains("it calls Middle, which second order cannot go through (it calls Norm, which second order cannot go through (it uses SIMD vectors", messages["Nested"], StringComparison.Ordinal);
        Assert.Contains("it calls Soft, whose derivative is a hand-written SoftBackward with no source to differentiate twice", messages["HandWritten"], StringComparison.Ordinal);
        // Reached through a method of this compilation, the other assembly's callee is a warning on the caller (ADG0305)...
        Assert.Contains("it calls Helper, which second order cannot go through (it calls Far from another assembly, which has no FarTangent or FarBackwardTangent (mark Far [Differentiable(Derivatives.Forward | Derivatives.Hessian)] in its assembly))", messages["ThroughHelper"], StringComparison.Ordinal);
        // ... called directly with an active argument, an error on the call naming the flags (ADG0306, api.md); a passive argument needs nothing.
        var errors = adg.Where(d => d.Id == "ADG0306").ToList();
        Assert.All(errors, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Equal(new[] { "Elsewhere", "ForwardOnly" }, errors.Select(d => EnclosingMethod(source, d.Location.SourceSpan)).OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal("'Elsewhere' asks for second order (Derivatives.Hessian) and passes a value that depends on a differentiable parameter to 'Library.Far(double)', compiled in another assembly without 'FarTangent or FarBackwardTangent': mark it [Differentiable(Derivatives.Forward | Derivatives.Hessian)] in its assembly",
            errors.Single(d => EnclosingMethod(source, d.Location.SourceSpan) == "Elsewhere").GetMessage());
        Assert.Contains("without 'MidBackwardTangent': mark it [Differentiable(Derivatives.Hessian)] in its assembly",
            errors.Single(d => EnclosingMethod(source, d.Location.SourceSpan) == "ForwardOnly").GetMessage(), StringComparison.Ordinal);
        Assert.Equal("Library.Far(x)", source.Substring(errors.Single(d => EnclosingMethod(source, d.Location.SourceSpan) == "Elsewhere").Location.SourceSpan.Start, "Library.Far(x)".Length));
    }

    [Fact]
    public void ADG0999_internal_failure_becomes_one_warning_on_the_method_and_no_output()
    {
        // A semantic model of another tree makes Roslyn throw inside the engine: the engine's net must catch it.
        const string source = """
            using AutoDiffGen;
            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double x) => x * x;
            }
            """;
        var compilation = Harness.CreateCompilation(source);
        var other = Harness.CreateCompilation("class Other { }");
        SyntaxTree tree = compilation.SyntaxTrees.Single();
        var syntax = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().Single();
        var method = (IMethodSymbol)compilation.GetSemanticModel(tree).GetDeclaredSymbol(syntax)!;
        var result = AutoDiffGen.Generator.Engine.DifferentiationEngine.Run(
            method, syntax, other.GetSemanticModel(other.SyntaxTrees.Single()), emit: true, System.Threading.CancellationToken.None);
        Assert.Null(result.Source);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("ADG0999", diagnostic.Descriptor.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Descriptor.DefaultSeverity);
        Assert.Equal(syntax.Identifier.Span, diagnostic.Location.SourceSpan);
        Assert.Contains("'M'", diagnostic.ToDiagnostic(null).GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADG0204_is_off_unless_enabled()
    {
        // The same method reports ADG0204 with the rule on, nothing with it off.
        await new AnalyzerVerifier<DifferentiableAnalyzer>.Test { TestCode = InMethod("return {|ADG0204:Math.Abs(x)|} * y;"), EnableEveryRule = true }.RunAsync();
        await AnalyzerVerifier<DifferentiableAnalyzer>.VerifyAnalyzerAsync(InMethod("return Math.Abs(x) * y;"));
    }

    [Fact]
    public async Task Passive_uses_are_not_reported()
    {
        // Floor, casts, %, comparisons and calls on data ([NoDerivative], ints, constants) are fine.
        string source = InMethod("""
                    int k = (int)Math.Floor(c) % n;
                    double s = Plain(c) + Math.Abs(c) + (c > 1 ? 1 : 0);
                    for (int i = 0; i < n; i++) s += k;
                    return x * s + y;
            """, "double x, double y, [NoDerivative] double c, int n");
        await new AnalyzerVerifier<DifferentiableAnalyzer>.Test { TestCode = source, EnableEveryRule = true }.RunAsync();
    }
}
