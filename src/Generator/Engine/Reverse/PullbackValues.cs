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
            for (int r = 0; r < reverse.Count; r++)
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
                var movedSet = new HashSet<int>(moved);
                var movedReads = new HashSet<IrVariable>(moved.SelectMany(i => IrWalker.ReadsOf(reverse[i])));
                var movedWrites = new HashSet<IrVariable>(moved.SelectMany(i => Writes(reverse[i])));
                IrVariable target = ((IrAssign)forward[f]).Target;
                movedWrites.Add(target);
                IEnumerable<IrStatement> between = forward.Skip(f + 1).Concat(reverse.Take(r).Where((_, i) => !movedSet.Contains(i)));
                if (between.SelectMany(IrWalker.Deep).Any(s => s is IrEffect or IrThrow
                    || Writes(s).Any(v => movedReads.Contains(v) || movedWrites.Contains(v))
                    || IrWalker.ReadsOf(s).Any(v => movedWrites.Contains(v) && v != target)))
                {
                    continue;
                }
                var replacement = moved.Take(moved.Count - 1).Select(i => reverse[i]).ToList();
                replacement.Add(pullback with { Result = target, Origin = forward[f].Origin ?? pullback.Origin });
                forward.RemoveAt(f);
                forward.InsertRange(f, replacement);
                for (int k = moved.Count - 1; k >= 0; k--) reverse.RemoveAt(moved[k]);
                r -= moved.Count;
            }
            return (new IrBlock(forward), new IrBlock(reverse));
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
                    && call.Target.MethodName == pullbackCall.Target.MethodName && call.Receiver is null && pullbackCall.Receiver is null
                    && call.Arguments.Length == wanted.Length && call.Arguments.Select((a, i) => ArgumentKey(Inline(a, values)) == wanted[i]).All(same => same))
                {
                    return f;
                }
            }
            return -1;
        }

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
