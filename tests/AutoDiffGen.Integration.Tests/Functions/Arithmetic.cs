using System;

namespace AutoDiffGen.Integration.Tests.Functions;

/// <summary>Operators, locals, assignments and conversions.</summary>
public static partial class Arithmetic
{
    /// <summary>The brief's reference function: at (2, 5) the value is 11.652071 and the gradient (5.5, 1.716338).</summary>
    [Differentiable]
    public static double Reference(double x1, double x2) => Math.Log(x1) + x1 * x2 - Math.Sin(x2);

    [Differentiable]
    public static double Operators(double x, double y) => (x + y) * (x - y) / (1 + y * y) - -x + (+y);

    [Differentiable]
    public static double UnaryMinus(double x) => -(-x * -x) - x;

    [Differentiable]
    public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);

    [Differentiable]
    public static double Compound(double x, double y)
    {
        double r = x;
        r += y;
        r -= 2 * x;
        r *= y;
        r /= x;
        return r;
    }

    /// <summary>++ and -- as statements and inside expressions, prefix and postfix.</summary>
    [Differentiable]
    public static double IncrementDecrement(double x)
    {
        double a = x;
        a++;
        ++a;
        a--;
        double b = a++ * x;   // (x + 1) x, then a = x + 2
        double c = --a + b;   // a = x + 1: c = x² + 2x + 1
        return c * x;         // x³ + 2x² + x
    }

    /// <summary>C# reads the left operand before the right one runs its side effect: a * a++ is a².</summary>
    [Differentiable]
    public static double IncrementAfterRead(double x)
    {
        double a = x;
        return a * a++;
    }

    /// <summary>x += x++ reads x first: the result is 2x.</summary>
    [Differentiable]
    public static double CompoundWithIncrementOfTarget(double x)
    {
        double a = x;
        a += a++;
        return a;
    }

    [Differentiable]
    public static double ConstLocals(double x)
    {
        const double k = 3;
        const double k2 = k * k;
        double a = k * x;
        double b = a * a;
        return b - k2;
    }

    /// <summary>Locals and parameters reassigned: x and y are overwritten after use.</summary>
    [Differentiable]
    public static double Reassign(double x, double y)
    {
        double u = x * x;
        x = u;
        y = y + x;
        x = Math.Sin(x);
        return x * y;
    }

    [Differentiable]
    public static double ReassignLocal(double x)
    {
        double t = x;
        t = t * t;
        t = t * x;
        t = t + 1;
        t = Math.Sqrt(t);
        return t;
    }

    /// <summary>float ↔ double conversions inside a double method.</summary>
    [Differentiable]
    public static double Conversions(double x, float y)
    {
        float a = (float)x * y;
        double b = a + (double)y * x;
        return b;
    }

    /// <summary>int values and counters mixed into arithmetic.</summary>
    [Differentiable]
    public static double IntegerMix(double x, int n)
    {
        double r = 0;
        for (int i = 1; i <= n; i++)
        {
            r += i * x + n / 2 + (double)i / n;
        }
        return r * n + 2 * x;
    }

    /// <summary>Parentheses, precedence and a long expression with fan-out of one value.</summary>
    [Differentiable]
    public static double FanOut(double x, double y, double z)
    {
        double s = x * y + y * z + z * x;
        return s * s - x * (y - (z - x)) / (2 + s * s);
    }

    /// <summary>a % b = a − trunc(a / b) · b: the gradient flows through both operands (ADG0204 names the jumps).</summary>
    [Differentiable]
    public static double Remainder(double a, double b) => a % b;
}
