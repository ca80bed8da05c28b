using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// Arrays in random programs, in the shapes user code and the programs of shared/repro have: an array parameter
/// <c>a</c>, local arrays (filled by a loop, from an initializer, allocated inside loops), element reads and writes at
/// integer index arithmetic, loops over lengths with triangular inner loops, and values that are NaN or overflow on a
/// path that does not reach the result.
/// </summary>
public sealed partial class RandomProgramGenerator
{
    /// <summary>Share of programs whose method takes <c>double[] a</c>.</summary>
    private const double ArrayProgramShare = 0.45;

    private bool _hasArray;

    private bool HasArrays() => _scopes.SelectMany(s => s).Any(v => v.IsArray);

    private Variable[] Arrays() => _scopes.SelectMany(s => s).Where(v => v.IsArray).ToArray();

    private void ArrayStatement(bool allowControl)
    {
        int roll = _random.Next(100);
        if (roll >= 70 && SliceStatement()) return; // views, ranges, stackalloc: RandomProgramGenerator.Slices.cs
        if (roll < 25 || Arrays().All(a => a.Name == "a")) { LocalArray(); return; }
        if (roll < 75) { ElementWrite(); return; }
        if (allowControl && roll < 80) { OffPathNonFinite(); return; }
        if (roll >= 78) { SpanPrimitive(); return; }
        DeclareLocal();
    }

    /// <summary>
    /// A TensorPrimitives map over arrays of one length into a fresh array or in place (the destination one of its
    /// sources; SoftMax, Exp, Tanh and Sigmoid then differentiate from their output), sometimes followed by a Dot
    /// reduction into a scalar local (issue 13).
    /// </summary>
    private void SpanPrimitive()
    {
        Variable[] arrays = Arrays();
        Variable x = arrays[_random.Next(arrays.Length)];
        Variable[] sameLength = arrays.Where(a => a.LengthText == x.LengthText).ToArray();
        Variable y = sameLength[_random.Next(sameLength.Length)];
        Variable[] writable = sameLength.Where(a => a.Name != "a").ToArray();
        Variable? source = new[] { x, y }.FirstOrDefault(v => v.Name != "a");
        Variable destination = source is not null && _random.Next(2) == 0 ? source                       // in place
            : writable.Length > 0 && _random.Next(3) == 0 ? writable[_random.Next(writable.Length)]     // overwriting another array
            : new Variable { Name = NewName("b"), IsInt = false, IsArray = true, LengthText = x.LengthText };
        bool fresh = !arrays.Contains(destination);
        if (fresh) Line($"double[] {destination.Name} = new double[{x.Name}.Length];");
        double bound;
        switch (_random.Next(8))
        {
            case 0: Line($"TensorPrimitives.Add<double>({x.Name}, {y.Name}, {destination.Name});"); bound = x.Bound + y.Bound; break;
            case 1: Line($"TensorPrimitives.Subtract<double>({x.Name}, {y.Name}, {destination.Name});"); bound = x.Bound + y.Bound; break;
            case 2: Line($"TensorPrimitives.Multiply<double>({x.Name}, {y.Name}, {destination.Name});"); bound = x.Bound * y.Bound; break;
            case 3: Line($"TensorPrimitives.Tanh<double>({x.Name}, {destination.Name});"); bound = 1; break;
            case 4: Line($"TensorPrimitives.Sigmoid<double>({x.Name}, {destination.Name});"); bound = 1; break;
            // Rules whose adjoint reads the output (in place too: the output overwrote the input).
            case 5: Line($"TensorPrimitives.SoftMax<double>({x.Name}, {destination.Name});"); bound = 1; break;
            case 6 when x.Bound <= 4: Line($"TensorPrimitives.Exp<double>({x.Name}, {destination.Name});"); bound = Math.Exp(x.Bound); break;
            default: Line($"TensorPrimitives.MultiplyAdd<double>({x.Name}, 0.5, {y.Name}, {destination.Name});"); bound = 0.5 * x.Bound + y.Bound; break;
        }
        destination.Bound = fresh ? bound : Math.Max(destination.Bound, bound);
        if (fresh) Declare(destination);
        if (_random.Next(2) == 0)
        {
            string s = NewName("s");
            Line($"double {s} = TensorPrimitives.Dot<double>({destination.Name}, {y.Name}) / {x.Name}.Length;");
            Declare(new Variable { Name = s, IsInt = false, Bound = destination.Bound * y.Bound });
        }
    }

