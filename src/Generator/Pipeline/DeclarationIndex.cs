using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using AutoDiffGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.Generator.Pipeline
{
    /// <summary>One name and a fingerprint of its declarations in one file.</summary>
    internal readonly record struct NamedFingerprint(string Name, ulong Fingerprint);

    /// <summary>
    /// The declarations of one file: per declared name, a fingerprint of the declarations' text — without bodies, but
    /// for methods that take an array or span. Computed from syntax for the edited file only (the syntax provider caches the
    /// others); trivia around declarations (blank lines, comments between members) leaves it unchanged.
    /// </summary>
    internal sealed record FileDeclarations(EquatableArray<NamedFingerprint> Names, ulong Global)
    {
        /// <summary>
        /// Declarations every method depends on, whatever names it uses: global using directives (they change what a
        /// name means in every file), user-defined operators and conversions, and indexers (used without a name).
        /// </summary>
        public const string GlobalName = "<global>";

        public static FileDeclarations Of(CompilationUnitSyntax unit, CancellationToken cancellationToken)
        {
            var collector = new Collector(cancellationToken);
            foreach (UsingDirectiveSyntax directive in unit.Usings)
            {
                if (directive.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword)) collector.Add(GlobalName, directive.ToString());
            }
            collector.AddMembers(unit.Members);
            return collector.ToDeclarations();
        }

        private sealed class Collector
        {
            private readonly CancellationToken _cancellationToken;
            private readonly Dictionary<string, ulong> _byName = new(StringComparer.Ordinal);

            public Collector(CancellationToken cancellationToken) => _cancellationToken = cancellationToken;

            public void Add(string name, string text) =>
                _byName[name] = Fingerprint.Combine(_byName.TryGetValue(name, out ulong previous) ? previous : Fingerprint.Empty, text);

            public void AddMembers(SyntaxList<MemberDeclarationSyntax> members)
            {
                foreach (MemberDeclarationSyntax member in members)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    AddMember(member);
                }
            }

            /// <summary>
            /// Inside a struct: lowering inlines a user struct's methods, operators, properties and constructors from
            /// source (scalar replacement), so a caller depends on their bodies, not only their signatures.
            /// </summary>
            private int _structDepth;

            private string Declared(MemberDeclarationSyntax member) => _structDepth > 0 ? member.ToString() : Signature(member);

            private void AddMember(MemberDeclarationSyntax member)
            {
                switch (member)
                {
                    case BaseNamespaceDeclarationSyntax ns:
                        AddMembers(ns.Members);
                        break;
                    case TypeDeclarationSyntax type:
                        // Under the type's name: its header and its instance data (fields, properties, constructors: a
                        // struct parameter's layout, a constructor call). Its methods and static members have entries of
                        // their own, so a change to one reruns the methods that name it, not every method naming the type.
                        var text = new StringBuilder();
                        text.Append(type.AttributeLists).Append(' ').Append(type.Modifiers).Append(' ').Append(type.Keyword.ValueText).Append(' ')
                            .Append(type.Identifier.ValueText).Append(type.TypeParameterList).Append(' ').Append(type.ParameterList).Append(' ')
                            .Append(type.BaseList).Append(' ').Append(type.ConstraintClauses);
                        foreach (MemberDeclarationSyntax inner in type.Members)
                        {
                            if (inner is BaseFieldDeclarationSyntax or PropertyDeclarationSyntax or ConstructorDeclarationSyntax
                                && !inner.Modifiers.Any(m => m.IsKind(SyntaxKind.StaticKeyword) || m.IsKind(SyntaxKind.ConstKeyword)))
                            {
                                text.Append('\n').Append(type is StructDeclarationSyntax || type is RecordDeclarationSyntax { ClassOrStructKeyword.ValueText: "struct" } ? inner.ToString() : Signature(inner));
                            }
                        }
                        Add(type.Identifier.ValueText, text.ToString());
                        bool isStruct = type is StructDeclarationSyntax || type is RecordDeclarationSyntax { ClassOrStructKeyword.ValueText: "struct" };
                        if (isStruct) _structDepth++;
                        AddMembers(type.Members);
                        if (isStruct) _structDepth--;
                        break;
                    case EnumDeclarationSyntax enumeration:
                        Add(enumeration.Identifier.ValueText, enumeration.ToString());
                        break;
                    case DelegateDeclarationSyntax @delegate:
                        Add(@delegate.Identifier.ValueText, @delegate.ToString());
                        break;
                    case MethodDeclarationSyntax method:
                        // The engine reads a callee's body to see whether it writes into an array or span argument, and
                        // inlines a [Differentiable] callee taking or returning a struct (Lowering/MethodLowering.StructCallees.cs),
                        // so then a caller depends on it; a method whose parameters and return type are all predefined
                        // (double, int…) takes no array and no struct, and only its signature matters.
                        bool onlyPredefined = method.ParameterList.Parameters.All(p => p.Type is PredefinedTypeSyntax) && method.ReturnType is PredefinedTypeSyntax;
                        Add(method.Identifier.ValueText, onlyPredefined && _structDepth == 0 ? Signature(method) : method.ToString());
                        // A one-line helper called in a loop is inlined there (Lowering/MethodLowering.SmallCallees.cs): its
                        // body, under a name of its own, is part of the keys of the methods that call it in a loop only.
                        if (Engine.Lowering.MethodLowering.SingleExpressionBody(method) is { } line)
                        {
                            Add(MethodModel.InlinedBodyName(method.Identifier.ValueText), line.ToString());
                        }
                        break;
                    case PropertyDeclarationSyntax property:
                        Add(property.Identifier.ValueText, Declared(property));
                        break;
                    case EventDeclarationSyntax @event:
                        Add(@event.Identifier.ValueText, Signature(@event));
                        break;
                    case BaseFieldDeclarationSyntax field:
                        // The whole declaration: a constant's value is part of what a method reading it computes.
                        foreach (VariableDeclaratorSyntax variable in field.Declaration.Variables)
                        {
                            Add(variable.Identifier.ValueText, field.ToString());
                        }
                        break;
                    case OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax or IndexerDeclarationSyntax:
                        Add(GlobalName, Declared(member));
                        break;
                }
            }

            public FileDeclarations ToDeclarations()
            {
                ulong global = _byName.TryGetValue(GlobalName, out ulong g) ? g : Fingerprint.Empty;
                return new FileDeclarations(
                    _byName.Where(kv => kv.Key != GlobalName).OrderBy(kv => kv.Key, StringComparer.Ordinal)
                        .Select(kv => new NamedFingerprint(kv.Key, kv.Value)).ToEquatableArray(),
                    global);
            }
        }

        /// <summary>A member's declaration without its body: what callers and the engine see of it.</summary>
        private static string Signature(MemberDeclarationSyntax member)
        {
            var text = new StringBuilder();
            foreach (SyntaxNodeOrToken part in member.ChildNodesAndTokens())
            {
                if (part.IsNode && part.AsNode() is BlockSyntax or ArrowExpressionClauseSyntax) continue;
                if (part.IsNode && part.AsNode() is AccessorListSyntax accessors)
                {
                    // Which accessors exist and their modifiers, not their bodies.
                    foreach (AccessorDeclarationSyntax accessor in accessors.Accessors)
                    {
                        text.Append(accessor.AttributeLists).Append(accessor.Modifiers).Append(accessor.Keyword.ValueText).Append(';');
                    }
                    continue;
                }
                text.Append(part.ToString()).Append(' ');
            }
            return text.ToString();
        }
    }

    /// <summary>Where the compiler's settings enter the fingerprints: options, parse options and references.</summary>
    /// <param name="Options">The compilation and parse options that change what code means (nullable, checked, unsafe, language version, symbols).</param>
    /// <param name="References">One id per metadata reference object: a changed reference (a rebuilt project) is a new object.</param>
    internal sealed record CompilationEnvironment(string Options, EquatableArray<long> References)
    {
        private static readonly ConditionalWeakTable<MetadataReference, object> Ids = new();
        private static long _nextId;

        public static CompilationEnvironment Of(Compilation compilation)
        {
            CompilationOptions options = compilation.Options;
            var text = new StringBuilder();
            text.Append((int)options.NullableContextOptions).Append('|').Append(options.CheckOverflow)
                .Append('|').Append(options is CSharpCompilationOptions { AllowUnsafe: true });
            if (compilation.SyntaxTrees.FirstOrDefault()?.Options is CSharpParseOptions parse)
            {
                text.Append('|').Append((int)parse.LanguageVersion).Append('|').Append(string.Join(";", parse.PreprocessorSymbolNames));
            }
            return new CompilationEnvironment(text.ToString(), compilation.References.Select(IdOf).ToEquatableArray());
        }

        private static long IdOf(MetadataReference reference) =>
            (long)Ids.GetValue(reference, static _ => Interlocked.Increment(ref _nextId));
    }

    /// <summary>
    /// Every file's declarations merged by name, and the compiler's settings: from it, <see cref="KeyOf"/> fingerprints
    /// what one method depends on. Equal when its inputs are (the files' declarations and the environment).
    /// </summary>
    internal sealed class DeclarationIndex : IEquatable<DeclarationIndex>
    {
        private readonly EquatableArray<FileDeclarations> _files;
        private readonly CompilationEnvironment _environment;
        private readonly Dictionary<string, ulong> _byName = new(StringComparer.Ordinal);
        private readonly ulong _global;

        public DeclarationIndex(ImmutableArray<FileDeclarations> files, CompilationEnvironment environment)
        {
            _files = files.ToEquatableArray();
            _environment = environment;
            _global = Fingerprint.Combine(Fingerprint.Empty, environment.Options);
            foreach (long reference in environment.References)
            {
                _global = Fingerprint.Combine(_global, reference);
            }
            foreach (FileDeclarations file in files)
            {
                if (file.Global != Fingerprint.Empty) _global = Fingerprint.Combine(_global, file.Global); // a file without any leaves it as it was
                foreach (NamedFingerprint entry in file.Names)
                {
                    _byName[entry.Name] = Fingerprint.Combine(_byName.TryGetValue(entry.Name, out ulong previous) ? previous : Fingerprint.Empty, entry.Fingerprint);
                }
            }
        }

        /// <summary>
        /// The method's key: its model and a fingerprint of the declarations of its names and of their companions
        /// (every kind in the catalogue: a hand-written <c>FBackward</c> or <c>FTangent</c> changes how a call to F is
        /// differentiated), of the global declarations and of the environment.
        /// </summary>
        public MethodKey KeyOf(MethodModel model)
        {
            ulong dependencies = _global;
            foreach (string name in model.Names)
            {
                dependencies = Fingerprint.Combine(dependencies, Lookup(name));
                foreach (Companion companion in Companion.All)
                {
                    dependencies = Fingerprint.Combine(dependencies, Lookup(companion.NameFor(name)));
                }
            }
            return new MethodKey(model, dependencies);
        }

        private ulong Lookup(string name) => _byName.TryGetValue(name, out ulong fingerprint) ? fingerprint : Fingerprint.Empty;

        public bool Equals(DeclarationIndex? other) => other is not null && _files.Equals(other._files) && _environment.Equals(other._environment);

        public override bool Equals(object? obj) => Equals(obj as DeclarationIndex);

        public override int GetHashCode() => unchecked(_files.GetHashCode() * 31 + _environment.GetHashCode());
    }

    /// <summary>FNV-1a, 64 bits: stable across runs and processes, and collisions are out of reach for a project's declarations.</summary>
    internal static class Fingerprint
    {
        public const ulong Empty = 14695981039346656037;
        private const ulong Prime = 1099511628211;

        public static ulong Combine(ulong hash, string text)
        {
            foreach (char c in text)
            {
                hash = (hash ^ c) * Prime;
            }
            return (hash ^ 0xFFFF) * Prime; // a separator, so "ab"+"c" and "a"+"bc" differ
        }

        public static ulong Combine(ulong hash, ulong value)
        {
            for (int i = 0; i < 8; i++)
            {
                hash = (hash ^ ((value >> (8 * i)) & 0xFF)) * Prime;
            }
            return hash;
        }

        public static ulong Combine(ulong hash, long value) => Combine(hash, unchecked((ulong)value));
    }
}
