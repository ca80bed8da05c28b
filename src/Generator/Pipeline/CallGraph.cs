using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Pipeline
{
    /// <summary>
    /// Which [Differentiable] method calls which, built from the engine's per-method results (never from the
    /// compilation): it decides what a method's companions need from other methods — that every callee gets its
    /// companions, and which callees owe a forward-mode caller an <c>MTangent</c> on demand.
    /// </summary>
    internal sealed class CallGraph : IEquatable<CallGraph>
    {
        private readonly EquatableArray<CheckedMethod> _methods;
        private readonly Dictionary<string, CheckedMethod> _byId = new(StringComparer.Ordinal);

        public CallGraph(ImmutableArray<CheckedMethod> methods)
        {
            _methods = methods.ToEquatableArray();
            var duplicates = new HashSet<string>(StringComparer.Ordinal);
            foreach (CheckedMethod method in methods)
            {
                if (!_byId.ContainsKey(method.DocumentationId)) _byId.Add(method.DocumentationId, method);
                else duplicates.Add(method.DocumentationId);
            }
            foreach (string id in duplicates)
            {
                // Two declarations of one signature (CS0111): neither gets companions, and the graph must not pick one.
                _byId[id] = _byId[id] with { Source = null };
            }
        }

        /// <summary>
        /// What emitting <paramref name="method"/> needs: when every method it reaches through calls gets its companions
        /// (and, where they are needed, its tangents), nothing (its own result stands); otherwise the keys of everything it
        /// reaches, so the engine reruns it with those callees checked, whenever one of them changes.
        /// </summary>
        public EmitRequest EmitRequestFor(CheckedMethod method) =>
            new(method, ReachableWhenSomeFail(method, method.NeedsCalleeTangents, (method.Modes & DerivativeModes.Hessian) != 0));

        /// <summary>
        /// Empty when the method's own result (<see cref="CheckedMethod.Source"/>, computed with every [Differentiable]
        /// callee in source assumed sound, without reading their bodies) is exact; otherwise the keys of every method it
        /// reaches through calls, whose code decides which calls are errors. The own result is not exact when:
        /// <list type="bullet">
        /// <item>a method it reaches gets no companions;</item>
        /// <item>a method it reaches refuses an <c>MTangent</c> (<see cref="CheckedMethod.RefusesTangent"/>) and the method, or one
        /// it reaches (which then has an error its callers inherit), needs its callees' tangents;</item>
        /// <item>it needs second order of its callees (<paramref name="secondOrder"/>) and reaches any: whether their
        /// <c>MBackwardTangent</c> can be made is a question of their bodies that no per-method result answers, so the engine
        /// checks them itself whenever one of them changes.</item>
        /// </list>
        /// </summary>
        /// <param name="needsTangents">Whether the method's own companions call its callees' <c>MTangent</c>.</param>
        private EquatableArray<MethodKey> ReachableWhenSomeFail(CheckedMethod method, bool needsTangents, bool secondOrder)
        {
            List<CheckedMethod> reachable = Reachable(method);
            bool exact = reachable.Any(callee => !callee.IsSound)
                || (needsTangents || reachable.Any(callee => callee.NeedsCalleeTangents)) && reachable.Any(callee => callee.RefusesTangent)
                || secondOrder && reachable.Count > 0;
            return exact ? reachable.Select(m => m.Key).ToEquatableArray() : EquatableArray<MethodKey>.Empty;
        }

        /// <summary>
        /// What callees owe their callers on demand, once each, in a stable order: for every method whose file has an
        /// <c>MTangent</c> (it asks for forward mode, or is vector-valued), an <c>MTangent</c> of each method it reaches through
        /// calls whose file has none; for every method that asks for Derivatives.Hessian, an <c>MTangent</c> (its forward sweep)
        /// and an <c>MBackwardTangent</c> (its reverse sweep) of each method it reaches that does not ask for the Hessian.
        /// </summary>
        public IEnumerable<TangentRequest> OnDemandTangents()
        {
            var requested = new SortedDictionary<string, (CheckedMethod Callee, OnDemandCompanions Companions)>(StringComparer.Ordinal);
            void Request(CheckedMethod callee, OnDemandCompanions companions)
            {
                if (companions == OnDemandCompanions.None || callee.GetsNoCompanions) return;
                requested[callee.DocumentationId] = requested.TryGetValue(callee.DocumentationId, out var known)
                    ? (callee, known.Companions | companions)
                    : (callee, companions);
            }
            foreach (CheckedMethod caller in _byId.Values)
            {
                bool secondOrder = (caller.Modes & DerivativeModes.Hessian) != 0;
                if (!caller.GetsOwnTangent && !secondOrder) continue;
                // A recursive second-order method's own MHessianVector calls its own MTangent too.
                IEnumerable<CheckedMethod> reached = secondOrder && caller.Callees.Contains(caller.DocumentationId) ? Reachable(caller).Append(caller) : Reachable(caller);
                foreach (CheckedMethod callee in reached)
                {
                    Request(callee, (callee.GetsOwnTangent ? OnDemandCompanions.None : OnDemandCompanions.Tangent)
                        | (secondOrder && (callee.Modes & DerivativeModes.Hessian) == 0 ? OnDemandCompanions.BackwardTangent : OnDemandCompanions.None));
                }
            }
            return requested.Values.Select(r => new TangentRequest(r.Callee.Key, r.Callee.HintName,
                ReachableWhenSomeFail(r.Callee, needsTangents: true, secondOrder: (r.Companions & OnDemandCompanions.BackwardTangent) != 0), r.Companions));
        }

        /// <summary>The methods <paramref name="start"/> calls, directly or through others, in a stable order (itself excluded).</summary>
        private List<CheckedMethod> Reachable(CheckedMethod start)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { start.DocumentationId };
            var order = new List<CheckedMethod>();
            var pending = new Stack<CheckedMethod>();
            pending.Push(start);
            while (pending.Count > 0)
            {
                CheckedMethod current = pending.Pop();
                foreach (string id in current.Callees)
                {
                    if (seen.Add(id) && _byId.TryGetValue(id, out CheckedMethod? callee))
                    {
                        order.Add(callee);
                        pending.Push(callee);
                    }
                }
            }
            order.Sort((a, b) => string.CompareOrdinal(a.DocumentationId, b.DocumentationId));
            return order;
        }

        public bool Equals(CallGraph? other) => other is not null && _methods.Equals(other._methods);

        public override bool Equals(object? obj) => Equals(obj as CallGraph);

        public override int GetHashCode() => _methods.GetHashCode();
    }
}
