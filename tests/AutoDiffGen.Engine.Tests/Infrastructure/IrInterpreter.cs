using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>One control decision taken while running: an <see cref="IrIf"/> arm or an <see cref="IrLoop"/> trip count.</summary>
internal readonly record struct TraceEvent(char Kind, long Value);

/// <summary>
/// Executes IR the way the emitted C# would: every variable starts at its type's default (the emitter declares them
/// all with one), arithmetic follows C# numeric promotion (float stays float), <see cref="IrMathCall"/> calls
/// <c>Math</c> or <c>MathF</c> by result type, and the tape is one stack per type name. Type errors the C# compiler
/// would reject are raised as <see cref="IrExecutionException"/>, so the interpreter doubles as a checker of the
/// engine's output.
/// </summary>
internal sealed class IrInterpreter
{
    public IrInterpreter(CallRegistry? calls = null)
    {
        Calls = calls ?? new CallRegistry();
    }

    public Dictionary<IrVariable, object?> Environment { get; } = new();

    /// <summary>The tapes: one stack per value type (its C# name), as the runtime keeps one <c>Tape&lt;T&gt;</c> per type.</summary>
    public Dictionary<string, Stack<object?>> Tapes { get; } = new(StringComparer.Ordinal);

    public CallRegistry Calls { get; }

    /// <summary>Branch decisions and loop trip counts in execution order (finite differences compare them).</summary>
    public List<TraceEvent> Trace { get; } = new();

    /// <summary>How many values went on the tape, per type name.</summary>
    public Dictionary<string, int> Pushes { get; } = new(StringComparer.Ordinal);

    /// <summary>Every <c>Expect</c> run, in order: the tape's type name and the count (Tape&lt;T&gt;.Expect; it changes no value).</summary>
    public List<(string Type, int Count)> Expectations { get; } = new();

    /// <summary>A loop running more iterations than this is taken as non-terminating.</summary>
    public int LoopLimit { get; set; } = 100_000;

    public object? Get(IrVariable variable) =>
        Environment.TryGetValue(variable, out object? value) ? value : IrValues.Default(variable.Type);

    public void Set(IrVariable variable, object? value) =>
        Environment[variable] = IrValues.Implicit(value, variable.Type, "an assignment to " + variable);

    public int TapeCount => Tapes.Values.Sum(t => t.Count);

    /// <summary>The most values the tapes held at once: the reverse program's peak recording (checkpointing bounds it).</summary>
    public int PeakTapeCount { get; private set; }

    public void Execute(IrBlock block)
    {
        foreach (IrStatement statement in block.Statements) Execute(statement);
    }

