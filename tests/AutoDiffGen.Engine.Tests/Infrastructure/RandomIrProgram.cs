using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>
/// Random programs built with <see cref="IrBuilder"/> in the shapes lowering gives C#: straight-line code, branches on
/// data and on counters, counted loops up to three deep (ascending, descending, triangular <c>j &lt; i</c>,
/// <c>j = i + 1 .. len</c>, <c>j &lt;= i</c>, over a passive int parameter or an array's length), loops with a
/// data-dependent exit or with a head that computes an active value; <c>break</c>, <c>continue</c> and <c>return</c>
/// at every loop depth (and <c>return</c> outside loops) after taped branches, lowered as
/// <see cref="AutoDiffGen.Generator.Engine.Lowering.MethodLowering"/> does: one <c>_jump</c> variable, the rest of a
/// statement list under <c>if (_jump == None)</c> (or in the else arm when the jumping arm always jumps), loop heads
/// that test <c>_jump</c>, a continue cleared at the body's end, the step guarded, a break cleared after the loop.
/// Also: an array parameter read through index arithmetic (<c>i % len</c>, <c>(i + 1) % len</c>, <c>i / 2</c>,
/// <c>len - 1 - i</c>, <c>a[i + 1]</c> under <c>if (i + 1 &lt; len)</c>), a local array filled from it and written in
/// loops, writes into the parameter array; branches whose arms assign different variables, arms that assign a constant
/// or a passive value (a zero gradient on one side), loop-carried values assigned in one arm only; values that are NaN
/// or overflow on a path that does not reach the result (<c>Log</c>/<c>Sqrt</c> of a negative value read only in an
/// untaken branch, an untaken return or after a guard overwrote it; <c>Min(Exp(1000 x), c)</c>); calls of
/// differentiable callees (in loops too); reassigned parameters and locals, self-updates, dead code, fan-out. The same
/// seed gives the same program in double, float, or double with float locals (mixed). <see cref="Features"/> says which
/// of the shapes a program has.
/// </summary>
internal sealed class RandomIrProgram
{
    private const int MaxStatements = 28;
    private const int MaxLoopDepth = 3;

    private readonly Random _random;

    /// <summary>
    /// Whether to draw an iteration-output loop (<see cref="IterationOutput"/>): a stream of its own, so that a program
    /// that does not draw one is exactly the program its seed gave before the construct was added (seed-named cases in
    /// IllConditionedPointTests read those programs).
    /// </summary>
    private readonly Random _outputRandom;
    /// <summary>The stepped indices drawn (<see cref="SteppedIndex"/>).</summary>
    public List<IrVariable> SteppedIndices { get; } = new();

    /// <summary>Whether and how to draw a stepped index (<see cref="SteppedIndex"/>): a stream of its own, for the same reason.</summary>
    private readonly Random _steppedRandom;
    private readonly IrBuilder _b;
    private readonly IrType _type;
    private readonly List<Var> _reals = new();      // double/float variables in scope (parameters, locals)
    private readonly List<Var> _assignable = new(); // those the program may overwrite
    private readonly List<Var> _counters = new();   // int loop counters in scope (all >= 0)
    private readonly List<Var> _inBounds = new();   // counters known to lie in [0, len)
    private readonly List<E> _extraIndices = new(); // index expressions valid here only (i + 1 under i + 1 < len)
    private readonly bool _mixed;
    private Var? _n;
    private Var? _array;   // the differentiable array parameter a
    private Var? _len;     // int len = a.Length
    private Var? _buffer;  // a local array of length len, filled from a
    private Var? _gates;   // a local array of length 2 len, filled as two interleaved blocks where it is used (BlockFill)
    private Var? _watched; // a local only branches before jumps assign (tested by the jumps)
    private Var? _jump;
    private readonly List<LoopFrame> _loops = new();         // enclosing loops, innermost last
    private readonly List<int> _escapes = new() { 0 };      // per loop level (0: the method): jumps that leave the current statement list
    private int _noJumpLevel = -1;                           // >= 0: no return, and no break/continue of loops at or outside this level
    private int _ifDepth;
    private int _statements;
    private int _names;

    private sealed class LoopFrame
    {
        public bool Breaks, Continues, Returns;
        public bool Leaves => Breaks || Returns;
    }

    private RandomIrProgram(int seed, IrType type, bool mixed)
    {
        _random = new Random(seed);
        _outputRandom = new Random(seed ^ 0x17E0);
        _steppedRandom = new Random(seed ^ 0x5E9D);
        _type = type;
        _mixed = mixed;
        _program = new Lazy<ReverseProgram>(() => IrRunner.Differentiate(Function));
        _b = new IrBuilder("Random" + seed, type);
    }

    public IrFunction Function { get; private set; } = null!;

    /// <summary>The shapes this program has, by name ("break@2": a break in a loop nested two deep; see the tests' summary).</summary>
    public SortedSet<string> Features { get; } = new(StringComparer.Ordinal);

    private readonly Lazy<ReverseProgram> _program;

    /// <summary>The engine's reverse program for <see cref="Function"/>, made once (the transform dominates the tests' time).</summary>
    public ReverseProgram Program => _program.Value;

    private static readonly ConcurrentDictionary<(int, string, bool), Lazy<RandomIrProgram>> Cache = new();

    /// <summary>The program of a seed, shared by every test that asks for it.</summary>
    public static RandomIrProgram Cached(int seed, IrType type, bool mixed = false) =>
        Cache.GetOrAdd((seed, type.CSharpName, mixed), _ => new Lazy<RandomIrProgram>(() => Generate(seed, type, mixed))).Value;

    /// <summary>Argument sets to check the program at (the int parameter and the array's length and values are drawn too).</summary>
    public List<object?[]> Points { get; } = new();

