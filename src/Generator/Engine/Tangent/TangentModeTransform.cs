using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Analysis;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Generator.Engine.Tangent
{
    /// <summary>
    /// The forward-mode transform, IR → IR: the lowered function with a tangent statement after (or around) each of its
    /// statements that writes an active value, <c>ṫ = Σ ∂f/∂aᵢ · ȧᵢ</c>, the partials read from the rule table (the same
    /// entries the reverse transform reads). One pass, in program order, so control flow is the primal's own: branches
    /// test the same conditions, loops run the same iterations, early exits are the control variables lowering made.
    /// No tape: forward mode needs nothing recorded.
    /// </summary>
    /// <remarks>
    /// Tangents exist for active variables only (activity analysis); a passive operand has tangent zero and contributes
    /// no term. A local array gets a tangent array of its shape (rented from the runtime pool when it is allocated once,
    /// outside loops, and returned in cleanup, as the reverse transform does for adjoints); an input array's tangent is
    /// the caller's read-only span, copied into a rented array first when the method writes into the input.
    /// </remarks>
    internal sealed partial class TangentModeTransform
    {
        private readonly IrFunction _function;
        private readonly ActivityAnalysis _activity;
        private readonly IrVariableFactory _extra;
        private readonly Dictionary<IrVariable, IrVariable> _tangents = new();
        private readonly Dictionary<IrVariable, int> _assignmentCounts = new();
        private readonly IrBlock _prologue = new();
        private readonly IrBlock _cleanup = new();
        private readonly List<EntryCopy> _entryCopies = new();

        private TangentModeTransform(IrFunction function, ActivityAnalysis activity)
        {
            _function = function;
            _activity = activity;
            _extra = new IrVariableFactory(firstId: function.Variables.Count);
            foreach (IrAssign assign in IrWalker.AllStatements(function.Body).OfType<IrAssign>())
            {
                _assignmentCounts.TryGetValue(assign.Target, out int count);
                _assignmentCounts[assign.Target] = count + 1;
            }
        }

        public static TangentProgram Transform(IrFunction function, ActivityAnalysis activity)
        {
            var transform = new TangentModeTransform(function, activity);
            // The caller's tangent buffers exist whether or not the body uses them (the emitter declares them).
            foreach (IrVariable parameter in function.Parameters.Where(p => p.IsDifferentiableParameter))
            {
                transform.TangentParameter(parameter);
            }
            // So are the caller's output tangents: a buffer's is overwritten from zero (its values on entry are constants).
            foreach (IrOutput output in function.Outputs.Where(o => o.IsBuffer))
            {
                transform.OutputBufferTangent(output.Parameter);
            }
            IrBlock body = transform.TransformBlock(function.Body, inLoop: false);
            IrExpression resultTangent = transform.TangentOf(new IrVariableReference(function.Result)) ?? IrConstant.Real(0, function.Result.Type);
            return new TangentProgram(function, activity, transform._prologue, body, transform._cleanup, resultTangent,
                new Dictionary<IrVariable, IrVariable>(transform._tangents), transform._extra.Variables)
            {
                OutputTangents = transform.OutScalarTangents(),
                EntryCopies = transform._entryCopies,
            };
        }

        /// <summary>
        /// The caller's <c>Span&lt;E&gt; d&lt;name&gt;</c> for an <c>[Output]</c> buffer: cleared first, then written element by
        /// element beside the buffer (the emitter names it after the output).
        /// </summary>
        private void OutputBufferTangent(IrVariable buffer)
        {
            IrVariable given = _extra.Create("d" + buffer.PreferredName.TrimStart('@'), IrType.ArrayOf(buffer.Type.Element!, ArrayLayout.Span), IrVariableRole.Adjoint);
            given.GradientParameterOf = buffer;
            given.Primal = buffer;
            _tangents[buffer] = given;
            // The leaves of an [Output] array of structs share the caller's one Span<S>: it is cleared once, with the first.
            if (buffer.StructLeaf is { LeafIndex: > 0 }) return;
            _prologue.Add(IrBufferCall.Effect(BufferOperation.Clear, new IrVariableReference(given)));
        }

        /// <summary>The tangents of the <c>out</c> scalar outputs, set last: <c>dy = ẏ</c> (zero when the output is passive).</summary>
        private IrBlock OutScalarTangents()
        {
            var block = new IrBlock();
            foreach (IrOutput output in _function.Outputs.Where(o => !o.IsBuffer))
            {
                IrVariable given = _extra.Create("d" + output.Parameter.PreferredName.TrimStart('@'), output.Variable.Type, IrVariableRole.Adjoint);
                given.GradientParameterOf = output.Parameter;
                block.Add(new IrAssign(output.Parameter, new IrVariableReference(output.Variable)));
                block.Add(new IrAssign(given, TangentOf(new IrVariableReference(output.Variable)) ?? IrConstant.Real(0, output.Variable.Type)));
            }
            return block;
        }

        private IrBlock TransformBlock(IrBlock block, bool inLoop)
        {
            var output = new IrBlock();
            foreach (IrStatement statement in block.Statements)
            {
                TransformStatement(statement, inLoop, output);
            }
            return output;
        }

        private void TransformStatement(IrStatement statement, bool inLoop, IrBlock output)
        {
            switch (statement)
            {
                case IrAssign assign when assign.Target.Type.Kind == IrTypeKind.Array:
                    TransformArrayDefinition(assign, inLoop, output);
                    break;
                case IrAssign { Value: IrDifferentiableCall call } assign:
                    TransformCall(assign, call, output);
                    break;
                case IrAssign { Value: IrSpanCall reduction } assign:
                    TransformSpanReduction(assign, reduction, output);
                    break;
                case IrSpanStore store:
                    TransformSpanStore(store, output);
                    break;
                case IrSimdStore store:
                    TransformSimdStore(store, output);
                    break;
                case IrAssign assign:
                    TransformAssign(assign, output);
                    break;
                case IrElementWrite write:
                    TransformElementWrite(write, output);
                    break;
                case IrIf branch:
                    output.Add(new IrIf(branch.Condition, TransformBlock(branch.Then, inLoop), TransformBlock(branch.Else, inLoop)) { Origin = branch.Origin });
                    break;
                case IrLoop loop:
                    output.Add(new IrLoop(TransformBlock(loop.Head, inLoop: true), loop.Condition, TransformBlock(loop.Body, inLoop: true)) { Origin = loop.Origin });
                    break;
                case IrEffect { Expression: IrDifferentiableCall call } effect:
                    // A differentiable call whose value is discarded: it runs for its effect, no tangent to compute.
                    output.Add(effect);
                    _ = call;
                    break;
                case IrEffect or IrThrow or IrComment:
                    // Guards throw where the method throws; effects run as in the method. Neither carries a tangent.
                    output.Add(statement);
                    break;
                default:
                    // Lowered code has no other statement; fail loudly (ADG0999) rather than drop a tangent silently.
                    throw new InvalidOperationException("The tangent transform cannot handle " + statement.GetType().Name + ".");
            }
        }

        /// <summary>
        /// <c>v = f(a, b)</c> → <c>v = f(a, b); v̇ = ∂f/∂a · ȧ + ∂f/∂b · ḃ</c>. When the right side reads <c>v</c> itself
        /// (<c>s = s * x</c>), the value goes to a fresh temporary first, so the tangent reads the operands' old values.
        /// </summary>
        private void TransformAssign(IrAssign assign, IrBlock output)
        {
            IrVariable target = assign.Target;
            if (!_activity.IsActive(target))
            {
                output.Add(assign);
                return;
            }
            string? origin = assign.Origin;
            bool readsTarget = assign.Value.ReadVariables().Contains(target);
            if (!readsTarget)
            {
                output.Add(assign);
                // The tangent of a local's declaration is declared with it: a reverse transform over the closed tangent
                // (second order) then knows it carries nothing from one loop iteration to the next.
                output.Add(new IrAssign(Tangent(target), TangentExpression(assign.Value, new IrVariableReference(target)) ?? IrConstant.Real(0, target.Type))
                {
                    Origin = origin,
                    IsDeclaration = assign.IsDeclaration,
                });
                return;
            }
            if (SelfUpdate.Match(assign) is { } update)
            {
                // s = s + e: ṡ = ṡ + ė (or − ė), in place; the tangent of e reads nothing s's new value changes.
                IrExpression? other = TangentOf(update.Other);
                output.Add(assign);
                if (other is not null)
                {
                    IrExpression otherTangent = Converted(other, target.Type);
                    output.Add(new IrAssign(Tangent(target), new IrBinary(update.Subtracts ? IrBinaryOperator.Subtract : IrBinaryOperator.Add,
                        new IrVariableReference(Tangent(target)), otherTangent, target.Type)) { Origin = origin });
                }
                return;
            }
            IrVariable value = _extra.Create("_v_" + target.PreferredName.TrimStart('_', '@'), target.Type, IrVariableRole.Temporary);
            output.Add(new IrAssign(value, assign.Value) { Origin = origin });
            output.Add(new IrAssign(Tangent(target), TangentExpression(assign.Value, new IrVariableReference(value)) ?? IrConstant.Real(0, target.Type)) { Origin = origin });
            output.Add(new IrAssign(target, new IrVariableReference(value)) { Origin = origin, IsDeclaration = assign.IsDeclaration });
        }

        /// <summary>
        /// The tangent of <paramref name="value"/> = f(operands), whose value is <paramref name="result"/>: one term per
        /// active operand (the rule table's partial times the operand's tangent), or null when every term is zero.
        /// </summary>
        private IrExpression? TangentExpression(IrExpression value, IrExpression result)
        {
            IrType type = result.Type;
            switch (value)
            {
                case IrVariableReference or IrConstant:
                    return TangentOf(value) is { } tangent ? Converted(tangent, type) : null;
                case IrConvert convert:
                    return TangentOf(convert.Operand) is { } converted ? Converted(converted, type) : null;
                case IrUnary unary when RuleTable.Of(unary.Operator).CarriesDerivative:
                    return Sum(new[] { (unary.Operand, RuleTable.Of(unary.Operator).Partials(ImmutableArray.Create(unary.Operand), result)[0]) }, type);
                case IrUnary:
                    return null;
                case IrBinary binary:
                {
                    OperatorRule rule = RuleTable.Of(binary.Operator);
                    if (!rule.CarriesDerivative) return null;
                    ImmutableArray<IrExpression?> partials = rule.Partials(ImmutableArray.Create(binary.Left, binary.Right), result);
                    return Sum(new[] { (binary.Left, partials[0]), (binary.Right, partials[1]) }, type);
                }
                case IrMathCall call:
                {
                    ImmutableArray<IrExpression> partials = RuleTable.Of(call.Function).Partials(call.Arguments, result);
                    return Sum(call.Arguments.Select((argument, i) => (argument, (IrExpression?)partials[i])).ToList(), type);
                }
                case IrSimdCall call:
                    return SimdTangent(call, result);
                case IrElementRead read:
                    return read.Array is IrVariableReference { Variable: var array } && _activity.IsActive(array)
                        ? Converted(new IrElementRead(new IrVariableReference(Tangent(array)), read.Indices, array.Type.Element!), type)
                        : null;
                default:
                    if (value.ReadVariables().Any(_activity.IsActive))
                    {
                        throw new InvalidOperationException("No tangent rule for " + value.GetType().Name + ".");
                    }
                    return null;
            }
        }

        /// <summary>Σ partialᵢ · tangentᵢ over the operands with a tangent (a null partial is exactly 1); null when there is none.</summary>
        private IrExpression? Sum(IReadOnlyList<(IrExpression Operand, IrExpression? Partial)> terms, IrType type)
        {
            IrExpression? sum = null;
            foreach (var (operand, partial) in terms)
            {
                if (TangentOf(operand) is not { } tangent) continue;
                if (partial is not null && IrConstant.IsRealZero(partial)) continue;
                // Lane-wise: multiply in the vector type, then reduce into a scalar or broadcast into a vector (SimdTypes).
                IrExpression term = SimdTypes.Involved(tangent.Type, partial?.Type, type)
                    ? SimdTypes.Adapt(Multiply(tangent, partial, tangent.Type.IsSimdVector ? tangent.Type : partial?.Type.IsSimdVector == true ? partial.Type : type), type)
                    : Multiply(Converted(tangent, type), partial, type);
                sum = sum is null ? term
                    : term is IrUnary { Operator: IrUnaryOperator.Negate } negated ? new IrBinary(IrBinaryOperator.Subtract, sum, negated.Operand, type)
                    : new IrBinary(IrBinaryOperator.Add, sum, term, type);
            }
            return sum;
        }

        private static IrExpression Multiply(IrExpression tangent, IrExpression? partial, IrType type) => partial switch
        {
            null => tangent,
            IrConstant { Value: double d } when d == 1 => tangent,
            IrConstant { Value: float f } when f == 1 => tangent,
            IrConstant { Value: double d } when d == -1 => new IrUnary(IrUnaryOperator.Negate, tangent, type),
            IrConstant { Value: float f } when f == -1 => new IrUnary(IrUnaryOperator.Negate, tangent, type),
            // ȧ · (1 / b) is ȧ / b: one division instead of two operations.
            IrBinary { Operator: IrBinaryOperator.Divide, Left: IrConstant { Value: 1.0 or 1.0f } } reciprocal
                => new IrBinary(IrBinaryOperator.Divide, tangent, reciprocal.Right, type),
            _ => SimdTypes.Multiply(partial, tangent, type),
        };

        /// <summary>A tangent in the type of the value it feeds (mixed precision: a float tangent into double arithmetic).</summary>
        private static IrExpression Converted(IrExpression tangent, IrType type) =>
            tangent.Type.CSharpName == type.CSharpName ? tangent : new IrConvert(tangent, type);

        /// <summary>The tangent of an operand: its tangent variable when it is active, null (zero) otherwise.</summary>
        private IrExpression? TangentOf(IrExpression operand) =>
            operand is IrVariableReference { Variable: var variable } && _activity.IsActive(variable)
                ? new IrVariableReference(Tangent(variable))
                : null;

        /// <summary><c>a[i] = v</c> → <c>a[i] = v; ȧ[i] = v̇</c> (a jagged row write gives the tangent a zeroed row of the same length).</summary>
        private void TransformElementWrite(IrElementWrite write, IrBlock output)
        {
            IrVariable array = write.Array;
            output.Add(write);
            if (!_activity.IsActive(array)) return;
            IrType element = array.Type.Element!;
            if (array.Type.Layout == ArrayLayout.Jagged && write.Indices.Length == 1)
            {
                output.Add(new IrElementWrite(Tangent(array), write.Indices, write.Value) { Origin = write.Origin });
                return;
            }
            IrExpression tangent = TangentExpression(write.Value, write.Value) is { } t ? Converted(t, element) : IrConstant.Real(0, element);
            output.Add(new IrElementWrite(Tangent(array), write.Indices, tangent) { Origin = write.Origin });
        }

        /// <summary><c>a = new double[n]</c>: an active local array gets a zeroed tangent array of the same shape.</summary>
        private void TransformArrayDefinition(IrAssign assign, bool inLoop, IrBlock output)
        {
            IrVariable target = assign.Target;
            output.Add(assign);
            if (!_activity.IsActive(target)) return;
            if (assign.Value is not IrNewArray)
            {
                throw new InvalidOperationException("An active array must be allocated by the method: " + target + ".");
            }
            bool pooled = !inLoop && _assignmentCounts[target] == 1 && target.Type.Layout == ArrayLayout.Vector;
            IrVariable tangent = Tangent(target);
            output.Add(new IrAssign(tangent, IrZeroedArray.Like(target, pooled)) { Origin = assign.Origin });
            if (pooled) _cleanup.Add(IrPoolReturn.Of(tangent));
        }

        /// <summary>
        /// <c>v = F(args)</c> with an active argument or target → <c>v = F.MTangent(args, ȧrgs, out v̇)</c>: the callee's
        /// forward-mode companion computes the value and the tangent of its result together.
        /// </summary>
        private void TransformCall(IrAssign assign, IrDifferentiableCall call, IrBlock output)
        {
            IrVariable target = assign.Target;
            if (!_activity.IsActive(target))
            {
                output.Add(assign);
                return;
            }
            var tangents = ImmutableArray.CreateBuilder<IrExpression?>();
            for (int i = 0; i < call.Arguments.Length; i++)
            {
                if (!call.Target.ParameterIsDifferentiable[i]) continue;
                tangents.Add(TangentOf(call.Arguments[i]));
            }
            if (tangents.All(t => t is null))
            {
                output.Add(assign);
                output.Add(new IrAssign(Tangent(target), IrConstant.Real(0, target.Type)) { Origin = assign.Origin });
                return;
            }
            IrVariable resultTangent = call.Type.CSharpName == target.Type.CSharpName
                ? Tangent(target)
                : _extra.Create("_dt_call", call.Type, IrVariableRole.Temporary);
            output.Add(new IrTangentCall(target, call, tangents.ToImmutable(), resultTangent) { Origin = assign.Origin });
            if (resultTangent != Tangent(target))
            {
                output.Add(new IrAssign(Tangent(target), new IrConvert(new IrVariableReference(resultTangent), target.Type)) { Origin = assign.Origin });
            }
        }

        /// <summary>The tangent variable of an active variable, made on first use.</summary>
        private IrVariable Tangent(IrVariable primal)
        {
            if (_tangents.TryGetValue(primal, out IrVariable? tangent)) return tangent;
            if (primal.Role == IrVariableRole.Parameter && primal.IsDifferentiableParameter)
            {
                return TangentParameter(primal);
            }
            IrType type = primal.Type.Kind == IrTypeKind.Array && primal.Type.Layout is ArrayLayout.Span or ArrayLayout.ReadOnlySpan
                ? IrType.ArrayOf(primal.Type.Element!, ArrayLayout.Vector)
                : primal.Type;
            tangent = _extra.Create("_dt_" + primal.PreferredName.TrimStart('_', '@'), type, IrVariableRole.Adjoint);
            tangent.Primal = primal;
            _tangents[primal] = tangent;
            if (primal.Role == IrVariableRole.Parameter && primal.Type.Kind == IrTypeKind.Array)
            {
                // A [NoDerivative] array the method writes active values into: its tangent starts at zero.
                bool pooled = primal.Type.Layout is ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan;
                _prologue.Add(new IrAssign(tangent, IrZeroedArray.Like(primal, pooled)));
                if (pooled) _cleanup.Add(IrPoolReturn.Of(tangent));
            }
            return tangent;
        }

        /// <summary>
        /// The caller's tangent of a differentiable parameter (the emitter names it <c>d</c> + the parameter's name). An
        /// array the method writes into gets a rented copy of it, since the caller's span is read-only.
        /// </summary>
        private IrVariable TangentParameter(IrVariable parameter)
        {
            if (_tangents.TryGetValue(parameter, out IrVariable? existing)) return existing;
            IrType type = parameter.Type.Kind == IrTypeKind.Array && parameter.Type.Layout is ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan
                ? IrType.ArrayOf(parameter.Type.Element!, ArrayLayout.ReadOnlySpan)
                : parameter.Type;
            IrVariable given = _extra.Create("d" + parameter.PreferredName.TrimStart('@'), type, IrVariableRole.Adjoint);
            given.GradientParameterOf = parameter;
            if (parameter.Type.Kind != IrTypeKind.Array || !IsWritten(parameter))
            {
                given.Primal = parameter;
                _tangents[parameter] = given;
                return given;
            }
            bool isVector = parameter.Type.Layout is ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan;
            IrVariable copy = _extra.Create("_dt_" + parameter.PreferredName.TrimStart('_', '@'),
                isVector ? IrType.ArrayOf(parameter.Type.Element!, ArrayLayout.Vector) : parameter.Type, IrVariableRole.Adjoint);
            copy.Primal = parameter;
            _tangents[parameter] = copy;
            _prologue.Add(new IrAssign(copy, IrZeroedArray.Like(parameter, pooled: isVector)));
            IrStatement fill = StructArrayLeaves.IsLeafArray(parameter)
                ? StructArrayLeaves.ElementWise(_extra, parameter, copy, given, accumulate: false) // _dt_p[k] = dp[k].X
                : IrBufferCall.Effect(isVector ? BufferOperation.CopyTo : BufferOperation.AddTo, new IrVariableReference(given), new IrVariableReference(copy));
            _prologue.Add(fill);
            _entryCopies.Add(new EntryCopy(parameter, given, copy, fill));
            if (isVector) _cleanup.Add(IrPoolReturn.Of(copy));
            return copy;
        }

        private bool IsWritten(IrVariable array) =>
            IrWalker.AllStatements(_function.Body).Any(s => s is IrElementWrite w && w.Array == array || s is IrSpanStore store && store.DestinationArray == array
                || s is IrSimdStore simd && simd.DestinationArray == array);
    }

    /// <summary>
    /// What the tangent transform made of a function: the body of <c>MTangent</c> (the primal statements interleaved with
    /// tangent statements), what runs before it (tangent buffers rented and filled) and after it on every exit path
    /// (rented buffers returned), and the tangent of the result.
    /// </summary>
    internal sealed class TangentProgram
    {
        public TangentProgram(IrFunction function, ActivityAnalysis activity, IrBlock prologue, IrBlock body, IrBlock cleanup, IrExpression resultTangent,
            IReadOnlyDictionary<IrVariable, IrVariable> tangents, IReadOnlyList<IrVariable> extraVariables)
        {
            Function = function;
            Activity = activity;
            Prologue = prologue;
            Body = body;
            Cleanup = cleanup;
            ResultTangent = resultTangent;
            Tangents = tangents;
            ExtraVariables = extraVariables;
        }

        public IrFunction Function { get; }

        public ActivityAnalysis Activity { get; }

        public IrBlock Prologue { get; }

        public IrBlock Body { get; }

        /// <summary>Runs on every exit path (a <c>finally</c>): rented tangent arrays go back to the pool.</summary>
        public IrBlock Cleanup { get; }

        /// <summary>The tangent of the result: a tangent variable, or a zero constant when the result is passive.</summary>
        public IrExpression ResultTangent { get; }

        /// <summary>Each active variable's tangent; a differentiable parameter's is the caller's (or a copy of it).</summary>
        public IReadOnlyDictionary<IrVariable, IrVariable> Tangents { get; }

        /// <summary>Runs last: each <c>out</c> scalar output and its tangent (<c>y = y_local; dy = ẏ</c>).</summary>
        public IrBlock OutputTangents { get; init; } = new();

        /// <summary>The variables the transform added (tangents, temporaries), after the function's own.</summary>
        public IReadOnlyList<IrVariable> ExtraVariables { get; }

        /// <summary>The inputs the method writes into, whose tangents are copies of the caller's (one per such input).</summary>
        public IReadOnlyList<EntryCopy> EntryCopies { get; init; } = Array.Empty<EntryCopy>();
    }

    /// <summary>
    /// The tangent of an input the method writes into: <see cref="Copy"/>, a local array filled from the caller's read-only
    /// <see cref="Given"/> by the prologue statement <see cref="Fill"/> (a runtime copy, opaque to other transforms; closing
    /// the tangent function rebuilds it as element writes a reverse transform can differentiate).
    /// </summary>
    internal sealed record EntryCopy(IrVariable Parameter, IrVariable Given, IrVariable Copy, IrStatement Fill);
}
