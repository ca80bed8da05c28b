using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// A generated program: one static partial class holding helpers and the method under test, M, whose parameters are
/// <c>double[] a</c> when <see cref="HasArrayParameter"/>, then <see cref="DoubleParameters"/> doubles, then <c>Pt q</c> (a
/// record struct of two doubles) when <see cref="HasStructParameter"/>, then <c>Pt[] pq</c> (two elements) when
/// <see cref="HasStructArrayParameter"/>, then <c>int n</c> when <see cref="HasCountParameter"/>. <see cref="HarnessSource"/> adds to the class the entry points the checker calls
/// (<see cref="RandomProgramGenerator.WriteHarness"/>); it needs the generated companions, so it is compiled with them.
/// </summary>
public sealed record RandomProgram(int Seed, string ClassName, string Source, int DoubleParameters, bool HasCountParameter, bool HasArrayParameter, string HarnessSource,
    bool HasStructParameter = false, bool HasStructArrayParameter = false, HandWrittenDerivatives HandWritten = HandWrittenDerivatives.None)
{
    /// <summary>
    /// Whether M's MTangent can be generated: not when M calls <c>OverHand</c>, whose <c>HandSoft</c> has only a hand-written
    /// <c>…Backward</c>. Such an M asks for reverse mode only (asking for forward mode is error ADG0307, after which none of
    /// its companions are generated: GradientPropertyTests checks that refusal on its forward twin), and its harness has no <c>Tangent</c>.
    /// </summary>
    public bool HasTangent => HandWritten != HandWrittenDerivatives.BackwardOnly;

    public const string MethodName = "M";

    /// <summary>The harness's scalar coordinates: the doubles, then the struct parameter's two fields, then the array of structs' fields.</summary>
    public int ScalarCoordinates => DoubleParameters + (HasStructParameter ? 2 : 0) + (HasStructArrayParameter ? 2 * HarnessLayout.StructArrayLength : 0);
}

/// <summary>
/// Writes random, well-typed [Differentiable] programs over double parameters: expression trees of the supported
/// operators and Math functions, locals, reassignment (of parameters too), compound assignment, ++/--, if/else
/// chains on comparisons of active values with &amp;&amp;/||/!, ?:, for loops with constant or parameter bounds,
/// while and do-while loops with break/continue, early returns (also from nested loops), and calls to generated
/// [Differentiable] helpers, including a recursive one; and (RandomProgramGenerator.Arrays.cs) an array parameter, local
/// arrays (also allocated inside loops), element reads and writes at integer index arithmetic (<c>i % a.Length</c>,
/// <c>(i + 1) % n</c>, <c>i / 2</c>), loops over array lengths with triangular inner bounds, <c>if (i == 1) continue;</c>,
/// values assigned a constant or a passive value on one side of a branch, and values that overflow or are NaN on a
/// path that does not reach the result, and triangular nests over a packed index <c>li++</c>; and in the other partial
/// files, each with its own random stream where it was added later: structs and local functions, arrays of structs,
/// slices, switches and tuples, hand-written derivatives, one-line helpers called in loops, sealed overrides and a
/// recursive callee returning a struct (Callees.cs), and the generic struct <c>Vec&lt;T&gt;</c> (GenericStructs.cs).
/// </summary>
/// <remarks>
/// Every function is used on a domain where it is smooth and finite whatever its argument: divisions by
/// (1 + t*t) or (2 + Sin t), Log(1 + t*t), Exp of a bounded argument, Asin(0.9 Tanh t), Clamp with ordered bounds.
/// A rough magnitude bound per expression decides when to squash a value (Tanh, Atan, Sin) so loops do not blow
/// up; non-smooth points (branches, Abs, Max) are handled by the checker, which skips points where finite
/// differences are unstable.
/// </remarks>
public sealed partial class RandomProgramGenerator
{
    private const double SquashAbove = 50;

    private Random _random; // swapped while a construct of RandomProgramGenerator.Callees.cs draws from its own stream
    private readonly int _seed;
    private StringBuilder _out = new(); // swapped while local functions are written (StructsAndLocalFunctions.cs)
    private readonly List<Helper> _helpers = new();
    private List<List<Variable>> _scopes = new();
    private int _nextName;
    private int _indent;
    private int _loopDepth;
    private int _controlDepth;
    private int _statementBudget;
    private bool _inHelper;

    /// <summary>
    /// Set while a branch condition is written: an increment there (<c>(v0++) &gt; (--v0)</c>) compares a value with
    /// itself up to rounding, so which arm runs is decided by the last bit and finite differences cannot check it.
    /// </summary>
    private bool _inCondition;