    /// <param name="mixed">With a double <paramref name="type"/>: every other local is a float (implicit widening, explicit narrowing).</param>
    public static RandomIrProgram Generate(int seed, IrType type, bool mixed = false, int points = 2)
    {
        var program = new RandomIrProgram(seed, type, mixed);
        program.Build(points);
        return program;
    }

    private void Build(int points)
    {
        int differentiable = 1 + _random.Next(3);
        var parameterKinds = new List<char>();
        for (int i = 0; i < differentiable; i++) parameterKinds.Add('d');
        if (_random.NextDouble() < 0.3) parameterKinds.Add('p'); // [NoDerivative] real
        if (_random.NextDouble() < 0.5) parameterKinds.Add('n'); // int
        if (_random.NextDouble() < 0.4) parameterKinds.Add('a'); // array
        Shuffle(parameterKinds);
        foreach (char kind in parameterKinds)
        {
            switch (kind)
            {
                case 'd':
                {
                    Var p = _b.Param("x" + _b.Parameters.Count, _type);
                    _reals.Add(p);
                    _assignable.Add(p);
                    break;
                }
                case 'p':
                    _reals.Add(_b.Param("c" + _b.Parameters.Count, _type, differentiable: false));
                    break;
                case 'a':
                    _array = _b.Param("a", IrType.ArrayOf(_type, ArrayLayout.Vector));
                    break;
                default:
                    _n = _b.Param("n", IrType.Int);
                    break;
            }
        }

        if (_array is not null)
        {
            Features.Add("array");
            _len = _b.Local("len", _array.Length, IrType.Int);
            if (_random.Next(3) == 0) FillBuffer();
        }

        if (_random.Next(2) == 0)
        {
            // A value only jumps test and the result reads: its old values are needed only to re-test those conditions.
            _watched = _b.Local("w", Pick(_reals) * 0.5, _type);
            _reals.Add(_watched);
        }

        int locals = 1 + _random.Next(3);
        for (int i = 0; i < locals; i++)
        {
            Var local = _b.Local("v" + i, Expression(2), _mixed && i % 2 == 1 ? IrType.Float : _type);
            _reals.Add(local);
            _assignable.Add(local);
        }
        Block(3 + _random.Next(5), FinalReturn);
        Function = _b.Build();
        // As lowering does: assignments to the jump variable go when no guard reads it (returns outside loops only).
        if (_jump is not null && !IrWalker.AllStatements(Function.Body).Any(s => IrWalker.ReadsOf(s).Contains(_jump.Variable)))
        {
            IrWalker.RemoveAssignmentsTo(Function.Body, _jump);
        }

        for (int k = 0; k < points; k++)
        {
            Points.Add(Function.Parameters.Select(p => p.Type.Kind switch
            {
                IrTypeKind.Integer => (object?)_random.Next(0, 4),
                IrTypeKind.Array => ArrayArgument(1 + _random.Next(4)),
                _ => Real(Coordinate(_random.NextDouble())),
            }).ToArray());
        }
    }

    private Array ArrayArgument(int length)
    {
        double[] values = Enumerable.Range(0, length).Select(_ => Coordinate(_random.NextDouble())).ToArray();
        return _type.Kind == IrTypeKind.Float ? values.Select(v => (float)v).ToArray() : values;
    }

    /// <summary>
    /// A coordinate in [−1.5, 1.5] with three decimals, never exactly 0: at 0 the programs have kinks whose one-sided
    /// derivatives differ (Abs(x), Max(x, 0), Atan2(±0, y &lt; 0)) while central differences average them.
    /// </summary>
    private static double Coordinate(double uniform)
    {
        double value = Math.Round(uniform * 3 - 1.5, 3);
        return value == 0 ? 0.001 : value;
    }

    /// <summary><c>var b = new T[len]; for (int i = 0; i &lt; len; i++) b[i] = f(a[i], a[(i + 1) % len]);</c></summary>
    private void FillBuffer()
    {
        Features.Add("local-array");
        Var buffer = _b.Local("b", IrBuilder.NewArray(IrType.ArrayOf(_type, ArrayLayout.Vector), _len!), IrType.ArrayOf(_type, ArrayLayout.Vector));
        Var i = _b.Local("i" + _names++, 0, IrType.Int);
        Loop(() => i < _len!, () =>
        {
            E value = _random.Next(2) == 0 ? M.Sin(_array![i]) * _array[(i + 1) % _len!] : _array![i] * 0.5 + M.Tanh(_array[i] * Pick(_reals));
            _b.SetElement(buffer, new E[] { i }, value);
        }, () => _b.Assign(i, i + 1));
        _buffer = buffer;
        _gates = _b.Local("g", IrBuilder.NewArray(IrType.ArrayOf(_type, ArrayLayout.Vector), _len! * 2), IrType.ArrayOf(_type, ArrayLayout.Vector));
    }

    /// <summary>
    /// <c>for (k = 0; k &lt; len; k++) { g[len + k] = tanh(a[k] x); g[k] = a[k] / 2 + x / 4; }  v = v / 2 + g[j] g[len + j] / 2</c>:
    /// a scratch array rewritten as two interleaved blocks before it is read, as the LSTM writes its gates
    /// (ReverseModeTransform.BlockFills.cs: recorded whole, or not at all in a recomputed or fused loop).
    /// </summary>
    private void BlockFill()
    {
        Features.Add("block-fill");
        Var g = _gates!;
        Var k = _b.Local("k" + _names++, 0, IrType.Int);
        Var scale = Pick(_reals);
        Loop(() => k < _len!, () =>
        {
            _b.SetElement(g, new E[] { _len! + k }, M.Tanh(_array![k] * scale));
            _b.SetElement(g, new E[] { k }, _array![k] * 0.5 + scale * 0.25);
        }, () => _b.Assign(k, k + 1));
        Var target = Pick(_assignable);
        E at = Index();
        _b.Assign(target, target * 0.5 + g[at] * g[_len! + at] * 0.5);
    }