    public void Execute(IrStatement statement)
    {
        switch (statement)
        {
            case IrAssign assign:
                Set(assign.Target, Evaluate(assign.Value));
                break;
            case IrAccumulate accumulate:
            {
                // C#'s x += y: y must convert implicitly to x's type.
                object? increment = IrValues.Implicit(Evaluate(accumulate.Value), accumulate.Target.Type, "an accumulation into " + accumulate.Target);
                Set(accumulate.Target, Add(Get(accumulate.Target), increment));
                break;
            }
            case IrIf branch:
            {
                bool taken = AsBool(Evaluate(branch.Condition), "an if condition");
                Trace.Add(new TraceEvent('i', taken ? 1 : 0));
                Execute(taken ? branch.Then : branch.Else);
                break;
            }
            case IrLoop loop:
            {
                long iterations = 0;
                while (true)
                {
                    Execute(loop.Head);
                    if (!AsBool(Evaluate(loop.Condition), "a loop condition")) break;
                    if (++iterations > LoopLimit) throw new IrExecutionException("A loop ran more than " + LoopLimit + " iterations.");
                    Execute(loop.Body);
                }
                Trace.Add(new TraceEvent('l', iterations));
                break;
            }
            case IrRepeat { Down: { } down } repeat:
            {
                // for (v = floor + count - 1; v >= floor; v--): the floor evaluated at each test, as C# does.
                long count = Convert.ToInt64(IrValues.Implicit(Evaluate(repeat.Count), IrType.Int, "a repeat count"));
                long floor = Convert.ToInt64(Evaluate(down.Floor));
                Set(down.Variable, IrValues.Explicit((int)(floor + count - 1), down.Variable.Type));
                while (Convert.ToInt64(Evaluate(new IrVariableReference(down.Variable))) >= Convert.ToInt64(Evaluate(down.Floor)))
                {
                    Execute(repeat.Body);
                    Set(down.Variable, IrValues.Explicit((int)(Convert.ToInt64(Evaluate(new IrVariableReference(down.Variable))) - 1), down.Variable.Type));
                }
                break;
            }
            case IrRepeat repeat:
            {
                object? count = IrValues.Implicit(Evaluate(repeat.Count), repeat.Counter.Type, "a repeat count");
                for (long c = Convert.ToInt64(count); c > 0; c--)
                {
                    Set(repeat.Counter, IrValues.Explicit((int)c, repeat.Counter.Type));
                    Execute(repeat.Body);
                }
                break;
            }
            case IrTapePush push:
            {
                object? value = Evaluate(push.Value);
                string key = push.Value.Type.CSharpName;
                if (!Tapes.TryGetValue(key, out Stack<object?>? tape)) Tapes[key] = tape = new Stack<object?>();
                tape.Push(IrValues.Implicit(value, push.Value.Type, "a tape push"));
                Pushes[key] = Pushes.TryGetValue(key, out int n) ? n + 1 : 1;
                if (TapeCount > PeakTapeCount) PeakTapeCount = TapeCount;
                break;
            }
            case IrTapeExpect expect:
                Expectations.Add((expect.ElementType.CSharpName, Convert.ToInt32(Evaluate(expect.Count))));
                break;
            case IrTapePushSpan pushSpan:
            {
                // A view's elements, first to last, on the tape of its element type (Tape<T>.PushRange).
                var (array, start, length) = View(pushSpan.Source);
                string key = pushSpan.Source.SpanType.Element!.CSharpName;
                if (!Tapes.TryGetValue(key, out Stack<object?>? tape)) Tapes[key] = tape = new Stack<object?>();
                for (int i = 0; i < length; i++) tape.Push(array.GetValue(start + i));
                Pushes[key] = (Pushes.TryGetValue(key, out int n) ? n : 0) + length;
                if (TapeCount > PeakTapeCount) PeakTapeCount = TapeCount;
                break;
            }
            case IrTapePopSpan popSpan:
            {
                // The view's elements back, last first (Tape<T>.PopRange).
                var (array, start, length) = View(popSpan.Target);
                string key = popSpan.Target.SpanType.Element!.CSharpName;
                if (!Tapes.TryGetValue(key, out Stack<object?>? tape) || tape.Count < length)
                {
                    throw new IrExecutionException("Popped " + length + " values from a " + key + " tape holding fewer.");
                }
                for (int i = length - 1; i >= 0; i--) array.SetValue(tape.Pop(), start + i);
                break;
            }
            case IrBackwardCall backward:
                ExecuteBackwardCall(backward);
                break;
            case IrTangentCall tangentCall:
            {
                IrDifferentiableCall call = tangentCall.Call;
                object?[] arguments = call.Arguments.Select(Evaluate).ToArray();
                var tangents = new List<object?>();
                int k = 0;
                for (int i = 0; i < call.Arguments.Length; i++)
                {
                    if (!call.Target.ParameterIsDifferentiable[i]) continue;
                    IrExpression? tangent = tangentCall.Tangents[k++];
                    // A passive argument's tangent is zero (a zeroed array of its shape for an array).
                    tangents.Add(tangent is not null ? Evaluate(tangent)
                        : arguments[i] is Array shape ? IrValues.ZeroedLike(shape) : IrValues.Default(call.Target.ParameterTypes[i]));
                }
                var (value, resultTangent) = Calls.Tangent(call.Target.MethodName, arguments, tangents.ToArray());
                if (tangentCall.Target is { } target) Set(target, IrValues.Implicit(value, target.Type, "the result of " + call.Target.TangentName));
                Set(tangentCall.ResultTangent, IrValues.Implicit(resultTangent, tangentCall.ResultTangent.Type, "the tangent of " + call.Target.TangentName));
                break;
            }
            case IrElementWrite write:
            {
                Array array = ArrayOf(Get(write.Array), write.Array.ToString());
                // A jagged array's row (t[i] = new double[n]) is written whole; anything else is a scalar element.
                bool row = write.Array.Type.Layout == ArrayLayout.Jagged && write.Indices.Length == 1;
                object? value = row ? Evaluate(write.Value) : IrValues.Implicit(Evaluate(write.Value), write.Array.Type.Element!, "an element write to " + write.Array);
                SetElement(array, write.Array.Type, Indices(write.Indices), value);
                break;
            }
            case IrElementAccumulate accumulate:
            {
                Array array = ArrayOf(Get(accumulate.Array), accumulate.Array.ToString());
                int[] indices = Indices(accumulate.Indices);
                object? increment = IrValues.Implicit(Evaluate(accumulate.Value), accumulate.Array.Type.Element!, "an element accumulation into " + accumulate.Array);
                SetElement(array, accumulate.Array.Type, indices, Add(GetElement(array, accumulate.Array.Type, indices), increment));
                break;
            }
            case IrEffect effect:
                Evaluate(effect.Expression);
                break;
            case IrComment:
                break;
            default:
                throw new NotSupportedException("The interpreter does not run " + statement.GetType().Name + ".");
        }
    }

