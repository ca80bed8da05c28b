using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// The Lowering stage: turns a method body's <see cref="IOperation"/> tree into structured three-address IR.
    /// </summary>
    /// <remarks>
    /// Normalised here, once: compound assignment, <c>++</c>/<c>--</c>, <c>?:</c>, short-circuit <c>&amp;&amp;</c>/<c>||</c>,
    /// implicit conversions and constants (Roslyn folds them). <c>break</c>, <c>continue</c> and <c>return</c> become
    /// assignments to one control variable (<see cref="JumpState"/>) plus guards, so the IR has only ifs and loops with
    /// one entry and one exit, and the reverse of every construct is structural. The common
    /// <c>if (…) return …;</c> needs no guard: the statements after it become the else branch.
    /// </remarks>
    internal sealed partial class MethodLowering
    {
        /// <summary>Values of the control variable: why the statements that follow are being skipped.</summary>
        private static class JumpState
        {
            public const int None = 0;
            public const int Continue = 1;
            public const int Break = 2;
            public const int Return = 3;
        }

        private readonly IMethodSymbol _method;
        private readonly CancellationToken _cancellationToken;
        private readonly IrVariableFactory _variables = new();
        private readonly Dictionary<ISymbol, IrVariable> _symbolVariables = new(SymbolEqualityComparer.Default);
        private readonly List<EngineDiagnostic> _diagnostics = new();
        private readonly List<PendingDiagnostic> _pending = new();
        private IrVariable? _jump;
        private IrBlock _current = new();
        private string? _origin;

        private readonly Func<IMethodSymbol, bool>? _calleeGetsCompanions;
        private readonly Func<IMethodSymbol, string?>? _calleeTangentRefusal;

        private MethodLowering(IMethodSymbol method, CancellationToken cancellationToken, Func<IMethodSymbol, bool>? calleeGetsCompanions, Func<IMethodSymbol, string?>? calleeTangentRefusal)
        {
            _method = method;
            _cancellationToken = cancellationToken;
            _calleeGetsCompanions = calleeGetsCompanions;
            _calleeTangentRefusal = calleeTangentRefusal;
        }

        /// <summary>Lowers <paramref name="body"/>; the result says what could not be lowered.</summary>
        /// <param name="calleeGetsCompanions">
        /// For a [Differentiable] callee declared in source: whether the generator will give it its companions (it has
        /// no error of its own). A call whose <c>…Backward</c> will not exist is reported instead of emitted.
        /// </param>
        /// <param name="calleeTangentRefusal">
        /// For a [Differentiable] callee declared in source, when the method may need its <c>MTangent</c> (forward mode, a
        /// Jacobian's forward sweeps, second order): why that <c>MTangent</c> cannot be generated, or null. Null when no
        /// tangent is needed (then calls are not checked for one).
        /// </param>
        public static LoweringResult Lower(IMethodSymbol method, IBlockOperation body, CancellationToken cancellationToken, Func<IMethodSymbol, bool>? calleeGetsCompanions = null,
            Func<IMethodSymbol, string?>? calleeTangentRefusal = null)
        {
            var lowering = new MethodLowering(method, cancellationToken, calleeGetsCompanions, calleeTangentRefusal);
            return lowering.Run(body);
        }

        private LoweringResult Run(IBlockOperation body)
        {
            var parameters = ImmutableArray.CreateBuilder<IrVariable>();
            var outputs = ImmutableArray.CreateBuilder<IrOutput>();
            foreach (IParameterSymbol parameter in _method.Parameters)
            {
                if (TryDeclareStructArrayParameter(parameter, parameters, outputs))
                {
                    continue; // one parameter per leaf, each an array (MethodLowering.StructArrays.cs)
                }
                if (MethodParser.IsDifferentiableParameter(parameter) && ShapeOf(parameter.Type) is { } shape)
                {
                    DeclareStructParameter(parameter, shape, parameters, body); // one parameter per leaf (MethodLowering.Structs.cs)
                    continue;
                }
                if (MethodParser.IsOutStruct(parameter) && ShapeOf(parameter.Type) is { } outShape)
                {
                    _structVariables[parameter] = DeclareStructOutput(MethodParser.EscapeIdentifier(parameter.Name), outShape, outputs);
                    continue;
                }
                IrVariable variable = _variables.Create(MethodParser.EscapeIdentifier(parameter.Name), TypeOf(parameter.Type), IrVariableRole.Parameter,
                    MethodParser.IsDifferentiableParameter(parameter));
                _symbolVariables[parameter] = variable;
                parameters.Add(variable);
                if (MethodParser.IsOutScalar(parameter))
                {
                    // The body assigns a local; the out parameter receives its final value (IrOutput).
                    IrVariable local = _variables.Create(MethodParser.EscapeIdentifier(parameter.Name), variable.Type, IrVariableRole.Local);
                    _symbolVariables[parameter] = local;
                    outputs.Add(new IrOutput(variable, local));
                }
                else if (KnownNames.HasAttribute(parameter, KnownNames.OutputAttribute) && variable.Type.IsDifferentiableArray)
                {
                    outputs.Add(new IrOutput(variable, variable));
                }
            }
            // A void method (vector-valued: its outputs are parameters) keeps a double placeholder result nothing assigns; so
            // does a method returning a struct of reals, whose returns store into one output per leaf instead.
            StructShape? returnShape = _method.ReturnsVoid ? null : ShapeOf(_method.ReturnType);
            bool returnsScalar = !_method.ReturnsVoid && returnShape is null;
            IrType returnType = returnsScalar ? TypeOf(_method.ReturnType) : IrType.Double;
            IrVariable result = _variables.Create("_result", returnType, IrVariableRole.Result);
            _resultVariable = returnsScalar ? result : null;
            if (returnShape is not null)
            {
                // The returned struct is the first output (api.md), before the out parameters.
                var parameterOutputs = outputs.ToImmutable();
                outputs.Clear();
                _structResult = DeclareStructOutput(null, returnShape, outputs);
                outputs.AddRange(parameterOutputs);
            }

            IrBlock root = _current;
            LowerStatementList(body.Operations);

            RemoveUnreadControlAssignments(root);
            // Repeated reads of one element share a load (Passes/SharedElementReads.cs); every mode reads the result.
            using (PassTimings.Time("SharedElementReads"))
            {
                Passes.SharedElementReads.Run(root, new HashSet<IrVariable>(_pending.Select(p => p.Operand)));
            }
            var function = new IrFunction(_method.Name, returnType, parameters.ToImmutable(), _variables.Variables, result, root)
            {
                Outputs = outputs.ToImmutable(),
                ReturnsValue = returnsScalar,
            };
            return new LoweringResult(function, _diagnostics, _pending);
        }

        /// <summary>Where a return stores its value: the method's result, or the result of the local function being inlined (null: void).</summary>
        private IrVariable? _resultVariable;

        // ---------------------------------------------------------------- helpers shared by every construct
        // (the constructs themselves: MethodLowering.Statements, .Loops, .Expressions, .Assignments, .Calls, .Views,
        // .Spans, .Structs, .Tuples, .Switch, .LocalFunctions, .Numerics, .Effects; diagnostics: .Reporting)

        /// <summary>
        /// Lowers operands left to right. An operand that is just a variable is read again when it is used, so when a
        /// later operand (or <paramref name="evaluatedAfter"/>) assigns that variable (<c>a * a++</c>), its value is
        /// snapshotted first: C# evaluates operands in order.
        /// </summary>
        private ImmutableArray<IrExpression> LowerOperands(IReadOnlyList<IOperation> operands, IOperation? evaluatedAfter)
        {
            var lowered = ImmutableArray.CreateBuilder<IrExpression>(operands.Count);
            for (int i = 0; i < operands.Count; i++)
            {
                IEnumerable<IOperation> later = operands.Skip(i + 1);
                if (evaluatedAfter is not null) later = later.Append(evaluatedAfter);
                lowered.Add(LowerOperand(operands[i], later.ToArray()));
            }
            return lowered.MoveToImmutable();
        }

        private IrExpression LowerOperand(IOperation operand, params IOperation[] evaluatedLater)
        {
            IrExpression lowered = LowerExpression(operand);
            if (lowered is IrVariableReference { Variable: var variable })
            {
                foreach (IOperation later in evaluatedLater)
                {
                    if (Writes(later, variable)) return Copy(lowered);
                }
            }
            return lowered;
        }

        /// <summary>A binary operator's left operand (<see cref="LowerOperand(IOperation, IOperation[])"/> without a params array for the one operand after it).</summary>
        private IrExpression LowerOperand(IOperation operand, IOperation evaluatedLater)
        {
            IrExpression lowered = LowerExpression(operand);
            return lowered is IrVariableReference { Variable: var variable } && Writes(evaluatedLater, variable) ? Copy(lowered) : lowered;
        }

        /// <summary>
        /// Whether evaluating <paramref name="operation"/> may assign <paramref name="variable"/>: it or an operation in it
        /// (the nodes of <c>DescendantsAndSelf</c>, walked through <c>ChildOperations</c>, whose enumerator is a struct: asked
        /// of every binary operator's right operand, the iterator allocated for each).
        /// </summary>
        private bool Writes(IOperation operation, IrVariable variable)
        {
            IOperation? target = operation switch
            {
                ISimpleAssignmentOperation a => a.Target,
                ICompoundAssignmentOperation c => c.Target,
                IIncrementOrDecrementOperation i => i.Target,
                _ => null,
            };
            ISymbol? symbol = target switch
            {
                ILocalReferenceOperation l => l.Local,
                IParameterReferenceOperation p => p.Parameter,
                _ => null,
            };
            if (symbol is not null && _symbolVariables.TryGetValue(symbol, out IrVariable? written) && written == variable) return true;
            foreach (IOperation child in operation.ChildOperations)
            {
                if (Writes(child, variable)) return true;
            }
            return false;
        }

        /// <summary>
        /// Emits <c>target = value</c>. When <paramref name="value"/> is a computation that reads a differentiable
        /// target (<c>x = x * y</c>), it goes through a temporary first, so the reverse sweep never needs a value the
        /// statement itself overwrote.
        /// </summary>
        private void AssignTo(IrVariable target, IrExpression value)
        {
            if (value is IrVariableReference reference && reference.Variable == target)
            {
                return;
            }
            if (target.Type.Kind == IrTypeKind.Array && value is IrVariableReference { Variable: var created } && _freshTemporaries.Contains(created)
                && _current.Statements.FindIndex(st => st is IrAssign { Value: IrNewArray } a && a.Target == created) is var creation and >= 0)
            {
                // new[] { … } assigned to a variable: allocate and fill the variable itself, not a temporary alias of it.
                for (int i = creation; i < _current.Statements.Count; i++)
                {
                    _current.Statements[i] = _current.Statements[i] switch
                    {
                        IrAssign a when a.Target == created => a with { Target = target },
                        IrElementWrite w when w.Array == created => w with { Array = target },
                        var other => other,
                    };
                }
                _freshTemporaries.Remove(created);
                return;
            }
            if (target.Type.Kind == IrTypeKind.Array && value is IrVariableReference { Variable: var source } && !_freshTemporaries.Contains(source))
            {
                // Two names for one array would hide writes through one from the other's gradient.
                Report(DiagnosticDescriptors.UnsupportedConstruct, _originNode?.GetLocation() ?? Location.None,
                    "an array variable that aliases another array ('" + target.PreferredName + "' = '" + source.PreferredName + "')", _method.Name);
                return;
            }
            if (target.Type.Kind == IrTypeKind.Array && value is IrVariableReference { Variable: var fresh }
                && _current.Statements.LastOrDefault() is IrAssign { Value: not IrNewArray } definition && definition.Target == fresh)
            {
                _sharedArrays.Add(target); // a field's or a call's array: data the method reads but does not own
            }
            if (value.Type.CSharpName != target.Type.CSharpName && IsNumeric(value.Type) && IsNumeric(target.Type))
            {
                value = Emit(new IrConvert(value, target.Type));
            }
            // y = x * x rather than _t0 = x * x; y = _t0: the computation just emitted into a fresh temporary goes
            // straight into the target (unless it reads a differentiable target, see above).
            List<IrStatement> statements = _current.Statements;
            if (value is IrVariableReference { Variable: { Role: IrVariableRole.Temporary } temporary }
                && statements.Count > 0 && statements[statements.Count - 1] is IrAssign last && last.Target == temporary
                && last.Value is not (IrVariableReference or IrConstant)
                && !(target.Type.IsDifferentiable && last.Value.ReadVariables().Contains(target) && SelfUpdate.Match(target, last.Value) is null)
                && _freshTemporaries.Remove(temporary))
            {
                statements[statements.Count - 1] = last with { Target = target };
                return;
            }
            Add(new IrAssign(target, value));
        }

        /// <summary>Evaluates a computation into a fresh temporary and returns it as an operand.</summary>
        private IrExpression Emit(IrExpression computation, IrVariable? reuseTargetFor = null)
        {
            if (computation is IrVariableReference or IrConstant)
            {
                return computation;
            }
            if (reuseTargetFor is not null && !reuseTargetFor.Type.IsDifferentiable)
            {
                // Passive counters update in place (i = i + 1): no adjoint, and the reverse sweep inverts it.
                Add(new IrAssign(reuseTargetFor, computation));
                return Read(reuseTargetFor);
            }
            IrVariable temporary = _variables.Temporary(computation.Type);
            Add(new IrAssign(temporary, computation));
            _freshTemporaries.Add(temporary);
            return Read(temporary);
        }

        /// <summary>Temporaries holding a differentiable value converted to another type (boxed, or an array as an interface), and that value.</summary>
        private readonly Dictionary<IrVariable, IrVariable> _conversionSources = new();

        /// <summary>The operands through which a derivative would have to flow into a call: differentiable values, also when converted.</summary>
        private IEnumerable<IrExpression> DerivativeCarrying(IEnumerable<IrExpression> operands) =>
            operands.Select(o => o is IrVariableReference { Variable: var v } && _conversionSources.TryGetValue(v, out IrVariable? source) ? Read(source) : o)
                .SelectMany(o => o is IrVariableReference { Variable: var v } && _rebuiltStructs.TryGetValue(v, out ImmutableArray<IrExpression> leaves) ? leaves : ImmutableArray.Create(o))
                .Where(o => o.Type.CarriesDerivative);

        /// <summary>Array locals holding an array the method does not own (from a field, a property or a call).</summary>
        private readonly HashSet<IrVariable> _sharedArrays = new();

        /// <summary>Temporaries made by <see cref="Emit"/> and read by nothing yet: the next assignment may take their place.</summary>
        private readonly HashSet<IrVariable> _freshTemporaries = new();

        /// <summary>A snapshot of an operand's current value (an assignment's value may be overwritten later).</summary>
        private IrExpression Copy(IrExpression operand)
        {
            if (operand is not IrVariableReference) return operand;
            IrVariable temporary = _variables.Temporary(operand.Type);
            Add(new IrAssign(temporary, operand));
            return Read(temporary);
        }

        private static IrVariableReference Read(IrVariable variable) => new(variable);

        private IrVariable Jump()
        {
            if (_jump is null)
            {
                _jump = _variables.Create("_jump", IrType.Int, IrVariableRole.Control);
                _jumpVariables.Add(_jump);
            }
            return _jump;
        }

        /// <summary>Every control variable made: the method's and one per inlined local function call.</summary>
        private readonly List<IrVariable> _jumpVariables = new();

        /// <summary>Above zero while the arguments of a void call are lowered.</summary>
        private int _effectArguments;

        private void Add(IrStatement statement) => _current.Add(Stamp(statement));

        private IrStatement Stamp(IrStatement statement) => statement.Origin is null && _origin is not null ? statement with { Origin = _origin } : statement;

        private IrBlock Nested(Action lower)
        {
            IrBlock saved = _current;
            string? savedOrigin = _origin;
            var block = new IrBlock();
            _current = block;
            try
            {
                lower();
            }
            finally
            {
                _current = saved;
                _origin = savedOrigin;
            }
            return block;
        }

        private void SetOrigin(IOperation statement)
        {
            _origin = SourceText(statement.Syntax);
            _originNode = statement.Syntax;
        }

        private SyntaxNode? _originNode;

        private void SetOriginIfNone(IOperation operation) => _origin ??= SourceText(operation.Syntax);

        /// <summary>
        /// The source a statement came from, for the generated code's comments: one line, and for if/for/while/do only
        /// the header (the body's statements get their own comments).
        /// </summary>
        private static string SourceText(SyntaxNode syntax)
        {
            // Most statements are one short line, written with single spaces: their text as it is (read from the tree's
            // text, which a parsed tree keeps; the node's ToString writes the same characters through a writer of its own).
            if (syntax is not (IfStatementSyntax or ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax)
                && syntax.Span.Length <= 100 && syntax.SyntaxTree.TryGetText(out Microsoft.CodeAnalysis.Text.SourceText? source))
            {
                string plain = source.ToString(syntax.Span);
                if (IsOneTidyLine(plain)) return plain;
            }
            string text = syntax switch
            {
                IfStatementSyntax s => "if (" + s.Condition + ")",
                // The header's text only: the whole loop's text is the method's, for a long loop body.
                ForStatementSyntax s => syntax.SyntaxTree.GetText().ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(syntax.SpanStart, s.CloseParenToken.Span.End)),
                WhileStatementSyntax s => "while (" + s.Condition + ")",
                DoStatementSyntax s => "do … while (" + s.Condition + ")",
                _ => syntax.ToString(),
            };
            int newline = text.IndexOfAny(new[] { '\r', '\n' });
            if (newline >= 0) text = text.Substring(0, newline).TrimEnd() + " …";
            text = string.Join(" ", text.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries));
            if (text.Length > 100) text = text.Substring(0, 99) + "…";
            return text.Replace("*/", "* /");
        }

        /// <summary>
        /// Whether <see cref="SourceText"/> leaves <paramref name="text"/> as it is: at most 100 characters, no line break,
        /// no tab, no space at either end or next to another, no <c>*/</c>.
        /// </summary>
        private static bool IsOneTidyLine(string text)
        {
            if (text.Length == 0 || text.Length > 100 || text[0] == ' ' || text[text.Length - 1] == ' ') return false;
            for (int i = 0; i < text.Length; i++)
            {
                switch (text[i])
                {
                    case '\r' or '\n' or '\t':
                    case ' ' when text[i - 1] == ' ':
                    case '/' when i > 0 && text[i - 1] == '*':
                        return false;
                }
            }
            return true;
        }

        private static string Describe(IOperation operation) => SourceText(operation.Syntax);

        /// <summary>Removes assignments to a control variable (the method's, or an inlined local function's) that no guard reads.</summary>
        private void RemoveUnreadControlAssignments(IrBlock root)
        {
            foreach (IrVariable jump in _jumpVariables)
            {
                if (IrWalker.AllStatements(root).Any(s => IrWalker.ReadsOf(s).Contains(jump))) continue;
                IrWalker.RemoveAssignmentsTo(root, jump);
            }
        }

        // ---------------------------------------------------------------- types

        public static IrType TypeOf(ITypeSymbol type) => TypeMapper.TypeOf(type);

        private static bool IsNumeric(IrType type) =>
            type.Kind is IrTypeKind.Double or IrTypeKind.Float or IrTypeKind.Integer or IrTypeKind.GenericReal
            || type.CSharpName == "decimal";

        private static Type ClrTypeOf(IrType type) => type.CSharpName switch
        {
            "double" => typeof(double),
            "float" => typeof(float),
            "int" => typeof(int),
            "long" => typeof(long),
            "short" => typeof(short),
            "sbyte" => typeof(sbyte),
            "byte" => typeof(byte),
            "ushort" => typeof(ushort),
            "uint" => typeof(uint),
            "ulong" => typeof(ulong),
            "char" => typeof(char),
            "decimal" => typeof(decimal),
            _ => typeof(int),
        };
    }

    /// <summary>A diagnostic that stands only if its operand is active (depends on a differentiable input and reaches the result).</summary>
    internal sealed record PendingDiagnostic(EngineDiagnostic Diagnostic, IrVariable Operand);

    /// <summary>What lowering produced.</summary>
    internal sealed class LoweringResult
    {
        public LoweringResult(IrFunction function, List<EngineDiagnostic> diagnostics, List<PendingDiagnostic> pending)
        {
            Function = function;
            Diagnostics = diagnostics;
            Pending = pending;
        }

        public IrFunction Function { get; }

        /// <summary>Diagnostics that hold whatever the activity.</summary>
        public List<EngineDiagnostic> Diagnostics { get; }

        /// <summary>Diagnostics that hold only where their operand is active.</summary>
        public List<PendingDiagnostic> Pending { get; }
    }
}
