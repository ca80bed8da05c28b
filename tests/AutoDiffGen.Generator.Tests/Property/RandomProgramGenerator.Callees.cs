using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// Callees of the kinds the generator treats apart, in random programs:
/// <list type="bullet">
/// <item>a one-line scalar helper <see cref="SmallHelperName"/> (a sigmoid, <c>z/√(1+z²)</c>, one taking an <c>int</c>, …)
/// called inside loops, where it is inlined from source (MethodLowering.SmallCallees.cs): a gated update
/// <c>g = G0(e); v = g·tanh(v + e) + (1 − g)·v</c> (CallTests.One_line_helper_called_in_a_loop…), or a term of a local or of
/// a compound assignment;</item>
/// <item>a sealed override and an override in a sealed class (<c>Soft.Energy</c>, <c>Stiff.Energy</c>) called on static
/// instances: calls that cannot dispatch elsewhere, so they go through those methods' own companions (VirtualCalleeTests;
/// a call through the abstract base is refused with ADG0101, which is not a property test's business); beside them, a
/// [Differentiable] virtual method and its [Differentiable] override called through a base-typed instance that holds the
/// override (<c>WaveOne.Energy</c>): the call goes through the virtual companions, which dispatch to the override's;</item>
/// <item>in programs declaring <see cref="StructName"/>, a recursive <c>[Differentiable]</c> callee returning the struct,
/// <c>Spiral(p, c, m)</c> (StructCompanionCallTests): its call of itself goes through its own companions.</item>
/// </list>
/// </summary>
/// <remarks>
/// Whether a program has each callee, and every choice of the statements that use them, comes from a random stream of
/// this file's own (<see cref="FromStream{T}"/> lends it to the main generator's expression writers), so a program without
/// them is written exactly as before. The hooks are in <c>Build</c>, <c>Statement</c> and <c>Loop</c>.
/// </remarks>
public sealed partial class RandomProgramGenerator
{
    public const string SmallHelperName = "G0";
    public const string SpiralName = "Spiral";
    public const string StiffInstance = "StiffOne";
    public const string SoftInstance = "SoftOne";
    public const string WaveInstance = "WaveOne";

    private const double SmallHelperShare = 0.25;
    private const double SealedOverrideShare = 0.15;
    private const double SpiralShare = 0.5; // of the programs declaring Pt
    private const int SmallHelperLoopPercent = 60;
    private const int CalleeStatementPercent = 8;

    private Random? _calleeRandom;

    private Random CalleeRandom => _calleeRandom ??= new Random(_seed ^ 0xCA11E);

    /// <summary>The small helper's arity and form (null: the program has none): see <see cref="WriteSmallHelper"/>.</summary>
    private (int Form, double Bound)? _smallHelper;
    private bool _hasSealedOverrides;
    private bool _hasSpiral;

    /// <summary>Runs <paramref name="draw"/> with <paramref name="stream"/> as the generator's random stream.</summary>
    private T FromStream<T>(Random stream, Func<T> draw)
    {
        Random main = _random;
        _random = stream;
        try
        {
            return draw();
        }
        finally
        {
            _random = main;
        }
    }

    private void FromStream(Random stream, Action draw) => FromStream(stream, () => { draw(); return 0; });

    /// <summary>Writes the callees this program has, decided from this file's stream (called once the struct is declared or not).</summary>
    private void WriteCallees()
    {
        if (CalleeRandom.NextDouble() < SmallHelperShare) WriteSmallHelper(Math.Max(0, CalleeRandom.Next(-1, SmallHelperForms.Length))); // the gate twice as often
        if (CalleeRandom.NextDouble() < SealedOverrideShare) WriteSealedOverrides();
        if (_hasStructType && CalleeRandom.NextDouble() < SpiralShare) WriteSpiral();
    }

    // ---- a one-line helper, called in loops ----------------------------------------------------------------------------

