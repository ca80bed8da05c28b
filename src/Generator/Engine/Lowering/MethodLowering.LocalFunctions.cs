using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Local functions are differentiated by inlining each call: the parameters become locals assigned the arguments
    /// (arrays are passed by reference, so an array parameter names the caller's array), the body is lowered in place
    /// with its own control variable, and <c>return v</c> assigns the call's result and leaves the inlined body. A local
    /// function reads and writes the method's locals and parameters it captures as the method itself would. A
    /// local function that calls itself, directly or through another, cannot be inlined: ADG0101 names it.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary>The local functions declared anywhere in the method body, by symbol.</summary>
        private Dictionary<IMethodSymbol, ILocalFunctionOperation>? _localFunctions;

        /// <summary>The local functions being inlined, innermost last.</summary>
        private readonly List<IMethodSymbol> _inlining = new();

        private IrExpression LowerLocalFunctionCall(IInvocationOperation invocation, bool resultUsed)
        {
            IMethodSymbol function = invocation.TargetMethod.OriginalDefinition;
            _localFunctions ??= FindLocalFunctions(invocation);
            if (!_localFunctions.TryGetValue(function, out ILocalFunctionOperation? declaration) || declaration.Body is null)
            {
                return Unsupported(invocation, "the call of the local function '" + function.Name + "' (its body is not available)");
            }
            if (_inlining.Contains(function, SymbolEqualityComparer.Default))
            {
                return Unsupported(invocation, "the recursive call of the local function '" + function.Name
                    + "' (local functions are differentiated by inlining them where they are called, so one cannot call itself: make it a [Differentiable] method, or write the loop)");
            }
            if (function.IsGenericMethod || function.IsAsync || declaration.Body.Syntax.DescendantNodes().Any(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.YieldStatementSyntax))
            {
                return Unsupported(invocation, "the call of the local function '" + function.Name + "' (a generic, async or iterator local function)");
            }
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.Parameter is null || argument.Parameter.RefKind is not (RefKind.None or RefKind.In))
                {
                    return Unsupported(argument, "the argument '" + argument.Syntax + "' (passed by reference to the local function '" + function.Name + "')");
                }
            }

            // The arguments, in source order; then each parameter bound to its argument.
            ImmutableArray<IrExpression> evaluated = LowerOperands(invocation.Arguments.Select(a => a.Value).ToList(), null);
            var bindings = invocation.Arguments.Select((a, i) => (Parameter: a.Parameter!, Value: evaluated[i])).OrderBy(b => b.Parameter.Ordinal).ToList();
            SetOrigin(invocation);
            foreach (var (parameter, value) in bindings)
            {
                IrType type = TypeOf(parameter.Type);
                if (type.Kind == IrTypeKind.Array && value is IrVariableReference { Variable: var array } && !_freshTemporaries.Contains(array))
                {
                    _symbolVariables[parameter] = array; // a reference to the caller's array, not a copy
                    if (array.Role == IrVariableRole.Temporary)
                    {
                        _sharedArrays.Add(array); // a field's or a call's array: the local function may read it, not write it
                    }
                    continue;
                }
                // A scalar is copied; an array created for the call (new[] { … }, a params array) becomes the parameter itself.
                IrVariable local = _variables.Create(MethodParser.EscapeIdentifier(parameter.Name), type, IrVariableRole.Local);
                _symbolVariables[parameter] = local;
                AssignTo(local, value);
            }

            IrVariable? result = function.ReturnsVoid ? null
                : _variables.Create(MethodParser.EscapeIdentifier(char.ToLowerInvariant(function.Name[0]) + function.Name.Substring(1)), TypeOf(function.ReturnType), IrVariableRole.Local);
            IrVariable? savedJump = _jump;
            IrVariable? savedResult = _resultVariable;
            _jump = null;
            _resultVariable = result;
            _inlining.Add(function);
            IrBlock body;
            IrVariable? jump;
            try
            {
                body = Nested(() => LowerStatementList(declaration.Body.Operations));
                jump = _jump;
            }
            finally
            {
                _inlining.RemoveAt(_inlining.Count - 1);
                _jump = savedJump;
                _resultVariable = savedResult;
            }
            if (jump is not null)
            {
                // Its own control variable starts clear at every call (a call in a loop runs the body again).
                Add(new IrAssign(jump, IrConstant.Of(JumpState.None)));
            }
            _current.AddRange(body.Statements);
            if (result is null || !resultUsed) return IrConstant.Of(0);
            return Read(result);
        }

        private static Dictionary<IMethodSymbol, ILocalFunctionOperation> FindLocalFunctions(IOperation anywhere)
        {
            IOperation root = anywhere;
            while (root.Parent is not null) root = root.Parent;
            var functions = new Dictionary<IMethodSymbol, ILocalFunctionOperation>(SymbolEqualityComparer.Default);
            foreach (ILocalFunctionOperation function in root.DescendantsAndSelf().OfType<ILocalFunctionOperation>())
            {
                functions[function.Symbol.OriginalDefinition] = function;
            }
            return functions;
        }
    }
}
