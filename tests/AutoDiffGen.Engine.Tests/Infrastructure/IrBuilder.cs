using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;
using AutoDiffGen.Generator;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>
/// An expression under construction: an IR tree plus whether it is a bare literal. A literal takes the type of the
/// operand it meets (as C# folds <c>x * 2</c> to <c>x * 2.0</c>, and as <c>0.5f</c> would be written for a float); a
/// narrower variable is widened with an <see cref="IrConvert"/> (C#'s implicit conversion, which lowering makes explicit).
/// </summary>
internal class E
{
    public E(IrExpression node, bool isLiteral = false)
    {
        Node = node;
        IsLiteral = isLiteral;
    }

    public IrExpression Node { get; }

    public bool IsLiteral { get; }

    public IrType Type => Node.Type;

    public static implicit operator E(IrVariable variable) => new(new IrVariableReference(variable));
    public static implicit operator E(double value) => new(IrConstant.Of(value), isLiteral: true);
    public static implicit operator E(float value) => new(IrConstant.Of(value), isLiteral: true);
    public static implicit operator E(int value) => new(IrConstant.Of(value), isLiteral: true);
    public static implicit operator E(bool value) => new(IrConstant.Of(value), isLiteral: true);

    public static E operator +(E a, E b) => Arithmetic(IrBinaryOperator.Add, a, b);
    public static E operator -(E a, E b) => Arithmetic(IrBinaryOperator.Subtract, a, b);
    public static E operator *(E a, E b) => Arithmetic(IrBinaryOperator.Multiply, a, b);
    public static E operator /(E a, E b) => Arithmetic(IrBinaryOperator.Divide, a, b);
    public static E operator %(E a, E b) => Arithmetic(IrBinaryOperator.Remainder, a, b);
    public static E operator -(E a) => new(new IrUnary(IrUnaryOperator.Negate, a.Node, a.Type));
    public static E operator !(E a) => new(new IrUnary(IrUnaryOperator.Not, a.Node, IrType.Bool));
    public static E operator <(E a, E b) => Comparison(IrBinaryOperator.LessThan, a, b);
    public static E operator <=(E a, E b) => Comparison(IrBinaryOperator.LessThanOrEqual, a, b);
    public static E operator >(E a, E b) => Comparison(IrBinaryOperator.GreaterThan, a, b);
    public static E operator >=(E a, E b) => Comparison(IrBinaryOperator.GreaterThanOrEqual, a, b);
    public static E operator &(E a, E b) => Logical(IrBinaryOperator.And, a, b);
    public static E operator |(E a, E b) => Logical(IrBinaryOperator.Or, a, b);

    public static E Eq(E a, E b) => Comparison(IrBinaryOperator.Equals, a, b);
    public static E Ne(E a, E b) => Comparison(IrBinaryOperator.NotEquals, a, b);

    /// <summary><c>a[i]</c>, <c>m[i, j]</c> or <c>j[i][k]</c> of an array-kind operand.</summary>
    public E this[params E[] indices] =>
        new(new IrElementRead(Node, indices.Select(i => Coerce(i, IrType.Int).Node).ToImmutableArray(), Type.Element!));

    /// <summary><c>a.Length</c> (as lowering reads it: an opaque passive int).</summary>
    public E Length => new(new IrOpaque("{0}.Length", ImmutableArray.Create(Node), IrType.Int));

    /// <summary><c>(type)a</c>.</summary>
    public E To(IrType type) => new(new IrConvert(Node, type));

    /// <summary><c>c ? a : b</c>; assigned, it becomes an if (as lowering does).</summary>
    public static E Select(E condition, E whenTrue, E whenFalse)
    {
        IrType type = Promote(whenTrue, whenFalse);
        return new E(new IrConditional(condition.Node, Coerce(whenTrue, type).Node, Coerce(whenFalse, type).Node, type));
    }

    public static E Arithmetic(IrBinaryOperator op, E a, E b)
    {
        IrType type = Promote(a, b);
        return new E(new IrBinary(op, Coerce(a, type).Node, Coerce(b, type).Node, type));
    }

    public static E Comparison(IrBinaryOperator op, E a, E b)
    {
        if (a.Type.Kind == IrTypeKind.Bool && b.Type.Kind == IrTypeKind.Bool) return new E(new IrBinary(op, a.Node, b.Node, IrType.Bool));
        IrType type = Promote(a, b);
        return new E(new IrBinary(op, Coerce(a, type).Node, Coerce(b, type).Node, IrType.Bool));
    }

