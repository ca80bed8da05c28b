using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Engine.Reverse
{
    /// <summary>
    /// Finds restores in the reverse sweep whose value nothing reads: liveness, computed backwards over the reverse
    /// sweep. A variable is restored when the reverse of a later statement needs its earlier value; but a restore that
    /// another restore overwrites before anything reads the variable is wasted work — and inside a loop, a tape push
    /// and pop per iteration. The classic case is an accumulator: <c>z = b; for (…) z += w[j] * x[i, j];</c> restores
    /// <c>z</c> after every reversed inner iteration, yet the reversed inner body never reads <c>z</c>, and the reverse of
    /// <c>z = b</c> brings back the only value that is read (the previous outer iteration's).
    /// </summary>
    internal static class DeadRestores
    {
        /// <param name="reverse">The reverse sweep.</param>
        /// <param name="restores">Restore statements of the reverse sweep (by reference).</param>
        /// <param name="liveAfter">What is read after the reverse sweep (the result, adjoints, the epilogue's reads).</param>
        /// <returns>The restores whose value is never read.</returns>
        public static HashSet<IrStatement> Find(IrBlock reverse, IReadOnlyCollection<IrStatement> restores, IEnumerable<IrVariable> liveAfter)
        {
            var restoreSet = new HashSet<IrStatement>(restores, ReferenceComparer.Instance);
            var live = new HashSet<IrVariable>(liveAfter);
            var usedRestores = new HashSet<IrStatement>(ReferenceComparer.Instance);
            LiveBefore(reverse, live, restoreSet, usedRestores);
            var dead = new HashSet<IrStatement>(ReferenceComparer.Instance);
            foreach (IrStatement restore in restores)
            {
                if (!usedRestores.Contains(restore)) dead.Add(restore);
            }
            return dead;
        }

        /// <summary>
        /// Updates <paramref name="live"/> from the variables live after <paramref name="block"/> to those live before it,
        /// recording every restore that is live in at least one pass (loops are iterated to a fixed point, so a restore
        /// live on any path or iteration is recorded).
        /// </summary>
        private static void LiveBefore(IrBlock block, HashSet<IrVariable> live, HashSet<IrStatement> restores, HashSet<IrStatement> used)
        {
            for (int i = block.Statements.Count - 1; i >= 0; i--)
            {
                LiveBefore(block.Statements[i], live, restores, used);
            }
        }

        private static void LiveBefore(IrStatement statement, HashSet<IrVariable> live, HashSet<IrStatement> restores, HashSet<IrStatement> used)
        {
            switch (statement)
            {
                case IrAssign assign:
                    if (restores.Contains(assign) && live.Contains(assign.Target)) used.Add(assign);
                    live.Remove(assign.Target);
                    live.UnionWith(assign.Value.ReadVariables());
                    break;
                case IrIf branch:
                {
                    var otherwise = new HashSet<IrVariable>(live);
                    LiveBefore(branch.Then, live, restores, used);
                    LiveBefore(branch.Else, otherwise, restores, used);
                    live.UnionWith(otherwise);
                    live.UnionWith(branch.Condition.ReadVariables());
                    break;
                }
                case IrRepeat repeat:
                    // The body runs zero or more times: live before = live after ∪ live before the body, to a fixed point.
                    LoopLiveBefore(new[] { repeat.Body }, live, restores, used);
                    live.UnionWith(repeat.Count.ReadVariables());
                    break;
                case IrLoop loop:
                    LoopLiveBefore(new[] { loop.Head, loop.Body }, live, restores, used);
                    live.UnionWith(loop.Condition.ReadVariables());
                    break;
                default:
                    // Statements that do not assign a whole variable kill nothing (an accumulation reads its target).
                    foreach (IrBlock child in IrWalker.ChildBlocks(statement))
                    {
                        LoopLiveBefore(new[] { child }, live, restores, used);
                    }
                    live.UnionWith(IrWalker.ReadsOf(statement));
                    if (statement is IrBackwardCall call)
                    {
                        live.UnionWith(call.Adjoints.OfType<IrVariable>());
                    }
                    break;
            }
        }

        private static void LoopLiveBefore(IrBlock[] body, HashSet<IrVariable> live, HashSet<IrStatement> restores, HashSet<IrStatement> used)
        {
            var after = new HashSet<IrVariable>(live);
            while (true)
            {
                var iteration = new HashSet<IrVariable>(live);
                for (int i = body.Length - 1; i >= 0; i--)
                {
                    LiveBefore(body[i], iteration, restores, used);
                }
                iteration.UnionWith(after);
                if (iteration.SetEquals(live)) return;
                live.Clear();
                live.UnionWith(iteration);
            }
        }

        private sealed class ReferenceComparer : IEqualityComparer<IrStatement>
        {
            public static readonly ReferenceComparer Instance = new();

            public bool Equals(IrStatement? x, IrStatement? y) => ReferenceEquals(x, y);

            public int GetHashCode(IrStatement obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
        }
    }
}
