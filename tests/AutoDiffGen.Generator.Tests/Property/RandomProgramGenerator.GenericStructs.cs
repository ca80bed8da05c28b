using System;
using System.Linq;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// A generic struct of reals in random programs (GenericStructTests, Parsing/TypeSubstitution.cs):
/// <c>struct Vec&lt;T&gt; where T : IFloatingPointIeee754&lt;T&gt;</c> with fields, a constructor, a computed property, methods
/// and an operator, used
/// <list type="bullet">
/// <item>at <c>Vec&lt;double&gt;</c> in M (its members read as double code): locals built with <c>new</c>, updated whole
/// (<c>Scale</c>, <c>+</c>) or through a field, read through fields, <c>Dot</c> and <c>Soft</c>;</item>
/// <item>at <c>Vec&lt;T&gt;</c> in two generic [Differentiable] methods M calls at double, through their generic
/// companions: <c>VecEnergy(v, k)</c> taking the struct, <c>VecLocals&lt;double&gt;(a, b)</c> building its own.</item>
/// </list>
/// The generic twin turns <c>Vec&lt;double&gt;</c> into <c>Vec&lt;T&gt;</c> and leaves the struct as it is. Every choice comes from
/// this file's own stream (lent to the main generator's writers), so programs without the struct are written as before;
/// the hooks are in <c>Build</c>, <c>Statement</c> and <c>Leaf</c>, plus <see cref="Variable.IsVec"/>.
/// </summary>
public sealed partial class RandomProgramGenerator
{
    public const string VecName = "Vec";
    public const string VecEnergyName = "VecEnergy";
    public const string VecLocalsName = "VecLocals";

    private const double GenericStructShare = 0.15;
    private const int VecStatementPercent = 14;
    private const int VecLeafPercent = 8;

    private Random? _vecRandom;

    private Random VecRandom => _vecRandom ??= new Random(_seed ^ 0x6E57);

    private bool _hasGenericStruct;

    private void MaybeWriteGenericStruct()
    {
        if (VecRandom.NextDouble() >= GenericStructShare) return;
        _hasGenericStruct = true;
        const string constraint = "where T : System.Numerics.IFloatingPointIeee754<T>";
        Line($"public struct {VecName}<T> {constraint}");
        Line("{");
        Line("    public T X;");
        Line("    public T Y;");
        Line("");
        Line($"    public {VecName}(T x, T y)");
        Line("    {");
        Line("        X = x;");
        Line("        Y = y;");
        Line("    }");
        Line("");
        Line($"    public readonly T Dot({VecName}<T> other) => X * other.X + Y * other.Y;");
        Line("    public readonly T Soft => T.Sqrt(T.One + X * X + Y * Y);");
        Line($"    public readonly {VecName}<T> Scale(T k) => new(k * X, k * Y);");
        Line($"    public static {VecName}<T> operator +({VecName}<T> a, {VecName}<T> b) => new(a.X + b.X, a.Y + b.Y);");
        Line("}");
        Line("");
        // |VecEnergy| ≤ |k| + √(1 + 2b²); |VecLocals| ≤ 1 + √(1 + 2b⁴) for arguments bounded by b.
        Line("[Differentiable]");
        Line($"public static T {VecEnergyName}<T>({VecName}<T> v, T k) {constraint} => k * v.Dot(v) / (T.One + v.Dot(v)) + v.Soft;");
        Line("");
        Line("[Differentiable]");
        Line($"public static T {VecLocalsName}<T>(T a, T b) {constraint}");
        Line("{");
        Line($"    var v = new {VecName}<T>(a, b);");
        Line($"    {VecName}<T> w = v.Scale(b) + v;");
        Line("    return w.Dot(v) / (T.One + w.Dot(w)) + w.Scale(T.One / (T.One + b * b)).Soft;");
        Line("}");
        Line("");
    }

    private Variable? RandomVec()
    {
        var candidates = _scopes.SelectMany(s => s).Where(v => v.IsVec).ToList();
        return candidates.Count == 0 ? null : candidates[_random.Next(candidates.Count)];
    }

