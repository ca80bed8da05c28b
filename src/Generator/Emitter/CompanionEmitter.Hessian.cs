using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.SecondOrder;
using AutoDiffGen.Generator.Engine.Tangent;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// Second order (api.md, <c>Derivatives.Hessian</c>, scalar-valued methods): <c>MHessianVector</c>, the two sweeps of the
    /// reverse program over the closed tangent function (<see cref="HessianVectorTransform"/>), and <c>MHessian</c>, a loop
    /// of k <c>MHessianVector</c> calls along the unit directions of the flattened inputs.
    /// </summary>
    /// <remarks>
    /// <c>MHessianVector</c> is written by a second emitter over that reverse program, with names of its own (the user's
    /// locals keep their names there too) and its own tapes; its text is appended to this file. The directions and H·v of
    /// array inputs in <c>MHessian</c> live in arrays rented from the runtime's pool, so a warm call allocates nothing.
    /// </remarks>
    internal sealed partial class CompanionEmitter
    {
        /// <summary>The Hessian-vector program, when the method asks for <c>Derivatives.Hessian</c> and it could be made.</summary>
        private HessianVectorProgram? _hessianProgram;

        private void EmitSecondOrder(HessianVectorProgram hessian, string modifiers, string primalParameters, string primalArguments)
        {
            // Each companion gets an emitter of its own: its names step around the user's, not around other companions'.
            var vectorProduct = new CompanionEmitter(_spec, hessian.Reverse, _reservedNames) { _indent = _indent };
            vectorProduct.EmitHessianVector(hessian.Closed, modifiers, primalParameters);
            _out.Append(vectorProduct._out);
            var matrix = new CompanionEmitter(_spec, hessian.Reverse, _reservedNames) { _indent = _indent };
            matrix.EmitHessian(modifiers, primalParameters, primalArguments);
            _out.Append(matrix._out);
            EmitBackwardTangentOnly(hessian, modifiers, primalParameters);
        }

        /// <summary><c>MBackwardTangent</c> alone: in the method's own file after its Hessian companions, or on demand for a second-order caller.</summary>
        private void EmitBackwardTangentOnly(HessianVectorProgram hessian, string modifiers, string primalParameters)
        {
            var pullback = new CompanionEmitter(_spec, hessian.Reverse, _reservedNames) { _indent = _indent };
            pullback.EmitBackwardTangent(hessian.Closed, modifiers, primalParameters);
            _out.Append(pullback._out);
        }

        /// <summary>
        /// <c>R MHessianVector(P…, V vI…, G dI…, H hvI…)</c>: checks the buffers, clears the gradient and H·v, then runs the
        /// forward sweep of ḟ(p, v) = ∇f·v and its reverse sweep seeded with 1, which adds ∇ᵥḟ = ∇f into <c>dI</c> and
        /// ∇ₚḟ = H·v into <c>hvI</c>; returns f.
        /// </summary>
        private void EmitHessianVector(ClosedTangent closed, string modifiers, string primalParameters) =>
            EmitClosedTangentSweeps(closed, modifiers, primalParameters, pullback: false);

        /// <summary>
        /// <c>R MBackwardTangent(P…, V vI…, R seed, A dI…, A dvI…)</c>: the same two sweeps seeded with <c>seed</c>, adding
        /// <c>seed·H·v</c> into <c>dI</c> and <c>seed·∇f</c> into <c>dvI</c> (accumulated, as in <c>MBackward</c>); returns f.
        /// A second-order caller's <c>MHessianVector</c> calls it where its own closed tangent calls this method's.
        /// </summary>
        private void EmitBackwardTangent(ClosedTangent closed, string modifiers, string primalParameters) =>
            EmitClosedTangentSweeps(closed, modifiers, primalParameters, pullback: true);

        /// <summary>
        /// A companion that runs the reverse program over the closed tangent function: <c>MHessianVector</c> (seed 1, results
        /// overwritten: gradient then H·v) or, when <paramref name="pullback"/>, <c>MBackwardTangent</c> (a seed parameter,
        /// results accumulated: H·v into the inputs' adjoints, then the gradient into the directions').
        /// </summary>
        private void EmitClosedTangentSweeps(ClosedTangent closed, string modifiers, string primalParameters, bool pullback)
        {
            foreach (ParameterSpec parameter in _spec.Parameters) _names.ClaimUserName(parameter.Name);
            List<ParameterSpec> inputs = _spec.Parameters.Where(p => p.IsDifferentiable).ToList();
            var directions = inputs.ToDictionary(p => p, p => _names.Fresh("v" + p.Name.TrimStart('@')));
            // MHessianVector: the gradient dI, then H·v hvI. MBackwardTangent: the adjoints dI (H·v), then dvI (the gradient).
            var gradients = inputs.ToDictionary(p => p, p => _names.Fresh((pullback ? "dv" : "d") + p.Name.TrimStart('@')));
            var products = inputs.ToDictionary(p => p, p => _names.Fresh((pullback ? "d" : "hv") + p.Name.TrimStart('@')));
            string seed = pullback ? _names.Fresh("seed") : _spec.ReturnTypeName == "float" ? "1f" : "1.0";

            // The closed function's parameters: the method's own (named as the user named them), then one direction per input.
            var inputOf = new Dictionary<IrVariable, ParameterSpec>();
            var directionOf = new Dictionary<IrVariable, ParameterSpec>();
            foreach (ParameterSpec p in inputs) inputOf[closed.Function.Parameters.First(v => v.IsDifferentiableParameter && v.PreferredName == p.Name)] = p;
            for (int i = 0; i < inputs.Count; i++)
            {
                directionOf[closed.Directions[i]] = inputs[i];
                _names.Assign(closed.Directions[i], directions[inputs[i]]);
            }
            string GradientOf(IrVariable parameter) => directionOf.TryGetValue(parameter, out ParameterSpec? p) ? gradients[p] : products[inputOf[parameter]];
            foreach (IrVariable buffer in _program.ExtraVariables.Where(v => v.GradientParameterOf is not null))
            {
                _names.Assign(buffer, GradientOf(buffer.GradientParameterOf!));
            }

            string body = EmitBackwardBody(seed, () =>
            {
                foreach (ParameterSpec p in inputs.Where(p => p.Layout != ArrayLayout.None))
                {
                    foreach (string buffer in new[] { directions[p], gradients[p], products[p] })
                    {
                        // As in the first-order companions: a null array is the method's own business (its guard surfaces).
                        string check = "global::AutoDiffGen.Runtime.AdjointArrays.CheckLength(" + p.Name + ".Length, " + buffer + ".Length, \"" + buffer.TrimStart('@') + "\");";
                        Line(p.Layout == ArrayLayout.Vector ? "if (" + p.Name + " is not null) " + check : check);
                    }
                }
                if (pullback) return;
                foreach (ParameterSpec p in inputs)
                {
                    foreach (string result in new[] { gradients[p], products[p] })
                    {
                        Line(p.Layout == ArrayLayout.None ? result + " = 0;" : result + ".Clear();");
                    }
                }
            }, GradientOf, () => "return " + Name(closed.Value) + ";");

            Line();
            Line("/// <summary>");
            if (pullback)
            {
                Line("/// Second-order building block of <c>" + _spec.Name + "</c>: the pullback of its tangent ṫ(p, v) = ∇" + _spec.Name + "(p)·v. Adds");
                Line("/// <c>seed · H·v</c> into the adjoint of each differentiable parameter and <c>seed · ∇" + _spec.Name + "</c> into the adjoint of each");
                Line("/// direction, as <c>" + Companion.Backward.NameFor(_spec.Name) + "</c> adds. A caller's <c>…HessianVector</c> calls it (with <c>"
                    + Companion.Tangent.NameFor(_spec.Name) + "</c> forward) where the caller calls <c>" + _spec.Name + "</c>.");
            }
            else
            {
                Line("/// Computes <c>" + _spec.Name + "</c>, its gradient (as <c>" + Companion.Gradient.NameFor(_spec.Name) + "</c>) and the Hessian-vector product H·v along the direction");
                Line("/// given for the differentiable parameters: <c>hv = Σⱼ ∂²" + _spec.Name + "/∂p∂pⱼ · vⱼ</c>. Reverse over forward mode: one forward and one");
                Line("/// reverse sweep, a small constant times the cost of one gradient.");
            }
            Line("/// </summary>");
            foreach (ParameterSpec p in inputs)
            {
                string name = p.Name.TrimStart('@');
                Line("/// <param name=\"" + directions[p].TrimStart('@') + "\">The direction's component for <c>" + name + "</c>.</param>");
            }
            if (pullback)
            {
                Line("/// <param name=\"" + seed.TrimStart('@') + "\">The adjoint of the tangent ṫ.</param>");
                foreach (ParameterSpec p in inputs)
                {
                    Line("/// <param name=\"" + products[p].TrimStart('@') + "\">Accumulates the component of <c>seed · H·v</c> for <c>" + p.Name.TrimStart('@') + "</c>.</param>");
                }
                foreach (ParameterSpec p in inputs)
                {
                    Line("/// <param name=\"" + gradients[p].TrimStart('@') + "\">Accumulates <c>seed · ∂" + _spec.Name + "/∂" + p.Name.TrimStart('@') + "</c>.</param>");
                }
            }
            else
            {
                foreach (ParameterSpec p in inputs)
                {
                    Line("/// <param name=\"" + gradients[p].TrimStart('@') + "\">Receives ∂" + _spec.Name + "/∂" + p.Name.TrimStart('@') + (p.Layout == ArrayLayout.None ? "." : " (overwritten).") + "</param>");
                }
                foreach (ParameterSpec p in inputs)
                {
                    Line("/// <param name=\"" + products[p].TrimStart('@') + "\">Receives the component of H·v for <c>" + p.Name.TrimStart('@') + "</c>" + (p.Layout == ArrayLayout.None ? "." : " (overwritten).") + "</param>");
                }
            }
            Line("/// <returns>The value of <c>" + _spec.Name + "</c> at the arguments given.</returns>");
            Line(GeneratedCodeAttribute);
            string derived = pullback
                ? string.Join(", ", inputs.Select(p => p.TangentTypeName + " " + directions[p])
                    .Append(_spec.ReturnTypeName + " " + seed)
                    .Concat(inputs.Select(p => AdjointDeclaration(p) + " " + products[p]))
                    .Concat(inputs.Select(p => AdjointDeclaration(p) + " " + gradients[p])))
                : string.Join(", ", inputs.Select(p => p.TangentTypeName + " " + directions[p])
                    .Concat(inputs.Select(p => ResultDeclaration(p) + " " + gradients[p]))
                    .Concat(inputs.Select(p => ResultDeclaration(p) + " " + products[p])));
            Companion companion = pullback ? Companion.BackwardTangent : Companion.HessianVector;
            Line(modifiers + _spec.ReturnTypeName + " " + companion.NameFor(_spec.Name) + "(" + primalParameters + (primalParameters.Length > 0 ? ", " : "") + derived + ")");
            _out.Append(body);
        }

        /// <summary>An adjoint, as in <c>MBackward</c>: <c>ref</c> for a scalar input, an accumulated <c>Span&lt;E&gt;</c> for an array or span.</summary>
        private static string AdjointDeclaration(ParameterSpec input) => input.Layout == ArrayLayout.None ? "ref " + input.ScalarTypeName : input.GradientTypeName;

        /// <summary>A gradient or H·v component: <c>out</c> for a scalar input, an overwritten <c>Span&lt;E&gt;</c> for an array or span.</summary>
        private static string ResultDeclaration(ParameterSpec input) => input.Layout == ArrayLayout.None ? "out " + input.ScalarTypeName : input.GradientTypeName;

        /// <summary>
        /// <c>R MHessian(P…, G dI…, T[,] hessian)</c>: one <c>MHessianVector</c> call per flattened input along its unit
        /// direction, each giving one column; then the matrix is made exactly symmetric (the two halves agree to round-off).
        /// </summary>
        private void EmitHessian(string modifiers, string primalParameters, string primalArguments)
        {
            foreach (ParameterSpec parameter in _spec.Parameters) _names.ClaimUserName(parameter.Name);
            List<ParameterSpec> inputs = _spec.Parameters.Where(p => p.IsDifferentiable).ToList();
            string hessian = _names.Fresh("hessian");
            string element = _spec.JacobianElementTypeName;
            var gradients = inputs.ToDictionary(p => p, p => _names.Fresh("d" + p.Name.TrimStart('@')));
            string size = _names.Fresh("_size"), value = _names.Fresh("_value");
            string j = _names.Fresh("_j"), i = _names.Fresh("_i"), k = _names.Fresh("_k");
            // Per input: its first column, the rented direction (arrays) and the H·v part (scratch).
            var blocks = inputs.ToDictionary(p => p, p => (Offset: _names.Fresh("_column_" + p.Name.TrimStart('@')), Direction: _names.Fresh("_v_" + p.Name.TrimStart('@')), Product: _names.Fresh("_hv_" + p.Name.TrimStart('@'))));
            var jacobianBlocks = inputs.Select(p => new JacobianBlock(p, blocks[p].Offset, blocks[p].Direction)).ToList();

            Line();
            Line("/// <summary>");
            Line("/// Computes <c>" + _spec.Name + "</c>, its gradient (as <c>" + Companion.Gradient.NameFor(_spec.Name) + "</c>) and its Hessian: <paramref name=\"" + hessian.TrimStart('@') + "\"/>[i, j] = ∂²" + _spec.Name + "/∂pᵢ∂pⱼ");
            Line("/// over the differentiable inputs (" + string.Join(", ", inputs.Select(p => p.Name.TrimStart('@'))) + "), arrays flattened element by element; symmetric.");
            Line("/// One Hessian-vector product per input.");
            Line("/// </summary>");
            foreach (ParameterSpec p in inputs)
            {
                Line("/// <param name=\"" + gradients[p].TrimStart('@') + "\">Receives ∂" + _spec.Name + "/∂" + p.Name.TrimStart('@') + (p.Layout == ArrayLayout.None ? "." : " (overwritten).") + "</param>");
            }
            Line("/// <param name=\"" + hessian.TrimStart('@') + "\">Receives the Hessian; k × k for k flattened inputs.</param>");
            Line("/// <returns>The value of <c>" + _spec.Name + "</c> at the arguments given.</returns>");
            Line(GeneratedCodeAttribute);
            string derived = string.Join("", inputs.Select(p => ", " + ResultDeclaration(p) + " " + gradients[p]));
            Line(modifiers + _spec.ReturnTypeName + " " + Companion.Hessian.NameFor(_spec.Name) + "(" + primalParameters + derived + ", " + element + "[,] " + hessian + ")");
            Open();
            Line("// Rows and columns: one per input, flattened.");
            EmitOffsets(jacobianBlocks, size);
            Line("global::AutoDiffGen.Runtime.AdjointArrays.CheckHessianShape(" + hessian + ", " + size + ", \"" + hessian.TrimStart('@') + "\");");
            foreach (ParameterSpec p in inputs.Where(p => p.Layout != ArrayLayout.None))
            {
                string check = "global::AutoDiffGen.Runtime.AdjointArrays.CheckLength(" + p.Name + ".Length, " + gradients[p] + ".Length, \"" + gradients[p].TrimStart('@') + "\");";
                Line(p.Layout == ArrayLayout.Vector ? "if (" + p.Name + " is not null) " + check : check);
            }
            Line("if (" + size + " == 0)");
            Open();
            Line("return " + CallOn(Companion.Gradient.NameFor(_spec.Name)) + "(" + primalArguments + string.Join("", inputs.Select(p => ", " + (p.Layout == ArrayLayout.None ? "out " : "") + gradients[p])) + ");");
            Close();
            var rented = inputs.Where(p => p.Layout != ArrayLayout.None).ToList();
            foreach (ParameterSpec p in rented)
            {
                foreach (string scratch in new[] { blocks[p].Direction, blocks[p].Product })
                {
                    Line(p.ScalarTypeName + "[] " + scratch + " = global::AutoDiffGen.Runtime.AdjointArrays.RentZeroed<" + p.ScalarTypeName + ">(" + LengthOf(p) + ");");
                }
            }
            Line(_spec.ReturnTypeName + " " + value + " = 0;");
            foreach (ParameterSpec p in inputs.Where(p => p.Layout == ArrayLayout.None)) Line(gradients[p] + " = 0;");
            if (rented.Count > 0)
            {
                Line("try");
                Open();
            }
            Line("// Column " + j + " is H·e_" + j + ": the Hessian-vector product along the " + j + "-th unit input.");
            Line("for (int " + j + " = 0; " + j + " < " + size + "; " + j + "++)");
            Open();
            var arguments = _spec.Parameters.Select(p => p.Argument).ToList();
            arguments.AddRange(jacobianBlocks.Select(block => UnitArgument(block, j)));
            arguments.AddRange(inputs.Select(p => (p.Layout == ArrayLayout.None ? "out " : "") + gradients[p]));
            arguments.AddRange(inputs.Select(p => p.Layout == ArrayLayout.None
                ? "out " + p.ScalarTypeName + " " + blocks[p].Product
                : "new global::System.Span<" + p.ScalarTypeName + ">(" + blocks[p].Product + ", 0, " + LengthOf(p) + ")"));
            Line(value + " = " + CallOn(Companion.HessianVector.NameFor(_spec.Name)) + "(" + string.Join(", ", arguments) + ");");
            foreach (JacobianBlock block in jacobianBlocks.Where(b => b.IsArray)) SetUnitElement(block, j, "0");
            foreach (ParameterSpec p in inputs)
            {
                Line(p.Layout == ArrayLayout.None
                    ? hessian + "[" + blocks[p].Offset + ", " + j + "] = " + blocks[p].Product + ";"
                    : "for (int " + k + " = 0; " + k + " < " + LengthOf(p) + "; " + k + "++) " + hessian + "[" + blocks[p].Offset + " + " + k + ", " + j + "] = " + blocks[p].Product + "[" + k + "];");
            }
            Close();
            if (rented.Count > 0)
            {
                Close();
                Line("finally");
                Open();
                foreach (ParameterSpec p in rented)
                {
                    Line("global::AutoDiffGen.Runtime.AdjointArrays.Return(" + blocks[p].Direction + ");");
                    Line("global::AutoDiffGen.Runtime.AdjointArrays.Return(" + blocks[p].Product + ");");
                }
                Close();
            }
            Line("// Symmetric: the mean of the two halves, which agree to round-off.");
            Line("for (int " + i + " = 0; " + i + " < " + size + "; " + i + "++)");
            Open();
            Line("for (int " + k + " = " + i + " + 1; " + k + " < " + size + "; " + k + "++)");
            Open();
            Line(hessian + "[" + i + ", " + k + "] = " + hessian + "[" + k + ", " + i + "] = (" + hessian + "[" + i + ", " + k + "] + " + hessian + "[" + k + ", " + i + "]) / 2;");
            Close();
            Close();
            Line("return " + value + ";");
            Close();
        }
    }
}