    private void ExecuteBackwardCall(IrBackwardCall backward)
    {
        IrDifferentiableCall call = backward.Call;
        object?[] arguments = call.Arguments.Select(Evaluate).ToArray();
        object? seed = Evaluate(backward.Seed);
        object?[] contributions = call.Target.IsClosedTangent
            ? Calls.BackwardTangent(call.Target.MethodName, arguments, seed)
            : Calls.Backward(call.Target.MethodName, arguments, seed);
        if (backward.Result is { } result)
        {
            // Result = F.MBackward(…): a scalar pullback returns the callee's value (api.md), here the registered forward's.
            Set(result, IrValues.Implicit(Calls.Forward(call.Target.MethodName, arguments), result.Type, "the value of " + call.Target.BackwardName));
        }
        int differentiable = call.Target.ParameterIsDifferentiable.Count(d => d);
        if (backward.Adjoints.Length != differentiable || contributions.Length != differentiable)
        {
            throw new IrExecutionException("Backward call of " + call.Target.MethodName + ": " + backward.Adjoints.Length + " adjoints for "
                + differentiable + " differentiable parameters (" + contributions.Length + " contributions).");
        }
        for (int k = 0; k < differentiable; k++)
        {
            if (backward.Adjoints[k] is not { } adjoint) continue;
            if (contributions[k] is Array source)
            {
                Array destination = ArrayOf(Get(adjoint), adjoint.ToString());
                AddArrays(destination, source);
            }
            else
            {
                object? increment = IrValues.Implicit(contributions[k], adjoint.Type, "the adjoint argument of " + call.Target.BackwardName);
                Set(adjoint, Add(Get(adjoint), increment));
            }
        }
    }

    public object? Evaluate(IrExpression expression)
    {
        switch (expression)
        {
            case IrVariableReference reference:
                return Get(reference.Variable);
            case IrConstant constant:
                return constant.Value is null ? IrValues.Default(constant.Type) : IrValues.Implicit(constant.Value, constant.Type, "a constant");
            case IrUnary unary:
                return Unary(unary.Operator, Evaluate(unary.Operand));
            case IrBinary binary:
                return Binary(binary.Operator, Evaluate(binary.Left), Evaluate(binary.Right));
            case IrConvert convert:
                return IrValues.Explicit(Evaluate(convert.Operand), convert.TargetType);
            case IrConditional conditional:
                return AsBool(Evaluate(conditional.Condition), "a conditional") ? Evaluate(conditional.WhenTrue) : Evaluate(conditional.WhenFalse);
            case IrMathCall call:
            {
                object?[] arguments = call.Arguments.Select(Evaluate).ToArray();
                if (IsBeyondResolution(call.Function, arguments, call.Type)) Trace.Add(new TraceEvent('p', 0));
                return MathCall(call.Function, arguments, call.Type);
            }
            case IrDifferentiableCall { Target.IsClosedTangent: true } call:
            {
                // A callee's closed tangent ġ(p, v): its MTangent's tangent (a closed tangent function's forward sweep).
                object?[] arguments = call.Arguments.Select(Evaluate).ToArray();
                int own = call.Target.OwnParameterCount;
                var (_, tangent) = Calls.Tangent(call.Target.MethodName, arguments.Take(own).ToArray(), arguments.Skip(own).ToArray());
                return IrValues.Implicit(tangent, call.Type, "the tangent of " + call.Target.TangentName);
            }
            case IrDifferentiableCall call:
                return IrValues.Implicit(Calls.Forward(call.Target.MethodName, call.Arguments.Select(Evaluate).ToArray()), call.Type, "the result of " + call.Target.MethodName);
            case IrZeroedArray zeroed:
            {
                Array shape = ArrayOf(Evaluate(zeroed.ShapeOf), "the shape of a zeroed array");
                return zeroed.ArrayType.Layout == ArrayLayout.Vector
                    ? Array.CreateInstance(shape.GetType().GetElementType()!, shape.Length)
                    : IrValues.ZeroedLike(shape);
            }
            case IrPoolReturn:
                return null;
            case IrBufferCall call:
                return EvaluateBufferCall(call);
            case IrOpaque opaque:
                return Calls.Opaque(opaque.Template, opaque.Arguments.Select(Evaluate).ToArray());
            case IrTapePop pop:
            {
                if (!Tapes.TryGetValue(pop.Type.CSharpName, out Stack<object?>? tape) || tape.Count == 0)
                {
                    throw new IrExecutionException("Popped the empty " + pop.Type.CSharpName + " tape.");
                }
                return tape.Pop();
            }
            case IrElementRead read:
            {
                Array array = ArrayOf(Evaluate(read.Array), "an element read");
                return GetElement(array, read.Array.Type, Indices(read.Indices));
            }
            case IrNewArray newArray:
                return NewArray(newArray.ArrayType, newArray.Lengths.Select(l => Convert.ToInt32(IrValues.Implicit(Evaluate(l), IrType.Int, "an array length"))).ToArray());
            default:
                throw new NotSupportedException("The interpreter does not evaluate " + expression.GetType().Name + ".");
        }
    }

