using System.Collections.Generic;
using System.Linq;
using System.Text;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Tangent;
using AutoDiffGen.Generator.Model;

namespace AutoDiffGen.Generator.Emitter
{
    /// <summary>The forward-mode companion, <c>MTangent</c>: the method's own computation with its tangents interleaved.</summary>
    internal sealed partial class CompanionEmitter
    {
        private TangentProgram? _tangent;

        /// <summary>Only <c>MTangent</c>: generated on demand for a callee whose own file has its other companions.</summary>
        private bool _tangentOnly;

        /// <summary>
        /// <c>R MTangent(P…, D1 dI1, …, out R tangent)</c> (scalar-valued, api.md): checks the tangent buffers' shapes, runs
        /// the tangent program, returns rented buffers on every exit path, sets <c>tangent</c> and returns the value.
        /// </summary>
        private void EmitTangent(TangentProgram program, Dictionary<ParameterSpec, string> tangentNames, string modifiers, string primalParameters)
        {
            string tangentOut = _names.Fresh("tangent");
            foreach (IrVariable variable in program.ExtraVariables.Where(v => v.GradientParameterOf is not null))
            {
                // A leaf of a struct output's tangent is a local (the struct is built from them at the end): _dq_X.
                if (StructOutputLeafOf(program.Function, variable.GradientParameterOf!) is { } outputLeaf)
                {
                    _structOutputTangents.Add(variable);
                    _names.Assign(variable, _names.Fresh("_d" + (outputLeaf.ParameterName ?? "result").TrimStart('@') + outputLeaf.Path.Replace('.', '_')));
                    continue;
                }
                // A leaf of a struct parameter reads its tangent's member: dp.X.
                StructLeafOf? leaf = variable.GradientParameterOf!.StructLeaf;
                ParameterSpec owner = _spec.Parameters.First(p => p.Name == (leaf?.ParameterName ?? variable.GradientParameterOf!.PreferredName));
                // (A leaf array of an array of structs is named as the whole tangent: its elements read dp[i].X.)
                _names.Assign(variable, tangentNames[owner] + (variable.Type.Kind == IrTypeKind.Array ? "" : leaf?.Path));
            }
            SplicedText body = EmitTangentBody(program, tangentNames, tangentOut);

            if (!_tangentOnly) Line();
            Line("/// <summary>");
            if (_spec.IsVectorValued)
            {
                Line("/// Forward-mode derivative of <c>" + _spec.Name + "</c> (Jacobian-vector product): computes its outputs and, for each,");
                Line("/// the directional derivative <c>Σ ∂output/∂p · dp</c> along the tangents given for the differentiable parameters.");
            }
            else
            {
                Line("/// Forward-mode derivative of <c>" + _spec.Name + "</c> (Jacobian-vector product): computes it and, in <paramref name=\"" + tangentOut + "\"/>,");
                Line("/// its directional derivative <c>Σ ∂" + _spec.Name + "/∂p · dp</c> along the tangents given for the differentiable parameters.");
            }
            Line("/// </summary>");
            foreach (ParameterSpec p in _spec.Parameters.Where(p => p.IsDifferentiable))
            {
                Line("/// <param name=\"" + tangentNames[p].TrimStart('@') + "\">The tangent (direction) of <c>" + p.Name.TrimStart('@') + "</c>.</param>");
            }
            if (_spec.ReturnsValue) Line("/// <param name=\"" + tangentOut + "\">Receives the tangent of the result.</param>");
            foreach (ParameterSpec output in _spec.Parameters.Where(p => p.IsAnyOutput))
            {
                Line("/// <param name=\"" + tangentNames[output].TrimStart('@') + "\">Receives the tangent of <c>" + output.Name.TrimStart('@') + "</c>" + (output.IsOutput ? " (overwritten)." : ".") + "</param>");
            }
            if (_spec.ReturnsValue) Line("/// <returns>The value of <c>" + _spec.Name + "</c> at the arguments given.</returns>");
            Line(GeneratedCodeAttribute);
            IReadOnlyList<DerivedParameter> derived = Companion.Tangent.DerivedParameters(_spec);
            string derivedParameters = string.Join(", ", derived.Select(d => d.Declared + " " + (d.Of is null ? tangentOut : tangentNames[d.Of])));
            Line(modifiers + DispatchOf(Companion.Tangent) + _spec.ReturnTypeName + " " + Companion.Tangent.NameFor(_spec.Name) + _spec.TypeParameterList + "(" + primalParameters + (primalParameters.Length > 0 ? ", " : "") + derivedParameters + ")" + _spec.ConstraintClauses);
            _text.Append(body);
        }