    /// <summary><c>double[] bK = new double[len]</c> filled by a loop, or an initializer of three values.</summary>
    private void LocalArray()
    {
        string name = NewName("b");
        if (_random.Next(4) == 0)
        {
            Expr[] values = Enumerable.Range(0, 3).Select(_ => Squash(Expression(2))).ToArray();
            Line($"double[] {name} = {{ {string.Join(", ", values.Select(v => v.Text))} }};");
            Declare(new Variable { Name = name, IsInt = false, IsArray = true, Bound = values.Max(v => v.Bound), LengthText = "3" });
            return;
        }
        string length = _random.Next(3) switch
        {
            0 when Lookup("a") is not null => "a.Length",
            1 when Lookup("n") is not null => "n + 1",
            _ => _random.Next(2, 5).ToString(CultureInfo.InvariantCulture),
        };
        Line($"double[] {name} = new double[{length}];");
        string i = NewName("i");
        Line($"for (int {i} = 0; {i} < {name}.Length; {i}++)");
        Line("{");
        _indent++;
        _scopes.Add(new() { new Variable { Name = i, IsInt = true, IsReadOnly = true, Bound = 8, IndexesLength = length } });
        _loopDepth++;
        Expr value = Wrap(Expression(2));
        _loopDepth--;
        Line($"{name}[{i}] = {value.Text};");
        _scopes.RemoveAt(_scopes.Count - 1);
        _indent--;
        Line("}");
        Declare(new Variable { Name = name, IsInt = false, IsArray = true, Bound = value.Bound, LengthText = length });
    }

    /// <summary><c>b[idx] = e</c>, <c>b[idx] += e</c> or <c>b[idx] *= …</c>; into the parameter too, now and then.</summary>
    private void ElementWrite()
    {
        var targets = Arrays().Where(a => a.Name != "a" || _random.Next(5) == 0).ToArray();
        if (targets.Length == 0) { DeclareLocal(); return; }
        Variable array = targets[_random.Next(targets.Length)];
        string element = $"{array.Name}[{Index(array)}]";
        switch (_random.Next(3))
        {
            case 0:
            {
                Expr e = _loopDepth > 0 ? Wrap(Expression(2)) : Squash(Expression(3));
                Line($"{element} = {e.Text};");
                array.Bound = Math.Max(array.Bound, e.Bound);
                break;
            }
            case 1:
            {
                Expr e = _loopDepth > 0 ? SquashBelow(Expression(2), 3) : Squash(Expression(3));
                Line($"{element} {(_random.Next(2) == 0 ? "+=" : "-=")} {e.Text};");
                array.Bound += e.Bound * LoopFactor();
                break;
            }
            default:
                Line($"{element} *= (0.5 + 0.25 * Math.Sin({Expression(2).Text}));");
                break;
        }
    }

    /// <summary>An element read at a valid index; null when no array is in scope.</summary>
    private Expr? ArrayRead()
    {
        Variable[] arrays = Arrays();
        if (arrays.Length == 0) return null;
        Variable array = arrays[_random.Next(arrays.Length)];
        return new Expr($"{array.Name}[{Index(array)}]", array.Bound);
    }

    /// <summary>
    /// A valid index of <paramref name="array"/>: a counter of a loop over its length (also mirrored), integer
    /// arithmetic on any counter reduced modulo the length (<c>i % b.Length</c>, <c>(i + 1) % b.Length</c>,
    /// <c>i / 2 % b.Length</c>), or a constant end. Counters and <c>n</c> are never negative.
    /// </summary>
    private string Index(Variable array)
    {
        string length = array.Name + ".Length";
        var direct = _scopes.SelectMany(s => s).Where(v => v.IndexesLength is not null && v.IndexesLength == array.LengthText).ToList();
        if (direct.Count > 0 && _random.Next(3) > 0)
        {
            string counter = direct[_random.Next(direct.Count)].Name;
            return _random.Next(4) == 0 ? $"{length} - 1 - {counter}" : counter;
        }
        Variable? any = RandomVariable(isInt: true);
        if (any is null || _random.Next(6) == 0) return _random.Next(2) == 0 ? "0" : $"{length} - 1";
        return _random.Next(3) switch
        {
            0 => $"{any.Name} % {length}",
            1 => $"({any.Name} + 1) % {length}",
            _ => $"{any.Name} / 2 % {length}",
        };
    }