    /// <summary>Sometimes, before the main generator's next statement, a statement over <c>Vec&lt;double&gt;</c>.</summary>
    private void MaybeVecStatement()
    {
        if (!_hasGenericStruct || VecRandom.Next(100) >= VecStatementPercent) return;
        FromStream(VecRandom, () =>
        {
            Variable? w = RandomVec();
            if (w is null || _random.Next(3) == 0)
            {
                string name = NewName("w");
                Expr x = Squash(Expression(2)), y = Squash(Expression(2));
                if (w is not null && _random.Next(2) == 0)
                {
                    Line($"{VecName}<double> {name} = {w.Name}.Scale({Constant().Text}) + new {VecName}<double>({x.Text}, {y.Text});");
                    Declare(new Variable { Name = name, IsInt = false, IsVec = true, Bound = 3 * w.Bound + Math.Max(x.Bound, y.Bound) });
                }
                else
                {
                    Line($"var {name} = new {VecName}<double>({x.Text}, {y.Text});");
                    Declare(new Variable { Name = name, IsInt = false, IsVec = true, Bound = Math.Max(x.Bound, y.Bound) });
                }
                return;
            }
            // In a loop every update is a contraction plus a bounded term, as for Pt.
            Expr e = _loopDepth > 0 ? Wrap(Expression(2)) : Squash(Expression(2));
            switch (_random.Next(3))
            {
                case 0:
                    Line($"{w.Name}.X = {e.Text};");
                    w.Bound = Math.Max(w.Bound, e.Bound);
                    break;
                case 1:
                    Line($"{w.Name} = {w.Name}.Scale(0.5) + new {VecName}<double>({e.Text}, {Constant().Text});");
                    w.Bound = Math.Max(w.Bound, 2 * Math.Max(e.Bound, 3));
                    break;
                default:
                    Line($"{w.Name}.Y = 0.5 * {w.Name}.Y + {e.Text};");
                    w.Bound = Math.Max(w.Bound, 2 * e.Bound);
                    break;
            }
        });
    }

    /// <summary>A double read from a Vec&lt;double&gt; or a call of the generic methods at double (null: not this time).</summary>
    private Expr? MaybeVecLeaf()
    {
        if (!_hasGenericStruct || VecRandom.Next(100) >= VecLeafPercent) return null;
        return FromStream(VecRandom, () =>
        {
            Variable? w = RandomVec();
            int roll = _random.Next(w is null ? 2 : 6);
            if (roll == 0)
            {
                Expr a = Squash(Expression(1)), b = Squash(Expression(1));
                double bound = Math.Max(a.Bound, b.Bound);
                return new Expr($"{VecLocalsName}<double>({a.Text}, {b.Text})", 1 + Math.Sqrt(1 + 2 * Math.Pow(bound, 4)));
            }
            if (roll == 1 || w is null)
            {
                Expr k = Squash(Expression(1));
                Expr a = Squash(Expression(1)), b = Squash(Expression(1));
                string v = w is not null && _random.Next(2) == 0 ? w.Name : $"new {VecName}<double>({a.Text}, {b.Text})";
                double bound = w is not null ? Math.Max(w.Bound, Math.Max(a.Bound, b.Bound)) : Math.Max(a.Bound, b.Bound);
                return new Expr($"{VecEnergyName}({v}, {k.Text})", k.Bound + Math.Sqrt(1 + 2 * bound * bound));
            }
            Variable? other = RandomVec();
            return roll switch
            {
                2 => new Expr($"{w.Name}.X", w.Bound),
                3 => new Expr($"{w.Name}.Y", w.Bound),
                4 => Squash(new Expr($"{w.Name}.Dot({other!.Name})", 2 * w.Bound * other.Bound)),
                _ => new Expr($"{w.Name}.Soft", 1 + 1.5 * w.Bound),
            };
        });
    }
}
