using System.Collections.Generic;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>
    /// Equality by reference, for sets and maps of IR statements, blocks and loops. The IR's nodes are records, whose
    /// equality is by value: two equal statements are still two places in a sweep (and comparing by value walks whole
    /// subtrees), so the passes that mark or index places use this.
    /// </summary>
    internal sealed class ReferenceComparer<T> : IEqualityComparer<T> where T : class
    {
        public static readonly ReferenceComparer<T> Instance = new();

        public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

        public int GetHashCode(T obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