        private SplicedText EmitTangentBody(TangentProgram program, Dictionary<ParameterSpec, string> tangentNames, string tangentOut)
        {
            SplicedText file = _text;
            int fileIndent = _indent;
            int methodIndent = _spec.ContainingTypes.Count + (_spec.Namespace is null ? 0 : 1);
            _tangent = program;

            var statements = new SplicedText();
            _text = statements;
            _indent = methodIndent + 1;
            var written = OutputVariables(program.Function).Concat(program.ResultTangent.ReadVariables()).Concat(_structOutputTangents)
                .Concat(program.Function.Outputs.Select(o => program.Tangents.TryGetValue(o.Variable, out IrVariable? t) ? t : null).OfType<IrVariable>());
            PlanDeclarations(new[] { program.Prologue, program.Body, program.OutputTangents, program.Cleanup }, written);
            EmitShapeChecks(tangentNames);
            EmitBlock(program.Prologue);
            Line("// The method's own computation, each active value followed by its tangent.");
            EmitBlock(program.Body);
            Line();
            if (program.Function.ReturnsValue) Line(tangentOut + " = " + Render(program.ResultTangent) + ";");
            EmitBlock(program.OutputTangents);
            EmitStructOutputTangents(program, tangentNames, tangentOut);
            if (ReturnStatement(program.Function) is { } returnStatement) Line(returnStatement);
            EndDeclarations();

            var body = new SplicedText();
            _text = body;
            _indent = methodIndent;
            Open();
            foreach (IrVariable variable in TangentVariables(program).Where(v => !_declaredAtDefinition.Contains(v)))
            {
                // As in the reverse companions: a span local may hold stackalloc'd memory (scoped, C# 11).
                string scoped = variable.Type.Layout is ArrayLayout.Span or ArrayLayout.ReadOnlySpan ? "scoped " : "";
                Line(scoped + variable.Type.CSharpName + " " + Name(variable) + " = " + DefaultValue(variable.Type) + ";");
            }
            if (!program.Cleanup.IsEmpty)
            {
                Line("try");
                Open();
                _text.AppendIndented(statements);
                Close();
                Line("finally");
                Open();
                EmitBlock(program.Cleanup);
                Close();
            }
            else
            {
                _text.Append(statements);
            }
            Close();

            _text = file;
            _indent = fileIndent;
            _tangent = null;
            return body;
        }

        /// <summary>The locals <c>MTangent</c> declares: everything its blocks read or write but the parameters and tangent buffers.</summary>
        private IEnumerable<IrVariable> TangentVariables(TangentProgram program)
        {
            var used = new HashSet<IrVariable>();
            void Collect(IrBlock block)
            {
                foreach (IrStatement statement in IrWalker.AllStatements(block))
                {
                    foreach (IrVariable read in IrWalker.ReadsOf(statement)) used.Add(read);
                    if (IrWalker.WriteOf(statement) is { } written) used.Add(written);
                    if (statement is IrTangentCall call)
                    {
                        foreach (IrVariable read in call.Call.ReadVariables()) used.Add(read);
                        foreach (IrExpression? tangent in call.Tangents) if (tangent is not null) foreach (IrVariable read in tangent.ReadVariables()) used.Add(read);
                        if (call.Target is not null) used.Add(call.Target);
                        used.Add(call.ResultTangent);
                    }
                }
            }
            Collect(program.Prologue);
            Collect(program.Body);
            Collect(program.Cleanup);
            Collect(program.OutputTangents);
            used.UnionWith(_structOutputTangents);
            if (program.Function.ReturnsValue)
            {
                used.Add(program.Function.Result);
                foreach (IrVariable read in program.ResultTangent.ReadVariables()) used.Add(read);
            }
            used.ExceptWith(_foldedConditions);
            used.ExceptWith(_repeatCounters); // declared by their for (an array-of-struct parameter's tangent copied element by element)
            return used.Where(v => v.Role != IrVariableRole.Parameter && (v.GradientParameterOf is null || _structOutputTangents.Contains(v))).OrderBy(v => v.Id);
        }