    /// <summary>M's attribute: every program asks for MTangent too…</summary>
    public const string ForwardAttribute = "[Differentiable(Derivatives.Reverse | Derivatives.Forward)]";

    /// <summary>…but one over a hand-written …Backward only (<see cref="HandWrittenDerivatives.BackwardOnly"/>), whose forward twin is refused (ADG0307).</summary>
    public const string ReverseOnlyAttribute = "[Differentiable(Derivatives.Reverse)]";

    private RandomProgramGenerator(int seed)
    {
        _seed = seed;
        _random = new Random(seed);
    }

    public static RandomProgram Generate(int seed) => new RandomProgramGenerator(seed).Build();

    private sealed class Variable
    {
        public required string Name { get; init; }
        public required bool IsInt { get; init; }
        public bool IsReadOnly { get; init; }
        public bool IsBool { get; init; }
        /// <summary>A double[]: read and written element-wise only (Arrays.cs).</summary>
        public bool IsArray { get; init; }
        /// <summary>A <see cref="StructName"/>: read through its fields and members, updated whole (StructsAndLocalFunctions.cs).</summary>
        public bool IsStruct { get; init; }
        /// <summary>A local <see cref="StructName"/>[]: read and written element by element (StructArrays.cs).</summary>
        public bool IsStructArray { get; init; }
        /// <summary>A <see cref="VecName"/>&lt;double&gt; local: the generic struct of reals (GenericStructs.cs).</summary>
        public bool IsVec { get; init; }
        /// <summary>A double: what expressions read and assignments write.</summary>
        public bool IsScalarDouble => !IsInt && !IsBool && !IsArray && !IsStruct && !IsStructArray && !IsVec;
        /// <summary>An array's length, as a canonical expression ("a.Length", "3", "n + 1").</summary>
        public string? LengthText { get; init; }
        /// <summary>A loop counter that is a valid index of every array of this length (Arrays.cs).</summary>
        public string? IndexesLength { get; init; }
        public double Bound { get; set; }
    }

    /// <param name="Params">A <c>params double[]</c> helper: called with one to three arguments.</param>
    private sealed record Helper(string Name, int Arity, bool Recursive, double Bound, bool Params = false);

    private readonly record struct Expr(string Text, double Bound);

    private RandomProgram Build()
    {
        string className = "P" + _seed.ToString(CultureInfo.InvariantCulture);
        _out.Append("using System;\nusing System.Numerics.Tensors;\nusing AutoDiffGen;\n\nnamespace Prop;\n\npublic static partial class ").Append(className).Append("\n{\n");
        _indent = 1;

        int helperCount = _random.Next(0, 3);
        for (int h = 0; h < helperCount; h++) WriteHelper(h);
        if (_random.NextDouble() < 0.25) WriteRecursiveHelper();
        if (_random.NextDouble() < ParamsHelperShare) WriteParamsHelper();
        if (_random.NextDouble() < StructProgramShare) WriteStructType();
        MaybeWriteHandWrittenHelper();
        WriteCallees();           // RandomProgramGenerator.Callees.cs
        MaybeWriteGenericStruct(); // RandomProgramGenerator.GenericStructs.cs

        int parameters = _random.Next(1, 4);
        bool hasCount = _random.NextDouble() < 0.5;
        _hasArray = _random.NextDouble() < ArrayProgramShare;
        WriteMain(parameters, hasCount);

        _out.Append("}\n");
        string source = _out.ToString();
        // Every program asks for MTangent too, TensorPrimitives ones included; one over a hand-written …Backward only cannot have it (ADG0307), so it asks for reverse mode only.
        bool forward = _handWritten != HandWrittenDerivatives.BackwardOnly;
        var layout = new HarnessLayout(parameters, hasCount, _hasArray, _hasStructParameter, _hasStructArrayParameter);
        return new RandomProgram(_seed, className, source, parameters, hasCount, _hasArray, WriteHarness(className, layout, forward), _hasStructParameter,
            _hasStructArrayParameter, _handWritten);
    }

    // ---- methods ----------------------------------------------------------------------------------------------

    private void WriteHelper(int index)
    {
        int arity = _random.Next(1, 3);
        string name = "H" + index.ToString(CultureInfo.InvariantCulture);
        BeginMethod(name, arity, hasCount: false, prefix: "a");
        _inHelper = true;
        Expr result;
        if (_random.NextDouble() < 0.4)
        {
            // Expression-bodied.
            result = Squash(Expression(2));
            TrimMethodOpening();
            Line($"    => {result.Text};");
        }
        else
        {
            _statementBudget = _random.Next(1, 5);
            Block(maxStatements: 3, allowControl: true);
            result = Squash(Expression(2));
            Line($"return {result.Text};");
            _indent--;
            Line("}");
        }
        _inHelper = false;
        Line("");
        _scopes = new();
        _helpers.Add(new Helper(name, arity, Recursive: false, result.Bound));
    }

