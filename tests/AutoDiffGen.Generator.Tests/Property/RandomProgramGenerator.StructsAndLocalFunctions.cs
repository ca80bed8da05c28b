using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// More ordinary C# of issue 10 in random programs:
/// <list type="bullet">
/// <item>a user struct of reals, <c>record struct Pt(double X, double Y)</c> with a computed property, a method and an
/// operator: a struct parameter <c>q</c> of M (its fields are two more harness coordinates), struct locals built with
/// <c>new</c>, <c>with</c>, members and <c>+</c>, updated whole, field by field through property setters, or swapped, and
/// read through X, Y, Norm2 and members;</item>
/// <item>a helper taking the struct with a hand-written derivative, <c>PtBend(Pt p)</c> beside <c>PtBendBackward</c> and
/// <c>PtBendTangent</c>: M's call goes through them (the struct rebuilt, its adjoint scattered back into the fields), not
/// inlined; wrapped around struct reads drawn from a stream of its own, so the main generator's choices stay as they were;</item>
/// <item>a <c>params double[]</c> helper called with one to three arguments;</item>
/// <item>a null guard on the array parameter (<c>is null</c>, <c>== null</c>, <c>?? throw</c>, <c>is not null</c>);</item>
/// <item>local functions of M, static or reading M's parameters, expression-bodied or with loops, branches and early
/// returns, called from M and from each other.</item>
/// </list>
/// Kept apart from the main generator; its hooks are in <c>Build</c>, <c>BeginMethod</c>, <c>WriteMain</c>,
/// <c>Statement</c>, <c>Leaf</c> and <c>Call</c>.
/// </summary>
public sealed partial class RandomProgramGenerator
{
    public const string StructName = "Pt";

    private const double StructProgramShare = 0.25;
    private const double StructParameterShare = 0.7;
    private const double ParamsHelperShare = 0.15;
    private const double LocalFunctionShare = 0.25;

    /// <summary>Whether the program declares <see cref="StructName"/> (then M and its local functions use it).</summary>
    private bool _hasStructType;
    private bool _hasStructParameter;

    // ---- the struct ------------------------------------------------------------------------------------------

    private void WriteStructType()
    {
        _hasStructType = true;
        _hasStructParameter = _random.NextDouble() < StructParameterShare;
        ChooseStructArrayParameter(); // its own stream (StructArrays.cs): the main generator's choices stay as they were
        Line($"public record struct {StructName}(double X, double Y)");
        Line("{");
        Line("    public readonly double Norm2 => X * X + Y * Y;");
        Line($"    public readonly {StructName} Scaled(double k) => new(k * X, k * Y);");
        Line($"    public static {StructName} operator +({StructName} a, {StructName} b) => new(a.X + b.X, a.Y + b.Y);");
        Line("}");
        Line("");
        WriteStructHelperWithDerivative();
    }

    // ---- a struct-taking helper with a hand-written derivative ------------------------------------------------

    public const string StructHelperName = "PtBend";

    /// <summary>One struct read in <see cref="StructHelperShare"/> is passed through <see cref="StructHelperName"/>.</summary>
    private const double StructHelperShare = 0.3;

    private Random? _structHelperRandom;

    private Random StructHelperRandom => _structHelperRandom ??= new Random(_seed ^ 0x5B3D);

    /// <summary>
    /// <c>PtBend(p) = sin(p.X)·p.Y + 0.5·p.Y</c> (|PtBend| ≤ 1.5|p.Y|) with its derivative written by hand, as a user would
    /// for a method the generator cannot see into: M's calls of it go through <c>PtBendBackward</c>/<c>PtBendTangent</c>.
    /// </summary>
    private void WriteStructHelperWithDerivative()
    {
        Line(StructHelperDeclaration);
        foreach (string line in StructHelperDerivatives.Split('\n')) Line(line);
        Line("");
    }

    private const string StructHelperDeclaration = "public static double " + StructHelperName + "(" + StructName + " p) => Math.Sin(p.X) * p.Y + 0.5 * p.Y;";

    private const string StructHelperDerivatives =
        "public static double " + StructHelperName + "Backward(" + StructName + " p, double seed, ref " + StructName + " dp)\n"
        + "{\n"
        + "    dp = new " + StructName + "(dp.X + seed * Math.Cos(p.X) * p.Y, dp.Y + seed * (Math.Sin(p.X) + 0.5));\n"
        + "    return " + StructHelperName + "(p);\n"
        + "}\n"
        + "public static double " + StructHelperName + "Tangent(" + StructName + " p, " + StructName + " dp, out double tangent)\n"
        + "{\n"
        + "    tangent = Math.Cos(p.X) * p.Y * dp.X + (Math.Sin(p.X) + 0.5) * dp.Y;\n"
        + "    return " + StructHelperName + "(p);\n"
        + "}";

