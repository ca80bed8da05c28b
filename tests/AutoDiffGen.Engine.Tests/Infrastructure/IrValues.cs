using System;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>
/// Raised when IR cannot run as the C# it stands for: a value of the wrong type (the emitted code would not
/// compile), a tape popped empty or left non-empty, a loop that does not end, an unknown call.
/// </summary>
internal sealed class IrExecutionException : Exception
{
    public IrExecutionException(string message) : base(message)
    {
    }
}

/// <summary>
/// The interpreter's values: <c>double</c>, <c>float</c>, <c>int</c>, <c>long</c>, <c>bool</c> boxed, arrays as
/// CLR arrays (<c>T[]</c> also stands for spans, <c>T[,]</c>, <c>T[][]</c>). Conversions follow C#: implicit ones
/// (int → long → float → double) are applied where C# applies them; anything else is an error, because the
/// emitted code would not compile.
/// </summary>
internal static class IrValues
{
    /// <summary>Numeric rank for C#'s binary numeric promotion: int &lt; long &lt; float &lt; double.</summary>
    public static int Rank(object? value) => value switch
    {
        int => 0,
        long => 1,
        float => 2,
        double => 3,
        _ => -1,
    };

    public static int Rank(IrType type) => type.Kind switch
    {
        IrTypeKind.Integer => type.CSharpName is "int" or "global::System.Int32" ? 0 : 1,
        IrTypeKind.Float => 2,
        IrTypeKind.Double => 3,
        _ => -1,
    };

    public static bool IsLong(IrType type) => type.Kind == IrTypeKind.Integer && Rank(type) == 1;

    public static object? Default(IrType type) => type.Kind switch
    {
        IrTypeKind.Double => 0.0,
        IrTypeKind.Float => 0f,
        IrTypeKind.Integer => IsLong(type) ? (object)0L : 0,
        IrTypeKind.Bool => false,
        _ => null,
    };

    public static Type ClrType(IrType type) => type.Kind switch
    {
        IrTypeKind.Double => typeof(double),
        IrTypeKind.Float => typeof(float),
        IrTypeKind.Integer => IsLong(type) ? typeof(long) : typeof(int),
        IrTypeKind.Bool => typeof(bool),
        IrTypeKind.Array => type.Layout switch
        {
            ArrayLayout.Matrix => ClrType(type.Element!).MakeArrayType(2),
            ArrayLayout.Jagged => ClrType(type.Element!).MakeArrayType().MakeArrayType(),
            _ => ClrType(type.Element!).MakeArrayType(),
        },
        _ => typeof(object),
    };

    /// <summary>A value stored into a location of <paramref name="type"/>, with C#'s implicit conversions.</summary>
    public static object? Implicit(object? value, IrType type, string where)
    {
        switch (type.Kind)
        {
            case IrTypeKind.Double:
                return value switch
                {
                    double d => d,
                    float f => (double)f,
                    int i => (double)i,
                    long l => (double)l,
                    _ => throw Mismatch(value, type, where),
                };
            case IrTypeKind.Float:
                return value switch
                {
                    float f => f,
                    int i => (float)i,
                    long l => (float)l,
                    _ => throw Mismatch(value, type, where),
                };
            case IrTypeKind.Integer:
                if (IsLong(type))
                {
                    return value switch
                    {
                        long l => l,
                        int i => (long)i,
                        _ => throw Mismatch(value, type, where),
                    };
                }
                return value is int ? value : throw Mismatch(value, type, where);
            case IrTypeKind.Bool:
                return value is bool ? value : throw Mismatch(value, type, where);
            case IrTypeKind.Array:
                return value is null || value is Array ? value : throw Mismatch(value, type, where);
            default:
                return value;
        }
    }

    /// <summary>An explicit C# cast <c>(T)value</c> between numeric types.</summary>
    public static object? Explicit(object? value, IrType type)
    {
        switch (type.Kind)
        {
            case IrTypeKind.Double:
                return value switch { double d => d, float f => (double)f, int i => (double)i, long l => (double)l, _ => throw Mismatch(value, type, "a cast") };
            case IrTypeKind.Float:
                return value switch { double d => (float)d, float f => f, int i => (float)i, long l => (float)l, _ => throw Mismatch(value, type, "a cast") };
            case IrTypeKind.Integer when IsLong(type):
                return value switch { double d => (long)d, float f => (long)f, int i => (long)i, long l => l, _ => throw Mismatch(value, type, "a cast") };
            case IrTypeKind.Integer:
                return value switch { double d => (int)d, float f => (int)f, int i => i, long l => (int)l, _ => throw Mismatch(value, type, "a cast") };
            default:
                return Implicit(value, type, "a cast");
        }
    }

    public static double ToDouble(object? value) => value switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        _ => throw new IrExecutionException("Expected a number, got " + Describe(value) + "."),
    };

    public static IrExecutionException Mismatch(object? value, IrType type, string where) =>
        new("Type error in " + where + ": " + Describe(value) + " is not implicitly convertible to " + type.CSharpName + " (the emitted C# would not compile).");

    public static string Describe(object? value) => value is null ? "null" : value.GetType().Name + " " + Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A deep copy of arrays (scalars are immutable boxes).</summary>
    public static object? Clone(object? value)
    {
        if (value is Array array)
        {
            var copy = (Array)array.Clone();
            if (copy.Rank == 1 && copy.GetType().GetElementType()!.IsArray)
            {
                for (int i = 0; i < copy.Length; i++) copy.SetValue(Clone(copy.GetValue(i)), i);
            }
            return copy;
        }
        return value;
    }

    /// <summary>A zeroed array of the same shape (jagged rows included).</summary>
    public static Array ZeroedLike(Array array)
    {
        Type element = array.GetType().GetElementType()!;
        if (array.Rank == 2) return Array.CreateInstance(element, array.GetLength(0), array.GetLength(1));
        Array result = Array.CreateInstance(element, array.Length);
        if (element.IsArray)
        {
            for (int i = 0; i < array.Length; i++)
            {
                if (array.GetValue(i) is Array row) result.SetValue(ZeroedLike(row), i);
            }
        }
        return result;
    }
}
