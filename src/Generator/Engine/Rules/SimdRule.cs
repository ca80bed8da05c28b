using System;
using System.Collections.Immutable;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Rules
{
    /// <summary>The SIMD vector operations of the rule table (IrSimd.cs has the design).</summary>
    internal enum SimdFunction
    {
        /// <summary>Count lanes read at the start of a span view: <c>new Vector&lt;T&gt;(x.Slice(i))</c>, <c>Vector256.Create(span)</c>.</summary>
        Load,
        /// <summary>A scalar in every lane: <c>new Vector&lt;T&gt;(s)</c>, <c>Vector256.Create(s)</c>.</summary>
        Broadcast,
        /// <summary>The sum of the lanes (a scalar).</summary>
        Sum,
        /// <summary>The dot product of two vectors (a scalar).</summary>
        Dot,
        Sqrt,
        Abs,
        Max,
        Min,
        /// <summary><c>ConditionalSelect(mask, a, b)</c>: a lane-wise branch on a passive mask.</summary>
        ConditionalSelect,
        /// <summary>Lane-wise comparisons: passive masks (what the partials of the selections are written with).</summary>
        Equals,
        GreaterThan,
        GreaterThanOrEqual,
        LessThan,
        LessThanOrEqual,
    }

    /// <summary>What a SIMD operation is for the engine.</summary>
    internal enum SimdRuleKind
    {
        /// <summary>Differentiated through its partials (one per argument, lane-wise).</summary>
        Differentiable,
        /// <summary>A load: its adjoint goes into the viewed array's adjoint (the reverse transform's business).</summary>
        Load,
        /// <summary>A comparison: a mask, through which no derivative flows.</summary>
        Passive,
    }

    /// <summary>Builds the partials of <c>result = f(arguments)</c>; null for a partial of exactly 1.</summary>
    internal delegate ImmutableArray<IrExpression?> SimdPartialsBuilder(PartialBuilder t, ImmutableArray<IrExpression> arguments, IrExpression result);

    /// <summary>One SIMD vector operation of the rule table (<see cref="RuleTable"/>, RuleTable.Simd.cs).</summary>
    internal sealed class SimdRule
    {
        public SimdRule(SimdFunction function, string name, SimdRuleKind kind)
        {
            Function = function;
            Name = name;
            Kind = kind;
        }

        public SimdFunction Function { get; }

        /// <summary>The member name on <c>Vector</c> / <c>Vector256</c>… (the source spelling the lowering looks for).</summary>
        public string Name { get; }

        public SimdRuleKind Kind { get; }

        /// <summary>The name on <c>System.Numerics.Vector</c> when it differs (<c>SquareRoot</c>).</summary>
        public string? VectorName { get; init; }

        /// <summary>Where the operation is not differentiable and the subgradient used there (ADG0204); null when smooth.</summary>
        public NonSmoothness? NonSmooth { get; init; }

        /// <summary>The arguments no derivative flows through (a select's mask).</summary>
        public ImmutableArray<int> PassiveArguments { get; init; } = ImmutableArray<int>.Empty;

        public SimdPartialsBuilder? PartialsBuilder { get; init; }

        public ImmutableArray<IrExpression?> Partials(IrSimdCall call, IrExpression result) =>
            PartialsBuilder!(new PartialBuilder(call.VectorType), call.Arguments, result);

        /// <summary>How generated code calls it, with <c>{0}</c>, <c>{1}</c>… for the arguments.</summary>
        public string Spelling(IrType vectorType)
        {
            SimdFamily family = vectorType.Simd;
            string helper = IrType.SimdHelperClass(family);
            switch (Function)
            {
                case SimdFunction.Load:
                    // Explicit type argument: a Span<T> converts to Create's ReadOnlySpan<T> only when T is given.
                    return family == SimdFamily.Vector ? "new " + vectorType.CSharpName + "({0})" : helper + ".Create<" + vectorType.Element!.CSharpName + ">({0})";
                case SimdFunction.Broadcast:
                    return family == SimdFamily.Vector ? "new " + vectorType.CSharpName + "({0})" : helper + ".Create({0})";
                default:
                {
                    string name = family == SimdFamily.Vector && VectorName is not null ? VectorName : Name;
                    return helper + "." + name + "(" + string.Join(", ", ArgumentPlaceholders()) + ")";
                }
            }
        }

        /// <summary>How many arguments the operation takes.</summary>
        public int Arity => Function switch
        {
            SimdFunction.Load or SimdFunction.Broadcast or SimdFunction.Sum or SimdFunction.Sqrt or SimdFunction.Abs => 1,
            SimdFunction.ConditionalSelect => 3,
            _ => 2,
        };

        private string[] ArgumentPlaceholders()
        {
            var placeholders = new string[Arity];
            for (int i = 0; i < Arity; i++) placeholders[i] = "{" + i + "}";
            return placeholders;
        }
    }
}
