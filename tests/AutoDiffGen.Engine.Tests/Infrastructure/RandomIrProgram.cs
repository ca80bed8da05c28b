using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>
/// Random programs built with <see cref="IrBuilder"/>: straight-line code, branches on data and on counters, counted
/// loops (nested, triangular, descending, over a passive int parameter), loops with a data-dependent exit or with a
/// head that computes an active value, <c>break</c>, <c>continue</c> and early <c>return</c> in loops in the shape
/// lowering gives them (a jump variable and guards), reassigned parameters and locals, self-updates, dead code,
/// fan-out. The same seed gives the same program in double, float, or double with float locals (mixed).
/// </summary>
internal sealed class RandomIrProgram
{
    private readonly Random _random;
    private readonly IrBuilder _b;
    private readonly IrType _type;
    private readonly List<Var> _reals = new();      // double/float variables in scope (parameters, locals)
    private readonly List<Var> _assignable = new(); // those the program may overwrite
    private readonly List<Var> _counters = new();   // int loop counters in scope
    private readonly bool _mixed;
    private Var? _n;
    private Var? _jump;
    private int _loopDepth;
    private int _ifDepth;
    private int _statements;
    private int _names;

    private RandomIrProgram(int seed, IrType type, bool mixed)
    {
        _random = new Random(seed);
        _type = type;
        _mixed = mixed;
        _program = new Lazy<ReverseProgram>(() => IrRunner.Differentiate(Function));
        _b = new IrBuilder("Random" + seed, type);
    }

    public IrFunction Function { get; private set; } = null!;

    private readonly Lazy<ReverseProgram> _program;

    /// <summary>The engine's reverse program for <see cref="Function"/>, made once (the transform dominates the tests' time).</summary>
    public ReverseProgram Program => _program.Value;

    private static readonly ConcurrentDictionary<(int, string, bool), Lazy<RandomIrProgram>> Cache = new();

    /// <summary>The program of a seed, shared by every test that asks for it.</summary>
    public static RandomIrProgram Cached(int seed, IrType type, bool mixed = false) =>
        Cache.GetOrAdd((seed, type.CSharpName, mixed), _ => new Lazy<RandomIrProgram>(() => Generate(seed, type, mixed))).Value;

