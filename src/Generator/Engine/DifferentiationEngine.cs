using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Emitter;
using AutoDiffGen.Generator.Engine.Analysis;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Lowering;
using AutoDiffGen.Generator.Engine.Reverse;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.Generator.Engine
{
    /// <summary>What the engine made of one [Differentiable] method.</summary>
    internal sealed class EngineResult
    {
        public EngineResult(IReadOnlyList<EngineDiagnostic> diagnostics, string? source, bool refusesTangent = false)
        {
            Diagnostics = diagnostics;
            Source = source;
            RefusesTangent = refusesTangent;
        }

        /// <summary>Everything wrong with the method, for the analyzers to report.</summary>
        public IReadOnlyList<EngineDiagnostic> Diagnostics { get; }

        /// <summary>The companions' source, or null when the method has an error (then nothing is emitted).</summary>
        public string? Source { get; }

        /// <summary>
        /// Whether the method's own body passes a value that carries a derivative to a method with no forward derivative
        /// (not one of the [Differentiable] methods in source, which are assumed to have one), so its <c>MTangent</c> cannot
        /// be made. Set only by the run behind the generator's cache boundary, where callees are not read
        /// (<see cref="DifferentiationEngine.Run(IMethodSymbol, MethodDeclarationSyntax, SemanticModel, Func{IMethodSymbol, bool}, CancellationToken)"/>):
        /// the call graph combines it over what a forward-mode or second-order caller reaches.
        /// </summary>
        public bool RefusesTangent { get; }
    }

    /// <summary>
    /// The whole pipeline for one method — Parser → Lowering → Analysis → Reverse → Emitter — shared by the generator
    /// and the analyzers, so both always agree on what is differentiable. No exception leaves it: an internal failure
    /// becomes one ADG0999 warning and no output.
    /// </summary>
    internal static class DifferentiationEngine
    {
        /// <summary>
        /// The method's companions, its callees in source checked transitively from <paramref name="semanticModel"/>'s
        /// compilation (the analyzers' way, and the generator's when a callee in the call graph has an error).
        /// </summary>
        /// <param name="parseOutput">
        /// Whether the companions' source is parsed, and an error in it turned into ADG0999 (an emitter bug). The analyzer
        /// does, so that the bug gets a diagnostic that says what it is; the generator does not (the compiler parses
        /// what the generator hands it anyway, and parsing it twice was 15 % of the engine's time on a long method).
        /// </param>
        public static EngineResult Run(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, bool emit, CancellationToken cancellationToken, bool parseOutput = true) =>
            RunCheckingCallees(method, syntax, semanticModel, emit, new Dictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default), cancellationToken, parseOutput: parseOutput);

        /// <summary>
        /// The method's companions, with <paramref name="calleeGetsCompanions"/> saying whether each [Differentiable] callee
        /// in source gets its companions: the generator's pipeline answers it from its call graph (every method's own
        /// result) instead of running the engine on the callees again. The callees' bodies are not read at all: every
        /// [Differentiable] callee in source is assumed to have its <c>MTangent</c> and <c>MBackwardTangent</c> too, and
        /// <see cref="EngineResult.RefusesTangent"/> says whether this method's own body denies its callers an <c>MTangent</c>
        /// (the result is a function of the method's key; the call graph reruns the exact check where it can differ).
        /// </summary>
        public static EngineResult Run(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, Func<IMethodSymbol, bool> calleeGetsCompanions, CancellationToken cancellationToken) =>
            Run(method, syntax, semanticModel, emit: true, calleeGetsCompanions, cancellationToken, Model.OnDemandCompanions.None, parseOutput: false, readCalleeBodies: false);

        /// <summary>
        /// The <c>MTangent</c> and/or <c>MBackwardTangent</c> of a [Differentiable] method that did not ask for them, alone in
        /// its file: generated on demand because a forward-mode or second-order caller in the same compilation needs them
        /// (api.md). Null when the method has an error.
        /// </summary>
        /// <param name="calleeGetsCompanions">
        /// As in the other overloads: null to check the callees from the compilation (their bodies included); otherwise
        /// every [Differentiable] callee in source is also assumed to have its tangents (the call graph knows it does).
        /// </param>
        public static EngineResult RunOnDemand(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, Func<IMethodSymbol, bool>? calleeGetsCompanions,
            Model.OnDemandCompanions companions, CancellationToken cancellationToken) =>
            calleeGetsCompanions is null
                ? RunCheckingCallees(method, syntax, semanticModel, emit: true, new Dictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default), cancellationToken, companions, parseOutput: false)
                : Run(method, syntax, semanticModel, emit: true, calleeGetsCompanions, cancellationToken, companions, parseOutput: false, readCalleeBodies: false);

        /// <param name="checkedMethods">
        /// Methods already checked (or being checked) in this run, with whether they get companions. Calls to
        /// [Differentiable] methods in source are checked transitively — a caller of a method with an error, however
        /// deep, gets an error too, not code calling a missing <c>…Backward</c>. A method still being checked counts as
        /// getting companions, so recursion terminates; if it turns out not to, that failure reaches the method this
        /// run started from through the same call chain, so the answer for that method is exact.
        /// </param>
        private static EngineResult RunCheckingCallees(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, bool emit, Dictionary<IMethodSymbol, bool> checkedMethods, CancellationToken cancellationToken, Model.OnDemandCompanions onDemand = Model.OnDemandCompanions.None, bool parseOutput = false)
        {
            checkedMethods[method.OriginalDefinition] = true;
            Func<IMethodSymbol, bool> calleeGetsCompanions = callee =>
            {
                IMethodSymbol definition = callee.OriginalDefinition;
                if (checkedMethods.TryGetValue(definition, out bool known)) return known;
                checkedMethods[definition] = true; // in progress
                return checkedMethods[definition] = CalleeGetsCompanions(definition, semanticModel.Compilation, checkedMethods, cancellationToken);
            };
            return Run(method, syntax, semanticModel, emit, calleeGetsCompanions, cancellationToken, onDemand, parseOutput, readCalleeBodies: true);
        }

        /// <param name="readCalleeBodies">
        /// Whether the bodies of [Differentiable] callees in source are read to see whether their <c>MTangent</c> and
        /// <c>MBackwardTangent</c> can be made (<see cref="TangentRefusalChecker"/>, <see cref="CalleeSecondOrderRefusal"/>).
        /// Not behind the generator's cache boundary: a method's key holds its callees' signatures, not their bodies, so a
        /// result that read them would go stale when one changes (the call graph asks for the exact check instead).
        /// </param>
        private static EngineResult Run(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, bool emit, Func<IMethodSymbol, bool> calleeGetsCompanions, CancellationToken cancellationToken, Model.OnDemandCompanions onDemand, bool parseOutput, bool readCalleeBodies)
        {
            // On demand: only the companions a caller needs, in a file of their own (the method's own file has the rest).
            bool tangentOnly = onDemand != Model.OnDemandCompanions.None;
            var diagnostics = new List<EngineDiagnostic>();
            try
            {
                ParsedMethod parsed;
                using (PassTimings.Time("Parse")) parsed = MethodParser.Parse(method, syntax, semanticModel, cancellationToken);
                diagnostics.AddRange(parsed.Diagnostics);
                bool hasCompilerErrors;
                using (PassTimings.Time("CompilerErrors")) hasCompilerErrors = HasCompilerErrors(syntax, semanticModel, cancellationToken);
                if (hasCompilerErrors)
                {
                    // Code being typed, or code with errors: the compiler's errors say what is wrong, the body is not
                    // read (it cannot be trusted) and nothing is emitted. A clash may be a consequence of the errors.
                    diagnostics.RemoveAll(d => d.Descriptor == DiagnosticDescriptors.CompanionNameClash);
                    return new EngineResult(diagnostics, null);
                }
                if (parsed.Spec is null || parsed.Body is null || diagnostics.Any(d => d.IsError))
                {
                    return new EngineResult(diagnostics, null);
                }
                if (!tangentOnly && CompanionDispatchReader.OverriddenInSource(method, parsed.Spec) is { } overridden && !calleeGetsCompanions(overridden))
                {
                    // Its companions would override companions that are not generated (the base method has errors of its own).
                    string baseName = overridden.ContainingType.Name + "." + overridden.Name;
                    diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.UnsupportedConstruct, syntax.Identifier.GetLocation(),
                        "this override of '" + baseName + "': '" + baseName + "' is [Differentiable] but gets no companions until its own errors are fixed, and the companions of '"
                        + method.Name + "' override them", method.Name));
                    return new EngineResult(diagnostics, null);
                }

                // A method that may need MTangent checks that its [Differentiable] callees' can be generated (their bodies, transitively).
                bool mayNeedTangent = tangentOnly || parsed.Spec.IsVectorValued || (parsed.Spec.Modes & (Model.DerivativeModes.Forward | Model.DerivativeModes.Hessian)) != 0;
                Func<IMethodSymbol, string?>? calleeTangentRefusal = mayNeedTangent && readCalleeBodies
                    ? TangentRefusalChecker(semanticModel.Compilation, method, cancellationToken)
                    : null;
                LoweringResult lowered;
                using (PassTimings.Time("Lowering")) lowered = MethodLowering.Lower(method, parsed.Body, cancellationToken, calleeGetsCompanions, calleeTangentRefusal);
                diagnostics.AddRange(lowered.Diagnostics);
                ActivityAnalysis activity;
                using (PassTimings.Time("Activity")) activity = ActivityAnalysis.Analyze(lowered.Function);
                var reported = new HashSet<EngineDiagnostic>(diagnostics, EngineDiagnostic.SameReport);
                foreach (PendingDiagnostic pending in lowered.Pending)
                {
                    // Only operations on values that depend on a differentiable parameter matter; an operation with
                    // two such operands is reported once.
                    if (activity.Varied.Contains(pending.Operand) && reported.Add(pending.Diagnostic))
                    {
                        diagnostics.Add(pending.Diagnostic);
                    }
                }
                if (diagnostics.Any(d => d.IsError))
                {
                    return new EngineResult(diagnostics, null);
                }
                ReportInactiveParameters(method, syntax, lowered.Function, activity, diagnostics);
                // For the call graph (behind the cache boundary only: the exact check answers it from the callees' bodies).
                bool refusesTangent = !readCalleeBodies && ActiveCallWithoutTangent(lowered.Function, activity) is not null;

                // Forward mode reads the lowered function as it is; it runs first, so nothing the reverse transform does can reach it.
                bool onDemandTangent = (onDemand & Model.OnDemandCompanions.Tangent) != 0;
                bool wantsTangent = tangentOnly ? onDemandTangent : Model.Companion.GeneratedFor(parsed.Spec).Contains(Model.Companion.Tangent);
                bool asksForTangent = onDemandTangent || (parsed.Spec.Modes & Model.DerivativeModes.Forward) != 0;
                if (tangentOnly && ActiveCallWithoutTangent(lowered.Function, activity) is not null)
                {
                    // Its MTangent cannot be made: the callers that would call it were refused it (ADG0307, ADG0305), so nothing is generated.
                    return new EngineResult(diagnostics, null);
                }
                if (wantsTangent && !asksForTangent && CallsWithoutTangent(lowered.Function))
                {
                    // A vector-valued method gets MTangent for its MJacobian's forward sweeps; where forward mode cannot follow
                    // it (a callee in another assembly without MTangent), MJacobian runs reverse sweeps only.
                    wantsTangent = false;
                }
                Tangent.TangentProgram? tangent;
                using (PassTimings.Time("Tangent")) tangent = wantsTangent ? Tangent.TangentModeTransform.Transform(lowered.Function, activity) : null;
                ReverseProgram program;
                using (PassTimings.Time("Reverse")) program = ReverseModeTransform.Transform(lowered.Function, activity);
                if (ReportMissingGenericMembers(method, syntax, semanticModel.Compilation, program, tangent, diagnostics))
                {
                    return new EngineResult(diagnostics, null);
                }
                SecondOrder.HessianVectorProgram? hessian = !tangentOnly || (onDemand & Model.OnDemandCompanions.BackwardTangent) != 0
                    ? SecondOrderFor(parsed, method, syntax, semanticModel, lowered.Function, activity, tangent, diagnostics, onDemand: tangentOnly, readCalleeBodies, cancellationToken)
                    : null;
                if (!emit)
                {
                    return new EngineResult(diagnostics, null, refusesTangent);
                }
                IEnumerable<string> reserved = syntax.DescendantTokens()
                    .Where(t => t.IsKind(SyntaxKind.IdentifierToken))
                    .Select(t => t.ValueText)
                    .Concat(method.Parameters.Select(p => p.Name));
                string source;
                using (PassTimings.Time("Emit")) source = CompanionEmitter.Emit(parsed.Spec, program, reserved, tangent, tangentOnly, hessian);
                string? syntaxError = null;
                if (parseOutput)
                {
                    using (PassTimings.Time("ParseGenerated")) syntaxError = FirstSyntaxError(source, cancellationToken);
                }
                if (syntaxError is not null)
                {
                    // An emitter bug: the analyzer reports it as ADG0999 (the generator, which does not parse, hands the
                    // code on, and the compiler's errors in the generated file come with that diagnostic).
                    throw new InvalidOperationException("the generated code does not parse (" + syntaxError + ")");
                }
                return new EngineResult(diagnostics, source, refusesTangent);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.InternalError, syntax.Identifier.GetLocation(), method.Name,
                    exception.GetType().Name + ": " + exception.Message));
                return new EngineResult(diagnostics, null);
            }
        }

        /// <summary>
        /// The Hessian-vector program of a scalar-valued method that asks for <c>Derivatives.Hessian</c>; null when it does
        /// not, or when it is vector-valued (the parser reported ADG0304), or when second order cannot go through one of its
        /// constructs yet: then ADG0305 says which, and the method's other companions are generated as usual.
        /// </summary>
        private static SecondOrder.HessianVectorProgram? SecondOrderFor(ParsedMethod parsed, IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, IrFunction function,
            ActivityAnalysis activity, Tangent.TangentProgram? tangent, List<EngineDiagnostic> diagnostics, bool onDemand, bool readCalleeBodies, CancellationToken cancellationToken)
        {
            if (!onDemand && (parsed.Spec!.Modes & Model.DerivativeModes.Hessian) == 0 || parsed.Spec!.IsVectorValued)
            {
                return null;
            }
            try
            {
                // Each refusal names its construct (ADG0305's message): the callees' here, the method's own in SecondOrderProgram.
                if (readCalleeBodies
                    && CalleeSecondOrderRefusal(syntax, semanticModel, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { method.OriginalDefinition }, cancellationToken) is { } calleeRefusal)
                {
                    throw new NotSupportedException(calleeRefusal);
                }
                SecondOrder.HessianVectorProgram program = SecondOrderProgram(parsed, function, activity, tangent);
                if (MissingGenericMember(method, semanticModel.Compilation, program.Reverse) is { } missing)
                {
                    // The second derivative calls a member the first did not (T.Sin's derivative's derivative): the constraints must have it.
                    throw new NotSupportedException("its second derivative calls " + missing + ", which the type parameter's constraints lack");
                }
                return program;
            }
            catch (NotSupportedException refused)
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.HessianNotSupported,
                    MethodParser.AttributeLocation(method, syntax.Identifier.GetLocation(), cancellationToken), method.Name, refused.Message));
                return null;
            }
        }

        /// <summary>
        /// The Hessian-vector program, or <see cref="NotSupportedException"/> naming the construct second order cannot go
        /// through (ADG0305's reason): arrays of structs, SIMD vectors, generic math, and what the transform itself refuses.
        /// A struct parameter is flattened into its leaves like scalars (MHessian's rows and columns, field by field).
        /// </summary>
        private static SecondOrder.HessianVectorProgram SecondOrderProgram(ParsedMethod parsed, IrFunction function, ActivityAnalysis activity, Tangent.TangentProgram? tangent)
        {
            if (function.Variables.Any(v => v.Type.IsSimdVector))
            {
                throw new NotSupportedException("it uses SIMD vectors (Vector<T>, Vector128<T>…), which second order does not go through yet");
            }
            // Only methods that parsed (a spec) get this far; the engine stops at a parse failure.
            Model.MethodSpec spec = parsed.Spec ?? throw new InvalidOperationException("second order of a method that did not parse");
            bool IsReal(string type) => type is "double" or "float" || spec.IsGenericReal(type);
            if (!IsReal(spec.ReturnTypeName) || spec.Parameters.Any(p => p.IsDifferentiable && !p.IsStruct && !IsReal(p.ScalarTypeName)))
            {
                throw new NotSupportedException("its values are not double, float or a generic real");
            }
            return SecondOrder.HessianVectorTransform.Transform(function, activity, tangent);
        }

        /// <summary>
        /// Why second order cannot go through a [Differentiable] method in source that the method of <paramref name="syntax"/> calls,
        /// directly or through others, or null. The callee's signature is checked where the call is lowered
        /// (<c>CallTarget.SecondOrderRefusal</c>); its body here, with the transform its <c>MBackwardTangent</c> would be made
        /// by, so that no caller's <c>MHessianVector</c> calls an <c>MBackwardTangent</c> that is not generated.
        /// </summary>
        private static string? CalleeSecondOrderRefusal(MethodDeclarationSyntax syntax, SemanticModel semanticModel, HashSet<IMethodSymbol> visited, CancellationToken cancellationToken)
        {
            foreach (InvocationExpressionSyntax invocation in syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (semanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol callee
                    || !KnownNames.HasAttribute(callee.OriginalDefinition, KnownNames.DifferentiableAttribute)
                    || !visited.Add(callee.OriginalDefinition))
                {
                    continue;
                }
                string? reason;
                try
                {
                    if (LowerInSource(callee.OriginalDefinition, semanticModel.Compilation, null, cancellationToken) is not var (parsed, calleeSyntax, calleeModel, lowered)
                        || parsed.Spec!.IsVectorValued)
                    {
                        continue;
                    }
                    SecondOrderProgram(parsed, lowered.Function, ActivityAnalysis.Analyze(lowered.Function), null);
                    reason = CalleeSecondOrderRefusal(calleeSyntax, calleeModel, visited, cancellationToken);
                }
                catch (NotSupportedException refused)
                {
                    reason = refused.Message;
                }
                if (reason is not null) return "it calls " + callee.Name + ", which second order cannot go through (" + reason + ")";
            }
            return null;
        }

        /// <summary>The first member of a generic real that <paramref name="program"/> calls and its constraints lack (<c>'T.Log'</c>), or null.</summary>
        private static string? MissingGenericMember(IMethodSymbol method, Compilation compilation, ReverseProgram program)
        {
            Dictionary<string, HashSet<string>> used = GenericMathRequirements.MembersUsed(new List<IrBlock>
                { program.Prologue, program.Forward, program.Reverse, program.Epilogue, program.Cleanup, program.Function.Body });
            foreach (ITypeParameterSymbol parameter in GenericMath.TypeParametersInScope(method))
            {
                if (used.TryGetValue(MethodParser.EscapeIdentifier(parameter.Name), out HashSet<string>? members)
                    && GenericMath.MissingMember(parameter, members, compilation) is { } missing)
                {
                    return "'" + parameter.Name + "." + missing.Member + "'";
                }
            }
            return null;
        }

        /// <summary>
        /// ADG0106 for each generic real whose constraints lack a member the companions call (the derivative of <c>T.Pow</c>
        /// calls <c>T.Log</c>); true when one is reported, and then nothing is emitted (it would not compile).
        /// </summary>
        private static bool ReportMissingGenericMembers(IMethodSymbol method, MethodDeclarationSyntax syntax, Compilation compilation, ReverseProgram program, Tangent.TangentProgram? tangent, List<EngineDiagnostic> diagnostics)
        {
            // No type parameter in scope, nothing to check: skip the walk over every expression of the companions.
            if (!GenericMath.TypeParametersInScope(method).Any()) return false;
            var blocks = new List<IrBlock> { program.Prologue, program.Forward, program.OutputCapture, program.OutputSeeds, program.Reverse, program.OutputRelease, program.Epilogue, program.Cleanup };
            if (tangent is not null) blocks.AddRange(new[] { tangent.Prologue, tangent.Body, tangent.Cleanup });
            Dictionary<string, HashSet<string>> used = GenericMathRequirements.MembersUsed(blocks);
            bool reported = false;
            if (used.Count == 0) return false;
            foreach (ITypeParameterSymbol parameter in GenericMath.TypeParametersInScope(method))
            {
                string name = MethodParser.EscapeIdentifier(parameter.Name);
                if (!used.TryGetValue(name, out HashSet<string>? members) || GenericMath.MissingMember(parameter, members, compilation) is not { } missing) continue;
                // On the method's own type parameter; a containing type's is reported on the method (the type may be in another file).
                Location location = syntax.TypeParameterList?.Parameters.FirstOrDefault(p => p.Identifier.ValueText == parameter.Name)?.GetLocation() ?? syntax.Identifier.GetLocation();
                string member = missing.Member.StartsWith("op_", StringComparison.Ordinal) ? "the operator " + missing.Member.Substring(3) : "'" + parameter.Name + "." + missing.Member + "'";
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.GenericTypeNotReal, location, method.Name, parameter.Name,
                    "lacks " + member + ", which the derivative code calls", " (or add " + missing.Interface + "<" + parameter.Name + ">)"));
                reported = true;
            }
            return reported;
        }

        /// <summary>Whether the engine, run on <paramref name="callee"/>, finds no error (so the generator emits its companions).</summary>
        private static bool CalleeGetsCompanions(IMethodSymbol callee, Compilation compilation, Dictionary<IMethodSymbol, bool> checkedMethods, CancellationToken cancellationToken)
        {
            if (callee.DeclaringSyntaxReferences.Length != 1
                || callee.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax calleeSyntax
                || !compilation.ContainsSyntaxTree(calleeSyntax.SyntaxTree))
            {
                return true; // compiled elsewhere (its companions exist) or something the compiler reports itself
            }
#pragma warning disable RS1030 // The callee lives in another tree; its model is bound once and shared with the compiler's.
            SemanticModel calleeModel = compilation.GetSemanticModel(calleeSyntax.SyntaxTree);
#pragma warning restore RS1030
            EngineResult result = RunCheckingCallees(callee, calleeSyntax, calleeModel, emit: false, checkedMethods, cancellationToken);
            return !result.Diagnostics.Any(d => d.IsError || d.Descriptor == DiagnosticDescriptors.InternalError)
                && !HasCompilerErrors(calleeSyntax, calleeModel, cancellationToken);
        }

        /// <summary>
        /// Whether the compiler reports an error inside the method (its signature or its body). Warnings the project
        /// turns into errors do not count: the code itself is sound.
        /// </summary>
        private static bool HasCompilerErrors(MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken)
        {
            if (syntax.ContainsDiagnostics && syntax.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return true;
            }
            return semanticModel.GetDiagnostics(syntax.Span, cancellationToken)
                .Any(d => d.Severity == DiagnosticSeverity.Error && !d.IsWarningAsError);
        }

        private static string? FirstSyntaxError(string source, CancellationToken cancellationToken)
        {
            SyntaxTree tree = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), cancellationToken: cancellationToken);
            return tree.GetDiagnostics(cancellationToken).FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error)?.ToString();
        }

        /// <summary>
        /// ADG0202 when the result depends on no differentiable parameter (every gradient is zero), otherwise ADG0203
        /// for each differentiable parameter that never reaches the result through a differentiable operation.
        /// Activity analysis over-approximates both dependences, so neither is reported where it does not hold.
        /// </summary>
        private static void ReportInactiveParameters(IMethodSymbol method, MethodDeclarationSyntax syntax, IrFunction function, ActivityAnalysis activity, List<EngineDiagnostic> diagnostics)
        {
            // One entry per method parameter: a struct parameter is several IR parameters, one per leaf, and useful when any is.
            var differentiable = method.Parameters
                .Select(parameter => (Parameter: parameter, Variables: function.Parameters.Where(v => v.IsDifferentiableParameter
                    && (v.StructLeaf?.ParameterName ?? v.PreferredName) == MethodParser.EscapeIdentifier(parameter.Name)).ToList()))
                .Where(p => p.Variables.Count > 0)
                .ToList();
            if (differentiable.Count == 0)
            {
                return;
            }
            if (!function.OutputVariables.Any(activity.Varied.Contains))
            {
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.ResultIndependentOfParameters, syntax.Identifier.GetLocation(), method.Name,
                    string.Join(", ", differentiable.Select(p => p.Parameter.Name))));
                return;
            }
            foreach (var (parameter, variables) in differentiable)
            {
                if (variables.Any(activity.Useful.Contains)) continue;
                Location location = parameter.Locations.FirstOrDefault(l => l.IsInSource) ?? syntax.Identifier.GetLocation();
                diagnostics.Add(new EngineDiagnostic(DiagnosticDescriptors.ParameterDoesNotAffectResult, location, parameter.Name, method.Name));
            }
        }

        /// <summary>Whether the function calls a differentiable method that has no <c>…Tangent</c> (compiled elsewhere without forward mode).</summary>
        /// <summary>
        /// Checks, for the callees of <paramref name="caller"/>, why a [Differentiable] method in source cannot have an
        /// <c>MTangent</c> (<see cref="TangentRefusal"/>), each method once per engine run.
        /// </summary>
        private static Func<IMethodSymbol, string?> TangentRefusalChecker(Compilation compilation, IMethodSymbol caller, CancellationToken cancellationToken)
        {
            var known = new Dictionary<IMethodSymbol, string?>(SymbolEqualityComparer.Default) { [caller.OriginalDefinition] = null };
            Func<IMethodSymbol, string?>? check = null;
            check = callee => TangentRefusal(callee.OriginalDefinition, compilation, known, check!, cancellationToken);
            return check;
        }

        /// <summary>
        /// Why the <c>MTangent</c> of <paramref name="definition"/>, a [Differentiable] method in source, cannot be generated,
        /// or null: its body passes a value that carries a derivative to a method with no forward derivative (a hand-written
        /// <c>…Backward</c> alone, another assembly's method without <c>Derivatives.Forward</c>, or, through
        /// <paramref name="check"/>, another [Differentiable] method with such a call). A method being checked counts as
        /// fine (recursion); one with errors of its own too (they are reported on the call anyway).
        /// </summary>
        private static string? TangentRefusal(IMethodSymbol definition, Compilation compilation, Dictionary<IMethodSymbol, string?> known, Func<IMethodSymbol, string?> check, CancellationToken cancellationToken)
        {
            if (known.TryGetValue(definition, out string? answer)) return answer;
            known[definition] = null; // in progress
            if (LowerInSource(definition, compilation, check, cancellationToken) is not var (_, _, _, lowered))
            {
                return null;
            }
            return known[definition] = ActiveCallWithoutTangent(lowered.Function, ActivityAnalysis.Analyze(lowered.Function))?.TangentRefusal;
        }

        /// <summary>
        /// A [Differentiable] callee declared in this compilation, parsed with its own tree's model and lowered as its own
        /// companions would be (every callee assumed to get companions); null when it is not in source here, or has
        /// errors of its own (those are reported on the call: the caller gets no companions at all).
        /// </summary>
        private static (ParsedMethod Parsed, MethodDeclarationSyntax Syntax, SemanticModel Model, LoweringResult Lowered)? LowerInSource(
            IMethodSymbol definition, Compilation compilation, Func<IMethodSymbol, string?>? calleeTangentRefusal, CancellationToken cancellationToken)
        {
            if (definition.DeclaringSyntaxReferences.Length != 1
                || definition.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax syntax
                || !compilation.ContainsSyntaxTree(syntax.SyntaxTree))
            {
                return null;
            }
#pragma warning disable RS1030 // The callee lives in another tree; its model is bound once and shared with the compiler's.
            SemanticModel model = compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            ParsedMethod parsed = MethodParser.Parse(definition, syntax, model, cancellationToken);
            if (parsed.Spec is null || parsed.Body is null || parsed.Diagnostics.Any(d => d.IsError))
            {
                return null;
            }
            LoweringResult lowered = MethodLowering.Lower(definition, parsed.Body, cancellationToken, _ => true, calleeTangentRefusal);
            return lowered.Diagnostics.Any(d => d.IsError) ? null : (parsed, syntax, model, lowered);
        }

        /// <summary>
        /// The first call whose result carries a derivative of a callee with no <c>…Tangent</c> (what the tangent transform
        /// would call), or null.
        /// </summary>
        private static CallTarget? ActiveCallWithoutTangent(IrFunction function, ActivityAnalysis activity) =>
            IrWalker.AllStatements(function.Body)
                .OfType<IrAssign>()
                .Where(a => a.Value is IrDifferentiableCall { Target.HasTangent: false } && activity.IsActive(a.Target))
                .Select(a => ((IrDifferentiableCall)a.Value).Target)
                .FirstOrDefault();

        private static bool CallsWithoutTangent(IrFunction function)
        {
            static bool InExpression(IrExpression e) => e is IrDifferentiableCall { Target.HasTangent: false } || e.Children.Any(InExpression);
            return IrWalker.AllStatements(function.Body).Any(s => s is IrAssign { Value: var v } && InExpression(v) || s is IrEffect { Expression: var x } && InExpression(x));
        }
    }
}