    /// <summary>
    /// <c>o = new T[len]; t = new T[len]; for (c = 0; c &lt; len; c++) { for (k…) t[k] = a[k]·x − a[c]; q = Σₘ t[m]²; o[c] = log(1 + q); }</c>
    /// then <c>v = v/2 + o[j]/2</c>: a loop no loop encloses that leaves one value per iteration in a local array read
    /// only after it, and rewrites a scratch vector each iteration, as the GMM's component loop does
    /// (ReverseModeTransform.IterationOutputs.cs: its iterations are re-run in reverse, nothing taped).
    /// </summary>
    private void IterationOutput()
    {
        Features.Add("iteration-output");
        IrType vector = IrType.ArrayOf(_type, ArrayLayout.Vector);
        Var output = _b.Local("o" + _names++, IrBuilder.NewArray(vector, _len!), vector);
        Var scratch = _b.Local("t" + _names++, IrBuilder.NewArray(vector, _len!), vector);
        Var scale = Pick(_reals);
        Var c = _b.Local("c" + _names++, 0, IrType.Int);
        Loop(() => c < _len!, () =>
        {
            Var k = _b.Local("k" + _names++, 0, IrType.Int);
            Loop(() => k < _len!, () => _b.SetElement(scratch, new E[] { k }, _array![k] * scale - _array[c]), () => _b.Assign(k, k + 1));
            Var q = _b.Local("q" + _names++, 0.0, _type);
            Var m = _b.Local("m" + _names++, 0, IrType.Int);
            Loop(() => m < _len!, () => _b.Assign(q, q + scratch[m] * scratch[m]), () => _b.Assign(m, m + 1));
            _b.SetElement(output, new E[] { c }, M.Log(q + 1.0));
        }, () => _b.Assign(c, c + 1));
        Var target = Pick(_assignable);
        _b.Assign(target, target * 0.5 + output[Index()] * 0.5);
    }

    /// <summary>
    /// <c>k = start; for (j = 0; j &lt; len; j++) for (l = j + 1; l &lt; len; l++) { v = v/2 + tanh(a[k % len]·x)/2; k = k + step; }</c>
    /// in a loop body: a packed index advanced by a triangular (or rectangular, <c>l &lt; 2</c>) nest, as the GMM's <c>li</c>
    /// (ReverseModeTransform.SteppedIndices.cs: recounted in reverse, not taped). Sometimes the step is taken in a
    /// branch, or the index is read after the nest: then it is taped. Drawn from its own stream only.
    /// </summary>
    private void SteppedIndex()
    {
        Features.Add("stepped-index");
        Random r = _steppedRandom;
        E start = r.Next(3) switch
        {
            0 when _counters.Count > 0 => _counters[r.Next(_counters.Count)],
            1 => r.Next(0, 4),
            _ => _len!,
        };
        int step = 1 + r.Next(2);
        int shape = r.Next(6); // 0: the step in a branch; 1: read after the nest; 2: rectangular inner loop
        Var target = _assignable[r.Next(_assignable.Count)];
        Var scale = _reals[r.Next(_reals.Count)];
        Var k = _b.Local("k" + _names++, start, IrType.Int);
        SteppedIndices.Add(k);
        Var j = _b.Local("j" + _names++, 0, IrType.Int);
        Loop(() => j < _len!, () =>
        {
            Var l = _b.Local("l" + _names++, shape == 2 ? 0 : j + 1, IrType.Int);
            Loop(() => shape == 2 ? l < 2 : l < _len!, () =>
            {
                _b.Assign(target, target * 0.5 + M.Tanh(_array![k % _len!] * scale) * 0.5);
                if (shape == 0) _b.If(_array![k % _len!] > 0.0, () => _b.Assign(k, k + step));
                else _b.Assign(k, k + step);
            }, () => _b.Assign(l, l + 1));
        }, () => _b.Assign(j, j + 1));
        if (shape == 1) _b.Assign(target, target + _array![k % _len!] * 0.25);
    }

    private const int None = 0, Continue = 1, Break = 2, Return = 3;

    private Var Jump => _jump ??= _b.Variable("_jump", IrType.Int, IrVariableRole.Control);

    private object Real(double value) => _type.Kind == IrTypeKind.Float ? (object)(float)value : value;

    // ---------------------------------------------------------------- statement lists and jumps

    /// <summary>
    /// A statement list of <paramref name="count"/> statements, then <paramref name="tail"/> (a jump or return that ends
    /// the list in the source), lowered as LowerStatementList does: after a statement that may jump, the rest of the
    /// list (tail included) runs under <c>if (_jump == None)</c>; an if whose one arm always jumps takes the rest as its
    /// other arm.
    /// </summary>
    private void Block(int count, Action? tail = null)
    {
        for (int i = 0; i < count; i++)
        {
            if (_statements >= MaxStatements) break;
            int rest = count - i - 1;
            if (_loops.Count > 0 && _counters.Count > 0 && JumpKinds().Count > 0 && _random.NextDouble() < 0.05)
            {
                JumpPair(rest, tail);
                return;
            }
            if (JumpKinds().Count > 0 && _random.NextDouble() < (_loops.Count > 0 ? 0.2 : 0.05))
            {
                JumpStatement(rest, tail);
                return;
            }
            int before = _escapes[^1];
            Statement();
            if (_escapes[^1] > before && (rest > 0 || tail is not null))
            {
                _b.If(E.Eq(Jump, None), () => Block(rest, tail));
                return;
            }
        }
        tail?.Invoke();
    }

    private List<int> JumpKinds()
    {
        var kinds = new List<int>();
        if (_ifDepth >= 3) return kinds;
        if (_loops.Count > 0 && _loops.Count > _noJumpLevel)
        {
            kinds.Add(Break);
            kinds.Add(Continue);
        }
        if (_noJumpLevel < 0) kinds.Add(Return);
        return kinds;
    }