        /// <summary>The tangents of struct outputs' leaves: locals of <c>MTangent</c>, built into the caller's struct at the end.</summary>
        private readonly HashSet<IrVariable> _structOutputTangents = new();

        /// <summary>
        /// <c>q = new Point(_q_X, _q_Y); dq = new Point(_dq_X, _dq_Y);</c> for each <c>out</c> struct output, and
        /// <c>tangent = new Point(…);</c> for a returned struct: built from the leaves once they hold their final values
        /// (the tangent transform gives every output leaf a tangent, zero when it is passive).
        /// </summary>
        private void EmitStructOutputTangents(TangentProgram program, Dictionary<ParameterSpec, string> tangentNames, string tangentOut)
        {
            EmitOutStructs(program.Function);
            var tangentOf = program.ExtraVariables.Where(_structOutputTangents.Contains).ToDictionary(v => v.GradientParameterOf!);
            foreach (var output in StructOutputs(program.Function))
            {
                string target = output.Key is null ? tangentOut : tangentNames[_spec.Parameters.First(p => p.Name == output.Key)];
                Line(target + " = " + Built(output, leaf => Name(tangentOf[leaf.Parameter])) + ";");
            }
        }

        /// <summary><c>v = Callee.MTangent(args…, tangents…, out v̇);</c></summary>
        /// <param name="leafCalls">For the tangent calls of several leaves of one call's struct result, written as this one call: all
        /// of them (CompanionEmitter.StructResults.cs); null for one call.</param>
        private void EmitTangentCall(IrTangentCall tangentCall, IReadOnlyList<IrTangentCall>? leafCalls = null)
        {
            IrDifferentiableCall call = tangentCall.Call;
            var arguments = CallArguments(call);
            var zeroTangents = new List<string>();
            int k = 0;
            for (int i = 0; i < call.Arguments.Length; i++)
            {
                if (!call.Target.ParameterIsDifferentiable[i]) continue;
                if (call.Target.StructArgumentAt(i) is { } structArgument)
                {
                    int leaves = structArgument.Shape.Leaves.Length;
                    arguments.Add(StructTangentArgument(call, structArgument, tangentCall.Tangents.Skip(k).Take(leaves).ToList(), zeroTangents)); // CompanionEmitter.StructCalls.cs
                    k += leaves;
                    i += leaves - 1;
                    continue;
                }
                arguments.Add(TangentArgument(call.Target.ParameterTypes[i], call.Arguments[i], tangentCall.Tangents[k++], zeroTangents));
            }
            // A leaf of a struct result: the tangent is the struct's, its leaf read after the call (CompanionEmitter.StructCalls.cs).
            string? structTangent = call.Target.ResultStruct is null ? null : _names.Fresh("_dt_" + call.Target.MethodName.TrimStart('@'));
            arguments.Add(structTangent is null ? "out " + Name(tangentCall.ResultTangent) : "out " + call.Target.ResultStruct!.TypeName + " " + structTangent);
            string text = Callee(call, call.Target.TangentName) + "(" + string.Join(", ", arguments) + ")";
            if (leafCalls is not null)
            {
                // One call for the whole struct, then each leaf's value and tangent (CompanionEmitter.StructResults.cs).
                string result = _names.Fresh("_r_" + call.Target.MethodName.TrimStart('@'));
                Line(call.Target.ResultStruct!.TypeName + " " + result + " = " + text + ";");
                foreach (IrTangentCall leaf in leafCalls)
                {
                    string path = leaf.Call.Target.ResultLeafPath;
                    if (leaf.Target is not null) Line(Name(leaf.Target) + " = " + result + path + ";");
                    Line(Name(leaf.ResultTangent) + " = " + structTangent + path + ";");
                }
                ReturnZeroedScratch(zeroTangents);
                return;
            }
            text += call.Target.ResultLeafPath + ";";
            Line(tangentCall.Target is null ? text : Name(tangentCall.Target) + " = " + text);
            if (structTangent is not null) Line(Name(tangentCall.ResultTangent) + " = " + structTangent + call.Target.ResultLeafPath + ";");
            ReturnZeroedScratch(zeroTangents);
        }

