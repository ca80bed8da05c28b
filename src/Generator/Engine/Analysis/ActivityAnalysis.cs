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
    /// <remarks>Flow-insensitive per variable, each set a least fixed point found with a worklist: conservative, simple and linear.</remarks>
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

            // Both sets are least fixed points, found with worklists over each assignment's derivative operands (asked
            // once): a variable is followed once, when it joins its set. (Sweeping every assignment until nothing changed
            // took a sweep per link of a chain the sweep order runs against: quadratic on a long method.)
            var readers = new Dictionary<IrVariable, List<IrVariable>>(); // operand → targets of the assignments it flows into
            var definitions = new Dictionary<IrVariable, List<List<IrVariable>>>(); // target → derivative operands of each assignment to it
            foreach (IrAssign assign in assignments)
            {
                var operands = DerivativeOperands(assign).ToList();
                foreach (IrVariable operand in operands)
                {
                    if (!readers.TryGetValue(operand, out var reading)) readers[operand] = reading = new();
                    reading.Add(assign.Target);
                }
                if (!definitions.TryGetValue(assign.Target, out var defining)) definitions[assign.Target] = defining = new();
                defining.Add(operands);
            }

            // Varied: the target of an assignment with a varied derivative operand.
            var varied = new HashSet<IrVariable>(function.Parameters.Where(p => p.IsDifferentiableParameter));
            var work = new Stack<IrVariable>(varied);
            while (work.Count > 0)
            {
                if (!readers.TryGetValue(work.Pop(), out var reading)) continue;
                foreach (IrVariable target in reading)
                {
                    if (varied.Add(target)) work.Push(target);
                }
            }

            // Useful: the derivative operands of an assignment to a useful variable. Every output is a root: the return
            // value, out scalars and [Output] buffers (api.md "Outputs (v2)").
            var useful = new HashSet<IrVariable>(function.OutputVariables) { function.Result };
            work = new Stack<IrVariable>(useful);
            while (work.Count > 0)
            {
                if (!definitions.TryGetValue(work.Pop(), out var defining)) continue;
                foreach (List<IrVariable> operands in defining)
                {
                    foreach (IrVariable operand in operands)
                    {
                        if (useful.Add(operand)) work.Push(operand);
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
