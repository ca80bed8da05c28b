namespace AutoDiffGen.Generator.Model
{
    /// <summary>
    /// What the generator's attribute transform reads from one [Differentiable] method on every compilation change: only
    /// its text and the names it depends on, so reading it costs microseconds and binds nothing (the engine, which binds
    /// the body, runs later and only when this model or the declarations it names change; design.md, "the cache boundary").
    /// </summary>
    /// <param name="DocumentationId">Finds the method again in the compilation the engine runs on; also its identity in the call graph.</param>
    /// <param name="FilePath">The file it is declared in (a partial method's two parts are told apart by it and by the text).</param>
    /// <param name="DeclarationText">The declaration as written — attributes, signature and body — without the trivia around it, so blank lines above it change nothing.</param>
    /// <param name="Context">What around the declaration changes its meaning: the using directives, namespaces and enclosing type headers.</param>
    /// <param name="Names">
    /// Every identifier in the declaration and its context, sorted: the declarations of these names anywhere in the
    /// compilation (and of their companions, <c>NameBackward</c>…) are what the engine's result can depend on besides the text.
    /// </param>
    /// <param name="Modes">The modes the attribute asks for (forward-mode methods need their callees' tangents).</param>
    /// <param name="GetsOwnTangent">
    /// Whether its own file has its <c>MTangent</c>: it asks for forward mode, or it is vector-valued (its MJacobian runs
    /// forward sweeps). Callers that need a tangent of a method without one get it generated on demand.
    /// </param>
    /// <param name="GetsNoCompanions">Half-typed (syntax errors) or declared twice: nothing is generated, and its callers know it.</param>
    internal sealed record MethodModel(
        string DocumentationId,
        string FilePath,
        string DeclarationText,
        string Context,
        EquatableArray<string> Names,
        DerivativeModes Modes,
        bool GetsOwnTangent,
        bool GetsNoCompanions);

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
    internal sealed record CheckedMethod(MethodKey Key, string HintName, string? Source, EquatableArray<string> Callees)
    {
        public string DocumentationId => Key.Model.DocumentationId;

        public DerivativeModes Modes => Key.Model.Modes;

        public bool GetsOwnTangent => Key.Model.GetsOwnTangent;

        /// <summary>Whether the method, on its own, gets its companions.</summary>
        public bool IsSound => Source is not null;
    }

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