    /// <summary>
    /// <c>if (c) { …; jump; } [else { … }] rest</c> (or the jump in the else arm). When the other arm cannot jump, lowering
    /// makes the rest part of it; otherwise the rest is guarded. A return may be of a value that is NaN unless the
    /// condition holds (<c>r = Log(g); s = r · r; if (g &gt; 0) return … s …;</c>).
    /// </summary>
    private void JumpStatement(int rest, Action? tail)
    {
        List<int> kinds = JumpKinds();
        int kind = Pick(kinds);
        _statements++;
        Features.Add((kind switch { Break => "break", Continue => "continue", _ => "return" }) + "@" + _loops.Count);
        bool hasRest = rest > 0 || tail is not null;
        E condition;
        E? returned = null;
        if (_nextCondition is not null)
        {
            condition = _nextCondition;
            _nextCondition = null;
        }
        else if (kind == Return && _random.Next(3) == 0)
        {
            (Var g, Var s) = NaNProne();
            Features.Add("nan-on-untaken-return");
            condition = g > 0.0;
            returned = ResultExpression() + s * Constant();
        }
        else if (_counters.Count > 0 && _random.Next(10) < 3)
        {
            // if (i == 1) continue; — a test the reverse sweep can recompute from the counter.
            Features.Add("counter-tested-jump");
            Var counter = Pick(_counters);
            condition = _random.Next(2) == 0 ? E.Eq(counter, _random.Next(0, 3)) : E.Eq(counter % 2, 0);
        }
        else if (_random.Next(5) < 2)
        {
            // A test of a variable the loop overwrites, often just after a branch that may overwrite it with a value not
            // computed from its old one (if (t > 1) x = Atan(t · y); if (x > -0.1) break;): the reverse sweep re-tests the
            // condition, so it needs the old values of x back although no derivative reads them.
            Var tested = _watched is not null && _random.Next(2) == 0 ? _watched : Pick(_assignable);
            if (_loops.Count > 0 && (tested == _watched || _random.Next(2) == 0))
            {
                Features.Add("fresh-value-tested-by-jump");
                E fresh = M.Atan(Pick(_reals.Where(v => v.Variable != tested.Variable).DefaultIfEmpty(tested).ToList()) * Expression(1));
                _b.If(Condition(), () => _b.Assign(tested, fresh));
            }
            condition = tested > Math.Round(_random.NextDouble() * 2 - 1, 2);
        }
        else
        {
            condition = Condition();
        }
        bool jumpInElse = _random.Next(4) == 0;
        bool withOther = jumpInElse || _random.Next(2) == 0;
        bool otherMayJump = withOther && _random.Next(4) == 0;
        int otherSize = 1 + _random.Next(2), exitingSize = _random.Next(4) < 2 ? 0 : 1 + _random.Next(2);

        _ifDepth++;
        Action exiting = () => Block(exitingSize, () => EmitJump(kind, returned));
        Action other = () =>
        {
            if (otherMayJump)
            {
                Block(otherSize);
                return;
            }
            int saved = _noJumpLevel;
            _noJumpLevel = _loops.Count;
            Block(otherSize);
            _noJumpLevel = saved;
        };
        if (hasRest && !otherMayJump)
        {
            Action continuing = () =>
            {
                if (withOther) other();
                Block(rest, tail);
            };
            if (jumpInElse) _b.If(condition, continuing, exiting);
            else _b.If(condition, exiting, continuing);
            _ifDepth--;
            return;
        }
        if (jumpInElse) _b.If(condition, other, exiting);
        else _b.If(condition, exiting, withOther ? other : null);
        _ifDepth--;
        if (hasRest) _b.If(E.Eq(Jump, None), () => Block(rest, tail));
    }

    private E? _nextCondition; // the condition the next jump statement tests (JumpPair)

    /// <summary>
    /// Two jumps in one iteration, the shape of the repro programs: <c>if (c) w = Atan(u · e); if (i == k) continue;
    /// v = v + e; if (w &gt; k) break;</c> (each jump any kind, each if in any of its lowered shapes). The reverse sweep
    /// re-tests both conditions; w's old values are needed only for the second.
    /// </summary>
    private void JumpPair(int rest, Action? tail)
    {
        Features.Add("jump-pair");
        _statements++;
        Var tested = _watched is not null && _random.Next(3) != 0 ? _watched : Pick(_assignable);
        E fresh = M.Atan(Pick(_reals.Where(v => v.Variable != tested.Variable).DefaultIfEmpty(tested).ToList()) * Expression(1));
        _b.If(Condition(), () => _b.Assign(tested, fresh));
        Var counter = Pick(_counters);
        _nextCondition = _random.Next(2) == 0 ? E.Eq(counter, _random.Next(0, 3)) : E.Eq(counter % 2, 0);
        JumpStatement(0, () =>
        {
            if (_random.Next(2) == 0)
            {
                Var target = Pick(_assignable);
                _b.Assign(target, target + Expression(1) * 0.5);
            }
            _nextCondition = tested > Math.Round(_random.NextDouble() * 2 - 1, 2);
            if (JumpKinds().Count > 0) JumpStatement(rest, tail);
            else
            {
                _nextCondition = null;
                Block(rest, tail);
            }
        });
    }

    private void EmitJump(int kind, E? returned = null)
    {
        switch (kind)
        {
            case Return:
                _b.Return(returned ?? ResultExpression());
                foreach (LoopFrame frame in _loops) frame.Returns = true;
                for (int level = 0; level < _escapes.Count; level++) _escapes[level]++;
                break;
            case Break:
                _loops[^1].Breaks = true;
                _escapes[^1]++;
                break;
            default:
                _loops[^1].Continues = true;
                _escapes[^1]++;
                break;
        }
        _b.Assign(Jump, kind);
    }

