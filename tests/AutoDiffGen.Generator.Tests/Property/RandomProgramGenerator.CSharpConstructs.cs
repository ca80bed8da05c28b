using System.Collections.Generic;
using System.Linq;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// Ordinary C# constructs of issue 10 in random programs: switch statements and switch expressions on an integer
/// (a loop counter, or the count parameter) with constant, or, relational and discard patterns, sections that may
/// break out of the switch or continue the loop; switch expressions with relational patterns on a double (branch
/// conditions); and tuple assignments: deconstruction into new locals, into existing
/// ones, swaps, and tuple-typed locals (structs of reals). Kept apart from the main generator; its one hook is in <c>Statement</c>.
/// </summary>
public sealed partial class RandomProgramGenerator
{
    /// <summary>Writes one of the constructs; false when none fits here (no integer to switch on, nothing to assign).</summary>
    private bool CSharpConstruct() => _random.Next(5) switch
    {
        0 => SwitchStatementOnCounter() || TupleAssignment(),
        1 => SwitchExpressionOnCounter(),
        2 => TupleAssignment(),
        3 => PatternSwitch(RandomStruct()),
        _ => TupleValue(),
    };

    /// <summary>
    /// A switch expression with property, positional or list patterns: on the struct Pt (<c>{ X: &gt; 0.5 }</c>,
    /// <c>(&lt; -0.5, var y)</c>, a named match with a guard), on an array (<c>[var f]</c>, <c>[var f, .., var l]</c>,
    /// <c>{ Length: &gt; 2 }</c>: no double constant, so the generic twin keeps it), or positional on a tuple of doubles.
    /// </summary>
    private bool PatternSwitch(Variable? point = null)
    {
        Variable[] arrays = Arrays();
        Variable? array = point is null && arrays.Length > 0 && _random.Next(4) > 0 ? arrays[_random.Next(arrays.Length)] : null;
        Variable? x = RandomVariable(isInt: false), y = RandomVariable(isInt: false);
        if (point is null && array is null && (x is null || y is null)) return TupleValue();
        Expr first = Squash(Expression(2)), second = Squash(Expression(2)), third = Squash(Expression(2)), otherwise = Squash(Expression(2));
        string name = NewName("s"), u = NewName("u"), w = NewName("w");
        double bound = new[] { first.Bound, second.Bound, third.Bound, otherwise.Bound }.Max();
        if (point is not null)
        {
            Line($"double {name} = {point.Name} switch");
            Line("{");
            Line($"    {{ X: > 0.5 }} => {first.Text},");
            Line($"    (< -0.5, var {u}) => {second.Text} + 0.5 * Math.Tanh({u}),");
            Line($"    {{ Y: var {w} }} {name}p when {w} > 0 => {third.Text} + 0.25 * Math.Tanh({name}p.X * {w}),");
            bound += 0.5;
        }
        else if (array is not null)
        {
            Line($"double {name} = {array.Name} switch");
            Line("{");
            Line($"    [var {u}] => {first.Text} + 0.5 * Math.Tanh({u}),");
            Line($"    [var {u}, .., var {w}] when {array.Name}.Length < 4 => {second.Text} + 0.5 * Math.Tanh({u} * {w}),");
            Line($"    {{ Length: > 5 }} => {third.Text},");
            bound += 0.5;
        }
        else
        {
            Line($"double {name} = ({x!.Name}, {y!.Name}) switch");
            Line("{");
            Line($"    (> 0.5, var {u}) => {first.Text} + 0.5 * Math.Tanh({u}),");
            Line($"    (_, < -0.5) and not (> 1, _) => {second.Text},");
            Line($"    var ({u}, {w}) when {u} < {w} => {third.Text} + 0.5 * Math.Tanh({w}),");
            bound += 0.5;
        }
        Line($"    _ => {otherwise.Text},");
        Line("};");
        Declare(new Variable { Name = name, IsInt = false, Bound = bound });
        return true;
    }

    private Variable? RandomCounter()
    {
        var counters = _scopes.SelectMany(s => s).Where(v => v.IsInt).ToList();
        return counters.Count == 0 ? null : counters[_random.Next(counters.Count)];
    }

    /// <summary>The switched value: the counter itself, or its remainder (so every section is taken over a loop).</summary>
    private string SwitchedValue(Variable counter) => _random.Next(2) == 0 ? counter.Name : $"{counter.Name} % 3";

