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

        private IrExpression LowerLocalFunctionCall(IInvocationOperation invocation, bool resultUsed, StructVariable? structResult = null)
        {
            IMethodSymbol function = invocation.TargetMethod.OriginalDefinition;
            _localFunctions ??= FindLocalFunctions(invocation);
            if (!_localFunctions.TryGetValue(function, out ILocalFunctionOperation? declaration) || declaration.Body is null)
            {
                return Unsupported(invocation, "the call of the local function '" + function.Name + "' (its body is not available)");
            }
            if (function.IsGenericMethod || function.IsAsync || declaration.Body.Syntax.DescendantNodes().Any(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.YieldStatementSyntax))
            {
                return Unsupported(invocation, "the call of the local function '" + function.Name + "' (a generic, async or iterator local function)");
            }
            var arguments = invocation.Arguments.Select(a => (a.Parameter!, a.Value, (IOperation)a)).ToList();
            return InlineBody(function, declaration.Body, invocation, arguments, receiver: null, structResult, resultUsed, "the local function '" + function.Name + "'",
                "local functions are differentiated by inlining them where they are called, so one cannot call itself: make it a [Differentiable] method, or write the loop");
        }

        /// <summary>
        /// Lowers a call by inlining <paramref name="body"/> in place: a local function's, or a struct member's from source
        /// (MethodLowering.StructMembers.cs). Scalars and structs are copied into the parameters, arrays are named;
        /// <paramref name="receiver"/> is <c>this</c> of a struct member; a <c>return</c> assigns the scalar result or
        /// <paramref name="structResult"/> and leaves the body.
        /// </summary>
        /// <param name="arguments">Each parameter with its argument's value, in source order, and where to report a problem with it.</param>
        private IrExpression InlineBody(IMethodSymbol function, IBlockOperation body, IOperation site, IReadOnlyList<(IParameterSymbol Parameter, IOperation Value, IOperation Syntax)> arguments,
            StructVariable? receiver, StructVariable? structResult, bool resultUsed, string what, string whyNoRecursion)
        {
            if (_inlining.Contains(function.OriginalDefinition, SymbolEqualityComparer.Default))
            {
                return Unsupported(site, "the recursive call of " + what + " (" + whyNoRecursion + ")");
            }
            foreach (var (parameter, _, syntax) in arguments)
            {
                if (parameter.RefKind is not (RefKind.None or RefKind.In))
                {
                    return Unsupported(syntax, "the argument '" + syntax.Syntax + "' (passed by reference to " + what + ")");
                }
            }

            // The arguments, in source order (a struct is copied into fresh locals at once); then each parameter bound to its
            // argument, in parameter order. Binding waits until every argument is evaluated: an argument may call this very
            // method (a + (b + c) with a user operator +), and that inner call binds the same parameter symbols.
            var evaluated = new List<(IParameterSymbol Parameter, IrExpression Value)>();
            var structArguments = new List<(IParameterSymbol Parameter, StructVariable Copy)>();
            for (int i = 0; i < arguments.Count; i++)
            {
                var (parameter, value, _) = arguments[i];
                if (StructArrayShape(parameter.Type, out _) is not null)
                {
                    // An array of structs is named, like an array: the callee's parameter is the caller's leaf arrays (MethodLowering.StructArrays.cs).
                    if (StructArrayOf(value) is { } structArray) _structArrays[parameter.OriginalDefinition] = structArray;
                    else UnsupportedWholeStructArray(value, "'" + Describe(value) + "'");
                    continue;
                }
                if (ShapeOf(parameter.Type) is { } shape)
                {
                    StructVariable copy = NewStructLocal(MethodParser.EscapeIdentifier(parameter.Name), shape);
                    StoreStruct(copy, LowerStruct(value, shape));
                    structArguments.Add((parameter, copy));
                    continue;
                }
                evaluated.Add((parameter, LowerOperand(value, arguments.Skip(i + 1).Select(a => a.Value).ToArray())));
            }
            // The body names its parameters as declared: a member of a generic struct (Vec<T>'s constructor, called as Vec<double>'s)
            // reads Vec<T>'s parameter symbols, so each binding is keyed by the parameter's original definition.
            foreach (var (parameter, copy) in structArguments) _structVariables[parameter.OriginalDefinition] = copy;
            SetOrigin(site);
            foreach (var (parameter, value) in evaluated.OrderBy(b => b.Parameter.Ordinal))
            {
                IrType type = TypeOf(parameter.Type);
                if (type.Kind == IrTypeKind.Array && value is IrVariableReference { Variable: var array } && !_freshTemporaries.Contains(array))
                {
                    _symbolVariables[parameter.OriginalDefinition] = array; // a reference to the caller's array, not a copy
                    if (array.Role == IrVariableRole.Temporary)
                    {
                        _sharedArrays.Add(array); // a field's or a call's array: the inlined body may read it, not write it
                    }
                    continue;
                }
                // A scalar is copied; an array created for the call (new[] { … }, a params array) becomes the parameter itself.
                IrVariable local = _variables.Create(MethodParser.EscapeIdentifier(parameter.Name), type, IrVariableRole.Local);
                _symbolVariables[parameter.OriginalDefinition] = local;
                AssignTo(local, value);
            }

            IrVariable? result = function.ReturnsVoid || structResult is not null ? null
                : _variables.Create(LocalResultName(function), TypeOf(function.ReturnType), IrVariableRole.Local);
            IrVariable? savedJump = _jump;
            IrVariable? savedResult = _resultVariable;
            StructVariable? savedStructResult = _structResult;
            StructVariable? savedThis = _thisStruct;
            _jump = null;
            _resultVariable = result;
            _structResult = structResult;
            _thisStruct = receiver;
            _inlining.Add(function.OriginalDefinition);
            IrBlock inlined;
            IrVariable? jump;
            try
            {
                using TypeSubstitution.Scope types = TypeSubstitution.Enter(function.ContainingType); // Parsing/TypeSubstitution.cs
                inlined = Nested(() => LowerStatementList(body.Operations));
                jump = _jump;
            }
            finally
            {
                _inlining.RemoveAt(_inlining.Count - 1);
                _jump = savedJump;
                _resultVariable = savedResult;
                _structResult = savedStructResult;
                _thisStruct = savedThis;
            }
            if (jump is not null)
            {
                // Its own control variable starts clear at every call (a call in a loop runs the body again).
                Add(new IrAssign(jump, IrConstant.Of(JumpState.None)));
            }
            _current.AddRange(inlined.Statements);
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