    private void WriteRecursiveHelper()
    {
        // R(a, m) = m <= 0 ? E1(a) : c * Sin(R(E2(a), m - 1)) + E3(a): the recursion depth is the int argument.
        _scopes = new() { new List<Variable> { new() { Name = "a", IsInt = false, IsReadOnly = true, Bound = 2 } } };
        _inHelper = true;
        Expr e1 = Squash(Expression(1));
        Expr e2 = Squash(Expression(1));
        Expr e3 = Squash(Expression(1));
        _inHelper = false;
        string c = Constant().Text;
        Line("[Differentiable]");
        Line($"public static double R(double a, int m) => m <= 0 ? {e1.Text} : {c} * Math.Sin(R({e2.Text}, m - 1)) + {e3.Text};");
        Line("");
        _scopes = new();
        _helpers.Add(new Helper("R", 1, Recursive: true, Math.Max(e1.Bound, 3 + e3.Bound)));
    }

    private void WriteMain(int parameters, bool hasCount)
    {
        BeginMethod(RandomProgram.MethodName, parameters, hasCount, prefix: "p");
        string localFunctions = WriteLocalFunctions();
        if (_hasArray && _random.Next(4) == 0) NullGuard();
        _statementBudget = _random.Next(3, 12);
        Block(maxStatements: 6, allowControl: true);
        string? energy = MaybeVirtualAccumulation();
        Line($"return {WithHandWrittenCall(Result()).Text}{(energy is null ? "" : " + 0.25 * " + energy)};");
        EndLocalFunctions(localFunctions);
        _indent--;
        Line("}");
    }

    /// <summary>The returned value: an expression plus a few live variables, so most statements matter.</summary>
    private Expr Result()
    {
        Expr e = Squash(Expression(3));
        var live = _scopes.SelectMany(s => s).Where(v => v.IsScalarDouble).ToList();
        if (HasArrays() && _random.Next(2) == 0 && ArrayRead() is { } element)
        {
            Expr term = Squash(element);
            e = new Expr($"{e.Text} + {term.Text}", e.Bound + term.Bound);
        }
        for (int i = 0, n = _random.Next(0, 4); i < n && live.Count > 0; i++)
        {
            Variable v = live[_random.Next(live.Count)];
            Expr term = Squash(new Expr(v.Name, v.Bound));
            e = new Expr($"{e.Text} + {term.Text}", e.Bound + term.Bound);
        }
        return e;
    }

    private int _methodOpeningLength;

    private void BeginMethod(string name, int arity, bool hasCount, string prefix)
    {
        _scopes = new() { new List<Variable>() };
        var parameters = new List<string>();
        if (name == RandomProgram.MethodName && _hasArray)
        {
            parameters.Add("double[] a");
            Declare(new Variable { Name = "a", IsInt = false, IsArray = true, Bound = 2, LengthText = "a.Length" });
        }
        for (int i = 0; i < arity; i++)
        {
            string p = prefix + i.ToString(CultureInfo.InvariantCulture);
            parameters.Add("double " + p);
            Declare(new Variable { Name = p, IsInt = false, Bound = 2 });
        }
        if (name == RandomProgram.MethodName && _hasStructParameter)
        {
            parameters.Add(StructName + " q");
            Declare(new Variable { Name = "q", IsInt = false, IsStruct = true, Bound = 2 });
        }
        if (name == RandomProgram.MethodName && _hasStructArrayParameter)
        {
            parameters.Add(StructName + "[] pq"); // RandomProgramGenerator.StructArrays.cs reads and writes its elements
            Declare(new Variable { Name = "pq", IsInt = false, IsStructArray = true, Bound = 2, LengthText = HarnessLayout.StructArrayLength.ToString(CultureInfo.InvariantCulture) });
        }
        if (hasCount)
        {
            parameters.Add("int n");
            Declare(new Variable { Name = "n", IsInt = true, IsReadOnly = true, Bound = 4 });
        }
        _nextName = 0;
        _loopDepth = 0;
        _controlDepth = 0;
        // M asks for forward mode too; its helpers do not, so their MTangent is generated on demand.
        Line(name != RandomProgram.MethodName ? "[Differentiable]" : _handWritten == HandWrittenDerivatives.BackwardOnly ? ReverseOnlyAttribute : ForwardAttribute);
        Line($"public static double {name}({string.Join(", ", parameters)})");
        _methodOpeningLength = _out.Length;
        Line("{");
        _indent++;
    }

