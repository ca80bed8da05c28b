using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// A helper's value from its pullback, in a fused iteration: <c>t = F(args)</c> forward and, in the iteration's
    /// reverse, <c>FBackward(args, seed, …)</c>, whose seed is already known where <c>F</c> is called (fusion hoists the
    /// adjoints of accumulators before the loop). Then the pullback runs in place of the call and its return value — every
    /// scalar <c>…Backward</c> returns the callee's value (api.md) — defines <c>t</c>: the helper's forward runs once per
    /// iteration instead of twice (once plain, once inside its pullback). Bundle adjustment's reprojection error per
    /// observation is the case this was written for.
    /// </summary>
    /// <remarks>
    /// The pullback and the statements of the reverse that compute its seed move up to the call when nothing between
    /// (the rest of the forward part, the reverse before the pullback) writes what they read, or reads or writes what they
    /// write (adjoints included: the pullback accumulates into them). Its arguments are the reverse's recomputed
    /// expressions; they are matched to the call's after the forward part's temporaries are substituted.
    /// </remarks>
    internal static class PullbackValues
    {
        public static (IrBlock Forward, IrBlock Reverse) Apply(IrBlock forwardPart, IrBlock reverseBody)
        {
            List<IrStatement> forward = forwardPart.Statements.ToList();
            List<IrStatement> reverse = reverseBody.Statements.ToList();
            // The last pullback first: it belongs to the first call, and the seed statements it takes along (ā = t̄otal) are then
            // before every later call, so that a later call's pullback, whose seed reads them too, can follow.
            for (int r = reverse.Count - 1; r >= 0; r--)
            {
                // (A leaf of a struct result is not one: its …Backward returns the struct.)
                if (reverse[r] is not IrBackwardCall { Result: null } pullback || pullback.Call.Target.IsClosedTangent || pullback.Call.Target.ResultStruct is not null
                    || !pullback.Call.Type.IsDifferentiable || pullback.Call.Type.Kind == IrTypeKind.Array)
                {
                    continue;
                }
                int f = MatchingCall(forward, pullback.Call);
                if (f < 0) continue;
                // The pullback and what its seed needs from the reverse before it (assignments of scalars only).
                var moved = new List<int> { r };
                var needed = new HashSet<IrVariable>(pullback.Seed.ReadVariables());
                bool movable = true;
                for (int j = r - 1; j >= 0 && movable; j--)
                {
                    if (!Writes(reverse[j]).Any(needed.Contains)) continue;
                    if (reverse[j] is IrAssign { Target.Type.Kind: not IrTypeKind.Array } assign)
                    {
                        moved.Insert(0, j);
                        needed.UnionWith(assign.Value.ReadVariables());
                    }
                    else
                    {
                        movable = false;
                    }
                }
                if (!movable) continue;
                IrVariable target = ((IrAssign)forward[f]).Target;
                if (!CanMoveUp(forward, f, reverse, moved, target)) continue;
                var replacement = moved.Take(moved.Count - 1).Select(i => reverse[i]).ToList();
                replacement.Add(pullback with { Result = target, Origin = forward[f].Origin ?? pullback.Origin });
                forward.RemoveAt(f);
                forward.InsertRange(f, replacement);
                for (int k = moved.Count - 1; k >= 0; k--) reverse.RemoveAt(moved[k]);
                // What stayed before the pullback is now below r − moved.Count + 1.
                r -= moved.Count - 1;
            }
            return (new IrBlock(forward), new IrBlock(reverse));
        }

        /// <summary>
        /// Whether the reverse's statements at <paramref name="moved"/> (the pullback last) can move, in their order, to the
        /// call at <paramref name="f"/>. Each passes the forward part after the call and the reverse statements before it that
        /// stay; only those pairs change order, and a pair may when neither writes what the other reads or writes (adjoints
        /// included: a pullback accumulates into them). A reverse statement after a moved one still runs after it: the seed
        /// <c>ā = t̄otal</c> moves up even when another statement left behind reads <c>ā</c> too (two calls in one sum).
        /// The pullback's result is the call's own target: reads of it after the call see the same value.
        /// </summary>
        private static bool CanMoveUp(List<IrStatement> forward, int f, List<IrStatement> reverse, List<int> moved, IrVariable target)
        {
            var movedSet = new HashSet<int>(moved);
            var staying = new List<(int Index, IrStatement[] Deep)>();
            foreach (IrStatement statement in forward.Skip(f + 1)) staying.Add((-1, IrWalker.Deep(statement).ToArray()));
            for (int j = 0; j < moved[moved.Count - 1]; j++)
            {
                if (!movedSet.Contains(j)) staying.Add((j, IrWalker.Deep(reverse[j]).ToArray()));
            }
            if (staying.Any(s => s.Deep.Any(d => d is IrEffect or IrThrow))) return false;
            foreach (int m in moved)
            {
                bool isPullback = m == moved[moved.Count - 1];
                var reads = new HashSet<IrVariable>(IrWalker.ReadsOf(reverse[m]));
                var writes = new HashSet<IrVariable>(Writes(reverse[m]));
                if (isPullback) writes.Add(target);
                foreach (var (index, deep) in staying)
                {
                    if (index > m) continue;   // after m before the move, and after it still
                    if (deep.Any(s => Writes(s).Any(v => reads.Contains(v) || writes.Contains(v))
                        || IrWalker.ReadsOf(s).Any(v => writes.Contains(v) && !(isPullback && v == target))))
                    {
                        return false;
                    }
                }
            }
            return true;
        }

        /// <summary>The index of <c>t = F(args)</c> in the forward part with the pullback's callee and arguments, or −1.</summary>
        private static int MatchingCall(List<IrStatement> forward, IrDifferentiableCall pullbackCall)
        {
            // Both sides with the forward part's temporaries (assigned once) replaced by their values, so that
            // F(cams[_t1]) matches F(cams[cameraOf[i]]). (Whether those values still hold where the pullback moves is
            // checked by the caller: nothing between may write what the pullback reads.)
            var counts = new Dictionary<IrVariable, int>();
            foreach (IrAssign assign in forward.SelectMany(IrWalker.Deep).OfType<IrAssign>())
            {
                counts[assign.Target] = counts.TryGetValue(assign.Target, out int n) ? n + 1 : 1;
            }
            var values = new Dictionary<IrVariable, IrExpression>();
            foreach (IrAssign assign in forward.OfType<IrAssign>())
            {
                if (assign.Target.Role == IrVariableRole.Temporary && counts[assign.Target] == 1 && assign.Value is not IrDifferentiableCall)
                {
                    values[assign.Target] = Inline(assign.Value, values);
                }
            }
            string[] wanted = pullbackCall.Arguments.Select(a => ArgumentKey(Inline(a, values))).ToArray();
            for (int f = 0; f < forward.Count; f++)
            {
                if (forward[f] is IrAssign { Value: IrDifferentiableCall call } assign && counts[assign.Target] == 1
                    && call.Target.MethodName == pullbackCall.Target.MethodName && SameReceiver(call.Receiver, pullbackCall.Receiver, values)
                    && call.Arguments.Length == wanted.Length && call.Arguments.Select((a, i) => ArgumentKey(Inline(a, values)) == wanted[i]).All(same => same))
                {
                    return f;
                }
            }
            return -1;
        }

        /// <summary>
        /// Both static, or both on the same receiver (<c>bond.Energy(r)</c> and <c>bond.EnergyBackward(r, …)</c>): a virtual
        /// [Differentiable] method's pullback is virtual too (README "Virtual methods"), so on the same object it runs the
        /// same override as the call, and returns that override's value.
        /// </summary>
        private static bool SameReceiver(IrExpression? call, IrExpression? pullback, Dictionary<IrVariable, IrExpression> values) =>
            call is null ? pullback is null : pullback is not null && ArgumentKey(Inline(call, values)) == ArgumentKey(Inline(pullback, values));

        /// <summary>Peepholes.Key, and a row or slice passed whole (<c>cams[cameraOf[i]]</c>) by what it views.</summary>
        private static string ArgumentKey(IrExpression argument) => argument is IrArrayView view
            ? "w" + (view.Row is null ? "0" : "1") + (view.Start is null ? "0" : "1") + view.ViewType.CSharpName + "(" + string.Concat(view.Children.Select(Peepholes.Key)) + ")"
            : Peepholes.Key(argument);

        private static IrExpression Inline(IrExpression e, Dictionary<IrVariable, IrExpression> values) =>
            IrRewriter.Replace(e, v => values.TryGetValue(v, out IrExpression? value) ? value : null);

        /// <summary>What a statement writes: its target, and a pullback's adjoints (it accumulates into them) and result.</summary>
        private static IEnumerable<IrVariable> Writes(IrStatement statement)
        {
            if (IrWalker.WriteOf(statement) is { } written) yield return written;
            if (statement is IrBackwardCall call)
            {
                foreach (IrVariable? adjoint in call.Adjoints)
                {
                    if (adjoint is not null) yield return adjoint;
                }
            }
        }
    }
}
