using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Generator.Model
{
    /// <summary>The modes a <c>[Differentiable(Derivatives…)]</c> method asks for: the attribute's flags, as the model holds them.</summary>
    [Flags]
    internal enum DerivativeModes
    {
        None = 0,
        Reverse = 1,
        Forward = 2,
        Hessian = 4,
    }

    /// <summary>Every kind of companion method the generator can add beside a [Differentiable] method (api.md).</summary>
    internal enum CompanionKind
    {
        Gradient,
        Backward,
        Tangent,
        Jacobian,
        Hessian,
        HessianVector,
        BackwardTangent,
    }

    /// <summary>How a derived parameter is passed: <c>out</c>, <c>ref</c> or by value (spans, arrays).</summary>
    internal enum DerivedPassing
    {
        Value,
        Out,
        Ref,
    }

    /// <summary>
    /// One parameter a companion adds after the method's own parameters: the gradient <c>out double dx</c>, the seed
    /// <c>double seed</c>, the tangent <c>ReadOnlySpan&lt;double&gt; dw</c>… <see cref="Of"/> is the parameter it belongs to
    /// (null for the seed and the result's tangent).
    /// </summary>
    internal sealed record DerivedParameter(ParameterSpec? Of, string TypeName, DerivedPassing Passing)
    {
        /// <summary>The declaration's type with its modifier: <c>out double</c>, <c>ref float</c>, <c>global::System.Span&lt;double&gt;</c>.</summary>
        public string Declared => Modifier + TypeName;

        /// <summary>The modifier with its trailing space, as a declaration and a call both spell it.</summary>
        public string Modifier => Passing switch
        {
            DerivedPassing.Out => "out ",
            DerivedPassing.Ref => "ref ",
            _ => "",
        };
    }

    /// <summary>
    /// One companion kind, described once (design.md, "v2: one companion catalogue"): its suffix, which mode asks for it,
    /// and the parameters it adds after the method's own, built from the method's inputs. The parser (name clashes),
    /// call lowering (the name of a callee's companion), the emitter (declarations) and the analyzers read it.
    /// </summary>
    internal sealed class Companion
    {
        private readonly Func<MethodSpec, IReadOnlyList<DerivedParameter>> _derived;

        private Companion(CompanionKind kind, string suffix, DerivativeModes mode, Func<MethodSpec, IReadOnlyList<DerivedParameter>> derived)
        {
            Kind = kind;
            Suffix = suffix;
            Mode = mode;
            _derived = derived;
        }

        public CompanionKind Kind { get; }

        /// <summary>Appended to the method's name: <c>Rosenbrock</c> + <c>Gradient</c>.</summary>
        public string Suffix { get; }

        /// <summary>The flag of <c>Derivatives</c> that asks for this companion.</summary>
        public DerivativeModes Mode { get; }

        /// <summary>The companion's name for a method (or callee) named <paramref name="methodName"/>.</summary>
        public string NameFor(string methodName) => methodName + Suffix;

        /// <summary>The parameters the companion adds after the method's own, in order (api.md fixes the order and shapes).</summary>
        public IReadOnlyList<DerivedParameter> DerivedParameters(MethodSpec method) => _derived(method);

        /// <summary><c>R MGradient(P…, G1 dp1, …)</c> (scalar-valued methods): <c>out</c> scalars, overwritten array gradients.</summary>
        public static readonly Companion Gradient = new(CompanionKind.Gradient, "Gradient", DerivativeModes.Reverse, method =>
            method.Parameters.Where(p => p.IsDifferentiable)
                .Select(p => p.Layout == ArrayLayout.None ? new DerivedParameter(p, p.TypeName, DerivedPassing.Out) : new DerivedParameter(p, p.GradientTypeName, DerivedPassing.Value))
                .ToList());

        /// <summary>
        /// <c>R|void MBackward(P…, S1 sO1, …, A1 ap1, …)</c>: one seed per output in output order (<c>R seed</c> for the return
        /// value, the scalar for an <c>out</c> output, <c>ReadOnlySpan&lt;E&gt;</c> for an <c>[Output]</c> buffer), then
        /// <c>ref</c> scalar adjoints and array adjoints, accumulated. A scalar-valued method has the one seed.
        /// </summary>
        public static readonly Companion Backward = new(CompanionKind.Backward, "Backward", DerivativeModes.Reverse, method =>
            method.Outputs.Select(o => o is null ? new DerivedParameter(null, method.ReturnTypeName, DerivedPassing.Value) : new DerivedParameter(o, o.SeedTypeName, DerivedPassing.Value))
                .Concat(method.Parameters.Where(p => p.IsDifferentiable)
                    .Select(p => p.Layout == ArrayLayout.None ? new DerivedParameter(p, p.TypeName, DerivedPassing.Ref) : new DerivedParameter(p, p.GradientTypeName, DerivedPassing.Value)))
                .ToList());

        /// <summary>
        /// <c>R MTangent(P…, D1 dI1, …, out R tangent)</c> (scalar-valued): one tangent per differentiable input (its own
        /// scalar type; <c>ReadOnlySpan&lt;E&gt;</c> for arrays and spans; <c>E[,]</c>/<c>E[][]</c> for matrices and jagged
        /// arrays), then the result's tangent. A vector-valued method gets one tangent per output instead, in output order:
        /// <c>out R tangent</c>, <c>out O d&lt;name&gt;</c>, <c>Span&lt;E&gt; d&lt;name&gt;</c> (overwritten).
        /// </summary>
        public static readonly Companion Tangent = new(CompanionKind.Tangent, "Tangent", DerivativeModes.Forward, method =>
            method.Parameters.Where(p => p.IsDifferentiable)
                .Select(p => new DerivedParameter(p, p.TangentTypeName, DerivedPassing.Value))
                .Concat(method.Outputs.Select(o => o is null ? new DerivedParameter(null, method.ReturnTypeName, DerivedPassing.Out)
                    : o.Layout == ArrayLayout.None ? new DerivedParameter(o, o.TypeName, DerivedPassing.Out)
                    : new DerivedParameter(o, o.GradientTypeName, DerivedPassing.Value)))
                .ToList());

        /// <summary>
        /// <c>R|void MJacobian(P…, T[,] jacobian)</c> (vector-valued methods): the outputs, and ∂(output i)/∂(input j) over
        /// the flattened outputs and inputs, by forward or reverse sweeps, whichever are fewer (decided at run time).
        /// </summary>
        public static readonly Companion Jacobian = new(CompanionKind.Jacobian, "Jacobian", DerivativeModes.Reverse | DerivativeModes.Forward, method =>
            new[] { new DerivedParameter(null, method.JacobianElementTypeName + "[,]", DerivedPassing.Value) });

        /// <summary>
        /// <c>R MHessianVector(P…, V vI…, G dI…, H hvI…)</c> (Derivatives.Hessian, scalar-valued methods): one direction per
        /// differentiable input (its scalar type, <c>ReadOnlySpan&lt;E&gt;</c> for arrays and spans), then the gradient as in
        /// <c>MGradient</c>, then H·v in the gradient's shape (<c>out</c> scalars, overwritten spans).
        /// </summary>
        public static readonly Companion HessianVector = new(CompanionKind.HessianVector, "HessianVector", DerivativeModes.Hessian, method =>
        {
            var inputs = method.Parameters.Where(p => p.IsDifferentiable).ToList();
            return inputs.Select(p => new DerivedParameter(p, p.TangentTypeName, DerivedPassing.Value))
                .Concat(Gradient.DerivedParameters(method))
                .Concat(Gradient.DerivedParameters(method))
                .ToList();
        });

        /// <summary>
        /// <c>R MHessian(P…, G dI…, T[,] hessian)</c> (Derivatives.Hessian, scalar-valued methods): the gradient as in
        /// <c>MGradient</c>, then the k × k Hessian over the flattened inputs.
        /// </summary>
        public static readonly Companion Hessian = new(CompanionKind.Hessian, "Hessian", DerivativeModes.Hessian, method =>
            Gradient.DerivedParameters(method).Append(new DerivedParameter(null, method.JacobianElementTypeName + "[,]", DerivedPassing.Value)).ToList());

        /// <summary>
        /// <c>R MBackwardTangent(P…, V vI…, R seed, A dI…, A dvI…)</c> (Derivatives.Hessian, and on demand for the callees of a
        /// second-order caller in the same compilation): the pullback of the closed tangent <c>ṁ(p, v) = ∇M(p) · v</c>, the
        /// building block a caller's <c>MHessianVector</c> calls. One direction per differentiable input (as in
        /// <c>MHessianVector</c>), the seed of ṁ, then the adjoints of the inputs (<c>seed · H·v</c> added, as in
        /// <c>MBackward</c>), then those of the directions (<c>seed · ∇M</c> added, same shapes). Returns the value of M.
        /// </summary>
        public static readonly Companion BackwardTangent = new(CompanionKind.BackwardTangent, "BackwardTangent", DerivativeModes.Hessian, method =>
        {
            var inputs = method.Parameters.Where(p => p.IsDifferentiable).ToList();
            IReadOnlyList<DerivedParameter> adjoints = Backward.DerivedParameters(method).Skip(1).ToList();
            return inputs.Select(p => new DerivedParameter(p, p.TangentTypeName, DerivedPassing.Value))
                .Append(new DerivedParameter(null, method.ReturnTypeName, DerivedPassing.Value))
                .Concat(adjoints)
                .Concat(adjoints)
                .ToList();
        });

        /// <summary>The companions generated today, in the order they are written.</summary>
        public static readonly IReadOnlyList<Companion> All = new[] { Gradient, Backward, Tangent, Jacobian, HessianVector, Hessian, BackwardTangent };

        /// <summary>
        /// The companions generated for <paramref name="method"/>, in the order they are written: those its modes ask for
        /// (Hessian implies Reverse, api.md), and <c>MBackward</c> always — it is the building block a reverse-mode
        /// caller in the same compilation needs, so a Forward-only method has it too (api.md: generated on demand). A
        /// scalar-valued method has no <c>MJacobian</c>, a vector-valued one no <c>MGradient</c>; a vector-valued method
        /// always has <c>MTangent</c>, since its <c>MJacobian</c> runs forward sweeps when the inputs are fewer. Second order
        /// is for scalar-valued methods (a construct it cannot go through yet drops it, with ADG0305).
        /// </summary>
        public static IEnumerable<Companion> GeneratedFor(MethodSpec method)
        {
            DerivativeModes modes = method.Modes;
            if ((modes & DerivativeModes.Hessian) != 0) modes |= DerivativeModes.Reverse;
            bool vector = method.IsVectorValued;
            return All.Where(c => c == Backward
                || c == Gradient && !vector && (modes & DerivativeModes.Reverse) != 0
                || c == Tangent && (vector || (modes & DerivativeModes.Forward) != 0)
                || c == Jacobian && vector
                || (c == HessianVector || c == Hessian || c == BackwardTangent) && !vector && (modes & DerivativeModes.Hessian) != 0);
        }
    }
}