    private void TrimMethodOpening()
    {
        _out.Length = _methodOpeningLength;
        _indent--;
    }

    // ---- statements -------------------------------------------------------------------------------------------

    private void Block(int maxStatements, bool allowControl)
    {
        int count = _random.Next(1, maxStatements + 1);
        for (int i = 0; i < count && (i == 0 || _statementBudget > 0); i++)
        {
            _statementBudget--;
            Statement(allowControl && _controlDepth < 3 && _statementBudget > 0);
        }
    }

    private void Statement(bool allowControl)
    {
        // Each with a random stream of its own: StructArrays.cs, Callees.cs, GenericStructs.cs, Arrays.cs (packed nests).
        MaybeStructArrayStatement();
        MaybeCalleeStatement();
        MaybeVecStatement();
        MaybePackedNest();
        if (HasArrays() && _random.Next(100) < 25) { ArrayStatement(allowControl); return; }
        if (Arrays().Any(a => a.Name != "a") && _random.Next(100) < 10) { SpanPrimitive(); return; }
        if (allowControl && _random.Next(100) < 4) { OffPathNonFinite(); return; }
        if (_hasStructType && _random.Next(100) < 16) { StructStatement(); return; }
        int roll = _random.Next(100);
        if (!allowControl) roll %= 45;
        if (roll < 3) { BoolLocal(); return; }
        if (roll < 14) { DeclareLocal(); return; }
        if (roll < 24) { Assign(); return; }
        if (roll < 36) { CompoundAssign(); return; }
        if (roll < 40) { IncrementStatement(); return; }
        if (roll < 45) { ConstLocal(); return; }
        if (roll < 60) { If(); return; }
        if (roll < 72 && _loopDepth < 2) { For(); return; }
        if (roll < 79 && _loopDepth < 2) { While(); return; }
        if (roll < 84 && _loopDepth < 2) { DoWhile(); return; }
        if (roll < 90) { EarlyReturn(); return; }
        if (roll < 96 && _loopDepth > 0) { BreakOrContinue(); return; }
        if (roll >= 90 && CSharpConstruct()) return; // switch and tuples: RandomProgramGenerator.CSharpConstructs.cs
        DeclareLocal();
    }

    private void DeclareLocal()
    {
        Expr e = Squash(Expression(3));
        string name = NewName("v");
        Line($"double {name} = {e.Text};");
        Declare(new Variable { Name = name, IsInt = false, Bound = e.Bound });
    }

    /// <summary>A flag: declared from a condition, reassigned in branches, and read as a condition later.</summary>
    private void BoolLocal()
    {
        Variable? flag = _random.Next(2) == 0 ? RandomBool() : null;
        if (flag is not null)
        {
            Line(_random.Next(2) == 0 ? $"{flag.Name} = !{flag.Name};" : $"{flag.Name} = {Condition(1)};");
            return;
        }
        string name = NewName("b");
        Line($"bool {name} = {(_random.Next(3) == 0 ? "true" : Condition(1))};");
        Declare(new Variable { Name = name, IsInt = false, IsBool = true, Bound = 0 });
    }

    private Variable? RandomBool()
    {
        var candidates = _scopes.SelectMany(s => s).Where(v => v.IsBool).ToList();
        return candidates.Count == 0 ? null : candidates[_random.Next(candidates.Count)];
    }

    private void ConstLocal()
    {
        Expr c = Constant();
        string name = NewName("c");
        Line($"const double {name} = {c.Text};");
        Declare(new Variable { Name = name, IsInt = false, IsReadOnly = true, Bound = c.Bound });
    }

    private void Assign()
    {
        Variable? v = PickAssignable();
        if (v is null) { DeclareLocal(); return; }
        if (_controlDepth > 0 && _random.Next(8) == 0)
        {
            // A constant or a passive value: on this path the variable's gradient is exactly zero.
            Expr passive = PassiveValue();
            Line($"{v.Name} = {passive.Text};");
            v.Bound = Math.Max(v.Bound, passive.Bound);
            return;
        }
        // Inside a loop a plain assignment is squashed, so a value fed back through iterations stays bounded.
        Expr e = _loopDepth > 0 ? Wrap(Expression(2)) : Squash(Expression(3));
        if (_loopDepth > 0 && _random.NextDouble() < 0.5)
        {
            Line($"{v.Name} = 0.5 * {v.Name} + {e.Text};");
            v.Bound = Math.Max(v.Bound, 2 * e.Bound);
        }
        else
        {
            Line($"{v.Name} = {e.Text};");
            v.Bound = Math.Max(v.Bound, e.Bound);
        }
    }