    /// <summary>The method's last statement: <c>return e;</c>, or <c>if (c) return e1; return e2;</c>.</summary>
    private void FinalReturn()
    {
        if (_random.NextDouble() < 0.25)
        {
            _b.If(Condition(), () => EmitJump(Return), () => EmitJump(Return));
        }
        else
        {
            EmitJump(Return);
        }
    }

    /// <summary>
    /// A loop as LowerLoop makes it. The body is built first (it says whether the loop may break, continue or return);
    /// then the head: <c>_proceed = condition</c>, or, when the body may leave, <c>_proceed = _jump == None; if (_proceed)
    /// _proceed = condition</c>. The body ends by clearing a continue and running the step (guarded when the body may
    /// leave); a break is cleared after the loop.
    /// </summary>
    private void Loop(Func<E> condition, Action body, Action? step)
    {
        var frame = new LoopFrame();
        _loops.Add(frame);
        _escapes.Add(0);
        IrBlock loopBody = _b.Block(() =>
        {
            body();
            if (frame.Continues) _b.If(E.Eq(Jump, Continue), () => _b.Assign(Jump, None));
            if (step is not null)
            {
                if (frame.Leaves) _b.If(E.Eq(Jump, None), step);
                else step();
            }
        });
        _escapes.RemoveAt(_escapes.Count - 1);
        _loops.RemoveAt(_loops.Count - 1);
        Var proceed = _b.Variable("_proceed", IrType.Bool, IrVariableRole.Control);
        IrBlock head = _b.Block(() =>
        {
            if (frame.Leaves)
            {
                _b.Assign(proceed, E.Eq(Jump, None));
                _b.If(proceed, () => _b.Assign(proceed, condition()), copyCondition: false);
            }
            else
            {
                _b.Assign(proceed, condition());
            }
        });
        _b.Add(new IrLoop(head, new IrVariableReference(proceed), loopBody));
        if (frame.Breaks) _b.If(E.Eq(Jump, Break), () => _b.Assign(Jump, None));
    }

    /// <summary>A loop body over <paramref name="counter"/>: its statements see the counter (and know when it indexes the array).</summary>
    private Action CounterBody(Var counter, bool inBounds) => () =>
    {
        _counters.Add(counter);
        if (inBounds) _inBounds.Add(counter);
        Block(1 + _random.Next(3));
        _inBounds.Remove(counter);
        _counters.Remove(counter);
    };

    private bool MayNestLoop() => _loops.Count < MaxLoopDepth && (_loops.Count < 2 || _random.Next(2) == 0);

    // ---------------------------------------------------------------- statements

    private void Statement()
    {
        _statements++;
        if (_loops.Count == 1 && _ifDepth == 0 && _array is not null && _steppedRandom.Next(8) == 0)
        {
            SteppedIndex();
            return;
        }
        double roll = _random.NextDouble();
        if (roll < 0.13 && _ifDepth < 2)
        {
            _ifDepth++;
            E condition = Condition();
            if (_random.NextDouble() < 0.6) _b.If(condition, () => Block(1 + _random.Next(3)), () => Block(1 + _random.Next(3)));
            else _b.If(condition, () => Block(1 + _random.Next(3)));
            _ifDepth--;
        }
        else if (roll < 0.17 && _ifDepth < 2)
        {
            SplitArms();
        }
        else if (roll < 0.21 && _ifDepth < 2)
        {
            ZeroOnOneSide();
        }
        else if (roll < 0.25 && _ifDepth < 2 && _loops.Count > 0)
        {
            // A loop-carried value the iteration sometimes leaves alone.
            Features.Add("carried-one-arm");
            Var target = Pick(_assignable);
            E value = target * 0.5 + M.Tanh(Expression(2)) * 0.75;
            _ifDepth++;
            _b.If(Condition(), () => _b.Assign(target, value));
            _ifDepth--;
        }
        else if (roll < 0.36 && MayNestLoop())
        {
            CountedLoop();
        }
        else if (roll < 0.38 && MayNestLoop())
        {
            DataDependentLoop();
        }
        else if (roll < 0.40 && MayNestLoop())
        {
            HeadComputingLoop();
        }
        else if (roll < 0.44 && _inBounds.Count > 0 && _ifDepth < 2)
        {
            Neighbour();
        }
        else if (roll < 0.47 && _array is not null)
        {
            if (_gates is not null && _loops.Count > 0 && _random.Next(4) == 0) BlockFill();
            else if (_loops.Count == 0 && _outputRandom.Next(4) == 0) IterationOutput();
            else ElementWrite();
        }
        else if (roll < 0.51)
        {
            NaNOnAnotherPath();
        }
        else if (roll < 0.62)
        {
            // v = v ± e, or v = e + v: the in-place update lowering keeps.
            Var target = Pick(_assignable);
            E e = Expression(2);
            _b.Assign(target, _random.Next(3) switch { 0 => target + e, 1 => target - e, _ => e + target });
        }
        else if (roll < 0.65)
        {
            // Dead code: a fresh local nobody reads, possibly NaN-prone.
            _b.Local("dead" + _names++, M.Log(Expression(1)) * M.Sqrt(Expression(1)), _type);
        }
        else
        {
            Var target = Pick(_assignable);
            // Keep values bounded in loops: a contraction of the old value and something new.
            E value = _loops.Count > 0 && _random.NextDouble() < 0.5
                ? target * 0.5 + M.Tanh(Expression(2)) * 0.75
                : Expression(3);
            _b.Assign(target, value);
        }
    }