    // ---------------------------------------------------------------- operators

    private static bool AsBool(object? value, string where) =>
        value is bool b ? b : throw new IrExecutionException("Type error in " + where + ": " + IrValues.Describe(value) + " is not a bool.");

    private static object Add(object? left, object? right) => Binary(IrBinaryOperator.Add, left, right);

    public static object Unary(IrUnaryOperator op, object? operand) => (op, operand) switch
    {
        (IrUnaryOperator.Negate, double d) => -d,
        (IrUnaryOperator.Negate, float f) => -f,
        (IrUnaryOperator.Negate, int i) => unchecked(-i),
        (IrUnaryOperator.Negate, long l) => unchecked(-l),
        (IrUnaryOperator.Not, bool b) => !b,
        (IrUnaryOperator.BitwiseComplement, int i) => ~i,
        (IrUnaryOperator.BitwiseComplement, long l) => ~l,
        _ => throw new IrExecutionException("Operator " + op + " does not apply to " + IrValues.Describe(operand) + "."),
    };

    /// <summary>A C# binary operator after binary numeric promotion (int, long, float, double) or on bools.</summary>
    public static object Binary(IrBinaryOperator op, object? left, object? right)
    {
        if (left is bool lb && right is bool rb)
        {
            return op switch
            {
                IrBinaryOperator.And => lb & rb,
                IrBinaryOperator.Or => lb | rb,
                IrBinaryOperator.ExclusiveOr => lb ^ rb,
                IrBinaryOperator.Equals => lb == rb,
                IrBinaryOperator.NotEquals => lb != rb,
                _ => throw new IrExecutionException("Operator " + op + " does not apply to bools."),
            };
        }
        if (op is IrBinaryOperator.LeftShift or IrBinaryOperator.RightShift)
        {
            int shift = right is int s ? s : throw new IrExecutionException("A shift count must be an int, got " + IrValues.Describe(right) + ".");
            return (op, left) switch
            {
                (IrBinaryOperator.LeftShift, int i) => i << shift,
                (IrBinaryOperator.LeftShift, long l) => l << shift,
                (IrBinaryOperator.RightShift, int i) => i >> shift,
                (IrBinaryOperator.RightShift, long l) => l >> shift,
                _ => throw new IrExecutionException("Cannot shift " + IrValues.Describe(left) + "."),
            };
        }
        int rank = Math.Max(IrValues.Rank(left), IrValues.Rank(right));
        if (IrValues.Rank(left) < 0 || IrValues.Rank(right) < 0)
        {
            throw new IrExecutionException("Operator " + op + " does not apply to " + IrValues.Describe(left) + " and " + IrValues.Describe(right) + ".");
        }
        switch (rank)
        {
            case 3:
            {
                double a = IrValues.ToDouble(left), b = IrValues.ToDouble(right);
                return op switch
                {
                    IrBinaryOperator.Add => a + b,
                    IrBinaryOperator.Subtract => a - b,
                    IrBinaryOperator.Multiply => a * b,
                    IrBinaryOperator.Divide => a / b,
                    IrBinaryOperator.Remainder => a % b,
                    _ => Compare(op, a.CompareTo(b), a == b, double.IsNaN(a) || double.IsNaN(b)),
                };
            }
            case 2:
            {
                float a = (float)IrValues.Implicit(left, IrType.Float, "float arithmetic")!, b = (float)IrValues.Implicit(right, IrType.Float, "float arithmetic")!;
                return op switch
                {
                    IrBinaryOperator.Add => a + b,
                    IrBinaryOperator.Subtract => a - b,
                    IrBinaryOperator.Multiply => a * b,
                    IrBinaryOperator.Divide => a / b,
                    IrBinaryOperator.Remainder => a % b,
                    _ => Compare(op, a.CompareTo(b), a == b, float.IsNaN(a) || float.IsNaN(b)),
                };
            }
            case 1:
            {
                long a = Convert.ToInt64(left), b = Convert.ToInt64(right);
                return op switch
                {
                    IrBinaryOperator.Add => unchecked(a + b),
                    IrBinaryOperator.Subtract => unchecked(a - b),
                    IrBinaryOperator.Multiply => unchecked(a * b),
                    IrBinaryOperator.Divide => a / b,
                    IrBinaryOperator.Remainder => a % b,
                    IrBinaryOperator.And => a & b,
                    IrBinaryOperator.Or => a | b,
                    IrBinaryOperator.ExclusiveOr => a ^ b,
                    _ => Compare(op, a.CompareTo(b), a == b, false),
                };
            }
            default:
            {
                int a = (int)left!, b = (int)right!;
                return op switch
                {
                    IrBinaryOperator.Add => unchecked(a + b),
                    IrBinaryOperator.Subtract => unchecked(a - b),
                    IrBinaryOperator.Multiply => unchecked(a * b),
                    IrBinaryOperator.Divide => a / b,
                    IrBinaryOperator.Remainder => a % b,
                    IrBinaryOperator.And => a & b,
                    IrBinaryOperator.Or => a | b,
                    IrBinaryOperator.ExclusiveOr => a ^ b,
                    _ => Compare(op, a.CompareTo(b), a == b, false),
                };
            }
        }
    }