    private void CompoundAssign()
    {
        Variable? v = PickAssignable();
        if (v is null) { DeclareLocal(); return; }
        switch (_random.Next(4))
        {
            case 0:
            case 1:
            {
                Expr e = _loopDepth > 0 ? SquashBelow(Expression(2), 3) : Squash(Expression(3));
                Line($"{v.Name} {(_random.Next(2) == 0 ? "+=" : "-=")} {e.Text};");
                v.Bound += e.Bound * LoopFactor();
                break;
            }
            case 2:
            {
                Expr e = Expression(2);
                if (_loopDepth > 0 || v.Bound > 10)
                {
                    Line($"{v.Name} *= (0.5 + 0.25 * Math.Sin({e.Text}));");
                }
                else
                {
                    Expr factor = SquashBelow(e, 2);
                    Line($"{v.Name} *= {factor.Text};");
                    v.Bound *= Math.Max(1, factor.Bound);
                }
                break;
            }
            default:
            {
                Expr e = Expression(2);
                Line($"{v.Name} /= {(_random.Next(2) == 0 ? $"(2 + Math.Cos({e.Text}))" : $"(1 + {Sq(e)})")};");
                break;
            }
        }
    }

    private void IncrementStatement()
    {
        Variable? v = PickAssignable();
        if (v is null) { DeclareLocal(); return; }
        string[] forms = { "{0}++;", "{0}--;", "++{0};", "--{0};" };
        Line(string.Format(CultureInfo.InvariantCulture, forms[_random.Next(forms.Length)], v.Name));
        v.Bound += LoopFactor();
    }

    private void If()
    {
        _controlDepth++;
        Line($"if ({Condition(2)})");
        Braced(() => Block(3, allowControl: true));
        int elseIfs = _random.Next(3) == 0 ? 1 : 0;
        for (int i = 0; i < elseIfs; i++)
        {
            Line($"else if ({Condition(2)})");
            Braced(() => Block(2, allowControl: true));
        }
        if (_random.Next(2) == 0)
        {
            Line("else");
            Braced(() => Block(2, allowControl: true));
        }
        _controlDepth--;
    }

    private void For()
    {
        string i = NewName("i");
        if (ArrayLoopHeader(i) is { } arrayLoop)
        {
            Line(arrayLoop.Header);
            Loop(() => Declare(new Variable { Name = i, IsInt = true, IsReadOnly = true, Bound = 8, IndexesLength = arrayLoop.Length }));
            return;
        }
        string bound = LoopBound();
        string header = _random.Next(4) switch
        {
            0 => $"for (int {i} = {bound}; {i} > 0; {i}--)",
            1 => $"for (int {i} = 0; {i} < 2 * ({bound}); {i} += 2)",
            _ => $"for (int {i} = 0; {i} < {bound}; {i}++)",
        };
        Line(header);
        Loop(() => Declare(new Variable { Name = i, IsInt = true, IsReadOnly = true, Bound = 8 }));
    }

    private void While()
    {
        string k = NewName("k");
        Line($"int {k} = 0;");
        string condition = _random.Next(3) == 0 ? $"{k} < {LoopBound()} && {Condition(1)}" : $"{k} < {LoopBound()}";
        Line($"while ({condition})");
        // The counter moves first, so a continue anywhere in the body cannot loop forever.
        Loop(() =>
        {
            Line($"{k}++;");
            Declare(new Variable { Name = k, IsInt = true, IsReadOnly = true, Bound = 5 });
        });
    }

    private void DoWhile()
    {
        string k = NewName("k");
        Line($"int {k} = 0;");
        Line("do");
        string bound = LoopBound();
        Loop(() =>
        {
            Line($"{k}++;");
            Declare(new Variable { Name = k, IsInt = true, IsReadOnly = true, Bound = 5 });
        }, after: $" while ({k} < {bound});");
    }

    private void Loop(Action prologue, string after = "")
    {
        _loopDepth++;
        _controlDepth++;
        Line("{");
        _indent++;
        _scopes.Add(new List<Variable>());
        prologue();
        MaybeSmallHelperUpdate(); // a one-line helper called in the loop: RandomProgramGenerator.Callees.cs
        // Most loops carry a value from one iteration to the next.
        if (_random.Next(3) > 0) CompoundAssign();
        Block(4, allowControl: true);
        _scopes.RemoveAt(_scopes.Count - 1);
        _indent--;
        Line("}" + after);
        _controlDepth--;
        _loopDepth--;
    }

