using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Calls of [Differentiable] methods that take or return a struct of reals (<c>Norm(new Point(a, b))</c>,
    /// <c>var q = Rotate(p, θ)</c>), or take an array or span of them (<c>Energy(points)</c>). Such a callee is inlined from
    /// source where it can be, like a struct's own members: its body is lowered in place (MethodLowering.LocalFunctions.cs,
    /// <see cref="InlineBody"/>), which gives the same derivatives as calling its <c>…Backward</c> and lets the caller's passes
    /// see through it. The callee's declaration (body included: it takes a struct) is part of the caller's cache key
    /// (Pipeline/DeclarationIndex). A callee that cannot be inlined (<see cref="WhyNotInlined"/>: a hand-written
    /// <c>…Backward</c>, whose derivative must be the one used; code in another assembly; a call of itself; a call on another
    /// object; a generic method; a sealed override, <see cref="CallTargets.MayDispatchElsewhere"/>) is called through its companions, each struct argument passed as its leaves
    /// (<see cref="LowerStructCallArguments"/>, <see cref="CallTarget.StructArguments"/>; the emitter rebuilds the struct and
    /// scatters its struct adjoint back into the leaves). Calls through companions of a callee returning a struct, or taking
    /// an array of structs, and virtual callees stay ADG0101 (<see cref="StructCallRefusal"/>). A [NoDerivative] parameter
    /// keeps its meaning either way: a value that depends on a differentiable input passed there is an error.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary>Whether a call is differentiated by inlining its callee (see the type's summary), or is a one-line scalar
        /// helper's (MethodLowering.SmallCallees.cs).</summary>
        private bool InlinesDifferentiableCallee(IInvocationOperation invocation) =>
            IsStructCallee(invocation.TargetMethod) && WhyNotInlined(invocation) is null || InlinesSmallCallee(invocation);

        /// <summary>
        /// Why a [Differentiable] callee taking or returning structs is not inlined where <paramref name="invocation"/> calls
        /// it, as "it …" (the reason its companions are called instead); null when it is inlined.
        /// </summary>
        private string? WhyNotInlined(IInvocationOperation invocation)
        {
            IMethodSymbol callee = invocation.TargetMethod;
            if (callee.IsGenericMethod) return "it is generic";
            if (HasHandWrittenBackward(callee)) return "it has a hand-written " + callee.Name + KnownNames.BackwardSuffix + ", whose derivative is the one used";
            if (callee.OriginalDefinition.DeclaringSyntaxReferences.Length == 0) return "its code is in another assembly";
            if (SymbolEqualityComparer.Default.Equals(callee.OriginalDefinition, _method.OriginalDefinition)
                || _inlining.Contains(callee.OriginalDefinition, SymbolEqualityComparer.Default))
            {
                return CallsItself;
            }
            if (CallTargets.MayDispatchElsewhere(callee)) return "it is virtual";
            if (!callee.IsStatic && !CallsOnThisObject(invocation)) return "it is called on another object";
            return null;
        }

        /// <summary>
        /// An instance callee called on the caller's own object (<c>Energy(p)</c> or <c>this.Energy(p)</c> from an instance
        /// method of a class): its body's <c>this</c> is the caller's, so it can be inlined as written. A virtual method is
        /// not (another body may run), nor a call on another object (its companions are called on that object).
        /// </summary>
        private bool CallsOnThisObject(IInvocationOperation invocation) =>
            !_method.IsStatic && _thisStruct is null && invocation.TargetMethod.ContainingType.IsReferenceType && !CallTargets.MayDispatchElsewhere(invocation.TargetMethod)
            && invocation.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

        /// <summary>A [Differentiable] method taking or returning structs of reals (or arrays of them) by value: inlined where it can be.</summary>
        private static bool IsStructCallee(IMethodSymbol callee) =>
            callee.MethodKind == MethodKind.Ordinary
            && KnownNames.HasAttribute(callee.OriginalDefinition, KnownNames.DifferentiableAttribute)
            && !callee.Parameters.Any(p => p.RefKind is not (RefKind.None or RefKind.In) || KnownNames.HasAttribute(p, KnownNames.OutputAttribute))
            && (callee.Parameters.Any(p => MethodParser.IsDifferentiableParameter(p) && TakesStructs(p.Type))
                || ReturnsStruct(callee));

        /// <summary>
        /// Why a call through the companions of <paramref name="invocation"/>'s callee with struct arguments (or result) cannot
        /// be generated, as ADG0101's construct; null when it can.
        /// </summary>
        /// <param name="structResult">Whether the call's struct result is taken apart into leaves (<see cref="EmitStructResultCall"/>).</param>
        private string? StructCallRefusal(IInvocationOperation invocation, bool structResult)
        {
            IMethodSymbol callee = invocation.TargetMethod;
            string call = "the call '" + Describe(invocation) + "': '" + callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "'";
            string why = IsStructCallee(callee) && WhyNotInlined(invocation) is { } reason ? " is not inlined here (" + reason + ")" : " is not inlined here";
            if (CallTargets.MayDispatchElsewhere(callee) && CallTargets.WhyCompanionsDoNotDispatch(callee) is { } notVirtual)
            {
                // Every callee comes here, not only struct-taking ones. A [Differentiable] virtual method's companions are
                // virtual and its overrides' override them (ADG0107 holds every override to it): that call is differentiated.
                return call + " is virtual: its companions are not virtual (" + notVirtual + "), so another override's derivative would be missed; "
                    + "make it [Differentiable] with a body (its companions are then virtual, and its [Differentiable] overrides override them), "
                    + "non-virtual, or sealed (a sealed override, or an override in a sealed class, is called through its own companions)";
            }
            if (callee.Parameters.Any(p => MethodParser.IsDifferentiableParameter(p) && MethodParser.IsDifferentiableStructArray(p.Type)))
            {
                return call + " takes an array or span of structs of reals and" + why + "; a call through companions passes structs, not arrays of them: "
                    + "make it inlinable (static or on this object, non-generic, without a hand-written …Backward, in this compilation), or pass the fields as arrays of doubles";
            }
            return null;
        }

        private const string CallsItself = "it calls itself";

        /// <summary>
        /// Whether a call returning a struct of reals goes through the callee's companions: a [Differentiable] callee that is
        /// not inlined here, or one with a hand-written <c>…Backward</c> taking the struct seed. A struct's own members are
        /// inlined instead (MethodLowering.StructMembers.cs).
        /// </summary>
        private bool ReturnsStructThroughCompanions(IInvocationOperation invocation)
        {
            IMethodSymbol callee = invocation.TargetMethod;
            return callee.MethodKind == MethodKind.Ordinary && ReturnsStruct(callee) && ShapeOf(callee.ContainingType) is null
                && !InlinesDifferentiableCallee(invocation) && CallTargets.TryCreate(callee, structResult: true) is not null;
        }

        /// <summary>
        /// <c>q = F(args)</c> with <c>q</c> a struct of reals, through <c>F</c>'s companions: one scalar call per leaf of the
        /// result, <c>q_X = F(args).X</c>, each a <see cref="CallTarget.ResultLeaf"/> of the same target (reversed as
        /// <c>FBackward(args, new S(seed_X, 0), …)</c>). It costs one call of <c>F</c> and of <c>FBackward</c> per leaf, where
        /// one with the whole seed would do: the IR gives every call one scalar result.
        /// </summary>
        private void EmitStructResultCall(IrDifferentiableCall call, StructVariable result)
        {
            StructShape shape = result.Shape;
            var leaves = ImmutableArray.CreateBuilder<IrExpression>(shape.Leaves.Length);
            for (int leaf = 0; leaf < shape.Leaves.Length; leaf++)
            {
                CallTarget target = call.Target with { ResultStruct = shape, ResultLeaf = leaf };
                leaves.Add(Emit(new IrDifferentiableCall(target, call.Receiver, call.Arguments, shape.Leaves[leaf].Type)));
            }
            StoreStruct(result, new StructValue(shape, leaves.MoveToImmutable()));
        }

        /// <summary>
        /// The arguments of a call through companions whose callee takes structs of reals (<paramref name="structs"/>, by
        /// ordinal), in parameter order, each struct argument as its leaves (evaluated in source order: a later argument that
        /// assigns a leaf sees it kept first).
        /// </summary>
        private List<IrExpression> LowerStructCallArguments(IInvocationOperation invocation, IReadOnlyList<(int Ordinal, StructShape Shape, string Name)> structs)
        {
            var lowered = new (int Ordinal, IEnumerable<IrExpression> Values)[invocation.Arguments.Length];
            for (int i = 0; i < invocation.Arguments.Length; i++)
            {
                IArgumentOperation argument = invocation.Arguments[i];
                IOperation[] later = invocation.Arguments.Skip(i + 1).Select(a => a.Value).ToArray();
                int ordinal = argument.Parameter!.Ordinal;
                StructShape? shape = structs.FirstOrDefault(s => s.Ordinal == ordinal).Shape;
                lowered[i] = shape is null
                    ? (ordinal, new[] { LowerOperand(WithoutArrayToSpanConversion(argument.Value), later) })
                    : (ordinal, KeptIfLaterAssign(LowerStruct(argument.Value, shape), later).Leaves.ToList());
            }
            return lowered.OrderBy(a => a.Ordinal).SelectMany(a => a.Values).ToList();
        }

        /// <summary>The parameters of a callee with companions that are structs of reals, passed as their leaves (by ordinal, ascending).</summary>
        private List<(int Ordinal, StructShape Shape, string Name)> StructParametersOf(IMethodSymbol callee) =>
            callee.Parameters.Select(p => (p.Ordinal, Shape: ShapeOf(p.Type), p.Name)).Where(p => p.Shape is not null).Select(p => (p.Ordinal, p.Shape!, p.Name)).ToList();

        /// <summary>The arguments a parameter is passed as in a call through companions: one, or a struct's leaves.</summary>
        private static (int First, int Count) ArgumentsOfParameter(IReadOnlyList<(int Ordinal, StructShape Shape, string Name)> structs, int ordinal)
        {
            int first = ordinal;
            foreach (var (structOrdinal, shape, _) in structs)
            {
                if (structOrdinal < ordinal) first += shape.Leaves.Length - 1;
                else if (structOrdinal == ordinal) return (first, shape.Leaves.Length);
            }
            return (first, 1);
        }

        /// <summary>A struct of reals, or an array or span of them (MethodLowering.StructArrays.cs): a callee taking one is inlined.</summary>
        private static bool TakesStructs(ITypeSymbol type) => MethodParser.IsDifferentiableStruct(type) || MethodParser.IsDifferentiableStructArray(type);

        private static bool ReturnsStruct(IMethodSymbol method) => !method.ReturnsVoid && MethodParser.IsDifferentiableStruct(method.ReturnType);

        /// <summary>
        /// Inlines the call of a [Differentiable] callee taking or returning a struct: its scalar result (read when
        /// <paramref name="resultUsed"/>), or its struct result stored into <paramref name="structResult"/>.
        /// </summary>
        private IrExpression InlineDifferentiableCallee(IInvocationOperation invocation, bool resultUsed, StructVariable? structResult)
        {
            IMethodSymbol callee = invocation.TargetMethod;
            string name = "'" + callee.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "'";
            if (SourceBody(callee, invocation) is not { } body)
            {
                return Unsupported(invocation, "the call '" + Describe(invocation) + "': " + name
                    + " takes or returns a struct of reals, and such a call is differentiated by inlining the callee's code, which is not in this compilation (pass the fields as double or float parameters)");
            }
            int diagnostics = _diagnostics.Count, pending = _pending.Count;
            var arguments = invocation.Arguments.Select(a => (a.Parameter!, a.Value, (IOperation)a)).ToList();
            IrExpression result = InlineBody(callee, body, invocation, arguments, receiver: null, structResult, resultUsed, name,
                "a [Differentiable] method taking or returning a struct is differentiated by inlining it where it is called, so it cannot call itself: pass the fields as double or float parameters");
            ReportAtCallSite(invocation, diagnostics, pending);
            foreach (IArgumentOperation argument in invocation.Arguments.Where(a => KnownNames.HasAttribute(a.Parameter!, KnownNames.NoDerivativeAttribute)))
            {
                // The callee declares the parameter data: a value depending on a differentiable input would get a derivative
                // through the inlined code that the callee's own companions would not give.
                string message = "the argument '" + argument.Syntax + "': '" + callee.Name + "' takes it as data (parameter '" + argument.Parameter!.Name
                    + "' is [NoDerivative]), so its gradient would be lost; remove [NoDerivative] there, or pass a value that does not depend on a differentiable parameter";
                if (_symbolVariables.TryGetValue(argument.Parameter.OriginalDefinition, out IrVariable? bound) && bound.Type.CarriesDerivative)
                {
                    AddPending(argument, DiagnosticDescriptors.UnsupportedConstruct, Read(bound), message, isError: true);
                }
                else if (_structVariables.TryGetValue(argument.Parameter.OriginalDefinition, out StructVariable? leaves))
                {
                    foreach (IrVariable leaf in leaves.Leaves) AddPending(argument, DiagnosticDescriptors.UnsupportedConstruct, Read(leaf), message, isError: true);
                }
                else if (_structArrays.TryGetValue(argument.Parameter.OriginalDefinition, out StructArray? array))
                {
                    foreach (IrVariable leaf in array.Leaves) AddPending(argument, DiagnosticDescriptors.UnsupportedConstruct, Read(leaf), message, isError: true);
                }
            }
            return result;
        }
    }
}
