using System.Collections.Generic;
using System.Linq;
using System.Text;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.SecondOrder;
using AutoDiffGen.Generator.Engine.Tangent;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// Second order (api.md, <c>Derivatives.Hessian</c>, scalar-valued methods): <c>MBackwardTangent</c>, the two sweeps of
    /// the reverse program over the closed tangent function (<see cref="HessianVectorTransform"/>) with a given seed;
    /// <c>MHessianVector</c>, a call of it with seed 1 into cleared buffers; and <c>MHessian</c>, a loop of k
    /// <c>MHessianVector</c> calls along the unit directions of the flattened inputs.
    /// </summary>
    /// <remarks>
    /// <c>MBackwardTangent</c> is written by a second emitter over that reverse program, with names of its own (the user's
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
            vectorProduct.EmitHessianVector(modifiers, primalParameters, primalArguments);
            _text.Append(vectorProduct._text);
            var matrix = new CompanionEmitter(_spec, hessian.Reverse, _reservedNames) { _indent = _indent };
            matrix.EmitHessian(modifiers, primalParameters, primalArguments);
            _text.Append(matrix._text);
            EmitBackwardTangentOnly(hessian, modifiers, primalParameters);
        }

        /// <summary><c>MBackwardTangent</c> alone: in the method's own file after its Hessian companions, or on demand for a second-order caller.</summary>
        private void EmitBackwardTangentOnly(HessianVectorProgram hessian, string modifiers, string primalParameters)
        {
            var pullback = new CompanionEmitter(_spec, hessian.Reverse, _reservedNames) { _indent = _indent };
            pullback.EmitBackwardTangent(hessian.Closed, modifiers, primalParameters);
            _text.Append(pullback._text);
        }

        /// <summary>
        /// <c>R MHessianVector(P…, V vI…, G dI…, H hvI…)</c>: checks the buffers, clears the gradient and H·v, and calls
        /// <c>MBackwardTangent</c> with seed 1, which adds ∇ₚḟ = H·v into <c>hvI</c> and ∇ᵥḟ = ∇f into <c>dI</c>; returns f.
        /// </summary>
        private void EmitHessianVector(string modifiers, string primalParameters, string primalArguments)
        {
            (List<ParameterSpec> inputs, var directions, var gradients, var products) = SecondOrderNames("d", "hv");

            Line();
            Line("/// <summary>");
            Line("/// Computes <c>" + _spec.Name + "</c>, its gradient (as <c>" + Companion.Gradient.NameFor(_spec.Name) + "</c>) and the Hessian-vector product H·v along the direction");
            Line("/// given for the differentiable parameters: <c>hv = Σⱼ ∂²" + _spec.Name + "/∂p∂pⱼ · vⱼ</c>. Reverse over forward mode: one forward and one");
            Line("/// reverse sweep (<c>" + Companion.BackwardTangent.NameFor(_spec.Name) + "</c> with seed 1), a small constant times the cost of one gradient.");
            Line("/// </summary>");
            foreach (ParameterSpec p in inputs)
            {
                Line("/// <param name=\"" + directions[p].TrimStart('@') + "\">The direction's component for <c>" + p.Name.TrimStart('@') + "</c>.</param>");
            }
            foreach (ParameterSpec p in inputs)
            {
                Line("/// <param name=\"" + gradients[p].TrimStart('@') + "\">Receives ∂" + _spec.Name + "/∂" + p.Name.TrimStart('@') + (p.Layout == ArrayLayout.None ? "." : " (overwritten).") + "</param>");
            }
            foreach (ParameterSpec p in inputs)
            {
                Line("/// <param name=\"" + products[p].TrimStart('@') + "\">Receives the component of H·v for <c>" + p.Name.TrimStart('@') + "</c>" + (p.Layout == ArrayLayout.None ? "." : " (overwritten).") + "</param>");
            }
            Line("/// <returns>The value of <c>" + _spec.Name + "</c> at the arguments given.</returns>");
            Line(GeneratedCodeAttribute);
            string derived = string.Join(", ", inputs.Select(p => p.TangentTypeName + " " + directions[p])
                .Concat(inputs.Select(p => ResultDeclaration(p) + " " + gradients[p]))
                .Concat(inputs.Select(p => ResultDeclaration(p) + " " + products[p])));
            Line(modifiers + DispatchOf(Companion.HessianVector) + _spec.ReturnTypeName + " " + Companion.HessianVector.NameFor(_spec.Name) + _spec.TypeParameterList + "(" + primalParameters + (primalParameters.Length > 0 ? ", " : "") + derived + ")" + _spec.ConstraintClauses);
            Open();
            EmitBufferChecks(inputs, directions, gradients, products);
            foreach (ParameterSpec p in inputs)
            {
                foreach (string result in new[] { gradients[p], products[p] })
                {
                    Line(p.Layout switch
                    {
                        ArrayLayout.None => result + " = " + ZeroOfInput(p) + ";",
                        ArrayLayout.Matrix or ArrayLayout.Jagged => "global::AutoDiffGen.Runtime.AdjointArrays.Clear(" + result + ");",
                        _ => result + ".Clear();",
                    });
                }
            }
            string Adjoint(ParameterSpec p, string name) => (p.Layout == ArrayLayout.None ? "ref " : "") + name;
            IEnumerable<string> arguments = new[] { primalArguments }.Where(a => a.Length > 0)
                .Concat(inputs.Select(p => directions[p]))
                .Append(OneOf(_spec.ReturnTypeName))
                .Concat(inputs.Select(p => Adjoint(p, products[p])))
                .Concat(inputs.Select(p => Adjoint(p, gradients[p])));
            Line("return " + CallOn(Companion.BackwardTangent.NameFor(_spec.Name) + _spec.TypeParameterList) + "(" + string.Join(", ", arguments) + ");");
            Close();
        }

        /// <summary>
        /// The differentiable inputs and, per input, the names of its direction <c>v&lt;name&gt;</c> and of two derived
        /// parameters (<paramref name="first"/>&lt;name&gt;, <paramref name="second"/>&lt;name&gt;), clear of the user's names.
        /// </summary>
        private (List<ParameterSpec> Inputs, Dictionary<ParameterSpec, string> Directions, Dictionary<ParameterSpec, string> First, Dictionary<ParameterSpec, string> Second)
            SecondOrderNames(string first, string second)
        {
            foreach (ParameterSpec parameter in _spec.Parameters) _names.ClaimUserName(parameter.Name);
            List<ParameterSpec> inputs = _spec.Parameters.Where(p => p.IsDifferentiable).ToList();
            Dictionary<ParameterSpec, string> Named(string prefix) => inputs.ToDictionary(p => p, p => _names.Fresh(prefix + p.Name.TrimStart('@')));
            return (inputs, Named("v"), Named(first), Named(second));
        }

        /// <summary>
        /// Each array input's direction and result buffers of the input's shape: as long as a vector or span, the same
        /// rows and columns as a matrix, the same row lengths as a jagged array (a null array is the method's own business:
        /// its guard surfaces).
        /// </summary>
        private void EmitBufferChecks(List<ParameterSpec> inputs, params Dictionary<ParameterSpec, string>[] buffers)
        {
            foreach (ParameterSpec p in inputs.Where(p => p.Layout != ArrayLayout.None))
            {
                foreach (string buffer in buffers.Select(b => b[p]))
                {
                    string quoted = "\"" + buffer.TrimStart('@') + "\"";
                    string check = IsShaped(p)
                        ? "global::AutoDiffGen.Runtime.AdjointArrays.CheckShape(" + p.Name + ", " + buffer + ", " + quoted + ");"
                        : "global::AutoDiffGen.Runtime.AdjointArrays.CheckLength(" + p.Name + ".Length, " + buffer + ".Length, " + quoted + ");";
                    Line(p.Layout is ArrayLayout.Span or ArrayLayout.ReadOnlySpan ? check : "if (" + p.Name + " is not null) " + check);
                }
            }
        }

        /// <summary>A matrix or jagged input: its direction, gradient and H·v have its own array type, not a span.</summary>
        private static bool IsShaped(ParameterSpec input) => input.Layout is ArrayLayout.Matrix or ArrayLayout.Jagged;

        /// <summary>
        /// <c>R MBackwardTangent(P…, V vI…, R seed, A dI…, A dvI…)</c>: the two sweeps of the reverse program over the closed
        /// tangent function (<see cref="HessianVectorTransform"/>) seeded with <c>seed</c>, adding <c>seed·H·v</c> into
        /// <c>dI</c> and <c>seed·∇f</c> into <c>dvI</c> (accumulated, as in <c>MBackward</c>); returns f. A second-order
        /// caller's sweeps call it where its own closed tangent calls this method's; <c>MHessianVector</c> calls it with seed 1.
        /// </summary>
        private void EmitBackwardTangent(ClosedTangent closed, string modifiers, string primalParameters)
        {
            (List<ParameterSpec> inputs, var directions, var adjoints, var directionAdjoints) = SecondOrderNames("d", "dv");
            string seed = _names.Fresh("seed");

            // The closed function's parameters: the method's own (named as the user named them, a struct's leaves p.X), then one
            // direction per differentiable one of those, in the same order (a struct's leaves read the direction struct's: vp.X;
            // a leaf array of an array of structs is named as the whole direction, its elements read vp[i].X).
            var inputOf = new Dictionary<IrVariable, ParameterSpec>();
            var directionOf = new Dictionary<IrVariable, ParameterSpec>();
            var own = closed.Function.Parameters.Where(v => v.IsDifferentiableParameter).Take(closed.Directions.Length).ToList();
            for (int i = 0; i < own.Count; i++)
            {
                ParameterSpec p = inputs.First(s => s.Name == (own[i].StructLeaf?.ParameterName ?? own[i].PreferredName));
                inputOf[own[i]] = p;
                directionOf[closed.Directions[i]] = p;
                _names.Assign(closed.Directions[i], directions[p] + (own[i].Type.Kind == IrTypeKind.Array ? "" : own[i].StructLeaf?.Path));
            }
            string AdjointOf(IrVariable parameter) => directionOf.TryGetValue(parameter, out ParameterSpec? p) ? directionAdjoints[p] : adjoints[inputOf[parameter]];
            foreach (IrVariable buffer in _program.ExtraVariables.Where(v => v.GradientParameterOf is not null))
            {
                _names.Assign(buffer, AdjointOf(buffer.GradientParameterOf!));
            }

            SplicedText body = EmitBackwardBody(seed, () => EmitBufferChecks(inputs, directions, adjoints, directionAdjoints), AdjointOf, () => "return " + Name(closed.Value) + ";", closed.Value);

            Line();
            Line("/// <summary>");
            Line("/// Second-order building block of <c>" + _spec.Name + "</c>: the pullback of its tangent ṫ(p, v) = ∇" + _spec.Name + "(p)·v. Adds");
            Line("/// <c>seed · H·v</c> into the adjoint of each differentiable parameter and <c>seed · ∇" + _spec.Name + "</c> into the adjoint of each");
            Line("/// direction, as <c>" + Companion.Backward.NameFor(_spec.Name) + "</c> adds. A caller's <c>…HessianVector</c> calls it (with <c>"
                + Companion.Tangent.NameFor(_spec.Name) + "</c> forward) where the caller calls <c>" + _spec.Name + "</c>.");
            Line("/// </summary>");
            foreach (ParameterSpec p in inputs)
            {
                Line("/// <param name=\"" + directions[p].TrimStart('@') + "\">The direction's component for <c>" + p.Name.TrimStart('@') + "</c>.</param>");
            }
            Line("/// <param name=\"" + seed.TrimStart('@') + "\">The adjoint of the tangent ṫ.</param>");
            foreach (ParameterSpec p in inputs)
            {
                Line("/// <param name=\"" + adjoints[p].TrimStart('@') + "\">Accumulates the component of <c>seed · H·v</c> for <c>" + p.Name.TrimStart('@') + "</c>.</param>");
            }
            foreach (ParameterSpec p in inputs)
            {
                Line("/// <param name=\"" + directionAdjoints[p].TrimStart('@') + "\">Accumulates <c>seed · ∂" + _spec.Name + "/∂" + p.Name.TrimStart('@') + "</c>.</param>");
            }
            Line("/// <returns>The value of <c>" + _spec.Name + "</c> at the arguments given.</returns>");
            Line(GeneratedCodeAttribute);
            string derived = string.Join(", ", inputs.Select(p => p.TangentTypeName + " " + directions[p])
                .Append(_spec.ReturnTypeName + " " + seed)
                .Concat(inputs.Select(p => AdjointDeclaration(p) + " " + adjoints[p]))
                .Concat(inputs.Select(p => AdjointDeclaration(p) + " " + directionAdjoints[p])));
            Line(modifiers + DispatchOf(Companion.BackwardTangent) + _spec.ReturnTypeName + " " + Companion.BackwardTangent.NameFor(_spec.Name) + _spec.TypeParameterList + "(" + primalParameters + (primalParameters.Length > 0 ? ", " : "") + derived + ")" + _spec.ConstraintClauses);
            _text.Append(body);
        }

        /// <summary>
        /// For a matrix or jagged input: sets the element of the direction array that the <paramref name="sweep"/>-th unit
        /// direction is (when the sweep falls in the input's block) to 1, or back to 0; returns the array, the argument.
        /// </summary>
        private string ShapedUnitArgument(JacobianBlock block, string sweep, bool unit)
        {
            string inBlock = "if (" + sweep + " >= " + block.Offset + " && " + sweep + " < " + block.Offset + " + " + block.Size + ") ";
            Line(inBlock + "global::AutoDiffGen.Runtime.AdjointArrays.SetFlat(" + block.Scratch + ", " + sweep + " - " + block.Offset + ", "
                + UnitValue(block.Parameter!.ScalarTypeName, unit ? 1 : 0) + ");");
            return block.Scratch;
        }

        /// <summary>The zero a scalar or struct input's gradient or H·v starts from: <c>0</c>, <c>T.Zero</c>, or <c>default</c> for a struct.</summary>
        private string ZeroOfInput(ParameterSpec input) => input.IsStruct ? "default" : ZeroOf(input.ScalarTypeName);

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
            // A struct input's block is one row and column per leaf (ShapeOfBlock reads the closed function's leaves of it).
            var jacobianBlocks = inputs.Select(p => new JacobianBlock(p, blocks[p].Offset, blocks[p].Direction, ShapeOfBlock(p))).ToList();

            Line();
            Line("/// <summary>");
            Line("/// Computes <c>" + _spec.Name + "</c>, its gradient (as <c>" + Companion.Gradient.NameFor(_spec.Name) + "</c>) and its Hessian: <paramref name=\"" + hessian.TrimStart('@') + "\"/>[i, j] = ∂²" + _spec.Name + "/∂pᵢ∂pⱼ");
            Line("/// over the differentiable inputs (" + string.Join(", ", inputs.Select(p => p.Name.TrimStart('@'))) + "), arrays flattened element by element" + (inputs.Any(p => p.IsStruct) ? ", structs field by field" : "") + "; symmetric.");
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
            Line(modifiers + DispatchOf(Companion.Hessian) + _spec.ReturnTypeName + " " + Companion.Hessian.NameFor(_spec.Name) + _spec.TypeParameterList + "(" + primalParameters + derived + ", " + element + "[,] " + hessian + ")" + _spec.ConstraintClauses);
            Open();
            Line("// Rows and columns: one per input, flattened.");
            EmitOffsets(jacobianBlocks, size);
            Line("global::AutoDiffGen.Runtime.AdjointArrays.CheckHessianShape(" + hessian + ", " + size + ", \"" + hessian.TrimStart('@') + "\");");
            EmitBufferChecks(inputs, gradients);
            Line("if (" + size + " == 0)");
            Open();
            Line("return " + CallOn(Companion.Gradient.NameFor(_spec.Name) + _spec.TypeParameterList) + "(" + primalArguments + string.Join("", inputs.Select(p => ", " + (p.Layout == ArrayLayout.None ? "out " : "") + gradients[p])) + ");");
            Close();
            var rented = inputs.Where(p => p.Layout != ArrayLayout.None).ToList();
            foreach (ParameterSpec p in rented)
            {
                foreach (string scratch in new[] { blocks[p].Direction, blocks[p].Product })
                {
                    Line(IsShaped(p)
                        ? p.GradientTypeName + " " + scratch + " = global::AutoDiffGen.Runtime.AdjointArrays.RentZeroedShaped(" + p.Name + ");"
                        : p.ScalarTypeName + "[] " + scratch + " = global::AutoDiffGen.Runtime.AdjointArrays.RentZeroed<" + p.ScalarTypeName + ">(" + LengthOf(p) + ");");
                }
            }
            // Every column reruns the method: an array it writes into starts each from the caller's values.
            var entryValues = EmitEntryValues();
            Line(_spec.ReturnTypeName + " " + value + " = " + ZeroOf(_spec.ReturnTypeName) + ";");
            foreach (ParameterSpec p in inputs.Where(p => p.Layout == ArrayLayout.None)) Line(gradients[p] + " = " + ZeroOfInput(p) + ";");
            bool mustRelease = rented.Count + entryValues.Count > 0;
            if (mustRelease)
            {
                Line("try");
                Open();
            }
            Line("// Column " + j + " is H·e_" + j + ": the Hessian-vector product along the " + j + "-th unit input.");
            Line("for (int " + j + " = 0; " + j + " < " + size + "; " + j + "++)");
            Open();
            RestoreEntryValues(j);
            var arguments = _spec.Parameters.Select(p => p.Argument).ToList();
            arguments.AddRange(jacobianBlocks.Select(block => IsShaped(block.Parameter!) ? ShapedUnitArgument(block, j, unit: true) : UnitArgument(block, j)));
            arguments.AddRange(inputs.Select(p => (p.Layout == ArrayLayout.None ? "out " : "") + gradients[p]));
            arguments.AddRange(inputs.Select(p => p.Layout switch
            {
                ArrayLayout.None => "out " + p.ScalarTypeName + " " + blocks[p].Product,
                ArrayLayout.Matrix or ArrayLayout.Jagged => blocks[p].Product,
                _ => "new global::System.Span<" + p.ScalarTypeName + ">(" + blocks[p].Product + ", 0, " + LengthOf(p) + ")",
            }));
            Line(value + " = " + CallOn(Companion.HessianVector.NameFor(_spec.Name) + _spec.TypeParameterList) + "(" + string.Join(", ", arguments) + ");");
            foreach (JacobianBlock block in jacobianBlocks.Where(b => b.IsArray))
            {
                if (IsShaped(block.Parameter!)) ShapedUnitArgument(block, j, unit: false);
                else SetUnitElement(block, j, unit: false, zero: ZeroOf(block.Parameter!.ScalarTypeName));
            }
            foreach (ParameterSpec p in inputs)
            {
                JacobianBlock block = jacobianBlocks.First(b => b.Parameter == p);
                if (block.IsStructArray)
                {
                    // Element k's leaf l is row Offset + k·L + l.
                    StructShape elementShape = block.Shape!;
                    Line("for (int " + k + " = 0; " + k + " < " + LengthOf(p) + "; " + k + "++)");
                    Open();
                    for (int leaf = 0; leaf < elementShape.Leaves.Length; leaf++)
                    {
                        Line(hessian + "[" + blocks[p].Offset + " + " + k + " * " + elementShape.Leaves.Length + " + " + leaf + ", " + j + "] = " + blocks[p].Product + "[" + k + "]" + elementShape.Leaves[leaf].Path + ";");
                    }
                    Close();
                    continue;
                }
                if (block.Shape is { } shape)
                {
                    for (int leaf = 0; leaf < shape.Leaves.Length; leaf++) Line(hessian + "[" + blocks[p].Offset + " + " + leaf + ", " + j + "] = " + blocks[p].Product + shape.Leaves[leaf].Path + ";");
                    continue;
                }
                Line(p.Layout switch
                {
                    ArrayLayout.None => hessian + "[" + blocks[p].Offset + ", " + j + "] = " + blocks[p].Product + ";",
                    ArrayLayout.Matrix or ArrayLayout.Jagged => "global::AutoDiffGen.Runtime.AdjointArrays.CopyToColumn(" + blocks[p].Product + ", " + hessian + ", " + blocks[p].Offset + ", " + j + ");",
                    _ => "for (int " + k + " = 0; " + k + " < " + LengthOf(p) + "; " + k + "++) " + hessian + "[" + blocks[p].Offset + " + " + k + ", " + j + "] = " + blocks[p].Product + "[" + k + "];",
                });
            }
            Close();
            if (mustRelease)
            {
                Close();
                Line("finally");
                Open();
                foreach (ParameterSpec p in rented)
                {
                    string give = IsShaped(p) ? "ReturnShaped(" : "Return(";
                    Line("global::AutoDiffGen.Runtime.AdjointArrays." + give + blocks[p].Direction + ");");
                    Line("global::AutoDiffGen.Runtime.AdjointArrays." + give + blocks[p].Product + ");");
                }
                EmitEntryValueReturns(entryValues);
                Close();
            }
            Line("// Symmetric: the mean of the two halves, which agree to round-off.");
            Line("for (int " + i + " = 0; " + i + " < " + size + "; " + i + "++)");
            Open();
            Line("for (int " + k + " = " + i + " + 1; " + k + " < " + size + "; " + k + "++)");
            Open();
            // A generic real has no conversion from the literal 2: its two is T.One + T.One.
            string two = _spec.IsGenericReal(element) ? "(" + OneOf(element) + " + " + OneOf(element) + ")" : "2";
            Line(hessian + "[" + i + ", " + k + "] = " + hessian + "[" + k + ", " + i + "] = (" + hessian + "[" + i + ", " + k + "] + " + hessian + "[" + k + ", " + i + "]) / " + two + ";");
            Close();
            Close();
            Line("return " + value + ";");
            Close();
        }
    }
}