        /// <summary>
        /// <c>v̇ = ġ(args, ȧrgs)</c> in a closed tangent function (second order): <c>G.MTangent(args, ȧrgs, out v̇);</c>, its
        /// value dropped (the closed function computes it with a call of its own, which its reverse needs separately).
        /// </summary>
        private void EmitClosedTangentCall(IrVariable resultTangent, IrDifferentiableCall call)
        {
            var zeroTangents = new List<string>();
            List<string> arguments = ClosedTangentArguments(call, zeroTangents);
            arguments.Add("out " + Name(resultTangent));
            Line(Callee(call, call.Target.TangentName) + "(" + string.Join(", ", arguments) + ");");
            ReturnZeroedScratch(zeroTangents);
        }

        /// <summary>
        /// The arguments of a callee's closed tangent (<see cref="CallTarget.ClosedTangent"/>) as its <c>…Tangent</c> and
        /// <c>…BackwardTangent</c> take them: the callee's own, then one direction per differentiable parameter (a zero
        /// direction, <see cref="IrZeroedArray"/> or 0, as a passive argument's tangent is passed).
        /// </summary>
        private List<string> ClosedTangentArguments(IrDifferentiableCall call, List<string> zeroTangents)
        {
            CallTarget target = call.Target;
            int own = target.OwnParameterCount;
            var arguments = call.Arguments.Take(own).Select(Render).ToList();
            int direction = own;
            for (int i = 0; i < own; i++)
            {
                if (!target.ParameterIsDifferentiable[i]) continue;
                IrExpression tangent = call.Arguments[direction++];
                bool zero = tangent is IrZeroedArray || tangent is IrConstant { Value: 0 or 0.0 or 0f };
                arguments.Add(TangentArgument(target.ParameterTypes[i], call.Arguments[i], zero ? null : tangent, zeroTangents));
            }
            return arguments;
        }

        /// <summary>
        /// What a callee's <c>…Tangent</c> receives for one differentiable parameter: the tangent (a span of exactly the
        /// argument's length for a rented vector), or zero for a passive argument (a zeroed array of its shape: for a
        /// vector, <see cref="ZeroedScratch"/>).
        /// </summary>
        private string TangentArgument(IrType parameterType, IrExpression argument, IrExpression? tangent, List<string> zeroTangents)
        {
            if (parameterType.Kind != IrTypeKind.Array)
            {
                return tangent is null ? RenderZero(parameterType) : Render(tangent);
            }
            string element = parameterType.Element!.CSharpName;
            bool isVector = parameterType.Layout is ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan;
            if (tangent is null)
            {
                return isVector
                    ? ZeroedScratch(element, Operand(argument) + ".Length", zeroTangents)
                    : "global::AutoDiffGen.Runtime.AdjointArrays.RentZeroed(" + Render(argument) + ")";
            }
            if (isVector && tangent is IrVariableReference { Variable: { GradientParameterOf: null } variable } && variable.Type.Layout == ArrayLayout.Vector)
            {
                return "global::System.MemoryExtensions.AsSpan(" + Name(variable) + ", 0, " + Operand(argument) + ".Length)";
            }
            return Render(tangent);
        }

        private static string RenderZero(IrType type) => type.Kind switch
        {
            IrTypeKind.Float => "0f",
            IrTypeKind.GenericReal => type.CSharpName + ".Zero",
            _ => "0.0",
        };
    }
}