    /// <summary><c>if (c) u = e1; else w = e2;</c> with u ≠ w when there are two variables to choose from.</summary>
    private void SplitArms()
    {
        Features.Add("split-arms");
        Var first = Pick(_assignable);
        var others = _assignable.Where(v => v.Variable != first.Variable).ToList();
        Var second = others.Count > 0 ? Pick(others) : first;
        E condition = Condition();
        E a = _loops.Count > 0 ? first * 0.5 + M.Tanh(Expression(2)) * 0.75 : Expression(2);
        E b = _loops.Count > 0 ? second * 0.5 + M.Sin(Expression(2)) * 0.75 : Expression(2);
        _ifDepth++;
        _b.If(condition, () => _b.Assign(first, a), () => _b.Assign(second, b));
        _ifDepth--;
    }

    /// <summary>One arm assigns a constant or a passive value (the gradient through it is exactly zero), the other an active one or nothing.</summary>
    private void ZeroOnOneSide()
    {
        Features.Add("zero-arm");
        Var target = Pick(_assignable);
        var passives = _reals.Where(v => !v.Variable.IsDifferentiableParameter && v.Variable.Role == IrVariableRole.Parameter).ToList();
        E passive = _random.Next(4) switch
        {
            0 when passives.Count > 0 => Pick(passives),
            1 when _counters.Count > 0 => Pick(_counters).To(_type) * 0.25,
            2 when _n is not null => _n.To(_type) * 0.5,
            _ => Constant(),
        };
        E condition = Condition();
        bool active = _random.Next(3) != 0;
        E value = _loops.Count > 0 ? target * 0.5 + M.Tanh(Expression(2)) * 0.75 : Expression(2);
        _ifDepth++;
        if (!active) _b.If(condition, () => _b.Assign(target, passive));
        else if (_random.Next(2) == 0) _b.If(condition, () => _b.Assign(target, passive), () => _b.Assign(target, value));
        else _b.If(condition, () => _b.Assign(target, value), () => _b.Assign(target, passive));
        _ifDepth--;
    }

    /// <summary>
    /// <c>g = e; r = Log(g) (or Sqrt(g)); s = f(r)</c>: NaN or infinite when g ≤ 0, where s's partial is NaN too. Returns g and s
    /// for a use that never reaches the result then.
    /// </summary>
    private (Var G, Var S) NaNProne()
    {
        Var g = _b.Local("g" + _names++, Expression(2), _type);
        Var r = _b.Local("r" + _names++, _random.Next(2) == 0 ? M.Log(g) : M.Sqrt(g), _type);
        E s = _random.Next(3) switch
        {
            0 => r * r,
            1 => M.Sin(r),
            _ => M.Exp(M.Tanh(r)) * r,
        };
        return (g, _b.Local("s" + _names++, s, _type));
    }

    /// <summary>
    /// A value that is NaN where it does not reach the result: read only in the arm of <c>if (g &gt; 0)</c>, or overwritten
    /// by a guard (<c>if (g &lt;= 0) s = c;</c>) before it is read.
    /// </summary>
    private void NaNOnAnotherPath()
    {
        (Var g, Var s) = NaNProne();
        Var target = Pick(_assignable);
        _ifDepth++;
        if (_random.Next(2) == 0)
        {
            Features.Add("nan-guarded");
            _b.If(g <= 0.0, () => _b.Assign(s, Constant()));
            _ifDepth--;
            _b.Assign(target, target + M.Tanh(s) * Constant());
            return;
        }
        Features.Add("nan-untaken-branch");
        E value = target + M.Tanh(s) * Constant();
        if (_random.Next(2) == 0) _b.If(g > 0.0, () => _b.Assign(target, value));
        else
        {
            Var other = Pick(_assignable);
            E otherValue = Expression(2);
            _b.If(g > 0.0, () => _b.Assign(target, value), () => _b.Assign(other, otherValue));
        }
        _ifDepth--;
    }

    /// <summary><c>if (i + 1 &lt; len) { v = … a[i + 1] …; … }</c>: an index valid only in that arm.</summary>
    private void Neighbour()
    {
        Features.Add("neighbour-index");
        Var i = Pick(_inBounds);
        Var target = Pick(_assignable);
        E condition = i + 1 < _len!;
        bool withElse = _random.Next(2) == 0;
        _ifDepth++;
        _b.If(condition, () =>
        {
            _extraIndices.Add(i + 1);
            _b.Assign(target, target * 0.5 + M.Tanh(_array![i + 1] * Expression(1)) * 0.75);
            Block(_random.Next(2));
            _extraIndices.RemoveAt(_extraIndices.Count - 1);
        }, withElse ? () => Block(1) : null);
        _ifDepth--;
    }

    /// <summary><c>b[index] = e</c>, <c>b[index] += e</c>, or a write into the parameter array.</summary>
    private void ElementWrite()
    {
        if (_buffer is not null && _random.Next(3) != 0)
        {
            Features.Add("local-array-write");
            E index = Index();
            if (_random.Next(2) == 0) _b.SetElement(_buffer, new[] { index }, Expression(2));
            else _b.SetElement(_buffer, new[] { index }, _buffer[index] * 0.5 + M.Tanh(Expression(2)) * 0.5);
            return;
        }
        Features.Add("parameter-array-write");
        E at = Index();
        _b.SetElement(_array!, new[] { at }, _array![at] * 0.5 + M.Tanh(Expression(2)) * 0.5);
    }