    /// <summary>
    /// The program with the struct helper's hand-written derivatives replaced by <c>[Differentiable]</c> on the helper
    /// itself (the same function): for twins that need what a hand-written derivative cannot give (second order).
    /// </summary>
    public static string WithDifferentiableStructHelper(string source)
    {
        string indented(string text) => string.Join("\n", text.Split('\n').Select(l => "    " + l));
        return source.Replace(indented(StructHelperDerivatives) + "\n", "")
            .Replace("    " + StructHelperDeclaration, "    [Differentiable]\n    " + StructHelperDeclaration);
    }

    /// <summary>
    /// A read of struct <paramref name="s"/>, sometimes (from the helper's own stream) replaced by a call of the helper on
    /// <c>s</c> itself or on a struct built from the read: <c>PtBend(s)</c>, <c>PtBend(new Pt(read, s.Y))</c>.
    /// </summary>
    private Expr ThroughStructHelper(Variable s, Expr read)
    {
        double draw = StructHelperRandom.NextDouble();
        if (draw >= StructHelperShare) return read;
        return draw < StructHelperShare / 2
            ? new Expr($"{StructHelperName}({s.Name})", 1.5 * s.Bound)
            : new Expr($"{StructHelperName}(new {StructName}({read.Text}, {s.Name}.Y))", 1.5 * s.Bound);
    }

    private Variable? RandomStruct()
    {
        var candidates = _scopes.SelectMany(s => s).Where(v => v.IsStruct).ToList();
        return candidates.Count == 0 ? null : candidates[_random.Next(candidates.Count)];
    }

    /// <summary>Declares a struct local, or updates one (a parameter too).</summary>
    private void StructStatement()
    {
        Variable? s = RandomStruct();
        if (s is null || _random.Next(3) == 0) { StructLocal(s); return; }
        // In a loop every update is a contraction plus a bounded term, so values fed back through iterations stay bounded.
        Expr e = _loopDepth > 0 ? Wrap(Expression(2)) : Squash(Expression(2));
        switch (_random.Next(5))
        {
            case 0:
                Line($"{s.Name} = {s.Name} with {{ Y = 0.5 * {s.Name}.Y + {e.Text} }};");
                s.Bound = System.Math.Max(s.Bound, 2 * e.Bound);
                break;
            case 1:
                Line($"{s.Name} = new {StructName}({s.Name}.Y, {s.Name}.X);");
                break;
            case 2:
                // A property setter of the mutable record struct.
                Line($"{s.Name}.X = {e.Text};");
                s.Bound = System.Math.Max(s.Bound, e.Bound);
                break;
            case 3:
                Line($"{s.Name}.Y = 0.5 * {s.Name}.Y + {e.Text};");
                s.Bound = System.Math.Max(s.Bound, 2 * e.Bound);
                break;
            default:
                Line($"{s.Name} = {s.Name}.Scaled(0.5) + new {StructName}({e.Text}, {Constant().Text});");
                s.Bound = System.Math.Max(s.Bound, 2 * System.Math.Max(e.Bound, 3));
                break;
        }
    }

    private void StructLocal(Variable? from)
    {
        string name = NewName("r");
        Expr e1 = Squash(Expression(2)), e2 = Squash(Expression(2));
        double bound;
        switch (from is null ? 0 : _random.Next(4))
        {
            case 0:
                Line($"{StructName} {name} = new {StructName}({e1.Text}, {e2.Text});");
                bound = System.Math.Max(e1.Bound, e2.Bound);
                break;
            case 1:
                Line($"{StructName} {name} = {from!.Name} with {{ X = {e1.Text} }};");
                bound = System.Math.Max(from.Bound, e1.Bound);
                break;
            case 2:
                Line($"var {name} = {from!.Name} + new {StructName}({e1.Text}, {e2.Text}).Scaled({Constant().Text});");
                bound = from.Bound + 3 * System.Math.Max(e1.Bound, e2.Bound);
                break;
            default:
                Line($"{StructName} {name} = {from!.Name};");
                bound = from.Bound;
                break;
        }
        Declare(new Variable { Name = name, IsInt = false, IsStruct = true, Bound = bound });
    }

    /// <summary>A double read from a struct: a field, the computed property, or a member of a derived value.</summary>
    private Expr? StructRead()
    {
        Variable? s = RandomStruct();
        if (s is null) return null;
        Expr read = _random.Next(5) switch
        {
            0 => new Expr($"{s.Name}.X", s.Bound),
            1 => new Expr($"{s.Name}.Y", s.Bound),
            2 => Squash(new Expr($"{s.Name}.Norm2", 2 * s.Bound * s.Bound)),
            3 => new Expr($"{s.Name}.Scaled({Constant().Text}).Y", 3 * s.Bound),
            _ => RandomStruct() is { } t ? new Expr($"({s.Name} + {t.Name}).X", s.Bound + t.Bound) : new Expr($"{s.Name}.Y", s.Bound),
        };
        return ThroughStructHelper(s, read);
    }

    // ---- null guards -----------------------------------------------------------------------------------------