    /// <summary>
    /// A loop over an array's length: <c>for (i = 0; i &lt; b.Length; i++)</c>, backwards, or — inside such a loop over
    /// the same length — triangular (<c>j = i + 1 .. len</c>, <c>j = 0 .. i</c>). Null for the ordinary loops of For().
    /// </summary>
    private (string Header, string Length)? ArrayLoopHeader(string i)
    {
        Variable[] arrays = Arrays();
        Variable? outer = _scopes.SelectMany(s => s).LastOrDefault(v => v.IndexesLength is not null && arrays.Any(a => a.LengthText == v.IndexesLength));
        if (arrays.Length == 0 || (outer is null && _random.Next(2) == 0)) return null;
        // Inside a loop over an array's length, mostly a triangular loop over the same length.
        Variable array = outer is not null && _random.Next(4) > 0
            ? arrays.First(a => a.LengthText == outer.IndexesLength)
            : arrays[_random.Next(arrays.Length)];
        string length = array.Name + ".Length";
        if (outer?.IndexesLength != array.LengthText) outer = null;
        if (outer is not null && _random.Next(3) > 0)
        {
            return (_random.Next(2) == 0
                ? $"for (int {i} = {outer.Name} + 1; {i} < {length}; {i}++)"
                : $"for (int {i} = 0; {i} <= {outer.Name}; {i}++)", array.LengthText!);
        }
        return (_random.Next(3) == 0
            ? $"for (int {i} = {length} - 1; {i} >= 0; {i}--)"
            : $"for (int {i} = 0; {i} < {length}; {i}++)", array.LengthText!);
    }

    /// <summary>
    /// <c>u = e; v = Log(u); w = v · u; if (u &gt; 0.5) t += Tanh(w);</c> — NaN where u ≤ 0, but only used where it is
    /// finite: the gradient must not be NaN (a zero adjoint times the NaN partial v).
    /// </summary>
    private void OffPathNonFinite()
    {
        Variable? target = PickAssignable();
        if (target is null) { DeclareLocal(); return; }
        string u = NewName("u"), v = NewName("v"), w = NewName("w");
        Line($"double {u} = {Squash(Expression(2)).Text};");
        Line($"double {v} = Math.Log({u});");
        Line($"double {w} = {v} * {u};");
        Line($"if ({u} > 0.5) {target.Name} += Math.Tanh({w});");
        target.Bound += LoopFactor();
    }

    /// <summary>A constant or a value computed from integers only: no gradient flows from it.</summary>
    private Expr PassiveValue()
    {
        Variable? counter = RandomVariable(isInt: true);
        Variable[] arrays = Arrays();
        return _random.Next(3) switch
        {
            0 when counter is not null => new Expr($"0.5 * {counter.Name}", 0.5 * counter.Bound),
            1 when arrays.Length > 0 => new Expr($"0.25 * {arrays[0].Name}.Length", 2),
            _ => Constant(),
        };
    }
}

/// <summary>
/// Triangular nests with an index advanced in the inner body (TriangularLoopTests, the Cholesky-factor and GMM shapes the IR
/// generator draws in RandomArrayProgramTests): <c>int li = 0;</c> before a loop over an array's length, an inner loop over
/// the lower triangle (<c>j ≤ i</c>) or the strict upper one (<c>j &gt; i</c>), its body reading coefficients at
/// <c>c[li % c.Length]</c> or writing a packed array <c>p[li]</c> of n(n + 1)/2 elements, then <c>li++</c>; a per-row local
/// sometimes. Every choice comes from a stream of its own (lent to the main generator's writers); the hook is in <c>Statement</c>.
/// Sometimes (a third stream, so the other nests are as they were) the nest runs twice in a loop <c>for (s = 0; s &lt; 2; s++)</c>
/// whose body declares the index, <c>int li = s;</c>: the GMM's shape, where li's value after the nest is recounted in
/// reverse rather than taped per iteration (ReverseModeTransform.SteppedIndices.cs).
/// </summary>
public sealed partial class RandomProgramGenerator
{
    private const int PackedNestPercent = 4;

    private Random? _packedRandom;

    private Random PackedRandom => _packedRandom ??= new Random(_seed ^ 0x9AC4ED);

    private Random? _repeatedNestRandom;