    private static E Logical(IrBinaryOperator op, E a, E b) =>
        a.Type.Kind == IrTypeKind.Bool ? new E(new IrBinary(op, a.Node, b.Node, IrType.Bool)) : Arithmetic(op, a, b);

    /// <summary>The type two operands meet in: the wider of the non-literal ones (literals adapt).</summary>
    public static IrType Promote(params E[] operands)
    {
        E[] typed = operands.Where(o => !o.IsLiteral).ToArray();
        E[] candidates = typed.Length > 0 ? typed : operands;
        return candidates.Select(o => o.Type).OrderByDescending(IrValues.Rank).First();
    }

    /// <summary>The operand as a value of <paramref name="type"/>: a literal re-typed, a variable converted.</summary>
    public static E Coerce(E operand, IrType type)
    {
        if (operand.Type.CSharpName == type.CSharpName) return operand;
        if (operand.IsLiteral && operand.Node is IrConstant { Value: var value } && type.Kind is IrTypeKind.Double or IrTypeKind.Float or IrTypeKind.Integer)
        {
            return new E(type.IsDifferentiable
                ? IrConstant.Real(IrValues.ToDouble(value), type)
                : new IrConstant(IrValues.Explicit(value, type), type), isLiteral: true);
        }
        return new E(new IrConvert(operand.Node, type));
    }
}

/// <summary>A variable as an operand; converts to the <see cref="IrVariable"/> it wraps.</summary>
internal sealed class Var : E
{
    public Var(IrVariable variable) : base(new IrVariableReference(variable))
    {
        Variable = variable;
    }

    public IrVariable Variable { get; }

    public static implicit operator IrVariable(Var v) => v.Variable;

    public override string ToString() => Variable.ToString();
}

/// <summary>Calls of the derivative-rule table, by the argument type (Math for double, MathF for float).</summary>
internal static class M
{
    public static E Call(MathFunction function, params E[] arguments)
    {
        // An int parameter of the rule (ScaleB's n) keeps its argument as is; the reals share one type.
        var parameters = RuleTable.Of(function).Parameters;
        bool IsReal(int i) => i >= parameters.Length || parameters[i] == RuleParameter.Real;
        IrType type = E.Promote(arguments.Where((_, i) => IsReal(i)).ToArray());
        if (!type.IsDifferentiable) type = IrType.Double;
        return new E(new IrMathCall(function, arguments.Select((a, i) => IsReal(i) ? E.Coerce(a, type).Node : a.Node).ToImmutableArray(), type));
    }

    public static E Sin(E a) => Call(MathFunction.Sin, a);
    public static E Cos(E a) => Call(MathFunction.Cos, a);
    public static E Tan(E a) => Call(MathFunction.Tan, a);
    public static E Atan(E a) => Call(MathFunction.Atan, a);
    public static E Tanh(E a) => Call(MathFunction.Tanh, a);
    public static E Exp(E a) => Call(MathFunction.Exp, a);
    public static E Log(E a) => Call(MathFunction.Log, a);
    public static E Sqrt(E a) => Call(MathFunction.Sqrt, a);
    public static E Abs(E a) => Call(MathFunction.Abs, a);
    public static E Pow(E a, E b) => Call(MathFunction.Pow, a, b);
    public static E Max(E a, E b) => Call(MathFunction.Max, a, b);
    public static E Min(E a, E b) => Call(MathFunction.Min, a, b);
}

/// <summary>
/// Builds an <see cref="IrFunction"/> in the shape lowering produces: three-address statements (each operation into a
/// fresh temporary, the last one folded into the assignment's target unless it reads a differentiable target other
/// than as <c>v = v ± e</c>), branch conditions as operands nothing reassigns, and loops as
/// <c>IrLoop(head: _proceed = test, condition: _proceed, body)</c>.
/// </summary>
internal sealed class IrBuilder
{
    private readonly IrVariableFactory _factory = new();
    private readonly ImmutableArray<IrVariable>.Builder _parameters = ImmutableArray.CreateBuilder<IrVariable>();
    private readonly IrBlock _root = new();
    private IrBlock _current;

    public IrBuilder(string name = "F", IrType? returnType = null)
    {
        Name = name;
        ReturnType = returnType ?? IrType.Double;
        _current = _root;
        Result = new Var(_factory.Create("_result", ReturnType, IrVariableRole.Result));
    }

    public string Name { get; }

    public IrType ReturnType { get; }

    public Var Result { get; }

    public IReadOnlyList<IrVariable> Parameters => _parameters;

