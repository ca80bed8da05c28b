using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>
    /// <c>MJacobian</c> of a vector-valued method (api.md): the full m × n Jacobian over the flattened outputs (rows: the
    /// return value, then the output parameters in declaration order, buffers element by element) and inputs (columns:
    /// the differentiable parameters in declaration order, arrays element by element).
    /// </summary>
    /// <remarks>
    /// It is a loop over the method's own companions, not a transform of its own: n forward sweeps (<c>MTangent</c> along
    /// each unit input, one column each) or m reverse sweeps (<c>MBackward</c> with each unit seed, one row each),
    /// whichever are fewer — decided at run time, since m and n depend on the buffers' lengths. Ties go forward (a
    /// forward sweep costs about one run of the method, a reverse sweep more). The unit vectors and the sweeps' results
    /// live in arrays rented from the runtime's pool and returned on every exit, so a warm call allocates nothing.
    /// Without an <c>MTangent</c> (a method calling one from another assembly that has no <c>…Tangent</c>) every sweep is reverse.
    /// Every sweep reruns the method, so an array parameter it writes into is copied on entry and given its entry values
    /// back before each sweep after the first; the caller sees it as the method leaves it.
    /// </remarks>
    internal sealed partial class CompanionEmitter
    {
        /// <summary>
        /// One flattened block of rows or columns: a scalar (one), a struct of reals (one per leaf, <see cref="Shape"/>), an
        /// array or span (its length), or an array or span of structs (its elements' leaves, element by element: api.md's
        /// row-major order, then fields).
        /// </summary>
        private sealed record JacobianBlock(ParameterSpec? Parameter, string Offset, string Scratch, StructShape? Shape = null)
        {
            public bool IsArray => Parameter is { Layout: not ArrayLayout.None };

            /// <summary>An array or span of structs (an input or an <c>[Output]</c>: <see cref="Shape"/> is its element's).</summary>
            public bool IsStructArray => IsArray && Shape is not null;

            /// <summary>For an array block: its element count, the length of its scratch array.</summary>
            public string Elements => LengthOf(Parameter!);

            private string LeafCount => Shape!.Leaves.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);

            public string Size => IsStructArray ? "(" + Elements + " * " + LeafCount + ")" : IsArray ? Elements : Shape is null ? "1" : LeafCount;

            /// <summary>For an array of structs: the element and the leaf the <paramref name="sweep"/>-th row or column is, within the block.</summary>
            public (string Element, string Leaf) Position(string sweep) =>
                ("(" + sweep + " - " + Offset + ") / " + LeafCount, "(" + sweep + " - " + Offset + ") % " + LeafCount);
        }

        /// <summary>
        /// The length of an array or span parameter as MJacobian and MHessian size their rows, columns and scratch: a null
        /// array counts as empty, so the method itself runs and throws its own exception (a guard, or the
        /// NullReferenceException its code raises), as it does from MGradient; a span is never null.
        /// </summary>
        /// A matrix's Length is its element count already; a jagged array's is the sum of its rows' (<c>AdjointArrays.ElementCount</c>).
        private static string LengthOf(ParameterSpec parameter) => parameter.Layout switch
        {
            ArrayLayout.Span or ArrayLayout.ReadOnlySpan => parameter.Name + ".Length",
            ArrayLayout.Jagged => "global::AutoDiffGen.Runtime.AdjointArrays.ElementCount(" + parameter.Name + ")",
            _ => "(" + parameter.Name + "?.Length ?? 0)",
        };

        /// <summary>The shape of a struct input or output (null for the return value: <paramref name="parameter"/> null and no struct returned).</summary>
        private StructShape? ShapeOfBlock(ParameterSpec? parameter)
        {
            IrFunction function = _program.Function;
            if (parameter is null || parameter.IsOut)
            {
                return function.Outputs.FirstOrDefault(o => o.Leaf is not null && o.Leaf.ParameterName == parameter?.Name)?.Leaf!.Shape;
            }
            return parameter.IsStruct ? function.Parameters.FirstOrDefault(p => p.StructLeaf?.ParameterName == parameter.Name)?.StructLeaf!.Shape : null;
        }

        private void EmitJacobian(string modifiers, string primalParameters, string primalArguments, bool forwardSweeps)
        {
            string jacobian = _names.Fresh("jacobian");
            string element = _spec.JacobianElementTypeName;
            string rows = _names.Fresh("_rows"), columns = _names.Fresh("_columns"), value = _names.Fresh("_value");
            string i = _names.Fresh("_i"), j = _names.Fresh("_j"), k = _names.Fresh("_k");
            var outputs = _spec.Outputs.Select(o => new JacobianBlock(o, _names.Fresh("_row_" + (o?.Name.TrimStart('@') ?? "result")), _names.Fresh("_out_" + (o?.Name.TrimStart('@') ?? "result")), ShapeOfBlock(o))).ToList();
            var inputs = _spec.Parameters.Where(p => p.IsDifferentiable).Select(p => new JacobianBlock(p, _names.Fresh("_column_" + p.Name.TrimStart('@')), _names.Fresh("_in_" + p.Name.TrimStart('@')), ShapeOfBlock(p))).ToList();

            Line();
            Line("/// <summary>");
            Line("/// Computes <c>" + _spec.Name + "</c> and its Jacobian: <paramref name=\"" + jacobian + "\"/>[i, j] = ∂(output i)/∂(input j), over the outputs");
            Line("/// (" + string.Join(", ", outputs.Select(o => o.Parameter is null ? "the return value" : o.Parameter.Name.TrimStart('@'))) + ") and the differentiable inputs ("
                + string.Join(", ", inputs.Select(b => b.Parameter!.Name.TrimStart('@'))) + "), arrays flattened element by element.");
            Line("/// Runs one forward sweep per input or one reverse sweep per output, whichever are fewer.");
            Line("/// </summary>");
            Line("/// <param name=\"" + jacobian + "\">Receives the Jacobian; it must have one row per output and one column per input.</param>");
            if (_spec.ReturnsValue) Line("/// <returns>The value of <c>" + _spec.Name + "</c> at the arguments given.</returns>");
            Line(GeneratedCodeAttribute);
            Line(modifiers + DispatchOf(Companion.Jacobian) + _spec.ReturnTypeName + " " + Companion.Jacobian.NameFor(_spec.Name) + _spec.TypeParameterList + "(" + primalParameters + (primalParameters.Length > 0 ? ", " : "") + element + "[,] " + jacobian + ")" + _spec.ConstraintClauses);
            Open();

            // Shapes: each block's offset, then the totals.
            Line("// Rows: one per output, flattened; columns: one per input, flattened.");
            EmitOffsets(outputs, rows);
            EmitOffsets(inputs, columns);
            Line("global::AutoDiffGen.Runtime.AdjointArrays.CheckJacobianShape(" + jacobian + ", " + rows + ", " + columns + ", \"" + jacobian.TrimStart('@') + "\");");
            foreach (ParameterSpec output in _spec.Parameters.Where(p => p.IsOut)) Line(output.Name + (output.IsStruct ? " = default;" : " = " + ZeroOf(output.ScalarTypeName) + ";"));
            if (_spec.ReturnsValue) Line(_spec.ReturnTypeName + " " + value + (_spec.ReturnsStruct ? " = default;" : " = " + ZeroOf(_spec.ReturnTypeName) + ";"));
            Line("if (" + rows + " == 0 || " + columns + " == 0)");
            Open();
            Line((_spec.ReturnsValue ? "return " : "") + CallOn(_spec.Name + _spec.TypeParameterList) + "(" + primalArguments + ");");
            if (!_spec.ReturnsValue) Line("return;");
            Close();

            // Rented scratch: the array blocks of the unit vectors and of the sweeps' results; and the entry values of the
            // arrays the method writes into (every sweep reruns it, so each must start from what the caller passed).
            var rented = outputs.Concat(inputs).Where(b => b.IsArray).ToList();
            foreach (JacobianBlock block in rented)
            {
                Line(block.Parameter!.ScalarTypeName + "[] " + block.Scratch + " = global::AutoDiffGen.Runtime.AdjointArrays.RentZeroed<" + block.Parameter.ScalarTypeName + ">(" + block.Elements + ");");
            }
            var entryValues = EmitEntryValues();
            if (rented.Count + entryValues.Count > 0)
            {
                Line("try");
                Open();
            }
            if (forwardSweeps)
            {
                Line("if (" + columns + " <= " + rows + ")");
                Open();
                EmitForwardSweeps(outputs, inputs, jacobian, columns, value, j, k);
                Close();
                Line("else");
                Open();
            }
            EmitReverseSweeps(outputs, inputs, jacobian, rows, value, i, k);
            if (forwardSweeps) Close();
            if (rented.Count + entryValues.Count > 0)
            {
                Close();
                Line("finally");
                Open();
                foreach (JacobianBlock block in rented) Line("global::AutoDiffGen.Runtime.AdjointArrays.Return(" + block.Scratch + ");");
                EmitEntryValueReturns(entryValues);
                Close();
            }
            if (_spec.ReturnsValue) Line("return " + value + ";");
            Close();
        }

        /// <summary><c>int _row_r = …;</c> for each block (its first row or column), then the total.</summary>
        private void EmitOffsets(List<JacobianBlock> blocks, string total)
        {
            string next = "0";
            foreach (JacobianBlock block in blocks)
            {
                Line("int " + block.Offset + " = " + next + ";");
                next = block.Offset + " + " + block.Size;
            }
            Line("int " + total + " = " + next + ";");
        }

        /// <summary>Column j = MTangent along the j-th unit input: one forward sweep per input.</summary>
        private void EmitForwardSweeps(List<JacobianBlock> outputs, List<JacobianBlock> inputs, string jacobian, string columns, string value, string j, string k)
        {
            var arguments = OpenSweepLoop("// Forward sweeps: column " + j + " is the tangent of every output along the " + j + "-th unit input.", j, columns);
            arguments.AddRange(inputs.Select(input => UnitArgument(input, j)));
            foreach (JacobianBlock output in outputs)
            {
                arguments.Add(output.IsArray
                    ? "new global::System.Span<" + output.Parameter!.ScalarTypeName + ">(" + output.Scratch + ", 0, " + output.Elements + ")"
                    : "out " + (output.Parameter?.ScalarTypeName ?? _spec.ReturnTypeName) + " " + output.Scratch);
            }
            Line((_spec.ReturnsValue ? value + " = " : "") + CallOn(Companion.Tangent.NameFor(_spec.Name) + _spec.TypeParameterList) + "(" + string.Join(", ", arguments) + ");");
            foreach (JacobianBlock input in inputs.Where(b => b.IsArray)) SetUnitElement(input, j, unit: false);
            foreach (JacobianBlock output in outputs) EmitBlockInto(output, row => jacobian + "[" + row + ", " + j + "]", k);
            Close();
        }

        /// <summary>
        /// Copies a sweep's result for one block (its scratch: a scalar, a struct, an array, an array of structs) into the
        /// Jacobian, each flattened position <c>Offset + p</c> to the cell <paramref name="cell"/> names (a column of a forward
        /// sweep, a row of a reverse one). Element k's leaf l of an array of structs is position <c>k·L + l</c>.
        /// </summary>
        private void EmitBlockInto(JacobianBlock block, System.Func<string, string> cell, string k)
        {
            if (block.IsStructArray)
            {
                StructShape elementShape = block.Shape!;
                Line("for (int " + k + " = 0; " + k + " < " + block.Elements + "; " + k + "++)");
                Open();
                for (int leaf = 0; leaf < elementShape.Leaves.Length; leaf++)
                {
                    Line(cell(block.Offset + " + " + k + " * " + elementShape.Leaves.Length + " + " + leaf) + " = " + block.Scratch + "[" + k + "]" + elementShape.Leaves[leaf].Path + ";");
                }
                Close();
                return;
            }
            if (block.Shape is { } shape)
            {
                for (int leaf = 0; leaf < shape.Leaves.Length; leaf++) Line(cell(block.Offset + " + " + leaf) + " = " + block.Scratch + shape.Leaves[leaf].Path + ";");
                return;
            }
            Line(block.IsArray
                ? "for (int " + k + " = 0; " + k + " < " + block.Size + "; " + k + "++) " + cell(block.Offset + " + " + k) + " = " + block.Scratch + "[" + k + "];"
                : cell(block.Offset) + " = " + block.Scratch + ";");
        }

        /// <summary>Row i = MBackward with the i-th unit seed: one reverse sweep per output.</summary>
        private void EmitReverseSweeps(List<JacobianBlock> outputs, List<JacobianBlock> inputs, string jacobian, string rows, string value, string i, string k)
        {
            var arguments = OpenSweepLoop("// Reverse sweeps: row " + i + " is the gradient of the " + i + "-th output.", i, rows);
            arguments.AddRange(outputs.Select(output => UnitArgument(output, i)));
            foreach (JacobianBlock input in inputs)
            {
                ParameterSpec p = input.Parameter!;
                if (input.IsArray)
                {
                    Line("global::System.Array.Clear(" + input.Scratch + ", 0, " + input.Elements + ");");
                    arguments.Add("new global::System.Span<" + p.ScalarTypeName + ">(" + input.Scratch + ", 0, " + input.Elements + ")");
                }
                else
                {
                    Line(p.ScalarTypeName + " " + input.Scratch + (input.Shape is null ? " = " + ZeroOf(p.ScalarTypeName) + ";" : " = default;"));
                    arguments.Add("ref " + input.Scratch);
                }
            }
            Line((_spec.ReturnsValue ? value + " = " : "") + CallOn(Companion.Backward.NameFor(_spec.Name) + _spec.TypeParameterList) + "(" + string.Join(", ", arguments) + ");");
            foreach (JacobianBlock output in outputs.Where(b => b.IsArray)) SetUnitElement(output, i, unit: false);
            foreach (JacobianBlock input in inputs) EmitBlockInto(input, column => jacobian + "[" + i + ", " + column + "]", k);
            Close();
        }

        /// <summary>Opens the loop over the sweeps (entry values restored first); returns the call's first arguments, the method's own.</summary>
        private List<string> OpenSweepLoop(string comment, string sweep, string count)
        {
            Line(comment);
            Line("for (int " + sweep + " = 0; " + sweep + " < " + count + "; " + sweep + "++)");
            Open();
            RestoreEntryValues(sweep);
            return _spec.Parameters.Select(p => p.Argument).ToList();
        }

        /// <summary>
        /// The block's part of the <paramref name="sweep"/>-th unit vector, as an argument: for an array block its scratch
        /// (read-only), with the element set to 1 first when the sweep falls in the block; for a scalar, 1 or 0.
        /// </summary>
        private string UnitArgument(JacobianBlock block, string sweep)
        {
            string type = block.Parameter?.ScalarTypeName ?? _spec.ReturnTypeName;
            if (block.IsArray)
            {
                SetUnitElement(block, sweep, unit: true);
                return "new global::System.ReadOnlySpan<" + type + ">(" + block.Scratch + ", 0, " + block.Elements + ")";
            }
            if (block.Shape is { } shape)
            {
                return shape.Build(leaf => sweep + " == " + block.Offset + " + " + leaf + " ? " + UnitValue(shape.Leaves[leaf].Type.CSharpName, 1) + " : " + UnitValue(shape.Leaves[leaf].Type.CSharpName, 0));
            }
            return sweep + " == " + block.Offset + " ? " + UnitValue(type, 1) + " : " + UnitValue(type, 0);
        }

        /// <summary>0 or 1 in a real type: <c>(double)1</c>, or <c>T.One</c> for a generic real (which has no cast from an int).</summary>
        private string UnitValue(string type, int value) =>
            _spec.IsGenericReal(type) ? (value == 1 ? OneOf(type) : ZeroOf(type)) : "(" + type + ")" + value;

        /// <summary>
        /// Sets the array block's element of the <paramref name="sweep"/>-th unit vector to 1 (<paramref name="unit"/>) or back to
        /// 0 (<paramref name="zero"/> as written, by default the scalar type's zero), when the sweep falls in the block; for an
        /// array of structs, the element whose leaf it is, that leaf 1 and the others 0.
        /// </summary>
        private void SetUnitElement(JacobianBlock block, string sweep, bool unit, string? zero = null)
        {
            string type = block.Parameter!.ScalarTypeName;
            string inBlock = "if (" + sweep + " >= " + block.Offset + " && " + sweep + " < " + block.Offset + " + " + block.Size + ") ";
            if (block.IsStructArray)
            {
                StructShape shape = block.Shape!;
                var (element, leaf) = block.Position(sweep);
                string value = unit
                    ? shape.Build(l => leaf + " == " + l + " ? " + UnitValue(shape.Leaves[l].Type.CSharpName, 1) + " : " + UnitValue(shape.Leaves[l].Type.CSharpName, 0))
                    : "default";
                Line(inBlock + block.Scratch + "[" + element + "] = " + value + ";");
                return;
            }
            Line(inBlock + block.Scratch + "[" + sweep + " - " + block.Offset + "] = " + (unit ? UnitValue(type, 1) : zero ?? ZeroOf(type)) + ";");
        }

        /// <summary>Before every sweep but the first: the arrays the method writes get the caller's values back.</summary>
        private void RestoreEntryValues(string sweep)
        {
            if (_restoreEntryValues.Count == 0) return;
            Line("if (" + sweep + " > 0)");
            Open();
            foreach (string line in _restoreEntryValues) Line(line);
            Close();
        }

        private List<string> _restoreEntryValues = new();

        /// <summary>
        /// Copies of the entry values of the arrays the method writes into, rented (a matrix or jagged array keeps its shape),
        /// and the statements that give them back before each sweep (<see cref="RestoreEntryValues"/>).
        /// </summary>
        private List<(ParameterSpec Parameter, string Copy)> EmitEntryValues()
        {
            var entryValues = ArraysTheMethodWrites().Select(p => (Parameter: p, Copy: _names.Fresh("_entry_" + p.Name.TrimStart('@')))).ToList();
            foreach (var (parameter, copy) in entryValues)
            {
                if (parameter.Layout is ArrayLayout.Matrix or ArrayLayout.Jagged)
                {
                    Line(parameter.GradientTypeName + " " + copy + " = global::AutoDiffGen.Runtime.AdjointArrays.RentCopyShaped(" + parameter.Name + ");");
                    continue;
                }
                if (parameter.IsStruct)
                {
                    // An array of structs: the runtime's RentCopy is for doubles and floats.
                    Line(parameter.ScalarTypeName + "[] " + copy + " = global::AutoDiffGen.Runtime.SpanBuffers.Rent<" + parameter.ScalarTypeName + ">(" + LengthOf(parameter) + ");");
                    Line("((global::System.ReadOnlySpan<" + parameter.ScalarTypeName + ">)" + parameter.Name + ").CopyTo(" + copy + ");");
                    continue;
                }
                Line(parameter.ScalarTypeName + "[] " + copy + " = global::AutoDiffGen.Runtime.SpanBuffers.RentCopy(" + parameter.Name + ");");
            }
            _restoreEntryValues = entryValues.Select(e => e.Parameter.Layout is ArrayLayout.Matrix or ArrayLayout.Jagged
                ? "global::AutoDiffGen.Runtime.AdjointArrays.CopyShaped(" + e.Copy + ", " + e.Parameter.Name + ");"
                : "new global::System.ReadOnlySpan<" + e.Parameter.ScalarTypeName + ">(" + e.Copy + ", 0, " + LengthOf(e.Parameter) + ").CopyTo(" + e.Parameter.Name + ");").ToList();
            return entryValues;
        }

        /// <summary>The entry-value copies of <see cref="EmitEntryValues"/> back to their pools (in a <c>finally</c>).</summary>
        private void EmitEntryValueReturns(List<(ParameterSpec Parameter, string Copy)> entryValues)
        {
            foreach (var (parameter, copy) in entryValues)
            {
                Line(parameter.Layout is ArrayLayout.Matrix or ArrayLayout.Jagged
                    ? "global::AutoDiffGen.Runtime.AdjointArrays.ReturnShaped(" + copy + ");"
                    : "global::AutoDiffGen.Runtime.SpanBuffers.Return(" + copy + ");");
            }
        }

        /// <summary>The array, matrix, jagged and span parameters, not outputs, that the method writes into (element writes or TensorPrimitives destinations).</summary>
        private IEnumerable<ParameterSpec> ArraysTheMethodWrites()
        {
            var written = new HashSet<IrVariable>(IrWalker.AllStatements(_program.Function.Body).Select(s => s switch
            {
                IrElementWrite w => w.Array,
                IrSpanStore store => store.DestinationArray,
                _ => null,
            }).OfType<IrVariable>().Where(v => v.Role == IrVariableRole.Parameter));
            return _spec.Parameters.Where(p => !p.IsAnyOutput && p.Layout is ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.Matrix or ArrayLayout.Jagged
                && written.Any(v => v.PreferredName == p.Name));
        }

        /// <summary>A call of the method or one of its companions on the same receiver (<c>this.</c> for an instance method).</summary>
        private string CallOn(string name) => (_spec.IsStatic ? "" : "this.") + name;
    }
}
