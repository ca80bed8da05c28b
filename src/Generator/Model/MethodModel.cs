namespace AutoDiffGen.Generator.Model
{
    /// <summary>
    /// What the generator reads from one attributed method declaration when its file changes: only its text and the
    /// names it depends on — syntax, nothing bound, so reading it costs microseconds (the engine, which binds the body,
    /// runs later and only when this model or the declarations it names change; design.md, "the cache boundary").
    /// Whether the attribute is [Differentiable], and the method's identity, are bound behind that boundary too
    /// (<see cref="CheckedMethod"/>): binding them here, for every method on every keystroke, cost more than the rest
    /// of an edit (Roslyn's ForAttributeWithMetadataName binds every target again whenever the compilation changes).
    /// </summary>
    /// <param name="FilePath">The file it is declared in.</param>
    /// <param name="DeclarationText">The declaration as written — attributes, signature and body — without the trivia around it, so blank lines above it change nothing.</param>
    /// <param name="Context">What around the declaration changes its meaning: the using directives, namespaces and enclosing type headers.</param>
    /// <param name="Names">
    /// Every identifier in the declaration and its context, sorted: the declarations of these names anywhere in the
    /// compilation (and of their companions, <c>NameBackward</c>…) are what the engine's result can depend on besides the text.
    /// </param>
    /// <param name="HasSyntaxErrors">Half-typed: nothing is generated, and its callers know it.</param>
    internal sealed record MethodModel(
        string FilePath,
        string DeclarationText,
        string Context,
        EquatableArray<string> Names,
        bool HasSyntaxErrors);

    /// <summary>
    /// A method's model with a fingerprint of every declaration it depends on (its <see cref="MethodModel.Names"/>,
    /// the global usings and operators, the compilation's options and references). The engine's result is a function of
    /// this key: when it is unchanged, the engine does not run.
    /// </summary>
    internal sealed record MethodKey(MethodModel Model, ulong Dependencies);

    /// <summary>
    /// What the engine made of one method, assuming every [Differentiable] callee in source gets its companions (the
    /// call graph then decides whether that holds).
    /// </summary>
    /// <param name="Key">What it was computed from.</param>
    /// <param name="HintName">The generated file's name ("" when the method gets no companions).</param>
    /// <param name="Source">The companions' source, or null when the method has an error of its own.</param>
    /// <param name="Callees">Documentation ids of the [Differentiable] methods in source it calls, sorted.</param>
    /// <param name="RefusesTangent">
    /// Whether its own body denies it an <c>MTangent</c> (a call carrying a derivative into a method with no forward
    /// derivative, other than the [Differentiable] methods in source): a forward-mode, vector-valued or second-order method
    /// that reaches it cannot have all its companions, which only the exact check over the callees' bodies tells.
    /// </param>
    internal sealed record CheckedMethod(MethodKey Key, MethodIdentity? Identity, string HintName, string? Source, EquatableArray<string> Callees, bool RefusesTangent = false)
    {
        /// <summary>What the engine makes of an attributed method that is not [Differentiable] (or not found): nothing, and it is no one's callee.</summary>
        public static CheckedMethod NotDifferentiable(MethodKey key) => new(key, null, "", null, EquatableArray<string>.Empty);

        /// <summary>Whether its companions call its callees' tangents: its file has an <c>MTangent</c>, or it asks for second order.</summary>
        public bool NeedsCalleeTangents => GetsOwnTangent || (Modes & DerivativeModes.Hessian) != 0;

        /// <summary>Whether the method carries AutoDiffGen's [Differentiable]; only such methods enter the call graph.</summary>
        public bool IsDifferentiable => Identity is not null;

        public string DocumentationId => Identity?.DocumentationId ?? "";

        public bool GetsOwnTangent => Identity?.GetsOwnTangent ?? false;

        public DerivativeModes Modes => Identity?.Modes ?? DerivativeModes.Reverse;

        /// <summary>Half-typed or declared twice: nothing is generated for it (and so it is no one's tangent callee).</summary>
        public bool GetsNoCompanions => Key.Model.HasSyntaxErrors || Identity is not { IsDuplicate: false };

        /// <summary>Whether the method, on its own, gets its companions.</summary>
        public bool IsSound => Source is not null;
    }

    /// <summary>What binding a [Differentiable] method's declaration (not its body) says about it.</summary>
    /// <param name="DocumentationId">Its identity in the call graph (the engine records callees by it).</param>
    /// <param name="GetsOwnTangent">
    /// Whether its own file has its <c>MTangent</c>: it asks for forward mode, or it is vector-valued (its MJacobian runs
    /// forward sweeps). Callers that need a tangent of a method without one get it generated on demand.
    /// </param>
    /// <param name="IsDuplicate">A second declaration of the same signature (CS0111): neither gets companions, so two files never share a name.</param>
    /// <param name="Modes">The modes its attribute asks for (a second-order method's callees need their MBackwardTangent).</param>
    internal sealed record MethodIdentity(string DocumentationId, bool GetsOwnTangent, bool IsDuplicate, DerivativeModes Modes);

    /// <summary>
    /// A method ready to be emitted: its own result, and — only when some method it reaches through calls gets no
    /// companions — the keys of every method it reaches, so the engine reruns it with the callees checked exactly.
    /// </summary>
    internal sealed record EmitRequest(CheckedMethod Method, EquatableArray<MethodKey> ReachableWhenSomeFail);

    /// <summary>Companions a caller needs of a callee that did not ask for them (api.md: generated on demand).</summary>
    [System.Flags]
    internal enum OnDemandCompanions
    {
        None = 0,

        /// <summary><c>MTangent</c>: a forward-mode caller calls it, and a second-order caller's forward sweep.</summary>
        Tangent = 1,

        /// <summary><c>MBackwardTangent</c>: a second-order caller's reverse sweep calls it.</summary>
        BackwardTangent = 2,
    }

    /// <summary>
    /// An <c>MTangent</c> a forward-mode or second-order caller needs from a method that did not ask for forward mode itself,
    /// and an <c>MBackwardTangent</c> a second-order caller needs from a method that did not ask for Derivatives.Hessian
    /// (api.md: on demand).
    /// </summary>
    /// <param name="Callee">The method's key.</param>
    /// <param name="HintName">The method's own file name; the tangent's file is named after it.</param>
    /// <param name="ReachableWhenSomeFail">As in <see cref="EmitRequest"/>: empty when every method the callee reaches gets its companions.</param>
    /// <param name="Companions">Which of the two it needs (never None).</param>
    internal sealed record TangentRequest(MethodKey Callee, string HintName, EquatableArray<MethodKey> ReachableWhenSomeFail, OnDemandCompanions Companions);
}
