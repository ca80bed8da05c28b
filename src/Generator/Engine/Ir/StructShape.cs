using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace AutoDiffGen.Generator.Engine.Ir
{
    /// <summary>
    /// A struct of reals as the engine sees it (api.md v2): its instance members in declaration order, each a double or
    /// float or such a struct, and how C# rebuilds a value from them. The IR never holds a struct value: every struct is
    /// replaced by its <see cref="Leaves"/> (scalar replacement), one IR variable per leaf, so reverse and forward mode,
    /// activity and every pass see only scalars. Only the emitter meets structs again, where a companion's signature
    /// takes or gives one (<c>ref Point dp</c>).
    /// </summary>
    /// <param name="TypeName">The struct's C# type, <c>global::</c>-qualified.</param>
    /// <param name="Members">The instance members, in flattening order (positional records in parameter order; Complex: Real, Imaginary).</param>
    /// <param name="Construction">How to spell a new value from its members' values.</param>
    internal sealed class StructShape
    {
        public StructShape(string typeName, ImmutableArray<StructMember> members, StructConstruction construction)
        {
            TypeName = typeName;
            Members = members;
            Construction = construction;
            var leaves = ImmutableArray.CreateBuilder<StructLeaf>();
            foreach (StructMember member in members)
            {
                if (member.Nested is { } nested)
                {
                    foreach (StructLeaf leaf in nested.Leaves) leaves.Add(new StructLeaf("." + member.Name + leaf.Path, leaf.Type));
                }
                else
                {
                    leaves.Add(new StructLeaf("." + member.Name, member.Scalar!));
                }
            }
            Leaves = leaves.ToImmutable();
        }

        public string TypeName { get; }

        public ImmutableArray<StructMember> Members { get; }

        public StructConstruction Construction { get; }

        /// <summary>The scalars a value of this struct is, depth first: <c>.X</c>, <c>.Y</c>, <c>.Inner.Z</c>.</summary>
        public ImmutableArray<StructLeaf> Leaves { get; }

        /// <summary>The index of the first leaf of member <paramref name="memberIndex"/> (its leaves are consecutive).</summary>
        public int FirstLeafOf(int memberIndex)
        {
            int first = 0;
            for (int i = 0; i < memberIndex; i++) first += Members[i].LeafCount;
            return first;
        }

        /// <summary>
        /// Whether leaf <paramref name="leafIndex"/> can be assigned in place, <c>a[i].Inner.X = v</c>: every member on its path
        /// is settable (Vector3's fields, a mutable record struct's properties); otherwise the element is rebuilt (Complex, a readonly record struct).
        /// </summary>
        public bool IsSettable(int leafIndex)
        {
            int first = 0;
            foreach (StructMember member in Members)
            {
                if (leafIndex < first + member.LeafCount)
                {
                    return member.Settable && (member.Nested is not { } nested || nested.IsSettable(leafIndex - first));
                }
                first += member.LeafCount;
            }
            return false;
        }

        /// <summary>The member named <paramref name="name"/>, or -1.</summary>
        public int IndexOf(string name)
        {
            for (int i = 0; i < Members.Length; i++)
            {
                if (Members[i].Name == name) return i;
            }
            return -1;
        }

        /// <summary>C# for a new value whose leaves are <paramref name="leafText"/> (by leaf index).</summary>
        public string Build(Func<int, string> leafText) => Build(leafText, 0);

        private string Build(Func<int, string> leafText, int firstLeaf)
        {
            var parts = new List<string>();
            int leaf = firstLeaf;
            foreach (StructMember member in Members)
            {
                parts.Add(member.Nested is { } nested ? nested.Build(leafText, leaf) : leafText(leaf));
                leaf += member.LeafCount;
            }
            return Construction switch
            {
                StructConstruction.Tuple => "(" + string.Join(", ", parts) + ")",
                StructConstruction.Constructor => "new " + TypeName + "(" + string.Join(", ", parts) + ")",
                _ => "new " + TypeName + " { " + string.Join(", ", Members.Select((m, i) => m.Name + " = " + parts[i])) + " }",
            };
        }
    }

    /// <summary>How C# spells a new value of a struct from its members' values.</summary>
    internal enum StructConstruction
    {
        /// <summary><c>new S(a, b)</c>: a constructor taking the members in order (positional records, Vector3, Complex).</summary>
        Constructor,
        /// <summary><c>new S { X = a, Y = b }</c>: every member is a settable field or property.</summary>
        Initializer,
        /// <summary><c>(a, b)</c>: a value tuple.</summary>
        Tuple,
    }

    /// <summary>One instance member of a struct of reals: a double or float (<see cref="Scalar"/>) or a nested struct.</summary>
    /// <param name="Name">The name C# reads it by: the property of a backing field, or the field.</param>
    /// <param name="Settable">Whether <c>s.Name = v</c> compiles on a local (a non-readonly field, or a property with a setter).</param>
    internal sealed record StructMember(string Name, IrType? Scalar, StructShape? Nested, bool Settable)
    {
        public int LeafCount => Nested?.Leaves.Length ?? 1;
    }

    /// <summary>One scalar of a struct: its access path from the struct (<c>.Inner.X</c>) and its type (double or float).</summary>
    internal sealed record StructLeaf(string Path, IrType Type);

    /// <summary>
    /// For the IR parameter that stands for one leaf of a struct parameter: the parameter it belongs to, its shape and which
    /// leaf it is. The emitter reads the leaf as <c>p.X</c> and adds its adjoint into <c>dp</c>.
    /// </summary>
    internal sealed record StructLeafOf(string ParameterName, StructShape Shape, int LeafIndex)
    {
        public string Path => Shape.Leaves[LeafIndex].Path;
    }
}