    /// <summary>IEEE comparisons: every ordered comparison with NaN is false, and NaN != NaN.</summary>
    private static object Compare(IrBinaryOperator op, int order, bool equal, bool unordered) => op switch
    {
        IrBinaryOperator.Equals => equal,
        IrBinaryOperator.NotEquals => !equal,
        IrBinaryOperator.LessThan => !unordered && order < 0,
        IrBinaryOperator.LessThanOrEqual => !unordered && order <= 0,
        IrBinaryOperator.GreaterThan => !unordered && order > 0,
        IrBinaryOperator.GreaterThanOrEqual => !unordered && order >= 0,
        _ => throw new IrExecutionException("Operator " + op + " does not apply to floating-point values."),
    };

    /// <summary>
    /// Whether finite differences cannot see the derivative at this call: Max or Min at a tie, or a periodic function gets an argument so large that its spacing between representable values is a sizeable
    /// fraction of the period (above 1e15 in double, 1e6 in float: spacing ≥ 1/8 resp. 1/16). There the computed function
    /// is flat or jumps between neighbouring representable arguments, while its exact derivative is the (huge) chain of
    /// partials that produced the argument: a finite-difference estimate cannot be compared with it (seed 722182381:
    /// an expansive recurrence drives an argument of Sin to 6.6e27, the derivative is 1.5e11 exactly as dual numbers
    /// give, and every finite difference is 0). The trace marks such a point with a 'p' event.
    /// </summary>
    public static bool IsBeyondResolution(MathFunction function, object?[] arguments, IrType resultType)
    {
        // Max/Min at a tie: not differentiable there (the rule takes the first argument, finite differences see the
        // average of the two one-sided slopes), like a branch taken both ways within the stencil. Seed 10123:
        // Math.Min(a[0], a[2]) with a[0] = a[2] = −0.646 gave −0.637 against finite differences' −0.3185.
        if (function is MathFunction.Max or MathFunction.Min) return IrValues.ToDouble(arguments[0]) == IrValues.ToDouble(arguments[1]);
        if (function is not (MathFunction.Sin or MathFunction.Cos or MathFunction.Tan)) return false;
        bool isFloat = resultType.Kind == IrTypeKind.Float;
        double x = IrValues.ToDouble(arguments[0]);
        if (Math.Abs(x) > (isFloat ? 1e6 : 1e15)) return true;
        // Near a zero (or, for tan, a pole) that is not representable, the relative condition number |x·f′(x) / f(x)|
        // is so large that the last bit of the argument decides the leading digits of the result: cos(π/2 rounded) is
        // 6.1e−17, pure rounding. The derivative of the evaluation procedure there is exact (forward and reverse mode
        // agree), but finite differences see a constant: seed 707696612 took log(cos(atan2(v0, −1.9e−19))), whose
        // adjoint 1/6.1e−17 times ∂atan2/∂v0 = −1.9e−19/v0² added 0.0111 to a slope finite differences saw as exactly 1.
        double epsilon = isFloat ? 1.2e-7 : 2.2e-16;
        double derivative = function switch
        {
            MathFunction.Sin => Math.Cos(x),
            MathFunction.Cos => -Math.Sin(x),
            _ => 1 + Math.Tan(x) * Math.Tan(x),
        };
        double value = IrValues.ToDouble(MathCall(function, arguments, resultType));
        double condition = Math.Abs(x * derivative) / Math.Abs(value);
        return condition * epsilon > 1e-3;
    }