    private string LoopBound()
    {
        bool hasCount = Lookup("n") is not null;
        return _random.Next(5) switch
        {
            0 when hasCount => "n",
            1 when hasCount => "n + 1",
            _ => _random.Next(1, 5).ToString(CultureInfo.InvariantCulture),
        };
    }

    private void EarlyReturn()
    {
        Line($"if ({Condition(2)}) return {Squash(Expression(2)).Text};");
    }

    private void BreakOrContinue()
    {
        string jump = _random.Next(2) == 0 ? "break" : "continue";
        // Also on a counter value, as loops over data do (if (i == 1) continue;): the exit is then passive.
        Variable? counter = _random.Next(3) == 0 ? RandomVariable(isInt: true) : null;
        Line(counter is not null ? $"if ({counter.Name} == {_random.Next(0, 3)}) {jump};" : $"if ({Condition(1)}) {jump};");
    }

    private void Braced(Action body)
    {
        Line("{");
        _indent++;
        _scopes.Add(new List<Variable>());
        body();
        _scopes.RemoveAt(_scopes.Count - 1);
        _indent--;
        Line("}");
    }

    // ---- conditions -------------------------------------------------------------------------------------------

    private string Condition(int depth)
    {
        int roll = _random.Next(10);
        if (depth > 0 && roll == 0) return $"({Condition(depth - 1)} && {Condition(depth - 1)})";
        if (depth > 0 && roll == 1) return $"({Condition(depth - 1)} || {Condition(depth - 1)})";
        if (depth > 0 && roll == 2) return $"!({Condition(depth - 1)})";
        if (roll == 4 && RandomBool() is { } flag) return _random.Next(2) == 0 ? flag.Name : "!" + flag.Name;
        if (roll == 3)
        {
            // A passive condition on an integer.
            Variable? counter = RandomVariable(isInt: true);
            if (counter is not null) return $"{counter.Name} % 2 == 0";
        }
        string[] ops = { "<", ">", "<=", ">=" };
        bool outer = _inCondition;
        _inCondition = true;
        try
        {
            return $"{Expression(1).Text} {ops[_random.Next(ops.Length)]} {Expression(1).Text}";
        }
        finally
        {
            _inCondition = outer;
        }
    }

    // ---- expressions ------------------------------------------------------------------------------------------

    private Expr Expression(int depth)
    {
        if (depth <= 0 || _random.Next(4) == 0) return Leaf();
        int roll = _random.Next(100);
        if (roll < 12) return Binary(depth, "+", (a, b) => a + b);
        if (roll < 22) return Binary(depth, "-", (a, b) => a + b);
        if (roll < 34) return Binary(depth, "*", (a, b) => a * b);
        if (roll < 42) return Divide(depth);
        if (roll < 46)
        {
            Expr e = Expression(depth - 1);
            return new Expr($"(-{Paren(e.Text)})", e.Bound);
        }
        if (roll < 82) return Function(depth);
        if (roll < 88)
        {
            Expr a = Expression(depth - 1), b = Expression(depth - 1);
            return new Expr($"({Condition(1)} ? {a.Text} : {b.Text})", Math.Max(a.Bound, b.Bound));
        }
        if (roll < 95 && _helpers.Count > 0) return Call(depth);
        if (roll < 98) return IncrementExpression() ?? Leaf();
        return Leaf();
    }

    private Expr Binary(int depth, string op, Func<double, double, double> bound)
    {
        Expr a = Expression(depth - 1), b = Expression(depth - 1);
        return new Expr($"({a.Text} {op} {b.Text})", bound(a.Bound, b.Bound));
    }

    private Expr Divide(int depth)
    {
        Expr a = Expression(depth - 1), t = Expression(depth - 1);
        return _random.Next(3) switch
        {
            0 => new Expr($"({a.Text} / (1 + {Sq(t)}))", a.Bound),
            1 => new Expr($"({a.Text} / (2 + Math.Sin({t.Text})))", a.Bound),
            _ => new Expr($"({a.Text} / (1.5 + Math.Cos({t.Text})))", 2 * a.Bound),
        };
    }