    private void CountedLoop()
    {
        string name = "i" + _names++;
        if (_array is not null && _random.Next(2) == 0)
        {
            // Over the array: for (i = 0; i < len; i++), for (i = len - 1; i >= 0; i--), for (j = i + 1; j < len; j++), for (j = 0; j <= i; j++).
            int shape = _random.Next(_inBounds.Count > 0 ? 4 : 2);
            switch (shape)
            {
                case 0:
                {
                    Var i = _b.Local(name, 0, IrType.Int);
                    bool length = _random.Next(2) == 0;
                    Loop(() => length ? i < _array.Length : i < _len!, CounterBody(i, inBounds: true), () => _b.Assign(i, i + 1));
                    break;
                }
                case 1:
                {
                    Features.Add("descending-array-loop");
                    Var i = _b.Local(name, _len! - 1, IrType.Int);
                    Loop(() => i >= 0, CounterBody(i, inBounds: true), () => _b.Assign(i, i - 1));
                    break;
                }
                case 2:
                {
                    Features.Add("triangular-upper");
                    Var outer = Pick(_inBounds);
                    Var j = _b.Local(name, outer + 1, IrType.Int);
                    Loop(() => j < _len!, CounterBody(j, inBounds: true), () => _b.Assign(j, j + 1));
                    break;
                }
                default:
                {
                    Features.Add("triangular-lower");
                    Var outer = Pick(_inBounds);
                    Var j = _b.Local(name, 0, IrType.Int);
                    Loop(() => j <= outer, CounterBody(j, inBounds: true), () => _b.Assign(j, j + 1));
                    break;
                }
            }
            return;
        }
        E bound = Bound();
        if (_random.NextDouble() < 0.3)
        {
            // for (i = m; i > 0; i--)
            Var i = _b.Local(name, bound, IrType.Int);
            Loop(() => i > 0, CounterBody(i, inBounds: false), () => _b.Assign(i, i - 1));
        }
        else
        {
            Var i = _b.Local(name, 0, IrType.Int);
            Loop(() => i < bound, CounterBody(i, inBounds: false), () => _b.Assign(i, i + 1));
        }
    }

    private E Bound() => _random.Next(4) switch
    {
        0 when _n is not null => _n,
        1 when _counters.Count > 0 => Pick(_counters),     // triangular
        _ => _random.Next(0, 4),
    };

    /// <summary><c>for (k = 0; (k &lt; m) &amp; (v &lt; c); k++)</c>: the exit depends on data.</summary>
    private void DataDependentLoop()
    {
        Var k = _b.Local("k" + _names++, 0, IrType.Int);
        Var watched = Pick(_reals);
        double limit = Math.Round(_random.NextDouble() * 2 - 0.5, 2);
        int most = 1 + _random.Next(4);
        Loop(() => (k < most) & (watched < limit), CounterBody(k, inBounds: false), () => _b.Assign(k, k + 1));
    }

    /// <summary>
    /// <c>for (k = 0; (k &lt; m) &amp; ((h = f(v…)) &lt; c); k++) { …h… }</c>: the head computes an active value the body
    /// reads, and runs once more than the body.
    /// </summary>
    private void HeadComputingLoop()
    {
        Var k = _b.Local("k" + _names++, 0, IrType.Int);
        Var h = _b.Local("h" + _names++, _type);
        Var watched = Pick(_reals);
        double limit = Math.Round(_random.NextDouble() * 2 - 0.5, 2);
        int most = 1 + _random.Next(4);
        E next = watched * 0.5 + M.Sin(Expression(1));
        Loop(() =>
        {
            _b.Assign(h, next);
            return (k < most) & (h < limit);
        }, () =>
        {
            _reals.Add(h);
            CounterBody(k, inBounds: false)();
            _reals.Remove(h);
        }, () => _b.Assign(k, k + 1));
        if (_loops.Count == 0 && _ifDepth == 0) _reals.Add(h); // its last value (the failed test's) is readable after the loop
    }

    private E Condition()
    {
        int choice = _random.Next(6);
        if (choice == 0 && _counters.Count > 0) return E.Eq(Pick(_counters) % 2, 0);
        if (choice == 1 && _n is not null) return _n > 1;
        if (choice == 2) return Pick(_reals) < Pick(_reals);
        if (choice == 3 && _len is not null && _counters.Count > 0) return Pick(_counters) + 1 < _len;
        if (choice == 4 && _array is not null) return ArrayRead() > Math.Round(_random.NextDouble() - 0.5, 2);
        return Expression(2) > Math.Round(_random.NextDouble() - 0.5, 2);
    }

    private E ResultExpression()
    {
        E sum = Pick(_reals);
        int terms = _random.Next(3);
        for (int i = 0; i < terms; i++)
        {
            sum = _random.Next(3) switch
            {
                0 => sum + Pick(_reals) * Constant(),
                1 when _array is not null => sum + ArrayRead() * Pick(_reals),
                _ => sum + Pick(_reals) * Pick(_reals),
            };
        }
        return sum;
    }

    /// <summary><c>a[index]</c> or <c>b[index]</c>.</summary>
    private E ArrayRead()
    {
        Var array = _buffer is not null && _random.Next(3) == 0 ? _buffer : _array!;
        return array[Index()];
    }

    /// <summary>An index into the arrays (length len ≥ 1) valid here: arithmetic over the counters in scope.</summary>
    private E Index()
    {
        if (_extraIndices.Count > 0 && _random.Next(3) == 0) return Pick(_extraIndices);
        int roll = _random.Next(10);
        if (roll < 4 && _inBounds.Count > 0)
        {
            Var i = Pick(_inBounds);
            switch (_random.Next(4))
            {
                case 0:
                    Features.Add("index-divide");
                    return i / 2;
                case 1:
                    return _len! - 1 - i;
                default:
                    return i;
            }
        }
        if (roll < 8 && _counters.Count > 0)
        {
            Features.Add("index-remainder");
            Var c = Pick(_counters);
            return _random.Next(3) switch
            {
                0 => c % _len!,
                1 => (c + 1) % _len!,
                _ => (c + _random.Next(1, 4)) % _len!,
            };
        }
        return _random.Next(2) == 0 ? 0 : _len! - 1;
    }

    // ---------------------------------------------------------------- callees