    private Random RepeatedNestRandom => _repeatedNestRandom ??= new Random(_seed ^ 0x5E9D);

    /// <summary>Sometimes, before the main generator's next statement outside loops, a packed triangular nest.</summary>
    private void MaybePackedNest()
    {
        if (_loopDepth > 0 || _controlDepth > 1 || !HasArrays() || PackedRandom.Next(100) >= PackedNestPercent) return;
        FromStream(PackedRandom, PackedNest);
    }

    private void PackedNest()
    {
        Variable[] arrays = Arrays();
        Variable x = arrays[_random.Next(arrays.Length)], c = arrays[_random.Next(arrays.Length)];
        bool upper = _random.Next(3) == 0, packedArray = !upper && _random.Next(2) == 0, perRow = _random.Next(2) == 0;
        string li = NewName("li"), i = NewName("i"), j = NewName("j"), p = NewName("p");
        string length = x.Name + ".Length";
        Variable? target = PickAssignable();
        if (target is null)
        {
            target = new Variable { Name = NewName("v"), IsInt = false, Bound = 0 };
            Line($"double {target.Name} = 0;");
            Declare(target);
        }
        if (packedArray) Line($"double[] {p} = new double[{length} * ({length} + 1) / 2];");
        // (p[li] needs li from 0: only a nest without a packed array is repeated.)
        string? repeat = !packedArray && RepeatedNestRandom.Next(2) == 0 ? NewName("s") : null;
        if (repeat is not null)
        {
            Line($"for (int {repeat} = 0; {repeat} < 2; {repeat}++)");
            Line("{");
            _indent++;
            _scopes.Add(new List<Variable> { new() { Name = repeat, IsInt = true, IsReadOnly = true, Bound = 2 } });
            _loopDepth++;
        }
        Line($"int {li} = {repeat ?? "0"};");
        Line($"for (int {i} = 0; {i} < {length}; {i}++)");
        Line("{");
        _indent++;
        _scopes.Add(new List<Variable> { new() { Name = i, IsInt = true, IsReadOnly = true, Bound = 8, IndexesLength = x.LengthText } });
        string? row = perRow ? NewName("y") : null;
        if (row is not null) Line($"double {row} = 0;");
        Line(upper ? $"for (int {j} = {i} + 1; {j} < {length}; {j}++)" : $"for (int {j} = 0; {j} <= {i}; {j}++)");
        Line("{");
        _indent++;
        _scopes.Add(new List<Variable> { new() { Name = j, IsInt = true, IsReadOnly = true, Bound = 8, IndexesLength = x.LengthText } });
        _loopDepth += 2;
        string term = $"{x.Name}[{i}] * {c.Name}[{li} % {c.Name}.Length] * {x.Name}[{j}]";
        string into = row ?? target.Name;
        if (packedArray)
        {
            // The packed element is written once, from the pair and a value of the program, and read back at once.
            Line($"{p}[{li}] = Math.Tanh({x.Name}[{i}] * {x.Name}[{j}] + {Wrap(Expression(1)).Text});");
            Line($"{into} += 0.25 * {p}[{li}] * {c.Name}[{li} % {c.Name}.Length];");
        }
        else
        {
            Line($"{into} += 0.25 * Math.Tanh({term} + {Wrap(Expression(1)).Text});");
        }
        Line($"{li}++;");
        _loopDepth -= 2;
        _scopes.RemoveAt(_scopes.Count - 1);
        _indent--;
        Line("}");
        // A row sum of at most 5 terms of 0.25 or 0.25·|c|: squared or squashed into the result.
        if (row is not null) Line(_random.Next(2) == 0 ? $"{target.Name} += Math.Tanh({row} * {row});" : $"{target.Name} += 0.5 * Math.Sin({row});");
        _scopes.RemoveAt(_scopes.Count - 1);
        _indent--;
        Line("}");
        if (repeat is not null)
        {
            _loopDepth--;
            _scopes.RemoveAt(_scopes.Count - 1);
            _indent--;
            Line("}");
        }
        target.Bound += (repeat is null ? 1 : 2) * 0.25 * 15 * Math.Max(1, c.Bound);
        if (packedArray)
        {
            Declare(new Variable { Name = p, IsInt = false, IsArray = true, Bound = 1, LengthText = $"{length} * ({length} + 1) / 2" });
        }
    }
}