    /// <summary>Argument sets to check the program at (the int parameter, if any, is drawn too).</summary>
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
                default:
                    _n = _b.Param("n", IrType.Int);
                    break;
            }
        }

        int locals = 1 + _random.Next(3);
        for (int i = 0; i < locals; i++)
        {
            Var local = _b.Local("v" + i, Expression(2), _mixed && i % 2 == 1 ? IrType.Float : _type);
            _reals.Add(local);
            _assignable.Add(local);
        }
        TopLevel(3 + _random.Next(5));
        Function = _b.Build();

        for (int k = 0; k < points; k++)
        {
            Points.Add(Function.Parameters.Select(p => p.Type.Kind == IrTypeKind.Integer
                ? (object?)_random.Next(0, 4)
                : Real(Math.Round(_random.NextDouble() * 3 - 1.5, 3))).ToArray());
        }
    }

    /// <summary>
    /// Statements of the method's own block, then its return. A loop that may return early is followed, as lowering
    /// does it, by the rest of the method under <c>if (_jump == None)</c>.
    /// </summary>
    private void TopLevel(int count)
    {
        for (int i = 0; i < count && _statements < 28; i++)
        {
            if (_random.NextDouble() < 0.1)
            {
                JumpingLoop(Return);
                int rest = count - i - 1;
                _b.If(E.Eq(Jump, None), () => TopLevel(rest));
                return;
            }
            Statement();
        }
        if (_random.NextDouble() < 0.25)
        {
            _b.If(Condition(), () => _b.Return(ResultExpression()), () => _b.Return(ResultExpression()));
        }
        else
        {
            _b.Return(ResultExpression());
        }
    }

    private const int None = 0, Continue = 1, Break = 2, Return = 3;

    private Var Jump => _jump ??= _b.Variable("_jump", IrType.Int, IrVariableRole.Control);

    /// <summary>
    /// <c>for (i = 0; i &lt; m; i++) { A; if (c) { [_result = e;] jump } else { B } }</c> lowered as lowering does: the head
    /// tests the jump variable, the step runs only while not jumping, a break is cleared after the loop, a continue at
    /// the end of the body.
    /// </summary>
    private void JumpingLoop(int kind)
    {
        E bound = Bound();
        Var i = _b.Local("i" + _names++, 0, IrType.Int);
        Var jump = Jump;
        bool mayLeave = kind != Continue;
        _loopDepth++;
        _b.Loop(() =>
        {
            Var proceed = _b.Variable("_proceed", IrType.Bool, IrVariableRole.Control);
            if (mayLeave)
            {
                _b.Assign(proceed, E.Eq(jump, None));
                _b.If(proceed, () => _b.Assign(proceed, i < bound), copyCondition: false);
            }
            else
            {
                _b.Assign(proceed, i < bound);
            }
            return proceed;
        }, () =>
        {
            _counters.Add(i);
            Block(1 + _random.Next(2));
            _b.If(Condition(), () =>
            {
                if (kind == Return) _b.Return(ResultExpression());
                _b.Assign(jump, kind);
            }, () => Block(1 + _random.Next(2)));
            if (kind == Continue) _b.If(E.Eq(jump, Continue), () => _b.Assign(jump, None));
            if (mayLeave) _b.If(E.Eq(jump, None), () => _b.Assign(i, i + 1));
            else _b.Assign(i, i + 1);
            _counters.Remove(i);
        });
        _loopDepth--;
        if (kind == Break) _b.If(E.Eq(jump, Break), () => _b.Assign(jump, None));
    }

    /// <summary>
    /// <c>k = 0; while (true) { h = f(v…); if (!(k &lt; m &amp; h &lt; c)) break; …h…; k++ }</c>: the head computes an active value the
    /// body reads, and runs once more than the body.
    /// </summary>
    private void HeadComputingLoop()
    {
        Var k = _b.Local("k" + _names++, 0, IrType.Int);
        Var h = _b.Local("h" + _names++, _type);
        Var watched = Pick(_reals);
        double limit = Math.Round(_random.NextDouble() * 2 - 0.5, 2);
        int most = 1 + _random.Next(4);
        _loopDepth++;
        _b.Loop(() =>
        {
            _b.Assign(h, watched * 0.5 + M.Sin(Expression(1)));
            Var proceed = _b.Variable("_proceed", IrType.Bool, IrVariableRole.Control);
            _b.Assign(proceed, (k < most) & (h < limit));
            return proceed;
        }, () =>
        {
            _counters.Add(k);
            _reals.Add(h);
            Block(1 + _random.Next(3));
            _reals.Remove(h);
            _counters.Remove(k);
            _b.Assign(k, k + 1);
        });
        _loopDepth--;
        if (_loopDepth == 0 && _ifDepth == 0) _reals.Add(h); // its last value (the failed test's) is readable after the loop
    }

    private E Bound() => _random.Next(4) switch
    {
        0 when _n is not null => _n,
        1 when _counters.Count > 0 => Pick(_counters),     // triangular
        _ => _random.Next(0, 4),
    };

    private object Real(double value) => _type.Kind == IrTypeKind.Float ? (object)(float)value : value;

    private void Block(int count)
    {
        for (int i = 0; i < count && _statements < 28; i++) Statement();
    }

    private void Statement()
    {
        _statements++;
        double roll = _random.NextDouble();
        if (roll < 0.15 && _ifDepth < 2)
        {
            _ifDepth++;
            E condition = Condition();
            if (_random.NextDouble() < 0.6) _b.If(condition, () => Block(1 + _random.Next(3)), () => Block(1 + _random.Next(3)));
            else _b.If(condition, () => Block(1 + _random.Next(3)));
            _ifDepth--;
        }
        else if (roll < 0.27 && _loopDepth < 2)
        {
            CountedLoop();
        }
        else if (roll < 0.30 && _loopDepth < 2)
        {
            DataDependentLoop();
        }
        else if (roll < 0.33 && _loopDepth < 2)
        {
            HeadComputingLoop();
        }
        else if (roll < 0.36 && _loopDepth < 2)
        {
            JumpingLoop(_random.Next(2) == 0 ? Break : Continue);
        }
        else if (roll < 0.50)
        {
            // v = v ± e, or v = e + v: the in-place update lowering keeps.
            Var target = Pick(_assignable);
            E e = Expression(2);
            _b.Assign(target, _random.Next(3) switch { 0 => target + e, 1 => target - e, _ => e + target });
        }
        else if (roll < 0.55)
        {
            // Dead code: a fresh local nobody reads, possibly NaN-prone.
            _b.Local("dead" + _names++, M.Log(Expression(1)) * M.Sqrt(Expression(1)), _type);
        }
        else
        {
            Var target = Pick(_assignable);
            // Keep values bounded in loops: a contraction of the old value and something new.
            E value = _loopDepth > 0 && _random.NextDouble() < 0.5
                ? target * 0.5 + M.Tanh(Expression(2)) * 0.75
                : Expression(3);
            _b.Assign(target, value);
        }
    }

    private void CountedLoop()
    {
        E bound = Bound();
        _loopDepth++;
        if (_random.NextDouble() < 0.3)
        {
            // for (i = m; i > 0; i--)
            Var i = _b.Local("i" + _names++, bound, IrType.Int);
            _b.While(() => i > 0, () =>
            {
                _counters.Add(i);
                Block(1 + _random.Next(3));
                _counters.Remove(i);
                _b.Assign(i, i - 1);
            });
        }
        else
        {
            _b.For("i" + _names++, 0, bound, counter =>
            {
                _counters.Add(counter);
                Block(1 + _random.Next(3));
                _counters.Remove(counter);
            });
        }
        _loopDepth--;
    }

    private void DataDependentLoop()
    {
        // k = 0; while ((k < m) & (v < c)) { …; k = k + 1 }
        Var k = _b.Local("k" + _names++, 0, IrType.Int);
        Var watched = Pick(_reals);
        double limit = Math.Round(_random.NextDouble() * 2 - 0.5, 2);
        int most = 1 + _random.Next(4);
        _loopDepth++;
        _b.While(() => (k < most) & (watched < limit), () =>
        {
            _counters.Add(k);
            Block(1 + _random.Next(3));
            _counters.Remove(k);
            _b.Assign(k, k + 1);
        });
        _loopDepth--;
    }

    private E Condition()
    {
        int choice = _random.Next(4);
        if (choice == 0 && _counters.Count > 0) return E.Eq(Pick(_counters) % 2, 0);
        if (choice == 1 && _n is not null) return _n > 1;
        if (choice == 2) return Pick(_reals) < Pick(_reals);
        return Expression(2) > Math.Round(_random.NextDouble() - 0.5, 2);
    }

    private E ResultExpression()
    {
        E sum = Pick(_reals);
        int terms = _random.Next(3);
        for (int i = 0; i < terms; i++)
        {
            sum = _random.Next(2) == 0 ? sum + Pick(_reals) * Constant() : sum + Pick(_reals) * Pick(_reals);
        }
        return sum;
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
        return Pick(_reals);
    }

    /// <summary>Expressions that stay finite and smooth almost everywhere over the whole real line.</summary>
    private E Expression(int depth)
    {
        if (depth == 0 || _random.NextDouble() < 0.25) return Leaf();
        if (_random.NextDouble() < 0.05) return Call(depth - 1);
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