    private Expr Function(int depth)
    {
        Expr t = Expression(depth - 1);
        double b = t.Bound;
        switch (_random.Next(32))
        {
            case 0: return new Expr($"Math.Sin({t.Text})", 1);
            case 1: return new Expr($"Math.Cos({t.Text})", 1);
            case 2: return new Expr($"Math.Tan(0.5 * Math.Sin({t.Text}))", 0.6);
            case 3: return new Expr($"Math.Asin(0.9 * Math.Tanh({t.Text}))", 1.2);
            case 4: return new Expr($"Math.Acos(0.9 * Math.Tanh({t.Text}))", 2.7);
            case 5: return new Expr($"Math.Atan({t.Text})", 1.6);
            case 6:
            {
                Expr u = Expression(depth - 1);
                return new Expr($"Math.Atan2({t.Text}, 2 + Math.Cos({u.Text}))", 1.6);
            }
            case 7: return b <= 3 ? new Expr($"Math.Sinh({t.Text})", Math.Sinh(b)) : new Expr($"Math.Sinh(Math.Sin({t.Text}))", 1.2);
            case 8: return b <= 3 ? new Expr($"Math.Cosh({t.Text})", Math.Cosh(b)) : new Expr($"Math.Cosh(Math.Tanh({t.Text}))", 1.6);
            case 9: return new Expr($"Math.Tanh({t.Text})", 1);
            case 10: return new Expr($"Math.Asinh({t.Text})", Math.Asinh(b));
            case 11: return new Expr($"Math.Acosh(2 + {Sq(t)})", Math.Acosh(2 + b * b));
            case 12: return new Expr($"Math.Atanh(0.9 * Math.Tanh({t.Text}))", 1.5);
            case 13: return b <= 2 ? new Expr($"Math.Exp({t.Text})", Math.Exp(b)) : new Expr($"Math.Exp(Math.Sin({t.Text}))", 2.72);
            case 14: return new Expr($"Math.Exp(-{Sq(t)})", 1);
            case 15: return new Expr($"Math.Log(1 + {Sq(t)})", Math.Log(1 + b * b));
            case 16: return new Expr($"Math.Log(2 + Math.Sin({t.Text}))", 1.1);
            case 17:
            {
                Expr u = Expression(depth - 1);
                return _random.Next(2) == 0
                    ? new Expr($"Math.Log(1 + {Sq(t)}, 3 + Math.Cos({u.Text}))", Math.Log(1 + b * b) / Math.Log(2))
                    : new Expr($"Math.Log(1 + {Sq(t)}, 10.0)", Math.Log10(1 + b * b));
            }
            case 18: return new Expr($"Math.Log10(1 + {Sq(t)})", Math.Log10(1 + b * b));
            case 19: return new Expr($"Math.Log2(1 + {Sq(t)})", Math.Log2(1 + b * b));
            case 20: return new Expr($"Math.Sqrt(1 + {Sq(t)})", Math.Sqrt(1 + b * b));
            case 21: return new Expr($"Math.Cbrt(2 + Math.Sin({t.Text}))", 1.5);
            case 22:
                return b <= 10
                    ? new Expr($"Math.Pow({t.Text}, {(_random.Next(2) == 0 ? "2" : "3.0")})", b * b * b)
                    : new Expr($"Math.Pow(Math.Tanh({t.Text}), 2)", 1);
            case 23:
            {
                Expr u = Expression(depth - 1);
                return new Expr($"Math.Pow(1 + {Sq(t)}, 0.5 * Math.Sin({u.Text}))", Math.Sqrt(1 + b * b));
            }
            case 24: return new Expr($"Math.Abs({t.Text})", b);
            case 25:
            {
                Expr u = Expression(depth - 1);
                return new Expr($"Math.{(_random.Next(2) == 0 ? "Max" : "Min")}({t.Text}, {u.Text})", Math.Max(b, u.Bound));
            }
            case 26:
            {
                Expr lo = Expression(depth - 1), hi = Expression(depth - 1);
                return _random.Next(2) == 0
                    ? new Expr($"Math.Clamp({t.Text}, -1.0 - {Sq(lo)}, 1.0 + {Sq(hi)})", b)
                    : new Expr($"Math.Clamp({t.Text}, -1.0, 1.0)", 1);
            }
            case 27:
            {
                Expr u = Expression(depth - 1), v = Expression(depth - 1);
                return new Expr($"Math.FusedMultiplyAdd({t.Text}, {u.Text}, {v.Text})", b * u.Bound + v.Bound);
            }
            case 28:
            {
                Expr u = Expression(depth - 1);
                return new Expr($"double.Hypot({t.Text}, 1 + {Sq(u)})", b + 1 + u.Bound * u.Bound);
            }
            case 29: return new Expr($"(Math.Sin({t.Text}) * Math.Cos({t.Text}))", 1);
            case 30: return new Expr($"({t.Text} / (1 + {Sq(t)}))", 0.5);
            default: return new Expr($"((float){Paren(t.Text)} * 0 + (double)(int)0.5 + {t.Text})", b);
        }
    }