    /// <summary>A parameter; differentiable by default when its type can carry a derivative (false: [NoDerivative]).</summary>
    public Var Param(string name, IrType? type = null, bool differentiable = true)
    {
        type ??= IrType.Double;
        IrVariable parameter = _factory.Create(name, type, IrVariableRole.Parameter, differentiable && type.CarriesDerivative);
        _parameters.Add(parameter);
        return new Var(parameter);
    }

    public Var Local(string name, IrType? type = null) => new(_factory.Create(name, type ?? IrType.Double, IrVariableRole.Local));

    /// <summary>A local declared with an initializer (<see cref="IrAssign.IsDeclaration"/>).</summary>
    public Var Local(string name, E initializer, IrType? type = null)
    {
        Var local = Local(name, type ?? initializer.Type);
        Assign(local, initializer);
        if (_current.Statements.LastOrDefault() is IrAssign last && last.Target == local.Variable)
        {
            _current.Statements[_current.Statements.Count - 1] = last with { IsDeclaration = true };
        }
        return local;
    }

    public Var Variable(string name, IrType type, IrVariableRole role) => new(_factory.Create(name, type, role));

    /// <summary>A fresh temporary holding <paramref name="value"/>.</summary>
    public Var Temp(E value)
    {
        IrVariable temporary = _factory.Temporary(value.Type);
        Add(new IrAssign(temporary, Flatten(value.Node)));
        return new Var(temporary);
    }

    /// <summary><c>target = value;</c> in three-address form.</summary>
    public void Assign(IrVariable target, E value)
    {
        IrExpression node = E.Coerce(value, target.Type).Node;
        if (node is IrConditional conditional)
        {
            If(new E(conditional.Condition), () => Assign(target, new E(conditional.WhenTrue)), () => Assign(target, new E(conditional.WhenFalse)));
            return;
        }
        if (node is IrVariableReference { Variable: var source } && source == target)
        {
            return; // x = x: lowering emits nothing
        }
        if (node is IrVariableReference or IrConstant)
        {
            Add(new IrAssign(target, node));
            return;
        }
        IrExpression flat = FlattenChildren(node);
        if (target.Type.IsDifferentiable && flat.ReadVariables().Contains(target) && !IsSelfUpdate(target, flat))
        {
            IrVariable temporary = _factory.Temporary(flat.Type);
            Add(new IrAssign(temporary, flat));
            Add(new IrAssign(target, new IrVariableReference(temporary)));
            return;
        }
        Add(new IrAssign(target, flat));
    }

    /// <summary><c>array[indices] = value;</c> with the indices and the value as operands.</summary>
    public void SetElement(IrVariable array, E[] indices, E value)
    {
        var flatIndices = indices.Select(i => Flatten(E.Coerce(i, IrType.Int).Node)).ToImmutableArray();
        IrExpression flatValue = Flatten(E.Coerce(value, array.Type.Element!).Node);
        Add(new IrElementWrite(array, flatIndices, flatValue));
    }

    /// <summary><c>new T[n]</c> (or <c>[n, m]</c>, or jagged rows of <c>m</c>).</summary>
    public static E NewArray(IrType arrayType, params E[] lengths) =>
        new(new IrNewArray(arrayType, lengths.Select(l => E.Coerce(l, IrType.Int).Node).ToImmutableArray()));

    /// <summary><c>return value;</c> at the end of the method (or of both arms of an if).</summary>
    public void Return(E value) => Assign(Result, value);

    /// <summary>Appends a statement exactly as given.</summary>
    public void Add(IrStatement statement) => _current.Add(statement);

    /// <param name="copyCondition">Copy a non-temporary variable condition first, as lowering does for the user's if
    /// (false: test it directly, as lowering's own loop tests do).</param>
    public void If(E condition, Action then, Action? otherwise = null, bool copyCondition = true)
    {
        IrExpression test = Flatten(condition.Node);
        if (copyCondition && test is IrVariableReference { Variable.Role: not IrVariableRole.Temporary })
        {
            // Lowering copies a variable condition: the reverse sweep tests it again after the arms ran.
            IrVariable copy = _factory.Temporary(test.Type);
            Add(new IrAssign(copy, test));
            test = new IrVariableReference(copy);
        }
        Add(new IrIf(test, Nested(then), otherwise is null ? new IrBlock() : Nested(otherwise)));
    }

    /// <summary><c>while (condition) { body }</c>: the head computes <c>_proceed = condition</c>.</summary>
    public IrLoop While(Func<E> condition, Action body)
    {
        IrVariable proceed = _factory.Create("_proceed", IrType.Bool, IrVariableRole.Control);
        return Loop(() =>
        {
            Assign(proceed, condition());
            return new Var(proceed);
        }, body);
    }

