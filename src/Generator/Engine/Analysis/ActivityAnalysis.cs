using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;

namespace AutoDiffGen.Generator.Engine.Analysis
{
    /// <summary>
    /// Activity analysis: a variable is <em>varied</em> when its value depends on a differentiable parameter, and
    /// <em>useful</em> when it reaches the result; it is <em>active</em> (gets an adjoint) when both. Inactive code
    /// is never differentiated, which also keeps NaN out of gradients from branches the result does not depend on.
    /// </summary>
    /// <remarks>Flow-insensitive per variable and iterated to a fixed point: conservative, simple and linear in practice.</remarks>
    internal sealed class ActivityAnalysis
    {
        private ActivityAnalysis(HashSet<IrVariable> varied, HashSet<IrVariable> useful)
        {
            Varied = varied;
            Useful = useful;
        }

        public HashSet<IrVariable> Varied { get; }

        public HashSet<IrVariable> Useful { get; }

        public bool IsActive(IrVariable variable) => variable.Type.CarriesDerivative && Varied.Contains(variable) && Useful.Contains(variable);

        public static ActivityAnalysis Analyze(IrFunction function)
        {
            // Definitions: assignments, and element writes (which define their array).
            var assignments = IrWalker.AllStatements(function.Body)
                .Select(s => s switch
                {
                    IrAssign a => a,
                    IrElementWrite w => new IrAssign(w.Array, w.Value),
                    IrSpanStore store => new IrAssign(store.DestinationArray, store.Call),
                    IrSimdStore store => new IrAssign(store.DestinationArray, store.Value),
                    _ => null,
                })
                .Where(a => a is not null)
                .Select(a => a!)
                .ToList();

            var varied = new HashSet<IrVariable>(function.Parameters.Where(p => p.IsDifferentiableParameter));
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (IrAssign assign in assignments)
                {
                    if (!varied.Contains(assign.Target) && DerivativeOperands(assign).Any(varied.Contains))
                    {
                        varied.Add(assign.Target);
                        changed = true;
                    }
                }
            }

            // Every output is a root: the return value, out scalars and [Output] buffers (api.md "Outputs (v2)").
            var useful = new HashSet<IrVariable>(function.OutputVariables) { function.Result };
            changed = true;
            while (changed)
            {
                changed = false;
                foreach (IrAssign assign in assignments)
                {
                    if (!useful.Contains(assign.Target)) continue;
                    foreach (IrVariable operand in DerivativeOperands(assign))
                    {
                        if (useful.Add(operand)) changed = true;
                    }
                }
            }
            return new ActivityAnalysis(varied, useful);
        }

        /// <summary>The variables through which a derivative can flow into the assignment's target.</summary>
        public static IEnumerable<IrVariable> DerivativeOperands(IrAssign assign)
        {
            if (!assign.Target.Type.CarriesDerivative) return Enumerable.Empty<IrVariable>();
            return DerivativeOperands(assign.Value).Where(v => v.Type.CarriesDerivative);
        }

        private static IEnumerable<IrVariable> DerivativeOperands(IrExpression value)
        {
            switch (value)
            {
                case IrVariableReference reference:
                    return new[] { reference.Variable };
                case IrUnary unary when RuleTable.Of(unary.Operator).CarriesDerivative:
                    return DerivativeOperands(unary.Operand);
                case IrBinary binary when RuleTable.Of(binary.Operator).CarriesDerivative:
                    return DerivativeOperands(binary.Left).Concat(DerivativeOperands(binary.Right));
                case IrConvert convert when convert.Type.IsDifferentiable:
                    return DerivativeOperands(convert.Operand);
                case IrMathCall call:
                {
                    FunctionRule rule = RuleTable.Of(call.Function);
                    return call.Arguments.Where((_, i) => !rule.IsFlat(i)).SelectMany(DerivativeOperands);
                }
                case IrDifferentiableCall call:
                    return call.Arguments.Where((_, i) => call.Target.ParameterIsDifferentiable[i]).SelectMany(DerivativeOperands);
                case IrElementRead read:
                    return DerivativeOperands(read.Array);
                case IrArrayView view:
                    return DerivativeOperands(view.Array); // a slice or row handed to a callee carries its storage's derivative
                case IrSpan span:
                    return DerivativeOperands(span.Array);
                case IrSpanCall call when RuleTable.Of(call.Function).Kind != SpanRuleKind.Passive:
                    // A map's destination is where it writes, not an operand.
                    return (RuleTable.Of(call.Function).Kind == SpanRuleKind.Map ? call.Arguments.Take(call.Arguments.Length - 1) : call.Arguments)
                        .SelectMany(DerivativeOperands);
                case IrSimdCall call when RuleTable.Of(call.Function) is { Kind: not SimdRuleKind.Passive } rule:
                    return call.Arguments.Where((_, i) => !rule.PassiveArguments.Contains(i)).SelectMany(DerivativeOperands);
                case IrConditional conditional:
                    return DerivativeOperands(conditional.WhenTrue).Concat(DerivativeOperands(conditional.WhenFalse));
                default:
                    return Enumerable.Empty<IrVariable>();
            }
        }
    }
}
