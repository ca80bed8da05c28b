using System;
using System.Collections.Immutable;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>What a call of a table function means for differentiation.</summary>
    internal enum RuleKind
    {
        /// <summary>Differentiated through its partials: lowered to an <see cref="IrMathCall"/>.</summary>
        Differentiable,
        /// <summary>
        /// Derivative zero almost everywhere or undefined (Floor, Round, Sign…): the gradient does not flow through it,
        /// and the analyzers say so (ADG0201). Lowered as an ordinary passive call.
        /// </summary>
        ZeroDerivative,
        /// <summary>
        /// A predicate on a real value (<c>double.IsNaN</c>…): its result is a bool, through which no gradient flows,
        /// so there is nothing to refuse. Lowered as a passive call, like a comparison.
        /// </summary>
        Predicate,
    }

    /// <summary>The types whose static members a rule stands for.</summary>
    [Flags]
    internal enum RuleOwners
    {
        None = 0,
        /// <summary><c>System.Math</c>.</summary>
        Math = 1,
        /// <summary><c>System.MathF</c>.</summary>
        MathF = 2,
        /// <summary><c>double</c>'s static members (the generic-math interfaces it implements).</summary>
        Double = 4,
        /// <summary><c>float</c>'s static members.</summary>
        Single = 8,
        /// <summary>Every owner of real math functions.</summary>
        All = Math | MathF | Double | Single,
        /// <summary>Members that exist only on the IEEE types (generic math), not on Math/MathF.</summary>
        Ieee = Double | Single,
    }

    /// <summary>A parameter of a table function.</summary>
    internal enum RuleParameter
    {
        /// <summary>A real of the call's result type: differentiated.</summary>
        Real,
        /// <summary>An <c>int</c>: passive data (an exponent, a root's degree).</summary>
        Integer,
    }

    /// <summary>What the reverse sweep pays to evaluate the function again instead of storing its value.</summary>
    internal enum RecomputeCost
    {
        /// <summary>A comparison, a select or a bit operation: as cheap as arithmetic, so recomputed rather than taped.</summary>
        Cheap,
        /// <summary>
        /// A one-argument elementary function (sin, exp, log, √, tanh…): one library call of a few tens of cycles,
        /// recomputed in a loop's reverse from operands that still hold their values rather than taped per iteration,
        /// within <c>RecomputationAnalysis.RecomputeBudget</c> (design.md, "Store or recompute").
        /// </summary>
        Elementary,
        /// <summary>Any other transcendental or library call (pow, atan2, hypot…): stored.</summary>
        Call,
    }

    /// <summary>
    /// Where a non-smooth function has no derivative and the subgradient its rule uses there, in the words of the
    /// ADG0204 message ("… is not differentiable {Where}: the gradient there uses {Subgradient}").
    /// </summary>
    internal sealed record NonSmoothness(string Where, string Subgradient);

    /// <summary>Builds the partial derivatives of <c>result = F(args)</c>, one per argument, in the result's type.</summary>
    internal delegate ImmutableArray<IrExpression> PartialsBuilder(PartialBuilder t, ImmutableArray<IrExpression> args, IrExpression result);

    /// <summary>
    /// One entry of the rule table (<see cref="RuleTable"/>): everything the engine and the analyzers know about one
    /// function. Lowering matches calls with it, the reverse transform reads its partials, activity analysis its flat
    /// arguments, the emitter its spelling, recomputation its cost, and the analyzers its kind and smoothness.
    /// </summary>
    internal sealed class FunctionRule
    {
        public FunctionRule(string name, RuleKind kind, RuleOwners owners)
        {
            Name = name;
            Kind = kind;
            Owners = owners;
        }

        /// <summary>The member name, as C# spells it (<c>Log</c> for both <see cref="MathFunction.Log"/> and <see cref="MathFunction.LogBase"/>).</summary>
        public string Name { get; }

        public RuleKind Kind { get; }

        public RuleOwners Owners { get; }

        /// <summary>The function's identity in the IR; only <see cref="RuleKind.Differentiable"/> rules have one.</summary>
        public MathFunction? Function { get; init; }

        /// <summary>The parameters a matching overload has; default (unset) for rules that match a name whatever its overload.</summary>
        public ImmutableArray<RuleParameter> Parameters { get; init; }

        public int Arity => Parameters.IsDefault ? -1 : Parameters.Length;

        /// <summary>The partial derivatives, for <see cref="RuleKind.Differentiable"/> rules.</summary>
        public PartialsBuilder? PartialsBuilder { get; init; }

        /// <summary>
        /// Arguments the value is piecewise constant in (CopySign's sign): their partial is 0 almost everywhere, so no
        /// derivative flows into them (activity) and the analyzers warn when one depends on a differentiable parameter.
        /// </summary>
        public ImmutableArray<int> FlatArguments { get; init; } = ImmutableArray<int>.Empty;

        public bool IsFlat(int argument) => FlatArguments.Contains(argument);

        /// <summary>Where the function is not differentiable and which subgradient is used there; null when smooth.</summary>
        public NonSmoothness? NonSmooth { get; init; }

        public RecomputeCost Cost { get; init; } = RecomputeCost.Call;

        /// <summary>The C# text that calls the double overload in generated code (followed by the argument list).</summary>
        public string DoubleSpelling { get; init; } = "";

        /// <summary>The C# text that calls the float overload.</summary>
        public string FloatSpelling { get; init; } = "";

        /// <summary>How generated code calls the function in the given real type.</summary>
        /// A generic real calls the static member of its type parameter (<c>T.Sin</c>): generic math names it as double does.
        public string Spelling(IrType type) => type.Kind switch
        {
            IrTypeKind.Float => FloatSpelling,
            IrTypeKind.GenericReal => type.CSharpName + "." + Name,
            _ => DoubleSpelling,
        };

        /// <summary>The partial derivatives of <paramref name="result"/> = F(<paramref name="args"/>), one per argument.</summary>
        public ImmutableArray<IrExpression> Partials(ImmutableArray<IrExpression> args, IrExpression result) =>
            PartialsBuilder is null
                ? throw new InvalidOperationException("No derivative rule for " + Name + ".")
                : PartialsBuilder(new PartialBuilder(result.Type), args, result);

        public override string ToString() => Function?.ToString() ?? Name;
    }
}