    /// <summary>Each form: its declaration (one expression, well under MethodLowering.SmallCalleeNodes) and its bound.</summary>
    private static readonly (string Declaration, double Bound)[] SmallHelperForms =
    {
        ("double G0(double z) => 1 / (1 + Math.Exp(-z));", 1),                       // a gate: in (0, 1)
        ("double G0(double z) => z / Math.Sqrt(1 + z * z);", 1),
        ("double G0(double x, double y) => Math.Tanh(x) * Math.Exp(-y * y) + 0.5 * Math.Sin(y);", 1.5),
        ("double G0(double x, int k) => Math.Sin(k * x) / (1 + k) + 0.25 * Math.Tanh(x);", 1.25),
        ("double G0(double x) => 0.5 * Math.Log(1 + x * x) - Math.Atan(x);", 0), // bound from the argument's
    };

    private void WriteSmallHelper(int form)
    {
        _smallHelper = (form, SmallHelperForms[form].Bound);
        Line("[Differentiable]");
        Line("public static " + SmallHelperForms[form].Declaration);
        Line("");
    }

    /// <summary><c>G0(…)</c> with arguments drawn by the main generator's writers (from this file's stream).</summary>
    private Expr SmallHelperCall()
    {
        (int form, double bound) = _smallHelper!.Value;
        Expr x = Squash(Expression(1));
        return form switch
        {
            2 => new Expr($"{SmallHelperName}({x.Text}, {Squash(Expression(1)).Text})", bound),
            3 => new Expr($"{SmallHelperName}({x.Text}, {(RandomVariable(isInt: true) is { } k && _random.Next(2) == 0 ? k.Name : _random.Next(0, 4).ToString(CultureInfo.InvariantCulture))})", bound),
            4 => new Expr($"{SmallHelperName}({x.Text})", 0.5 * Math.Log(1 + x.Bound * x.Bound) + 1.6),
            _ => new Expr($"{SmallHelperName}({x.Text})", bound),
        };
    }

    /// <summary>At the top of a loop body: a statement calling the small helper (inlined there), sometimes.</summary>
    private void MaybeSmallHelperUpdate()
    {
        if (_smallHelper is null || CalleeRandom.Next(100) >= SmallHelperLoopPercent) return;
        FromStream(CalleeRandom, () =>
        {
            Variable? v = PickAssignable();
            // 0: gated update (the gate only), 1: compound assignment, 2: a new local.
            int kind = v is null ? 2 : _smallHelper.Value.Form == 0 && _random.Next(2) == 0 ? 0 : 1 + _random.Next(2);
            if (kind == 0)
            {
                // The gated recurrence: a convex combination, so |v| stays below max(|v|, 1).
                string g = NewName("g");
                Line($"double {g} = {SmallHelperCall().Text};");
                Line($"{v!.Name} = {g} * Math.Tanh({v.Name} + {Squash(Expression(1)).Text}) + (1 - {g}) * {v.Name};");
                v.Bound = Math.Max(v.Bound, 1);
            }
            else if (kind == 1)
            {
                Line($"{v!.Name} += 0.5 * Math.Tanh({SmallHelperCall().Text});");
                v.Bound += 0.5 * LoopFactor();
            }
            else
            {
                string s = NewName("v");
                Expr call = SmallHelperCall();
                Line($"double {s} = {call.Text} * Math.Cos({Expression(1).Text});");
                Declare(new Variable { Name = s, IsInt = false, Bound = call.Bound });
            }
        });
    }

    // ---- sealed overrides ------------------------------------------------------------------------------------------