    private bool SwitchStatementOnCounter()
    {
        Variable? counter = RandomCounter();
        if (counter is null) return false;
        _controlDepth++;
        Line($"switch ({SwitchedValue(counter)})");
        Line("{");
        _indent++;
        string[] labels = { "case 0:", _random.Next(2) == 0 ? "case 1 or 2:" : "case 1:\n" + new string(' ', 4 * _indent) + "case 2:", "case > 3:" };
        foreach (string label in labels.Take(_random.Next(1, labels.Length + 1)).Append("default:"))
        {
            Line(label);
            _indent++;
            _scopes.Add(new List<Variable>());
            Block(2, allowControl: _controlDepth < 3);
            _scopes.RemoveAt(_scopes.Count - 1);
            Line("break;");
            _indent--;
        }
        _indent--;
        Line("}");
        _controlDepth--;
        return true;
    }

    private bool SwitchExpressionOnCounter()
    {
        Variable? counter = RandomCounter();
        if (counter is null) return SwitchExpressionOnActiveValue();
        Expr first = Squash(Expression(2)), second = Squash(Expression(2)), third = Squash(Expression(2)), otherwise = Squash(Expression(2));
        string name = NewName("s");
        Line($"double {name} = ({SwitchedValue(counter)}) switch");
        Line("{");
        Line($"    0 => {first.Text},");
        Line($"    1 or 2 => {second.Text},");
        Line($"    > 4 and < 7 => {third.Text},");
        Line($"    _ => {otherwise.Text},");
        Line("};");
        Declare(new Variable { Name = name, IsInt = false, Bound = new[] { first.Bound, second.Bound, third.Bound, otherwise.Bound }.Max() });
        return true;
    }

    /// <summary>Relational patterns on a double: branch conditions, like comparisons.</summary>
    private bool SwitchExpressionOnActiveValue()
    {
        Variable? value = RandomVariable(isInt: false);
        if (value is null) return false;
        Expr below = Squash(Expression(2)), between = Squash(Expression(2)), otherwise = Squash(Expression(2));
        string name = NewName("s");
        Line($"double {name} = {value.Name} switch");
        Line("{");
        Line($"    < -0.5 => {below.Text},");
        Line($"    >= -0.5 and < 0.5 => {between.Text},");
        Line($"    _ => {otherwise.Text},");
        Line("};");
        Declare(new Variable { Name = name, IsInt = false, Bound = new[] { below.Bound, between.Bound, otherwise.Bound }.Max() });
        return true;
    }

    /// <summary>
    /// A tuple-typed local (a struct of reals, replaced by its fields): named elements and Item2, a swap through the tuple
    /// value itself, then a double read from it.
    /// </summary>
    private bool TupleValue()
    {
        Expr e1 = Squash(Expression(2)), e2 = Squash(Expression(2));
        string t = NewName("pair"), u = NewName("t");
        Line($"(double First, double Second) {t} = ({e1.Text}, {e2.Text});");
        Line($"{t} = ({t}.Second, {t}.First * 0.5);");
        Line($"double {u} = {t}.First + {t}.Item2;");
        Declare(new Variable { Name = u, IsInt = false, Bound = e2.Bound + 0.5 * e1.Bound });
        return true;
    }

    private bool TupleAssignment()
    {
        // Two distinct assignable doubles, chosen as the main generator chooses one (so arrays and counters never are).
        int form = _random.Next(3);
        Variable? x = form == 0 ? null : PickAssignable();
        Variable? y = x is null ? null : PickAssignable();
        if (x is null || y is null || x == y)
        {
            // (double a, double b) = (e1, e2); (var would make a literal 2 an int)
            Expr e1 = Squash(Expression(2)), e2 = Squash(Expression(2));
            string a = NewName("t"), b = NewName("t");
            Line($"(double {a}, double {b}) = ({e1.Text}, {e2.Text});");
            Declare(new Variable { Name = a, IsInt = false, Bound = e1.Bound });
            Declare(new Variable { Name = b, IsInt = false, Bound = e2.Bound });
            return true;
        }
        if (form == 1)
        {
            // A swap: both are read before either is written.
            Line($"({x.Name}, {y.Name}) = ({y.Name}, {x.Name});");
            x.Bound = y.Bound = System.Math.Max(x.Bound, y.Bound);
            return true;
        }
        // Each new value may read the other variable's old value: (x, y) = (y + e, x * c).
        Expr e = _loopDepth > 0 ? Wrap(Expression(2)) : Squash(Expression(2));
        Expr c = Constant();
        Line($"({x.Name}, {y.Name}) = ({y.Name} + {e.Text}, {x.Name} * {c.Text});");
        (x.Bound, y.Bound) = (y.Bound + e.Bound * LoopFactor(), System.Math.Max(y.Bound, x.Bound * System.Math.Max(1, System.Math.Abs(c.Bound))));
        if (_loopDepth > 0)
        {
            // Fed back through iterations: keep it bounded, as Assign does.
            Line($"{x.Name} = {Wrap(new Expr(x.Name, x.Bound)).Text};");
            x.Bound = 2;
            Line($"{y.Name} = {Wrap(new Expr(y.Name, y.Bound)).Text};");
            y.Bound = 2;
        }
        return true;
    }
}