    /// <summary><c>Math.F(…)</c> for a double result, <c>MathF.F(…)</c> (or <c>float.Hypot</c>) for a float one, as the emitter writes them.</summary>
    public static object MathCall(MathFunction function, object?[] arguments, IrType resultType)
    {
        int arity = RuleTable.Of(function).Arity;
        if (arguments.Length != arity)
        {
            throw new IrExecutionException(function + " takes " + arity + " arguments, got " + arguments.Length + ".");
        }
        if (resultType.Kind == IrTypeKind.Float)
        {
            float[] a = arguments.Select(x => (float)IrValues.Implicit(x, IrType.Float, "an argument of MathF." + function)!).ToArray();
            return function switch
            {
                MathFunction.Sin => MathF.Sin(a[0]),
                MathFunction.Cos => MathF.Cos(a[0]),
                MathFunction.Tan => MathF.Tan(a[0]),
                MathFunction.Asin => MathF.Asin(a[0]),
                MathFunction.Acos => MathF.Acos(a[0]),
                MathFunction.Atan => MathF.Atan(a[0]),
                MathFunction.Atan2 => MathF.Atan2(a[0], a[1]),
                MathFunction.Sinh => MathF.Sinh(a[0]),
                MathFunction.Cosh => MathF.Cosh(a[0]),
                MathFunction.Tanh => MathF.Tanh(a[0]),
                MathFunction.Asinh => MathF.Asinh(a[0]),
                MathFunction.Acosh => MathF.Acosh(a[0]),
                MathFunction.Atanh => MathF.Atanh(a[0]),
                MathFunction.Exp => MathF.Exp(a[0]),
                MathFunction.Log => MathF.Log(a[0]),
                MathFunction.LogBase => MathF.Log(a[0], a[1]),
                MathFunction.Log10 => MathF.Log10(a[0]),
                MathFunction.Log2 => MathF.Log2(a[0]),
                MathFunction.Sqrt => MathF.Sqrt(a[0]),
                MathFunction.Cbrt => MathF.Cbrt(a[0]),
                MathFunction.Pow => MathF.Pow(a[0], a[1]),
                MathFunction.Abs => MathF.Abs(a[0]),
                MathFunction.Max => MathF.Max(a[0], a[1]),
                MathFunction.Min => MathF.Min(a[0], a[1]),
                MathFunction.Clamp => Math.Clamp(a[0], a[1], a[2]),
                MathFunction.Hypot => float.Hypot(a[0], a[1]),
                MathFunction.FusedMultiplyAdd => MathF.FusedMultiplyAdd(a[0], a[1], a[2]),
                MathFunction.CopySign => MathF.CopySign(a[0], a[1]),
                MathFunction.ScaleB => MathF.ScaleB(a[0], (int)a[1]),
                MathFunction.BitIncrement => MathF.BitIncrement(a[0]),
                MathFunction.BitDecrement => MathF.BitDecrement(a[0]),
                MathFunction.ExpM1 => float.ExpM1(a[0]),
                MathFunction.Exp2 => float.Exp2(a[0]),
                MathFunction.Exp2M1 => float.Exp2M1(a[0]),
                MathFunction.Exp10 => float.Exp10(a[0]),
                MathFunction.Exp10M1 => float.Exp10M1(a[0]),
                MathFunction.LogP1 => float.LogP1(a[0]),
                MathFunction.Log2P1 => float.Log2P1(a[0]),
                MathFunction.Log10P1 => float.Log10P1(a[0]),
                MathFunction.SinPi => float.SinPi(a[0]),
                MathFunction.CosPi => float.CosPi(a[0]),
                MathFunction.TanPi => float.TanPi(a[0]),
                MathFunction.AsinPi => float.AsinPi(a[0]),
                MathFunction.AcosPi => float.AcosPi(a[0]),
                MathFunction.AtanPi => float.AtanPi(a[0]),
                MathFunction.DegreesToRadians => float.DegreesToRadians(a[0]),
                MathFunction.RadiansToDegrees => float.RadiansToDegrees(a[0]),
                MathFunction.Atan2Pi => float.Atan2Pi(a[0], a[1]),
                MathFunction.MaxMagnitude => float.MaxMagnitude(a[0], a[1]),
                MathFunction.MinMagnitude => float.MinMagnitude(a[0], a[1]),
                MathFunction.MaxMagnitudeNumber => float.MaxMagnitudeNumber(a[0], a[1]),
                MathFunction.MinMagnitudeNumber => float.MinMagnitudeNumber(a[0], a[1]),
                MathFunction.MaxNumber => float.MaxNumber(a[0], a[1]),
                MathFunction.MinNumber => float.MinNumber(a[0], a[1]),
                MathFunction.RootN => float.RootN(a[0], (int)a[1]),
                MathFunction.Lerp => float.Lerp(a[0], a[1], a[2]),
                _ => throw new NotSupportedException("No float semantics for " + function + "."),
            };
        }
        if (resultType.Kind == IrTypeKind.Double)
        {
            double[] a = arguments.Select(x => (double)IrValues.Implicit(x, IrType.Double, "an argument of Math." + function)!).ToArray();
            return function switch
            {
                MathFunction.Sin => Math.Sin(a[0]),
                MathFunction.Cos => Math.Cos(a[0]),
                MathFunction.Tan => Math.Tan(a[0]),
                MathFunction.Asin => Math.Asin(a[0]),
                MathFunction.Acos => Math.Acos(a[0]),
                MathFunction.Atan => Math.Atan(a[0]),
                MathFunction.Atan2 => Math.Atan2(a[0], a[1]),
                MathFunction.Sinh => Math.Sinh(a[0]),
                MathFunction.Cosh => Math.Cosh(a[0]),
                MathFunction.Tanh => Math.Tanh(a[0]),
                MathFunction.Asinh => Math.Asinh(a[0]),
                MathFunction.Acosh => Math.Acosh(a[0]),
                MathFunction.Atanh => Math.Atanh(a[0]),
                MathFunction.Exp => Math.Exp(a[0]),
                MathFunction.Log => Math.Log(a[0]),
                MathFunction.LogBase => Math.Log(a[0], a[1]),
                MathFunction.Log10 => Math.Log10(a[0]),
                MathFunction.Log2 => Math.Log2(a[0]),
                MathFunction.Sqrt => Math.Sqrt(a[0]),
                MathFunction.Cbrt => Math.Cbrt(a[0]),
                MathFunction.Pow => Math.Pow(a[0], a[1]),
                MathFunction.Abs => Math.Abs(a[0]),
                MathFunction.Max => Math.Max(a[0], a[1]),
                MathFunction.Min => Math.Min(a[0], a[1]),
                MathFunction.Clamp => Math.Clamp(a[0], a[1], a[2]),
                MathFunction.Hypot => double.Hypot(a[0], a[1]),
                MathFunction.FusedMultiplyAdd => Math.FusedMultiplyAdd(a[0], a[1], a[2]),
                MathFunction.CopySign => Math.CopySign(a[0], a[1]),
                MathFunction.ScaleB => Math.ScaleB(a[0], (int)a[1]),
                MathFunction.BitIncrement => Math.BitIncrement(a[0]),
                MathFunction.BitDecrement => Math.BitDecrement(a[0]),
                MathFunction.ExpM1 => double.ExpM1(a[0]),
                MathFunction.Exp2 => double.Exp2(a[0]),
                MathFunction.Exp2M1 => double.Exp2M1(a[0]),
                MathFunction.Exp10 => double.Exp10(a[0]),
                MathFunction.Exp10M1 => double.Exp10M1(a[0]),
                MathFunction.LogP1 => double.LogP1(a[0]),
                MathFunction.Log2P1 => double.Log2P1(a[0]),
                MathFunction.Log10P1 => double.Log10P1(a[0]),
                MathFunction.SinPi => double.SinPi(a[0]),
                MathFunction.CosPi => double.CosPi(a[0]),
                MathFunction.TanPi => double.TanPi(a[0]),
                MathFunction.AsinPi => double.AsinPi(a[0]),
                MathFunction.AcosPi => double.AcosPi(a[0]),
                MathFunction.AtanPi => double.AtanPi(a[0]),
                MathFunction.DegreesToRadians => double.DegreesToRadians(a[0]),
                MathFunction.RadiansToDegrees => double.RadiansToDegrees(a[0]),
                MathFunction.Atan2Pi => double.Atan2Pi(a[0], a[1]),
                MathFunction.MaxMagnitude => double.MaxMagnitude(a[0], a[1]),
                MathFunction.MinMagnitude => double.MinMagnitude(a[0], a[1]),
                MathFunction.MaxMagnitudeNumber => double.MaxMagnitudeNumber(a[0], a[1]),
                MathFunction.MinMagnitudeNumber => double.MinMagnitudeNumber(a[0], a[1]),
                MathFunction.MaxNumber => double.MaxNumber(a[0], a[1]),
                MathFunction.MinNumber => double.MinNumber(a[0], a[1]),
                MathFunction.RootN => double.RootN(a[0], (int)a[1]),
                MathFunction.Lerp => double.Lerp(a[0], a[1], a[2]),
                _ => throw new NotSupportedException("No double semantics for " + function + "."),
            };
        }
        throw new IrExecutionException("A math call must produce a double or a float, not " + resultType + ".");
    }