    /// <summary>A null guard on the array parameter, in one of the forms C# developers write (never taken: a is never null).</summary>
    private void NullGuard()
    {
        string[] forms =
        {
            "if (a is null) throw new ArgumentNullException(nameof(a));",
            "if (a == null) throw new ArgumentNullException(nameof(a));",
            "_ = a ?? throw new ArgumentNullException(nameof(a));",
            "if (!(a is not null)) throw new ArgumentException(\"null\", nameof(a));",
        };
        Line(forms[_random.Next(forms.Length)]);
    }

    // ---- params ----------------------------------------------------------------------------------------------

    /// <summary><c>Sum0(params double[] xs)</c>: a fold over the arguments, sometimes reading the first directly.</summary>
    private void WriteParamsHelper()
    {
        const string name = "Sum0";
        _scopes = new() { new List<Variable> { new() { Name = "x", IsInt = false, IsReadOnly = true, Bound = 2 } } };
        _inHelper = true;
        Expr term = Squash(Expression(2));
        _inHelper = false;
        Expr start = Constant();
        bool readsFirst = _random.Next(2) == 0;
        Line("[Differentiable]");
        Line($"public static double {name}(params double[] xs)");
        Line("{");
        Line($"    double s = {start.Text};");
        Line($"    foreach (double x in xs) s += {term.Text};");
        Line(readsFirst ? "    return s + 0.5 * xs[0] * xs[xs.Length - 1];" : "    return s;");
        Line("}");
        Line("");
        _scopes = new();
        _helpers.Add(new Helper(name, 1, Recursive: false, start.Bound + 3 * term.Bound + (readsFirst ? 2 : 0), Params: true));
    }

    // ---- local functions -------------------------------------------------------------------------------------

    private readonly List<Helper> _localFunctions = new();

    /// <summary>
    /// Writes M's local functions (returned as text, placed after M's return) and makes them callable from M's body:
    /// the generator's state is set aside while they are written, their locals are numbered from 1000 so they never
    /// shadow M's, and M's parameters they read are read-only there (a local function never writes a captured value).
    /// </summary>
    private string WriteLocalFunctions()
    {
        if (_random.NextDouble() >= LocalFunctionShare) return "";
        StringBuilder saved = _out;
        var savedScopes = _scopes;
        (int indent, int nextName, int budget) = (_indent, _nextName, _statementBudget);
        var captures = _scopes[0].Where(v => v.IsScalarDouble).Select(v => new Variable { Name = v.Name, IsInt = false, IsReadOnly = true, Bound = v.Bound }).ToList();
        var text = new StringBuilder();
        _out = text;
        _inHelper = true;
        var capturing = new List<Helper>();
        var capturingNames = new HashSet<string>();
        for (int k = 0, count = _random.Next(1, 3); k < count; k++)
        {
            string name = "L" + k.ToString(CultureInfo.InvariantCulture);
            bool isStatic = _random.Next(2) == 0;
            _scopes = new() { new List<Variable> { new() { Name = "u", IsInt = false, Bound = 2 } } };
            if (!isStatic) _scopes[0].AddRange(captures);
            _nextName = 1000 + 100 * k;
            _indent = indent;
            if (isStatic)
            {
                // A static local function cannot call one that captures (CS8421): hide those while it is written.
                capturing.AddRange(_helpers.Where(h => capturingNames.Contains(h.Name)));
                _helpers.RemoveAll(h => capturingNames.Contains(h.Name));
            }
            string header = $"{(isStatic ? "static " : "")}double {name}(double u)";
            Expr result;
            if (_random.NextDouble() < 0.4)
            {
                result = Squash(Expression(2));
                Line($"{header} => {result.Text};");
            }
            else
            {
                Line(header);
                Line("{");
                _indent++;
                _statementBudget = _random.Next(1, 5);
                Block(maxStatements: 3, allowControl: true);
                result = Squash(Expression(2));
                Line($"return {result.Text};");
                _indent--;
                Line("}");
            }
            foreach (Helper hidden in capturing) _helpers.Add(hidden);
            capturing.Clear();
            var helper = new Helper(name, 1, Recursive: false, result.Bound);
            _helpers.Add(helper);
            _localFunctions.Add(helper);
            if (!isStatic) capturingNames.Add(name);
        }
        _inHelper = false;
        _out = saved;
        _scopes = savedScopes;
        (_indent, _nextName, _statementBudget) = (indent, nextName, budget);
        return text.ToString();
    }

    /// <summary>After M's return: the local functions, under a marker the vector-valued twin stops at.</summary>
    private void EndLocalFunctions(string localFunctions)
    {
        if (localFunctions.Length == 0) return;
        Line("");
        Line(LocalFunctionsMarker);
        _out.Append(localFunctions);
        foreach (Helper helper in _localFunctions) _helpers.Remove(helper);
        _localFunctions.Clear();
    }

    /// <summary>The comment that precedes M's local functions.</summary>
    public const string LocalFunctionsMarker = "// local functions";
}