    /// <summary><c>while (true) { head; if (!condition) break; body }</c>: <paramref name="head"/> emits the head's statements and returns the condition.</summary>
    public IrLoop Loop(Func<E> head, Action body)
    {
        IrExpression condition = null!;
        IrBlock headBlock = Nested(() => condition = Flatten(head().Node));
        var loop = new IrLoop(headBlock, condition, Nested(body));
        Add(loop);
        return loop;
    }

    /// <summary><c>for (counter = from; counter &lt; to; counter++) { body }</c> over an int counter declared here.</summary>
    public Var For(string counterName, E from, E to, Action<Var> body)
    {
        Var counter = Local(counterName, from, IrType.Int);
        While(() => counter < to, () =>
        {
            body(counter);
            Assign(counter, counter + 1);
        });
        return counter;
    }

    /// <summary>The target of a call of the function being built (for recursion).</summary>
    public CallTarget SelfTarget() => Target(Name, _parameters.Select(p => (p.Type, p.IsDifferentiableParameter)).ToArray());

    /// <summary>A static callee with every companion (the interpreter runs them from the callee's IR: <see cref="CallRegistry.RegisterInterpreted"/>).</summary>
    public static CallTarget Target(string methodName, params (IrType Type, bool Differentiable)[] parameters) =>
        new("global::Test", methodName, true, new EquatableArray<bool>(parameters.Select(p => p.Differentiable)),
            new EquatableArray<IrType>(parameters.Select(p => p.Type))) { HasTangent = true };

    public static E Call(CallTarget target, IrType resultType, params E[] arguments) =>
        new(new IrDifferentiableCall(target, null, arguments.Select((a, i) => E.Coerce(a, target.ParameterTypes[i]).Node).ToImmutableArray(), resultType));

    public IrFunction Build() => new(Name, ReturnType, _parameters.ToImmutable(), _factory.Variables.ToList(), Result, _root);

    /// <summary>The statements <paramref name="build"/> adds, as a block not yet placed (to build a loop's body before its head).</summary>
    public IrBlock Block(Action build) => Nested(build);

    private IrBlock Nested(Action build)
    {
        IrBlock saved = _current;
        var block = new IrBlock();
        _current = block;
        try
        {
            build();
        }
        finally
        {
            _current = saved;
        }
        return block;
    }

    /// <summary>An operand: a variable, a constant, or a fresh temporary holding the computation.</summary>
    private IrExpression Flatten(IrExpression node)
    {
        if (node is IrVariableReference or IrConstant) return node;
        if (node is IrConditional)
        {
            IrVariable selected = _factory.Temporary(node.Type);
            Assign(selected, new E(node));
            return new IrVariableReference(selected);
        }
        IrExpression flat = FlattenChildren(node);
        IrVariable temporary = _factory.Temporary(flat.Type);
        Add(new IrAssign(temporary, flat));
        return new IrVariableReference(temporary);
    }

    private IrExpression FlattenChildren(IrExpression node) => node switch
    {
        IrUnary u => u with { Operand = Flatten(u.Operand) },
        IrBinary b => FlattenBinary(b),
        IrConvert c => c with { Operand = Flatten(c.Operand) },
        IrMathCall m => m with { Arguments = m.Arguments.Select(Flatten).ToImmutableArray() },
        IrDifferentiableCall d => d with { Arguments = d.Arguments.Select(Flatten).ToImmutableArray() },
        IrOpaque o => o with { Arguments = o.Arguments.Select(Flatten).ToImmutableArray() },
        IrElementRead r => FlattenElementRead(r),
        IrNewArray a => a with { Lengths = a.Lengths.Select(Flatten).ToImmutableArray() },
        _ => node,
    };

    private IrExpression FlattenBinary(IrBinary binary)
    {
        IrExpression left = Flatten(binary.Left);
        return binary with { Left = left, Right = Flatten(binary.Right) };
    }

    private IrExpression FlattenElementRead(IrElementRead read)
    {
        IrExpression array = Flatten(read.Array);
        return read with { Array = array, Indices = read.Indices.Select(Flatten).ToImmutableArray() };
    }

    private static bool IsSelfUpdate(IrVariable target, IrExpression value) =>
        value is IrBinary { Operator: IrBinaryOperator.Add or IrBinaryOperator.Subtract } binary
        && ((binary.Left is IrVariableReference { Variable: var l } && l == target && !binary.Right.ReadVariables().Contains(target))
            || (binary.Operator == IrBinaryOperator.Add && binary.Right is IrVariableReference { Variable: var r } && r == target && !binary.Left.ReadVariables().Contains(target)));
}