    private void WriteSealedOverrides()
    {
        _hasSealedOverrides = true;
        Line("public abstract partial class Shape");
        Line("{");
        Line("    public abstract double Energy(double x, double y);");
        Line("}");
        Line("");
        Line("/// <summary>An override in a sealed class: a call on a Stiff runs this very method.</summary>");
        Line("public sealed partial class Stiff : Shape");
        Line("{");
        Line("    private readonly double _k;");
        Line("    public Stiff(double k) => _k = k;");
        Line("");
        Line("    [Differentiable]");
        Line("    public override double Energy(double x, double y) => _k * (x * x + x * y + y * y) / (1 + x * x + y * y);");
        Line("}");
        Line("");
        Line("/// <summary>A sealed override in an open class.</summary>");
        Line("public partial class Soft : Shape");
        Line("{");
        Line("    [Differentiable]");
        Line("    public sealed override double Energy(double x, double y) => 0.5 * Math.Tanh(x) * (y + Math.Sin(x * y));");
        Line("}");
        Line("");
        Line("/// <summary>A virtual [Differentiable] method, overridden: called on a Wave that is a Ripple, it runs Ripple's.</summary>");
        Line("public partial class Wave");
        Line("{");
        Line("    [Differentiable(Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]");
        Line("    public virtual double Energy(double x, double y) => 0.5 * Math.Sin(x) * y / (1 + y * y);");
        Line("}");
        Line("");
        Line("public partial class Ripple : Wave");
        Line("{");
        Line("    private readonly double _a;");
        Line("    public Ripple(double a) => _a = a;");
        Line("");
        Line("    [Differentiable(Derivatives.Reverse | Derivatives.Forward | Derivatives.Hessian)]");
        Line("    public override double Energy(double x, double y) => _a * Math.Tanh(x - y) * Math.Cos(x * y);");
        Line("}");
        Line("");
        Line($"private static readonly Stiff {StiffInstance} = new(1.5);");
        Line($"private static readonly Soft {SoftInstance} = new();");
        Line($"private static readonly Wave {WaveInstance} = new Ripple(0.8);");
        Line("");
    }

    /// <summary><c>StiffOne.Energy(e, e)</c> (|·| ≤ 2.25), <c>SoftOne.Energy(e, e)</c> (|·| ≤ 0.5(|y| + 1)) or <c>WaveOne.Energy(e, e)</c> (|·| ≤ 0.8).</summary>
    private Expr SealedOverrideCall()
    {
        Expr x = Squash(Expression(1)), y = Squash(Expression(1));
        return _random.Next(3) switch
        {
            0 => new Expr($"{StiffInstance}.Energy({x.Text}, {y.Text})", 2.25),
            1 => new Expr($"{SoftInstance}.Energy({x.Text}, {y.Text})", 0.5 * (y.Bound + 1)),
            _ => new Expr($"{WaveInstance}.Energy({x.Text}, {y.Text})", 0.8), // through the base: Ripple's, |·| ≤ 0.8
        };
    }

    // ---- a recursive callee returning a struct ---------------------------------------------------------------------

    private void WriteSpiral()
    {
        _hasSpiral = true;
        Line("/// <summary>(x, y) ↦ (sin(c·y), x/2 + tanh y), m times: its call of itself goes through its own companions.</summary>");
        Line("[Differentiable]");
        Line($"public static {StructName} {SpiralName}({StructName} p, double c, int m) => m <= 0 ? p : {SpiralName}(new {StructName}(Math.Sin(c * p.Y), 0.5 * p.X + Math.Tanh(p.Y)), c, m - 1);");
        Line("");
    }

    /// <summary><c>Spiral(s, c, m)</c> of a struct in scope or one built from values; m a constant, <c>n</c> or a counter.</summary>
    private (string Text, double Bound) SpiralCall()
    {
        Variable? s = RandomStruct();
        string from;
        double bound;
        if (s is not null && _random.Next(2) == 0)
        {
            (from, bound) = (s.Name, s.Bound);
        }
        else
        {
            Expr x = Squash(Expression(1)), y = Squash(Expression(1));
            (from, bound) = ($"new {StructName}({x.Text}, {y.Text})", Math.Max(x.Bound, y.Bound));
        }
        Variable? counter = RandomVariable(isInt: true);
        string m = counter is not null && _random.Next(3) == 0 ? counter.Name : _random.Next(0, 4).ToString(CultureInfo.InvariantCulture);
        // Each step leaves |x| ≤ 1 and |y| ≤ |x|/2 + 1 of the step before.
        return ($"{SpiralName}({from}, {Squash(Expression(1)).Text}, {m})", Math.Max(bound, 2));
    }

