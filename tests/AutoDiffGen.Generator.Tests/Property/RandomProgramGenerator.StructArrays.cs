using System;
using System.Globalization;
using System.Linq;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// Arrays of structs (issue 10) in random programs that declare <see cref="StructName"/>: a local <c>Pt[]</c> of two or three
/// elements created with <c>new Pt[n]</c> or an initializer, its elements written whole (<c>new</c>, <c>with</c>, a member,
/// <c>+=</c>) or field by field through the record struct's property setters, in loops too (so overwritten elements are
/// taped and restored), and read into double locals through fields, the computed property, a member of an element and
/// <c>foreach</c>; and, in half of those programs, a parameter <c>Pt[] pq</c> of M treated the same way (its gradient is a
/// <c>Span&lt;Pt&gt;</c>). Indices are constants below the length, so every access is in range.
/// </summary>
/// <remarks>
/// These statements are added before a statement of the main generator, and every choice they make comes from a random
/// stream of their own (operands are variables in scope or constants), so the main generator's stream, and with it every
/// program it writes, is as it would be without them. The only hook is in <c>Statement</c>, plus <see cref="Variable.IsStructArray"/>.
/// </remarks>
public sealed partial class RandomProgramGenerator
{
    private const int StructArrayStatementPercent = 12;

    private Random? _structArrayRandom;

    private Random StructArrayRandom => _structArrayRandom ??= new Random(_seed ^ 0x5A17A);

    private const double StructArrayParameterShare = 0.5;

    /// <summary>Whether M takes <c>Pt[] pq</c> (of <see cref="HarnessLayout.StructArrayLength"/> elements): drawn from this file's own stream.</summary>
    private bool _hasStructArrayParameter;

    /// <summary>Called when the program declares the struct: decides <see cref="_hasStructArrayParameter"/>.</summary>
    private void ChooseStructArrayParameter() => _hasStructArrayParameter = StructArrayRandom.NextDouble() < StructArrayParameterShare;

    /// <summary>Sometimes adds a statement over an array of structs before the main generator's next statement.</summary>
    private void MaybeStructArrayStatement()
    {
        if (!_hasStructType || StructArrayRandom.Next(100) >= StructArrayStatementPercent) return;
        var arrays = _scopes.SelectMany(s => s).Where(v => v.IsStructArray).ToList();
        Variable? array = arrays.Count == 0 ? null : arrays[StructArrayRandom.Next(arrays.Count)];
        if (array is null || StructArrayRandom.Next(6) == 0) { StructArrayLocal(); return; }
        if (StructArrayRandom.Next(2) == 0) StructArrayWrite(array);
        else StructArrayRead(array);
    }

    /// <summary>An operand from this file's own stream: a double in scope (squashed when it may be large) or a constant.</summary>
    private Expr StructArrayOperand()
    {
        var doubles = _scopes.SelectMany(s => s).Where(v => v.IsScalarDouble).ToList();
        if (doubles.Count == 0 || StructArrayRandom.Next(4) == 0)
        {
            string[] constants = { "0.5", "1.5", "0.25", "1.25" };
            string c = constants[StructArrayRandom.Next(constants.Length)];
            return new Expr(c, double.Parse(c, CultureInfo.InvariantCulture));
        }
        Variable v = doubles[StructArrayRandom.Next(doubles.Count)];
        return v.Bound > 2 ? new Expr($"Math.Tanh({v.Name})", 1) : new Expr(v.Name, v.Bound);
    }

    private static int LengthOf(Variable array) => int.Parse(array.LengthText!, CultureInfo.InvariantCulture);

    private void StructArrayLocal()
    {
        string name = NewName("pa");
        int length = StructArrayRandom.Next(2, 4);
        string text = length.ToString(CultureInfo.InvariantCulture);
        double bound = 0;
        if (StructArrayRandom.Next(2) == 0)
        {
            Line($"var {name} = new {StructName}[{text}];");
        }
        else
        {
            var elements = Enumerable.Range(0, length).Select(_ =>
            {
                Expr x = StructArrayOperand(), y = StructArrayOperand();
                bound = Math.Max(bound, Math.Max(x.Bound, y.Bound));
                return $"new {StructName}({x.Text}, {y.Text})";
            }).ToList();
            Line($"{StructName}[] {name} = {{ {string.Join(", ", elements)} }};");
        }
        var array = new Variable { Name = name, IsInt = false, IsStructArray = true, LengthText = text, Bound = bound };
        Declare(array);
        // Used at once (programs are short): an element written, then one read into a double the rest of M can use.
        if (StructArrayRandom.Next(2) == 0) StructArrayWrite(array);
        StructArrayRead(array);
    }

    /// <summary>An element written: every update is a contraction plus a bounded term, so values fed back through loops stay bounded.</summary>
    private void StructArrayWrite(Variable array)
    {
        string k = StructArrayRandom.Next(LengthOf(array)).ToString(CultureInfo.InvariantCulture);
        string other = StructArrayRandom.Next(LengthOf(array)).ToString(CultureInfo.InvariantCulture);
        string element = $"{array.Name}[{k}]";
        Expr e = StructArrayOperand();
        switch (StructArrayRandom.Next(5))
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
                Line($"{element} = {element}.Scaled(0.5) + new {StructName}({e.Text}, 0.75);");
                break;
            default:
                Line($"{element} = {element}.Scaled(0.25);");
                Line($"{element} += new {StructName}({e.Text}, {e.Text});");
                break;
        }
        array.Bound = Math.Max(array.Bound, 2 * Math.Max(e.Bound, 1));
    }

    /// <summary>A double local read from the array: a field, the computed property, a member of an element, or a foreach sum.</summary>
    private void StructArrayRead(Variable array)
    {
        string name = NewName("v");
        string k = StructArrayRandom.Next(LengthOf(array)).ToString(CultureInfo.InvariantCulture);
        double b = array.Bound;
        switch (StructArrayRandom.Next(5))
        {
            case 0:
                Line($"double {name} = {array.Name}[{k}].X;");
                break;
            case 1:
                Line($"double {name} = {array.Name}[{k}].Y * {array.Name}.Length;");
                b *= 3;
                break;
            case 2:
                Line($"double {name} = Math.Tanh({array.Name}[{k}].Norm2);");
                b = 1;
                break;
            case 3:
                Line($"double {name} = ({array.Name}[{k}] + {array.Name}[0]).Scaled(0.5).X;");
                break;
            default:
                string element = NewName("e");
                Line($"double {name} = 0;");
                Line($"foreach (var {element} in {array.Name}) {name} += Math.Tanh({element}.X * {element}.Y);");
                b = 3;
                break;
        }
        Declare(new Variable { Name = name, IsInt = false, Bound = b });
    }
}