    /// <summary>The differentiable callees programs may call: interpreted IR, with passive double and int parameters.</summary>
    public CallRegistry NewCalls()
    {
        var calls = new CallRegistry();
        foreach ((IrFunction callee, ReverseProgram program) in (_type.Kind == IrTypeKind.Float ? FloatCallees : DoubleCallees).Value)
        {
            calls.RegisterInterpreted(callee, program);
        }
        return calls;
    }

    private static readonly Lazy<List<(IrFunction, ReverseProgram)>> DoubleCallees = new(() => Callees(IrType.Double).Select(f => (f, IrRunner.Differentiate(f))).ToList());
    private static readonly Lazy<List<(IrFunction, ReverseProgram)>> FloatCallees = new(() => Callees(IrType.Float).Select(f => (f, IrRunner.Differentiate(f))).ToList());

    private static string Suffix(IrType type) => type.Kind == IrTypeKind.Float ? "F" : "";

    private static CallTarget SmoothTarget(IrType t) => IrBuilder.Target("Smooth" + Suffix(t), (t, true));

    private static CallTarget BlendTarget(IrType t) => IrBuilder.Target("Blend" + Suffix(t), (t, true), (t, true), (t, false));

    private static CallTarget ScaleTarget(IrType t) => IrBuilder.Target("Scale" + Suffix(t), (t, true), (IrType.Int, false));

    private static IEnumerable<IrFunction> Callees(IrType t)
    {
        // Smooth(a) = sin(a) · a + 0.5
        var smooth = new IrBuilder("Smooth" + Suffix(t), t);
        Var a = smooth.Param("a", t);
        smooth.Return(M.Sin(a) * a + 0.5);
        yield return smooth.Build();

        // Blend(a, b, [NoDerivative] w) = a · w + b · (1 − w) · cos(a), with a loop and a reassigned parameter
        var blend = new IrBuilder("Blend" + Suffix(t), t);
        Var p = blend.Param("a", t);
        Var q = blend.Param("b", t);
        Var w = blend.Param("w", t, differentiable: false);
        Var acc = blend.Local("acc", p * w, t);
        blend.For("j", 0, 2, _ => blend.Assign(q, q * 0.5 + M.Tanh(q)));
        blend.Return(acc + q * (1.0 - w) * M.Cos(p));
        yield return blend.Build();

        // Scale(a, [NoDerivative] int k) = a^2 · k / 3 via a loop of k steps, or −a when k is 0
        var scale = new IrBuilder("Scale" + Suffix(t), t);
        Var s = scale.Param("a", t);
        Var k = scale.Param("k", IrType.Int);
        Var total = scale.Local("total", 0.0, t);
        scale.For("j", 0, k, _ => scale.Assign(total, total + s * s / 3.0));
        scale.If(E.Eq(k, 0), () => scale.Return(-s), () => scale.Return(total));
        yield return scale.Build();
    }

    private E Call(int depth)
    {
        // Float locals in mixed programs call the double callees (arguments widen).
        IrType t = _type;
        switch (_random.Next(3))
        {
            case 0:
                return IrBuilder.Call(SmoothTarget(t), t, Expression(depth));
            case 1:
                return IrBuilder.Call(BlendTarget(t), t, Expression(depth), Pick(_reals), Math.Round(_random.NextDouble(), 2));
            default:
                E count = _counters.Count > 0 && _random.Next(2) == 0 ? Pick(_counters) : _n is not null && _random.Next(2) == 0 ? _n : _random.Next(0, 3);
                return IrBuilder.Call(ScaleTarget(t), t, Expression(depth), count);
        }
    }

    private E Constant() => Math.Round(_random.NextDouble() * 4 - 2, 2);

    private E Leaf()
    {
        double roll = _random.NextDouble();
        if (roll < 0.15) return Constant();
        if (roll < 0.25 && _counters.Count > 0) return Pick(_counters).To(_type);
        if (roll < 0.40 && _array is not null) return ArrayRead();
        return Pick(_reals);
    }

    /// <summary>Expressions that stay finite and smooth almost everywhere over the whole real line.</summary>
    private E Expression(int depth)
    {
        if (depth == 0 || _random.NextDouble() < 0.25) return Leaf();
        if (_random.NextDouble() < 0.05) return Call(depth - 1);
        if (_random.NextDouble() < 0.02)
        {
            // Min(Exp(K a), c): Exp overflows to ∞ for a > 709 / K; Min then selects c, whose gradient is 0.
            Features.Add("overflow-unselected");
            E exponent = Expression(depth - 1) * (double)(_random.Next(3) switch { 0 => 50, 1 => 300, _ => 1000 });
            return _random.Next(2) == 0 ? M.Min(M.Exp(exponent), 2.0) : M.Max(-M.Exp(exponent), -2.0);
        }
        E a = Expression(depth - 1);
        switch (_random.Next(18))
        {
            case 0: case 1: return a + Expression(depth - 1);
            case 2: case 3: return a - Expression(depth - 1);
            case 4: case 5: return a * Expression(depth - 1);
            case 6: { E d = Expression(depth - 1); return a / (d * d + 1.0); }
            case 7: return M.Sin(a);
            case 8: return M.Cos(a);
            case 9: return M.Tanh(a);
            case 10: return M.Exp(M.Sin(a));
            case 11: return M.Sqrt(a * a + 0.5);
            case 12: return M.Log(a * a + 1.0);
            case 13: return M.Call(MathFunction.Atan2, a, Expression(depth - 1));
            case 14: return M.Call(_random.Next(2) == 0 ? MathFunction.Max : MathFunction.Min, a, Expression(depth - 1));
            case 15: return M.Call(MathFunction.Hypot, a, Expression(depth - 1) + 0.3);
            case 16: return M.Pow(M.Abs(a) + 0.5, Math.Round(_random.NextDouble() * 3 - 1, 1));
            default: return -a;
        }
    }

    private T Pick<T>(List<T> items) => items[_random.Next(items.Count)];

    private void Shuffle<T>(List<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
