using System;
using System.Globalization;
using System.Linq;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// Slices and scratch spans in random array programs (issue 10): a span view of an array (<c>b.AsSpan(…)</c>,
/// <c>b.AsSpan()[lo..hi]</c>, <c>[^1..]</c>, a slice of a slice) written and read through, so the array changes under
/// its other name; a range of an array (<c>b[k..]</c>, a copy) that later statements use as an array of its own; and a
/// <c>stackalloc</c> scratch span outside loops. Every view is non-empty: arrays here have at least one element.
/// </summary>
public sealed partial class RandomProgramGenerator
{
    /// <summary>Writes one slice construct; false when no array is in scope.</summary>
    private bool SliceStatement()
    {
        Variable[] arrays = Arrays();
        if (arrays.Length == 0) return false;
        switch (_random.Next(5))
        {
            case 0:
                ArrayRangeCopy(arrays[_random.Next(arrays.Length)]);
                return true;
            case 1 or 2 when _loopDepth == 0:
                StackallocScratch();
                return true;
            default:
            {
                // Writes through a view of the parameter only now and then, as ElementWrite does.
                var targets = arrays.Where(a => a.Name != "a" || _random.Next(5) == 0).ToArray();
                ViewWriteAndRead(targets.Length > 0 ? targets[_random.Next(targets.Length)] : arrays[0], write: targets.Length > 0);
                return true;
            }
        }
    }

    /// <summary>A non-empty window of <paramref name="array"/> (length ≥ 1).</summary>
    private string View(string array) => _random.Next(6) switch
    {
        0 => $"{array}.AsSpan()",
        1 => $"{array}.AsSpan({array}.Length - 1)",
        2 => $"{array}.AsSpan(0, ({array}.Length + 1) / 2)",
        3 => $"{array}.AsSpan()[({array}.Length / 2)..]",
        4 => $"{array}.AsSpan()[^1..]",
        _ => $"{array}.AsSpan().Slice({array}.Length / 2, {array}.Length - {array}.Length / 2)",
    };

    /// <summary>An index of the view <paramref name="view"/>: 0, its last, or a counter reduced modulo its length.</summary>
    private string ViewIndex(string view)
    {
        Variable? counter = RandomVariable(isInt: true);
        if (counter is null || _random.Next(4) == 0) return _random.Next(2) == 0 ? "0" : $"{view}.Length - 1";
        return _random.Next(2) == 0 ? $"{counter.Name} % {view}.Length" : $"({counter.Name} + 1) % {view}.Length";
    }

    /// <summary><c>Span&lt;double&gt; v = view; v[k] = e (or +=); double w = v[j] * c;</c> — maybe a slice of the slice first.</summary>
    private void ViewWriteAndRead(Variable array, bool write)
    {
        string view = NewName("v");
        Line($"Span<double> {view} = {View(array.Name)};");
        if (_random.Next(3) == 0)
        {
            string inner = NewName("v");
            Line($"Span<double> {inner} = {view}.Slice({view}.Length - 1);");
            view = inner;
        }
        if (write)
        {
            Expr e = _loopDepth > 0 ? SquashBelow(Expression(2), 3) : Squash(Expression(2));
            string op = _random.Next(2) == 0 ? "=" : "+=";
            Line($"{view}[{ViewIndex(view)}] {op} {e.Text};");
            array.Bound = op == "=" ? Math.Max(array.Bound, e.Bound) : array.Bound + e.Bound * LoopFactor();
        }
        string w = NewName("w");
        Expr c = Constant();
        Line($"double {w} = {view}[{ViewIndex(view)}] * {c.Text};");
        Declare(new Variable { Name = w, IsInt = false, Bound = array.Bound * Math.Max(1, Math.Abs(c.Bound)) });
    }

    /// <summary><c>double[] c = b[k..];</c> (a copy): an array of its own that later statements read and write.</summary>
    private void ArrayRangeCopy(Variable array)
    {
        string name = NewName("c");
        string range = _random.Next(3) switch
        {
            0 => $"({array.Name}.Length / 2)..",
            1 => $"..^({array.Name}.Length / 2)",
            _ => "..",
        };
        Line($"double[] {name} = {array.Name}[{range}];");
        Declare(new Variable { Name = name, IsInt = false, IsArray = true, Bound = array.Bound, LengthText = name + ".Length" });
    }

    /// <summary>A three-element scratch span: <c>t[0] = e1; t[1] = t[0] * e2; t[2] += t[1]; double w = t[2] + t[k];</c>.</summary>
    private void StackallocScratch()
    {
        string t = NewName("t");
        Expr e1 = Squash(Expression(2)), e2 = Squash(Expression(2));
        Line($"Span<double> {t} = stackalloc double[3];");
        Line($"{t}[0] = {e1.Text};");
        Line($"{t}[1] = {t}[0] * {e2.Text};");
        Line($"{t}[2] += {t}[1];");
        string w = NewName("w");
        Line($"double {w} = {t}[2] + {t}[{ViewIndex(t)}];");
        Declare(new Variable { Name = w, IsInt = false, Bound = 2 * e1.Bound * Math.Max(1, e2.Bound) });
    }
}
