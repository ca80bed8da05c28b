using System.Collections.Generic;
using System.Collections.Immutable;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>
    /// An expression of the IR. Lowering produces three-address form (every operand is a variable or a constant);
    /// the reverse transform builds small trees (a partial derivative times an adjoint) from the same node types.
    /// </summary>
    internal abstract record IrExpression(IrType Type)
    {
        /// <summary>The direct sub-expressions, in evaluation order.</summary>
        public abstract IEnumerable<IrExpression> Children { get; }

        /// <summary>Every variable this expression reads, in evaluation order, repeats included.</summary>
        /// <remarks>
        /// Collected eagerly into a list: the analyses ask this of every statement in every round, and a nested iterator
        /// per tree node (with a children array per binary node) was the engine's largest source of garbage.
        /// </remarks>
        public IEnumerable<IrVariable> ReadVariables()
        {
            if (this is IrVariableReference reference) return new[] { reference.Variable };
            if (this is IrConstant or IrTapePop) return System.Array.Empty<IrVariable>();
            var reads = new List<IrVariable>();
            AddReadVariables(reads);
            return reads;
        }

        /// <summary>Adds what <see cref="ReadVariables"/> returns to <paramref name="reads"/>, without allocating for the common nodes.</summary>
        public void AddReadVariables(List<IrVariable> reads)
        {
            // The cases spell out Children of the hottest node types, in the same order.
            switch (this)
            {
                case IrVariableReference reference:
                    reads.Add(reference.Variable);
                    return;
                case IrConstant or IrTapePop:
                    return;
                case IrBinary binary:
                    binary.Left.AddReadVariables(reads);
                    binary.Right.AddReadVariables(reads);
                    return;
                case IrUnary unary:
                    unary.Operand.AddReadVariables(reads);
                    return;
                case IrConvert convert:
                    convert.Operand.AddReadVariables(reads);
                    return;
                case IrConditional conditional:
                    conditional.Condition.AddReadVariables(reads);
                    conditional.WhenTrue.AddReadVariables(reads);
                    conditional.WhenFalse.AddReadVariables(reads);
                    return;
                case IrMathCall call:
                    foreach (IrExpression argument in call.Arguments) argument.AddReadVariables(reads);
                    return;
                default:
                    foreach (IrExpression child in Children) child.AddReadVariables(reads);
                    return;
            }
        }
    }

    /// <summary>A read of a variable.</summary>
    internal sealed record IrVariableReference(IrVariable Variable) : IrExpression(Variable.Type)
    {
        public override IEnumerable<IrExpression> Children => System.Array.Empty<IrExpression>();
    }

    /// <summary>A compile-time constant: a boxed double, float, int, long, bool… or null for <c>default</c>.</summary>
    internal sealed record IrConstant(object? Value, IrType ConstantType) : IrExpression(ConstantType)
    {
        public override IEnumerable<IrExpression> Children => System.Array.Empty<IrExpression>();

        public static IrConstant Of(double value) => new(value, IrType.Double);
        public static IrConstant Of(float value) => new(value, IrType.Float);
        public static IrConstant Of(int value) => new(value, IrType.Int);
        public static IrConstant Of(bool value) => new(value, IrType.Bool);

        /// <summary>A floating-point constant in the given differentiable type.</summary>
        public static IrConstant Real(double value, IrType type) =>
            type.Real.Kind == IrTypeKind.Float ? new IrConstant((float)value, type) : new IrConstant(value, type);

        /// <summary>Whether <paramref name="expression"/> is a floating-point constant zero.</summary>
        public static bool IsRealZero(IrExpression expression) => expression is IrConstant { Value: 0.0 or 0.0f };
    }

    internal enum IrUnaryOperator
    {
        Negate,
        Not,
        BitwiseComplement,
    }

    internal sealed record IrUnary(IrUnaryOperator Operator, IrExpression Operand, IrType ResultType) : IrExpression(ResultType)
    {
        public override IEnumerable<IrExpression> Children => new[] { Operand };
    }

    internal enum IrBinaryOperator
    {
        Add,
        Subtract,
        Multiply,
        Divide,
        Remainder,
        LessThan,
        LessThanOrEqual,
        GreaterThan,
        GreaterThanOrEqual,
        Equals,
        NotEquals,
        /// <summary>Non-short-circuit logical or bitwise and (<c>&amp;</c>).</summary>
        And,
        /// <summary>Non-short-circuit logical or bitwise or (<c>|</c>).</summary>
        Or,
        ExclusiveOr,
        LeftShift,
        RightShift,
    }

    internal sealed record IrBinary(IrBinaryOperator Operator, IrExpression Left, IrExpression Right, IrType ResultType) : IrExpression(ResultType)
    {
        public override IEnumerable<IrExpression> Children => new[] { Left, Right };

        public bool IsComparison => Operator is IrBinaryOperator.LessThan or IrBinaryOperator.LessThanOrEqual
            or IrBinaryOperator.GreaterThan or IrBinaryOperator.GreaterThanOrEqual
            or IrBinaryOperator.Equals or IrBinaryOperator.NotEquals;
    }

    /// <summary>A numeric conversion, such as float to double or double to int.</summary>
    internal sealed record IrConvert(IrExpression Operand, IrType TargetType) : IrExpression(TargetType)
    {
        public override IEnumerable<IrExpression> Children => new[] { Operand };
    }

    /// <summary><c>Condition ? WhenTrue : WhenFalse</c>; made by the derivative rules (lowering turns <c>?:</c> into an if).</summary>
    internal sealed record IrConditional(IrExpression Condition, IrExpression WhenTrue, IrExpression WhenFalse, IrType ResultType) : IrExpression(ResultType)
    {
        public override IEnumerable<IrExpression> Children => new[] { Condition, WhenTrue, WhenFalse };
    }

    /// <summary>A call of a function in the derivative-rule table (<c>Math.Sin</c>, <c>MathF.Exp</c>, …).</summary>
    internal sealed record IrMathCall(Rules.MathFunction Function, ImmutableArray<IrExpression> Arguments, IrType ResultType) : IrExpression(ResultType)
    {
        public override IEnumerable<IrExpression> Children => Arguments;
    }

    /// <summary>
    /// A call of a differentiable method: one marked [Differentiable] or with a hand-written <c>…Backward</c>.
    /// In reverse the call becomes a call of its <c>…Backward</c> with the result's adjoint as seed.
    /// </summary>
    internal sealed record IrDifferentiableCall(CallTarget Target, IrExpression? Receiver, ImmutableArray<IrExpression> Arguments, IrType ResultType) : IrExpression(ResultType)
    {
        public override IEnumerable<IrExpression> Children => Receiver is null ? Arguments : Prepend(Receiver, Arguments);

        private static IEnumerable<IrExpression> Prepend(IrExpression first, ImmutableArray<IrExpression> rest)
        {
            yield return first;
            foreach (IrExpression item in rest) yield return item;
        }
    }

    /// <summary>
    /// A passive expression the engine does not look into: a field or property read, a call with passive arguments,
    /// <c>this</c>. <see cref="Template"/> is C# with <c>{0}</c>, <c>{1}</c>… standing for the arguments.
    /// Its value never carries a derivative. The transforms do not write their own machinery as text: buffers are
    /// <see cref="IrZeroedArray"/>, <see cref="IrPoolReturn"/> and <see cref="IrBufferCall"/>, tapes have their own nodes;
    /// what they still spell as text is passive (an array's length or shape, a rule's runtime kernel of span adjoints).
    /// </summary>
    internal sealed record IrOpaque(string Template, ImmutableArray<IrExpression> Arguments, IrType ResultType) : IrExpression(ResultType)
    {
        public override IEnumerable<IrExpression> Children => Arguments;
    }

    /// <summary>Takes the value recorded last from the tape of <see cref="IrExpression.Type"/>.</summary>
    internal sealed record IrTapePop(IrType ValueType) : IrExpression(ValueType)
    {
        public override IEnumerable<IrExpression> Children => ImmutableArray<IrExpression>.Empty;
    }
}

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>An element of an array or span: <c>a[i]</c>, <c>m[i, j]</c> or <c>j[i][k]</c> (by the array's layout).</summary>
    internal sealed record IrElementRead(IrExpression Array, ImmutableArray<IrExpression> Indices, IrType ElementType) : IrExpression(ElementType)
    {
        public override IEnumerable<IrExpression> Children => Prepend(Array, Indices);

        internal static IEnumerable<IrExpression> Prepend(IrExpression first, ImmutableArray<IrExpression> rest)
        {
            yield return first;
            foreach (IrExpression item in rest) yield return item;
        }
    }

    /// <summary>A new zeroed array: <c>new double[n]</c>, <c>new double[n, m]</c>, or a jagged <c>new double[n][]</c> with rows <c>m</c> long.</summary>
    internal sealed record IrNewArray(IrType ArrayType, ImmutableArray<IrExpression> Lengths) : IrExpression(ArrayType)
    {
        public override IEnumerable<IrExpression> Children => Lengths;
    }
}

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>
    /// A zeroed array as large as <see cref="ShapeOf"/>: for a vector (<see cref="ArrayType"/> of layout Vector), one with
    /// <c>ShapeOf.Length</c> elements — rented from the runtime's pool when <see cref="Pooled"/> (it may then be longer,
    /// and must go back with an <see cref="IrPoolReturn"/> on every exit), else a new array; for a matrix or jagged array,
    /// a new one of <c>ShapeOf</c>'s shape. How every transform makes adjoint and tangent arrays: a second transform
    /// recognises them by this type, not by the C# the emitter writes for them.
    /// </summary>
    internal sealed record IrZeroedArray(IrType ArrayType, IrExpression ShapeOf, bool Pooled) : IrExpression(ArrayType)
    {
        public override IEnumerable<IrExpression> Children => ImmutableArray.Create(ShapeOf);

        /// <summary>Whether the array comes from the pool (only vectors are pooled: there is no pool for the other shapes).</summary>
        public bool IsRental => Pooled && ArrayType.Layout == ArrayLayout.Vector;

        /// <summary>
        /// A zeroed array with the shape of <paramref name="primal"/>: a vector (rented when <paramref name="pooled"/>) for
        /// an array or span, the same shape for a matrix or jagged array.
        /// </summary>
        public static IrZeroedArray Like(IrVariable primal, bool pooled)
        {
            IrType type = primal.Type;
            bool vector = type.Layout is ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan;
            return new IrZeroedArray(vector ? IrType.ArrayOf(type.Element!, ArrayLayout.Vector) : type, new IrVariableReference(primal), vector && pooled);
        }
    }

    /// <summary>Gives a rented <see cref="IrZeroedArray"/> back to the pool (evaluated for its effect, in a cleanup block).</summary>
    internal sealed record IrPoolReturn(IrExpression Array) : IrExpression(new IrType(IrTypeKind.Other, "void"))
    {
        public override IEnumerable<IrExpression> Children => ImmutableArray.Create(Array);

        /// <summary><c>Return(rented);</c>, the statement a cleanup block holds.</summary>
        public static IrEffect Of(IrVariable rented) => new(new IrPoolReturn(new IrVariableReference(rented)));
    }
}