    private Expr Call(int depth)
    {
        Helper h = _helpers[_random.Next(_helpers.Count)];
        var args = new List<string>();
        if (h.Params)
        {
            for (int i = 0, count = _random.Next(1, 4); i < count; i++) args.Add(Squash(Expression(depth - 1)).Text);
        }
        else if (h.Recursive)
        {
            args.Add(Expression(depth - 1).Text);
            args.Add(Lookup("n") is not null && _random.Next(2) == 0 ? "n" : _random.Next(0, 4).ToString(CultureInfo.InvariantCulture));
        }
        else if (_random.Next(6) == 0)
        {
            // A call with passive arguments only.
            for (int i = 0; i < h.Arity; i++) args.Add(Constant().Text);
        }
        else
        {
            for (int i = 0; i < h.Arity; i++) args.Add(Squash(Expression(depth - 1)).Text);
        }
        return new Expr($"{h.Name}({string.Join(", ", args)})", h.Bound);
    }

    private Expr? IncrementExpression()
    {
        if (_inHelper || _inCondition) return null;
        Variable? v = PickAssignable();
        if (v is null) return null;
        string[] forms = { "({0}++)", "({0}--)", "(++{0})", "(--{0})" };
        v.Bound += LoopFactor();
        return new Expr(string.Format(CultureInfo.InvariantCulture, forms[_random.Next(forms.Length)], v.Name), v.Bound);
    }

    private Expr Leaf()
    {
        if (HasArrays() && _random.Next(4) == 0 && ArrayRead() is { } element) return element;
        if (_hasStructType && _random.Next(5) == 0 && StructRead() is { } member) return member;
        if (MaybeVecLeaf() is { } vec) return vec; // RandomProgramGenerator.GenericStructs.cs
        int roll = _random.Next(100);
        if (roll < 68)
        {
            Variable? v = RandomVariable(isInt: false);
            if (v is not null) return new Expr(v.Name, v.Bound);
        }
        if (roll < 80)
        {
            Variable? i = RandomVariable(isInt: true);
            if (i is not null) return new Expr(i.Name, i.Bound);
        }
        return Constant();
    }

    private Expr Constant()
    {
        string[] constants = { "0.5", "1.5", "2.0", "0.25", "3.0", "1.25", "0.75", "2" };
        string c = constants[_random.Next(constants.Length)];
        return new Expr(c, double.Parse(c, CultureInfo.InvariantCulture));
    }

    /// <summary>t*t written so t is evaluated once per use, as the source says.</summary>
    private static string Sq(Expr t) => $"{Paren(t.Text)} * {Paren(t.Text)}";

    private static string Paren(string text) => text.StartsWith('(') && text.EndsWith(')') && Balanced(text) ? text : "(" + text + ")";

    private static bool Balanced(string text)
    {
        int depth = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            if (depth == 0 && i < text.Length - 1) return false;
        }
        return depth == 0;
    }

    private Expr Squash(Expr e) => e.Bound > SquashAbove ? Wrap(e) : e;

    private Expr SquashBelow(Expr e, double limit) => e.Bound > limit ? Wrap(e) : e;

    private Expr Wrap(Expr e) => _random.Next(3) switch
    {
        0 => new Expr($"Math.Tanh({e.Text})", 1),
        1 => new Expr($"Math.Atan({e.Text})", 1.6),
        _ => new Expr($"(2 * Math.Sin({e.Text}))", 2),
    };

    private double LoopFactor() => _loopDepth == 0 ? 1 : Math.Pow(5, _loopDepth);

    // ---- scopes -----------------------------------------------------------------------------------------------

    private void Declare(Variable v) => _scopes[^1].Add(v);

    private string NewName(string prefix) => prefix + (_nextName++).ToString(CultureInfo.InvariantCulture);

    private Variable? Lookup(string name) => _scopes.SelectMany(s => s).FirstOrDefault(v => v.Name == name);

    private Variable? RandomVariable(bool isInt)
    {
        var candidates = _scopes.SelectMany(s => s).Where(v => isInt ? v.IsInt && !v.IsBool : v.IsScalarDouble).ToList();
        if (candidates.Count == 0) return null;
        // Favour recent variables, so chains of locals feed each other.
        int index = Math.Max(_random.Next(candidates.Count), _random.Next(candidates.Count));
        return candidates[index];
    }

    private Variable? PickAssignable()
    {
        var candidates = _scopes.SelectMany(s => s).Where(v => v.IsScalarDouble && !v.IsReadOnly).ToList();
        return candidates.Count == 0 ? null : candidates[_random.Next(candidates.Count)];
    }

    private void Line(string text)
    {
        if (text.Length > 0) _out.Append(' ', 4 * _indent).Append(text);
        _out.Append('\n');
    }
}
