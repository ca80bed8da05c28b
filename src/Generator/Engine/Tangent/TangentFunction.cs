using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Tangent
{
    /// <summary>
    /// A tangent program closed into an ordinary IR function, so another transform can take it as input:
    /// <c>ḟ(p…, ṗ…) = Σ ∂f/∂p · ṗ</c>, whose parameters are the method's followed by the tangents (directions), both
    /// differentiable, and whose result is the tangent of the method's result. Reverse mode over it,
    /// <c>Reverse(Tangent(f))</c>, gives in one sweep <c>∇ₚ(∇f · v) = H v</c> (the gradient with respect to <c>p</c>) and
    /// <c>∇ᵥ(∇f · v) = ∇f</c> (with respect to the directions, since ḟ is linear in them): the Hessian-vector product and
    /// the gradient by reverse over forward, at a small constant times the cost of one gradient (JAX's <c>grad(jvp)</c>).
    /// </summary>
    /// <remarks>
    /// The tangent transform's variables are re-made with the roles of ordinary code (a tangent is a local of
    /// <c>ḟ</c>, not an adjoint of it), so the reverse transform's passes, which treat adjoints specially, see a plain
    /// function. Tangent arrays of local arrays stay pooled rentals (<see cref="IrZeroedArray"/>, recognised by type); their
    /// returns become the closed function's <see cref="IrFunction.Cleanup"/>, which a transform over it runs after its own
    /// sweeps. A call of another differentiable method becomes a call of the callee's closed tangent (<see cref="ClosedCall"/>).
    /// Not closed yet, and refused with <see cref="NotSupportedException"/> (the message says what): calls of callees second
    /// order cannot go through (<see cref="CallTarget.SecondOrderRefusal"/>, a hand-written <c>…Backward</c>), span
    /// primitives, and methods with outputs besides their return value. The tangent of an input the method writes into
    /// is a local copy of the direction, filled by element writes (<see cref="EntryCopyLoops"/>) so that the reverse sweep
    /// carries its adjoint back to the direction's.
    /// </remarks>
    internal static class TangentFunction
    {
        public static IrFunction Close(TangentProgram program) => CloseWithValue(program).Function;

        /// <summary>
        /// The closed function, and the local that holds the method's own value once it has run (assigned once, last, so
        /// that no restore of a reverse sweep over the function reaches it).
        /// </summary>
        public static ClosedTangent CloseWithValue(TangentProgram program)
        {
            IrFunction primal = program.Function;
            if (!primal.Outputs.IsEmpty || !primal.ReturnsValue)
            {
                throw new NotSupportedException("it is not scalar-valued (second order is for methods whose one output is their return value)");
            }
            var factory = new IrVariableFactory();
            var map = new Dictionary<IrVariable, IrVariable>();

            IrVariable Remade(IrVariable v, IrVariableRole role, bool differentiable = false, IrType? type = null)
            {
                IrVariable copy = factory.Create(v.PreferredName, type ?? v.Type, role, differentiable);
                copy.StructLeaf = v.StructLeaf;
                map[v] = copy;
                return copy;
            }

            var parameters = ImmutableArray.CreateBuilder<IrVariable>();
            foreach (IrVariable p in primal.Parameters) parameters.Add(Remade(p, IrVariableRole.Parameter, p.IsDifferentiableParameter));
            var directions = ImmutableArray.CreateBuilder<IrVariable>();
            foreach (IrVariable p in primal.Parameters.Where(p => p.IsDifferentiableParameter))
            {
                // An input the method writes into has a local copy for its tangent; the direction is the caller's array it is filled from.
                IrVariable? given = program.EntryCopies.FirstOrDefault(c => c.Parameter == p)?.Given
                    ?? (program.Tangents.TryGetValue(p, out IrVariable? tangent) ? tangent : null);
                if (given is null || given.GradientParameterOf != p)
                {
                    throw new NotSupportedException("it has an input " + p.PreferredName + " without a tangent of its own");
                }
                IrVariable direction = Remade(given, IrVariableRole.Parameter, differentiable: true);
                // The direction of a struct leaf is the same leaf of the direction struct (vp.X): the emitter reads and rebuilds it so.
                direction.StructLeaf = p.StructLeaf;
                parameters.Add(direction);
                directions.Add(direction);
            }
            foreach (IrVariable v in primal.Variables.Concat(program.ExtraVariables).Where(v => !map.ContainsKey(v)))
            {
                Remade(v, RoleInClosedFunction(v));
            }
            IrVariable result = factory.Create("_tangent", primal.ReturnType, IrVariableRole.Result);
            IrVariable value = factory.Create("_value", primal.ReturnType, IrVariableRole.Local);

            var body = new IrBlock();
            var fills = program.EntryCopies.ToDictionary(c => c.Fill);
            foreach (IrStatement s in program.Prologue.Statements.Concat(program.Body.Statements))
            {
                if (fills.TryGetValue(s, out EntryCopy? copy)) body.AddRange(EntryCopyLoops.Fill(factory, map[copy.Copy], map[copy.Given]));
                else body.AddRange(Statements(s, map));
            }
            body.Add(new IrAssign(result, Expression(program.ResultTangent, map)));
            body.Add(new IrAssign(value, new IrVariableReference(map[primal.Result])));
            // The tangent statements are expressions (ṫ = a·ḃ + b·ȧ); the reverse transform reads three-address code.
            IrBlock flat = new ThreeAddress(factory).Block(body);
            var function = new IrFunction(primal.Name + "Tangent", primal.ReturnType, parameters.ToImmutable(), factory.Variables, result, flat)
            {
                Cleanup = Block(program.Cleanup, map),
            };
            return new ClosedTangent(function, value, directions.ToImmutable());
        }

        /// <summary>
        /// A tangent is a local of ḟ, not an adjoint; the tangent of an expression temporary is an expression temporary too
        /// (assigned once, where its primal is, and read in the same block), so the reverse transform over ḟ recomputes it
        /// in reverse instead of taping it every iteration (RecomputationAnalysis), as it does for the primal's temporaries.
        /// </summary>
        private static IrVariableRole RoleInClosedFunction(IrVariable v) => v.Role switch
        {
            IrVariableRole.Adjoint when v.Primal is { Role: IrVariableRole.Temporary } => IrVariableRole.Temporary,
            IrVariableRole.Adjoint or IrVariableRole.Result => IrVariableRole.Local,
            _ => v.Role,
        };

        /// <summary>
        /// Lowers nested real-valued expressions into temporaries, as method lowering does (<c>t = a·ḃ + b·ȧ</c> becomes
        /// <c>t₁ = a·ḃ; t₂ = b·ȧ; t = t₁ + t₂</c>), and a real-valued conditional into an if. Passive (integer, boolean)
        /// subexpressions stay where they are: they carry no derivative.
        /// </summary>
        private sealed class ThreeAddress
        {
            private readonly IrVariableFactory _factory;

            public ThreeAddress(IrVariableFactory factory) => _factory = factory;

            public IrBlock Block(IrBlock block)
            {
                var output = new IrBlock();
                foreach (IrStatement s in block.Statements) Statement(s, output);
                return output;
            }

            private void Statement(IrStatement statement, IrBlock output)
            {
                switch (statement)
                {
                    case IrAssign { Value: IrConditional conditional } assign when conditional.Type.IsDifferentiable:
                        Select(assign.Target, conditional, output, assign.Origin);
                        break;
                    case IrAssign assign:
                        output.Add(assign with { Value = Top(assign.Value, output) });
                        break;
                    case IrElementWrite write:
                        output.Add(write with { Value = Operand(write.Value, output) });
                        break;
                    case IrIf branch:
                        output.Add(branch with { Then = Block(branch.Then), Else = Block(branch.Else) });
                        break;
                    case IrLoop loop:
                        output.Add(loop with { Head = Block(loop.Head), Body = Block(loop.Body) });
                        break;
                    default:
                        output.Add(statement);
                        break;
                }
            }

            /// <summary><c>target = c ? a : b</c> → <c>if (c) target = a; else target = b;</c></summary>
            private void Select(IrVariable target, IrConditional conditional, IrBlock output, string? origin)
            {
                var then = new IrBlock();
                var otherwise = new IrBlock();
                Statement(new IrAssign(target, conditional.WhenTrue) { Origin = origin }, then);
                Statement(new IrAssign(target, conditional.WhenFalse) { Origin = origin }, otherwise);
                output.Add(new IrIf(conditional.Condition, then, otherwise) { Origin = origin });
            }

            /// <summary>The expression itself, its real-valued compound operands moved into temporaries.</summary>
            private IrExpression Top(IrExpression expression, IrBlock output) =>
                expression is IrVariableReference or IrConstant ? expression : IrRewriter.ReplaceChildren(expression, child => Operand(child, output));

            /// <summary>A leaf: a variable, a constant, a passive expression, or a temporary holding a real-valued compound.</summary>
            private IrExpression Operand(IrExpression expression, IrBlock output)
            {
                if (expression is IrVariableReference or IrConstant || !expression.Type.IsDifferentiable) return expression;
                IrVariable temporary = _factory.Temporary(expression.Type);
                if (expression is IrConditional conditional) Select(temporary, conditional, output, null);
                else output.Add(new IrAssign(temporary, Top(expression, output)));
                return new IrVariableReference(temporary);
            }
        }

        private static IrBlock Block(IrBlock block, Dictionary<IrVariable, IrVariable> map)
        {
            var output = new IrBlock();
            foreach (IrStatement s in block.Statements) output.AddRange(Statements(s, map));
            return output;
        }

        private static IEnumerable<IrStatement> Statements(IrStatement statement, Dictionary<IrVariable, IrVariable> map) =>
            statement is IrTangentCall call ? ClosedCall(call, map) : new[] { Statement(statement, map) };

        /// <summary>
        /// <c>v = G.MTangent(args, ȧrgs, out v̇)</c> → <c>v̇ = ġ(args, ȧrgs); v = G(args);</c>: two calls an ordinary reverse
        /// transform reverses, the tangent's through the callee's <c>…BackwardTangent</c> (the pullback of its closed tangent
        /// ġ, <see cref="CallTarget.ClosedTangent"/>) and the value's through its <c>…Backward</c>. Together they give the
        /// caller's H·v the callee's part: <c>v̄·∇g + v̇̄·H_g·ȧrgs</c> into the arguments' adjoints, <c>v̇̄·∇g</c> into their
        /// tangents'. The tangent comes first: the value may overwrite an argument (<c>x = G(x)</c>) the tangent reads.
        /// A passive argument's direction is zero (a zeroed array of its shape).
        /// </summary>
        private static IEnumerable<IrStatement> ClosedCall(IrTangentCall tangentCall, Dictionary<IrVariable, IrVariable> map)
        {
            CallTarget target = tangentCall.Call.Target;
            if (target.SecondOrderRefusal is { } refusal) throw new NotSupportedException(refusal);
            if (!target.HasTangent)
            {
                throw new NotSupportedException("it calls " + target.MethodName + ", whose derivative is a hand-written " + target.BackwardName + " with no source to differentiate twice");
            }
            var call = (IrDifferentiableCall)Expression(tangentCall.Call, map);
            var arguments = call.Arguments.ToBuilder();
            int k = 0;
            for (int i = 0; i < call.Arguments.Length; i++)
            {
                if (!target.ParameterIsDifferentiable[i]) continue;
                IrExpression? tangent = tangentCall.Tangents[k++];
                IrType type = target.ParameterTypes[i];
                arguments.Add(tangent is not null ? Expression(tangent, map)
                    : type.Kind == IrTypeKind.Array ? new IrZeroedArray(type, call.Arguments[i], Pooled: false)
                    : IrConstant.Real(0, type));
            }
            var closed = new IrDifferentiableCall(target.ClosedTangent(), call.Receiver, arguments.ToImmutable(), call.Type);
            yield return new IrAssign(map[tangentCall.ResultTangent], closed) { Origin = tangentCall.Origin };
            if (tangentCall.Target is { } value) yield return new IrAssign(map[value], call) { Origin = tangentCall.Origin };
        }

        private static IrStatement Statement(IrStatement statement, Dictionary<IrVariable, IrVariable> map)
        {
            IrExpression E(IrExpression e) => Expression(e, map);
            ImmutableArray<IrExpression> All(ImmutableArray<IrExpression> items) => items.Select(E).ToImmutableArray();
            return statement switch
            {
                IrAssign assign => assign with { Target = map[assign.Target], Value = E(assign.Value) },
                IrElementWrite write => write with { Array = map[write.Array], Indices = All(write.Indices), Value = E(write.Value) },
                IrIf branch => branch with { Condition = E(branch.Condition), Then = Block(branch.Then, map), Else = Block(branch.Else, map) },
                IrLoop loop => loop with { Head = Block(loop.Head, map), Condition = E(loop.Condition), Body = Block(loop.Body, map) },
                IrEffect effect => effect with { Expression = E(effect.Expression) },
                IrThrow thrown => thrown with { Exception = E(thrown.Exception) },
                IrComment => statement,
                _ => throw new NotSupportedException("it uses a construct second order does not go through yet (" + statement.GetType().Name + ")"),
            };
        }

        private static IrExpression Expression(IrExpression expression, Dictionary<IrVariable, IrVariable> map)
        {
            switch (expression)
            {
                case IrVariableReference reference:
                    return new IrVariableReference(map[reference.Variable]);
                case IrSpan or IrSpanCall:
                    throw new NotSupportedException("it calls TensorPrimitives span primitives, which second order does not go through yet");
                default:
                    return IrRewriter.ReplaceChildren(expression, e => Expression(e, map));
            }
        }
    }

    /// <summary>
    /// A closed tangent function: <see cref="Function"/> returns <c>ḟ = ∇f · v</c>; <see cref="Value"/> is its local holding
    /// <c>f</c>; <see cref="Directions"/> are the parameters <c>v</c>, after the method's own, one per differentiable parameter (each leaf of a struct, in order).
    /// </summary>
    internal sealed record ClosedTangent(IrFunction Function, IrVariable Value, ImmutableArray<IrVariable> Directions);
}
