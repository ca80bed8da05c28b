using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Pipeline
{
    /// <summary>
    /// The current compilation, for the engine steps, without holding it: Roslyn keeps the previous value of a step whose
    /// input compares equal, so a strong reference would keep old compilations alive for as long as a method stays
    /// unchanged. The engine only reads it during the run that produced it, while the driver holds the compilation.
    /// </summary>
    internal sealed class CompilationHandle
    {
        private readonly WeakReference<Compilation> _compilation;

        public CompilationHandle(Compilation compilation) => _compilation = new WeakReference<Compilation>(compilation);

        /// <summary>The compilation of the current run (it is alive: the driver is running the generator on it).</summary>
        public Compilation Compilation => _compilation.TryGetTarget(out Compilation? compilation)
            ? compilation
            : throw new InvalidOperationException("the compilation of a finished generator run was asked for");
    }

    /// <summary>
    /// The cache boundary (design.md): a step that pairs a key with the current compilation compares the pairs by their
    /// keys alone. So the engine step after it reruns exactly when its key changed (or is new), and then it gets the
    /// compilation of this run; for an unchanged key Roslyn keeps the previous pair and the engine's previous result.
    /// </summary>
    internal sealed class KeyOnlyComparer<TKey> : IEqualityComparer<(TKey Left, CompilationHandle Right)>
        where TKey : IEquatable<TKey>
    {
        public static readonly KeyOnlyComparer<TKey> Instance = new();

        public bool Equals((TKey Left, CompilationHandle Right) x, (TKey Left, CompilationHandle Right) y) =>
            EqualityComparer<TKey>.Default.Equals(x.Left, y.Left);

        public int GetHashCode((TKey Left, CompilationHandle Right) pair) => EqualityComparer<TKey>.Default.GetHashCode(pair.Left);
    }

    /// <summary>The cache boundary as one pipeline operator.</summary>
    internal static class CacheBoundary
    {
        /// <summary>
        /// <paramref name="engine"/> on each key that is new or changed since the last run, with this run's compilation;
        /// for an unchanged key, its previous result. Only keys that hold everything the result depends on belong here.
        /// </summary>
        public static IncrementalValuesProvider<TResult> SelectBehindKey<TKey, TResult>(this IncrementalValuesProvider<TKey> keys,
            IncrementalValueProvider<CompilationHandle> compilation, Func<TKey, Compilation, CancellationToken, TResult> engine)
            where TKey : IEquatable<TKey> =>
            keys.Combine(compilation)
                .WithComparer(KeyOnlyComparer<TKey>.Instance)
                // Not static: it captures the engine, a static method of the generator, and nothing else.
                .Select((pair, cancellationToken) => engine(pair.Left, pair.Right.Compilation, cancellationToken));
    }
}
