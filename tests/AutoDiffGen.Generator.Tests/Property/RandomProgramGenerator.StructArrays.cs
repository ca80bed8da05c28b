using System.Globalization;
using System.Linq;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// Arrays of structs (issue 10) in random programs that declare <see cref="StructName"/>: a local <c>Pt[]</c> of two or three
/// elements created with <c>new Pt[n]</c> or an initializer, its elements written whole (<c>new</c>, <c>with</c>, a member,
/// <c>+=</c>) or field by field through the record struct's property setters, in loops too (so overwritten elements are
/// taped and restored), and read into double locals through fields, the computed property, a member of an element and
/// <c>foreach</c>. Indices are constants below the length, so every access is in range. Kept apart from the main
/// generator: its only hook is in <c>Statement</c>, and <see cref="Variable.IsStructArray"/>.
/// </summary>
public sealed partial class RandomProgramGenerator
{
    private Variable? RandomStructArray()
    {
        var candidates = _scopes.SelectMany(s => s).Where(v => v.IsStructArray).ToList();
        return candidates.Count == 0 ? null : candidates[_random.Next(candidates.Count)];
    }

    private int LengthOf(Variable array) => int.Parse(array.LengthText!, CultureInfo.InvariantCulture);

    /// <summary>Declares a local array of structs (and uses it), writes one of its elements, or reads one into a new double local.</summary>
    private void StructArrayStatement()
    {
        Variable? array = RandomStructArray();
        if (array is null || _random.Next(6) == 0) { StructArrayLocal(); return; }
        if (_random.Next(2) == 0) StructArrayWrite(array);
        else StructArrayRead(array);
    }

    private void StructArrayLocal()
    {
        string name = NewName("pa");
        int length = _random.Next(2, 4);
        string text = length.ToString(CultureInfo.InvariantCulture);
        double bound = 0;
        if (_random.Next(2) == 0)
        {
            Line($"var {name} = new {StructName}[{text}];");
        }
        else
        {
            var elements = Enumerable.Range(0, length).Select(_ =>
            {
                Expr x = Squash(Expression(2)), y = Squash(Expression(2));
                bound = System.Math.Max(bound, System.Math.Max(x.Bound, y.Bound));
                return $"new {StructName}({x.Text}, {y.Text})";
            }).ToList();
            Line($"{StructName}[] {name} = {{ {string.Join(", ", elements)} }};");
        }
        var array = new Variable { Name = name, IsInt = false, IsStructArray = true, LengthText = text, Bound = bound };
        Declare(array);
        // Used at once (programs are short): an element written, then one read into a double the rest of M can use.
        if (_random.Next(2) == 0) StructArrayWrite(array);
        StructArrayRead(array);
    }

    /// <summary>An element written: in a loop every update is a contraction plus a bounded term, so values stay bounded.</summary>
    private void StructArrayWrite(Variable array)
    {
        string k = _random.Next(LengthOf(array)).ToString(CultureInfo.InvariantCulture);
        string other = _random.Next(LengthOf(array)).ToString(CultureInfo.InvariantCulture);
        string element = $"{array.Name}[{k}]";
        Expr e = _loopDepth > 0 ? Wrap(Expression(2)) : Squash(Expression(2));
        switch (_random.Next(5))
        {
            case 0:
                Line($"{element} = new {StructName}({e.Text}, 0.5 * {array.Name}[{other}].X);");
                break;
            case 1:
                Line($"{element} = {array.Name}[{other}] with {{ Y = 0.5 * {element}.Y + {e.Text} }};");
                break;
            case 2:
                Line($"{element}.X = 0.5 * {array.Name}[{other}].Y + {e.Text};");
                break;
            case 3:
                Line($"{element} = {element}.Scaled(0.5) + new {StructName}({e.Text}, {Constant().Text});");
                break;
            default:
                Line($"{element} = {element}.Scaled(0.25);");
                Line($"{element} += new {StructName}({e.Text}, {e.Text});");
                break;
        }
        array.Bound = System.Math.Max(array.Bound, 2 * System.Math.Max(e.Bound, 3));
    }

    /// <summary>A double local read from the array: a field, the computed property, a member of an element, or a foreach sum.</summary>
    private void StructArrayRead(Variable array)
    {
        string name = NewName("v");
        string k = _random.Next(LengthOf(array)).ToString(CultureInfo.InvariantCulture);
        double b = array.Bound;
        Expr read = _random.Next(5) switch
        {
            0 => new Expr($"{array.Name}[{k}].X", b),
            1 => new Expr($"{array.Name}[{k}].Y * {array.Name}.Length", 3 * b),
            2 => Squash(new Expr($"{array.Name}[{k}].Norm2", 2 * b * b)),
            3 => new Expr($"({array.Name}[{k}] + {array.Name}[0]).Scaled({Constant().Text}).X", 6 * b),
            _ => new Expr("", 0),
        };
        if (read.Text.Length == 0)
        {
            Line($"double {name} = 0;");
            string element = NewName("e");
            Line($"foreach (var {element} in {array.Name}) {name} += {element}.X * {element}.Y;");
            read = Squash(new Expr(name, 3 * b * b));
            if (read.Text != name) Line($"{name} = {read.Text};");
        }
        else
        {
            read = Squash(read);
            Line($"double {name} = {read.Text};");
        }
        Declare(new Variable { Name = name, IsInt = false, Bound = read.Bound });
    }
}