    // ---------------------------------------------------------------- arrays

    private int[] Indices(ImmutableArray<IrExpression> indices) =>
        indices.Select(i => Convert.ToInt32(IrValues.Implicit(Evaluate(i), IrType.Int, "an index"))).ToArray();

    /// <summary>A span view's array (a vector), first index and length: the whole array when the view has no start or length.</summary>
    private (Array Array, int Start, int Length) View(IrSpan view)
    {
        Array array = ArrayOf(Evaluate(view.Array), "a span view");
        int start = view.Start is null ? 0 : Convert.ToInt32(IrValues.Implicit(Evaluate(view.Start), IrType.Int, "a view's start"));
        int length = view.Length is null ? array.Length - start : Convert.ToInt32(IrValues.Implicit(Evaluate(view.Length), IrType.Int, "a view's length"));
        if (start < 0 || length < 0 || start + length > array.Length) throw new IrExecutionException("A span view outside its array.");
        return (array, start, length);
    }

    private static Array ArrayOf(object? value, string where) =>
        value as Array ?? throw new IrExecutionException("Expected an array in " + where + ", got " + IrValues.Describe(value) + ".");

    private static object? GetElement(Array array, IrType type, int[] indices) => type.Layout switch
    {
        ArrayLayout.Matrix => array.GetValue(indices[0], indices[1]),
        ArrayLayout.Jagged when indices.Length == 1 => array.GetValue(indices[0]),
        ArrayLayout.Jagged => ArrayOf(array.GetValue(indices[0]), "a jagged row").GetValue(indices[1]),
        _ => array.GetValue(indices[0]),
    };

