using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// A callee returning a struct of reals, called through its companions, is one IR call per leaf of the result
    /// (MethodLowering.StructCallees.cs, <see cref="CallTarget.ResultLeaf"/>): <c>q_X = F(args).X; q_Y = F(args).Y;</c>. Where
    /// those calls sit side by side with the same arguments (as lowering leaves them, and as their tangents and, in the
    /// reverse sweep, their pullbacks come out when nothing is interleaved), the emitter writes one call for the whole
    /// struct: <c>Q _r = F(args); q_X = _r.X; q_Y = _r.Y;</c>, one <c>FTangent</c>, and one <c>FBackward</c> whose struct seed
    /// holds every leaf's seed. By linearity in the seed this is the sum of the per-leaf pullbacks; it matters most for a
    /// recursive callee, where one call per leaf at every level would multiply the calls with each level.
    /// </summary>
    internal sealed partial class CompanionEmitter
    {
        /// <summary>
        /// Writes the run of per-leaf calls starting at <paramref name="start"/> as one call, and returns how many statements
        /// it covered; 0 when the statement does not start such a run (then it is written alone).
        /// </summary>
        private int EmitWholeStructResultCalls(IReadOnlyList<IrStatement> statements, int start)
        {
            if (LeafCallOf(statements[start]) is not { } first) return 0; // asked of every statement: nothing allocated for the rest
            string key = SameCallKey(statements[start]);
            var leaves = new HashSet<int> { first.Target.ResultLeaf };
            var run = new List<IrStatement> { statements[start] };
            var written = new HashSet<IrVariable>(WrittenByLeafCall(statements[start]));
            for (int i = start + 1; i < statements.Count; i++)
            {
                IrStatement next = statements[i];
                if (next.GetType() != statements[start].GetType() || LeafCallOf(next) is not { } call || !leaves.Add(call.Target.ResultLeaf)
                    || call.Target with { ResultLeaf = 0 } != first.Target with { ResultLeaf = 0 } || SameCallKey(next) != key || ReadByLeafCall(next).Any(written.Contains))
                {
                    break;
                }
                run.Add(next);
                written.UnionWith(WrittenByLeafCall(next));
            }
            if (run.Count < 2 || ReadByLeafCall(statements[start]).Any(written.Contains)) return 0;
            switch (statements[start])
            {
                case IrAssign:
                    EmitWholeStructResult(first, run.Cast<IrAssign>().ToList());
                    break;
                case IrTangentCall tangentCall:
                    EmitTangentCall(tangentCall, run.Cast<IrTangentCall>().ToList());
                    break;
                case IrBackwardCall backward:
                    EmitBackwardCall(backward, run.Cast<IrBackwardCall>().ToList());
                    break;
            }
            return run.Count;
        }

        /// <summary>The call of one leaf of a struct result a statement makes: forward, tangent or pullback; null for any other statement.</summary>
        private static IrDifferentiableCall? LeafCallOf(IrStatement statement) => statement switch
        {
            IrAssign { Value: IrDifferentiableCall { Target: { ResultStruct: not null, IsClosedTangent: false } } call } => call,
            IrTangentCall { Call.Target: { ResultStruct: not null, IsClosedTangent: false } } tangent => tangent.Call,
            IrBackwardCall { Result: null, Call.Target: { ResultStruct: not null, IsClosedTangent: false } } backward => backward.Call,
            _ => null,
        };

        /// <summary>
        /// What must be the same, beside the target, for two per-leaf statements to be one call: the receiver and arguments, and the
        /// tangents (for <c>…Tangent</c>) or adjoints (for <c>…Backward</c>); not the leaf, nor a pullback's seed.
        /// </summary>
        private static string SameCallKey(IrStatement statement)
        {
            IrDifferentiableCall call = LeafCallOf(statement)!;
            var key = new System.Text.StringBuilder();
            key.Append(call.Receiver is null ? "" : Peepholes.Key(call.Receiver));
            foreach (IrExpression argument in call.Arguments) key.Append('|').Append(Peepholes.Key(argument));
            if (statement is IrTangentCall tangentCall)
            {
                foreach (IrExpression? tangent in tangentCall.Tangents) key.Append("|t").Append(tangent is null ? "0" : Peepholes.Key(tangent));
            }
            if (statement is IrBackwardCall backward)
            {
                foreach (IrVariable? adjoint in backward.Adjoints) key.Append("|a").Append(adjoint is null ? "-" : adjoint.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            return key.ToString();
        }

        private static IEnumerable<IrVariable> ReadByLeafCall(IrStatement statement) => statement switch
        {
            IrTangentCall tangentCall => tangentCall.Call.ReadVariables().Concat(tangentCall.Tangents.Where(t => t is not null).SelectMany(t => t!.ReadVariables())),
            IrBackwardCall backward => backward.Call.ReadVariables().Concat(backward.Seed.ReadVariables()),
            _ => LeafCallOf(statement)!.ReadVariables(),
        };

        private static IEnumerable<IrVariable> WrittenByLeafCall(IrStatement statement) => statement switch
        {
            IrAssign assign => new[] { assign.Target },
            IrTangentCall tangentCall => tangentCall.Target is null ? new[] { tangentCall.ResultTangent } : new[] { tangentCall.Target, tangentCall.ResultTangent },
            IrBackwardCall backward => backward.Adjoints.OfType<IrVariable>(),
            _ => Enumerable.Empty<IrVariable>(),
        };

        /// <summary><c>Q _r = F(args); q_X = _r.X; q_Y = _r.Y;</c></summary>
        private void EmitWholeStructResult(IrDifferentiableCall call, List<IrAssign> leaves)
        {
            string result = _names.Fresh("_r_" + call.Target.MethodName.TrimStart('@'));
            Line(call.Target.ResultStruct!.TypeName + " " + result + " = " + Callee(call, call.Target.MethodName) + "(" + string.Join(", ", CallArguments(call)) + ");");
            foreach (IrAssign leaf in leaves)
            {
                Line(Name(leaf.Target) + " = " + result + ((IrDifferentiableCall)leaf.Value).Target.ResultLeafPath + ";");
            }
        }

        /// <summary>
        /// The seed of a <c>…Backward</c> call of a struct result: the struct with each leaf's seed from the pullbacks of
        /// <paramref name="leaves"/> (one per leaf this call stands for) and zeros for the leaves none of them seeds.
        /// </summary>
        private string StructSeedArgument(IReadOnlyList<IrBackwardCall> leaves)
        {
            StructShape shape = leaves[0].Call.Target.ResultStruct!;
            var seeds = leaves.ToDictionary(l => l.Call.Target.ResultLeaf, l => l.Seed);
            return shape.Build(k => seeds.TryGetValue(k, out IrExpression? seed) ? Render(seed) : RenderZero(shape.Leaves[k].Type));
        }
    }
}