    /// <summary>
    /// Whether the program calls, through its companions, a callee taking or returning a struct that cannot be inlined:
    /// Spiral (it calls itself) or VecEnergy (it is generic). Second order refuses such calls for now (ADG0305: "second
    /// order does not go through such a call yet"), so the Hessian twins leave those programs out.
    /// </summary>
    public static bool CallsStructCompanions(string source) =>
        source.Split(SpiralName + "(").Length - 1 > 2 // Spiral's declaration names it twice
        || source.Contains(VecEnergyName + "(", StringComparison.Ordinal);

    // ---- statements using them -------------------------------------------------------------------------------------

    /// <summary>
    /// Sometimes, last before M's return, an accumulation over the array parameter through the virtual method:
    /// <c>e = 0; for (i = 0; i &lt; a.Length; i++) e += WaveOne.Energy(a[i], y);</c>, returned as <c>… + 0.25 · e</c>. Only
    /// the return follows the loop, linear in <c>e</c>, and the iterations are independent: the loop is reversed as it runs
    /// (fused), where the call's value comes from its pullback, one virtual call per iteration (Reverse/PullbackValues.cs).
    /// </summary>
    /// <returns>The accumulator to add to the result, or null.</returns>
    private string? MaybeVirtualAccumulation()
    {
        if (!_hasSealedOverrides || !_hasArray || CalleeRandom.Next(2) != 0) return null;
        return FromStream(CalleeRandom, () =>
        {
            var scalars = _scopes.SelectMany(s => s).Where(v => v.IsScalarDouble).ToList();
            string y = scalars.Count > 0 ? scalars[_random.Next(scalars.Count)].Name : "0.5";
            string e = NewName("e"), i = NewName("i");
            Line($"double {e} = 0;");
            Line($"for (int {i} = 0; {i} < a.Length; {i}++) {e} += {WaveInstance}.Energy(a[{i}], {y});");
            return e;
        });
    }

    /// <summary>Sometimes, before the main generator's next statement, a statement calling a sealed override or Spiral.</summary>
    private void MaybeCalleeStatement()
    {
        if (!_hasSealedOverrides && !_hasSpiral) return;
        if (CalleeRandom.Next(100) >= CalleeStatementPercent) return;
        FromStream(CalleeRandom, () =>
        {
            bool spiral = _hasSpiral && (!_hasSealedOverrides || _random.Next(2) == 0);
            if (!spiral)
            {
                Variable? target = _random.Next(3) == 0 ? PickAssignable() : null;
                Expr call = SealedOverrideCall();
                if (target is not null)
                {
                    Line($"{target.Name} += 0.5 * Math.Tanh({call.Text});");
                    target.Bound += 0.5 * LoopFactor();
                    return;
                }
                string e = NewName("v");
                Line($"double {e} = {call.Text};");
                Declare(new Variable { Name = e, IsInt = false, Bound = call.Bound });
                return;
            }
            var (text, bound) = SpiralCall();
            if (_random.Next(2) == 0)
            {
                string r = NewName("r");
                Line($"{StructName} {r} = {text};");
                Declare(new Variable { Name = r, IsInt = false, IsStruct = true, Bound = bound });
            }
            else
            {
                string v = NewName("v");
                Expr factor = Squash(Expression(1));
                Line($"double {v} = {text}.{(_random.Next(2) == 0 ? "X" : "Y")} * {factor.Text};");
                Declare(new Variable { Name = v, IsInt = false, Bound = bound * factor.Bound });
            }
        });
    }
}