    private static void SetElement(Array array, IrType type, int[] indices, object? value)
    {
        switch (type.Layout)
        {
            case ArrayLayout.Matrix:
                array.SetValue(value, indices[0], indices[1]);
                break;
            case ArrayLayout.Jagged when indices.Length == 1:
                array.SetValue(value, indices[0]); // a whole row: t[i] = new double[n]
                break;
            case ArrayLayout.Jagged:
                ArrayOf(array.GetValue(indices[0]), "a jagged row").SetValue(value, indices[1]);
                break;
            default:
                array.SetValue(value, indices[0]);
                break;
        }
    }

    public static Array NewArray(IrType arrayType, int[] lengths)
    {
        Type element = IrValues.ClrType(arrayType.Element!);
        switch (arrayType.Layout)
        {
            case ArrayLayout.Matrix:
                return Array.CreateInstance(element, lengths[0], lengths[1]);
            case ArrayLayout.Jagged:
            {
                Array rows = Array.CreateInstance(element.MakeArrayType(), lengths[0]);
                if (lengths.Length > 1)
                {
                    for (int i = 0; i < lengths[0]; i++) rows.SetValue(Array.CreateInstance(element, lengths[1]), i);
                }
                return rows;
            }
            default:
                return Array.CreateInstance(element, lengths[0]);
        }
    }

    /// <summary><paramref name="destination"/> += <paramref name="source"/>, element by element (vectors, matrices, jagged).</summary>
    /// <summary>
    /// The buffer operations the transforms write (<see cref="BufferOperation"/>), on the interpreter's arrays. The
    /// transforms' output for the interpreter holds whole arrays, never span views, so each operation acts on whole arrays.
    /// </summary>
    private object? EvaluateBufferCall(IrBufferCall call)
    {
        object?[] operands = call.Arguments.Select(Evaluate).ToArray();
        switch (call.Operation)
        {
            case BufferOperation.Rent:
                return Array.CreateInstance(call.ResultType.Element!.Kind == IrTypeKind.Float ? typeof(float) : typeof(double), Convert.ToInt32(operands[0], CultureInfo.InvariantCulture));
            case BufferOperation.RentCopy:
                return ((Array)ArrayOf(operands[0], "a copied buffer").Clone());
            case BufferOperation.Return:
                return null;
            case BufferOperation.CopySpan:
            case BufferOperation.CopyTo:
            {
                Array source = ArrayOf(operands[0], "a copy's source");
                Array.Copy(source, ArrayOf(operands[1], "a copy's destination"), source.Length);
                return null;
            }
            case BufferOperation.CopyPrefixTo:
            {
                Array destination = ArrayOf(operands[1], "a copy's destination");
                Array.Copy(ArrayOf(operands[0], "a copy's source"), destination, destination.Length);
                return null;
            }
            case BufferOperation.Clear:
            case BufferOperation.ClearSpan:
            {
                Array span = ArrayOf(operands[0], "a cleared buffer");
                Array.Clear(span, 0, span.Length);
                return null;
            }
            case BufferOperation.Fill:
            {
                Array span = ArrayOf(operands[0], "a filled buffer");
                for (int i = 0; i < span.Length; i++) span.SetValue(operands[1], i);
                return null;
            }
            case BufferOperation.AddTo:
                AddArrays(ArrayOf(operands[1], "the gradient an adjoint is added to"), ArrayOf(operands[0], "an added adjoint"));
                return null;
            default:
                throw new NotSupportedException("The interpreter has no buffer operation " + call.Operation + ".");
        }
    }

    public static void AddArrays(Array destination, Array source)
    {
        if (destination.Rank == 2)
        {
            for (int i = 0; i < source.GetLength(0); i++)
            {
                for (int j = 0; j < source.GetLength(1); j++) destination.SetValue(Add(destination.GetValue(i, j), source.GetValue(i, j)), i, j);
            }
            return;
        }
        for (int i = 0; i < source.Length; i++)
        {
            if (source.GetValue(i) is Array row) AddArrays(ArrayOf(destination.GetValue(i), "a jagged row"), row);
            else destination.SetValue(Add(destination.GetValue(i), source.GetValue(i)), i);
        }
    }
}
