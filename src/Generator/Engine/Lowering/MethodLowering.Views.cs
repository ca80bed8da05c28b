using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// Slices and rows as views: <c>s[a..b]</c>, <c>s.Slice(a)</c>, <c>s.Slice(a, n)</c>, <c>x.AsSpan(…)</c> of a span or
    /// array, a jagged row <c>m[i]</c> used as an array, and a span local that names a whole array. A view is never a
    /// value of the IR: its elements are elements of its storage (<c>t[k]</c> is <c>x[start + k]</c>, <c>row[k]</c> is
    /// <c>m[i][k]</c>), so a write through a slice changes the array, the slice's adjoint is the same window of the
    /// array's adjoint, and the analyses, which know nothing of aliasing, see one array. Only a view passed whole to a
    /// call is an <see cref="IrArrayView"/>. A range of an array (<c>x[1..]</c> on a <c>double[]</c>) is a copy in C#,
    /// and is lowered as one: a new array filled element by element. <c>stackalloc</c> makes a local scratch span.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary>A window onto <see cref="Array"/>: operands (constants or variables) of the IR.</summary>
        /// <param name="Array">The storage: a parameter or local array or span (a jagged array when <paramref name="Row"/> is set).</param>
        /// <param name="Row">For a row of a jagged array, its index.</param>
        /// <param name="Start">The first element; null when the window starts where the storage does.</param>
        /// <param name="Length">The number of elements.</param>
        /// <param name="Type">The view's C# type.</param>
        /// <param name="Checked">Whether an index must be checked against <paramref name="Length"/> (a slice; a whole row or array checks itself).</param>
        private sealed record View(IrVariableReference Array, IrExpression? Row, IrExpression? Start, IrExpression Length, IrType Type, bool Checked);

        /// <summary>A span or row local that is a view: the variables holding its window (reassigning it reassigns them).</summary>
        private sealed record ViewLocal(IrVariable Array, IrVariable? Row, IrVariable? Start, IrVariable Length, IrType Type)
        {
            public View Current => new(new IrVariableReference(Array), Row is null ? null : new IrVariableReference(Row),
                Start is null ? null : new IrVariableReference(Start), new IrVariableReference(Length), Type, Checked: Start is not null);
        }

        private readonly Dictionary<ISymbol, ViewLocal> _viewLocals = new(SymbolEqualityComparer.Default);

        /// <summary>Whether the operation denotes a view (a slice, a row, a view local); null when it is anything else.</summary>
        private View? TryLowerView(IOperation operation)
        {
            switch (operation)
            {
                case IParenthesizedOperation parenthesized:
                    return TryLowerView(parenthesized.Operand);
                case IConversionOperation { IsImplicit: true, Type: { } target } conversion
                    when TypeOf(target) is { Kind: IrTypeKind.Array, Layout: ArrayLayout.Span or ArrayLayout.ReadOnlySpan } targetType
                    && conversion.Operand.Type is { } sourceType && TypeOf(sourceType) is { Kind: IrTypeKind.Array, Layout: ArrayLayout.Vector or ArrayLayout.Span } source
                    && source.Element == targetType.Element:
                {
                    // Span -> ReadOnlySpan, array -> span: the same window under another type.
                    View? inner = TryLowerView(conversion.Operand) ?? WholeView(conversion.Operand);
                    return inner is null ? null : inner with { Type = targetType };
                }
                case ILocalReferenceOperation local when _viewLocals.TryGetValue(local.Local, out ViewLocal? viewLocal):
                    return viewLocal.Current;
                case IArrayElementReferenceOperation { Indices.Length: 1, ArrayReference.Type: { } ownerType } row
                    when TypeOf(ownerType).Layout == ArrayLayout.Jagged && IsInteger(row.Indices[0].Type):
                {
                    IrExpression owner = LowerArrayOperand(row.ArrayReference);
                    if (owner is not IrVariableReference ownerReference) return null;
                    IrExpression index = Snapshot(LowerExpression(row.Indices[0]));
                    IrExpression length = Emit(new IrOpaque("{0}[{1}].Length", ImmutableArray.Create(owner, index), IrType.Int));
                    return new View(ownerReference, index, null, length, IrType.ArrayOf(owner.Type.Element!, ArrayLayout.Vector), Checked: false);
                }
                case IImplicitIndexerReferenceOperation { Argument: IRangeOperation range, Instance: var instance, Type: { } sliceType }:
                {
                    View? source = SourceView(instance);
                    return source is null ? null : RangeOf(source, range, TypeOf(sliceType));
                }
                case IInvocationOperation { TargetMethod: var method, Type: { } resultType } invocation
                    when method.Name is "Slice" or "AsSpan" && TypeOf(resultType) is { Layout: ArrayLayout.Span or ArrayLayout.ReadOnlySpan } viewType:
                {
                    bool isSlice = method.Name == "Slice" && !method.IsStatic && invocation.Instance is not null
                        && method.ContainingType is { Name: "Span" or "ReadOnlySpan" } && method.ContainingNamespace?.ToDisplayString() == "System";
                    bool isAsSpan = method.Name == "AsSpan" && method.IsExtensionMethod && method.ContainingType is { Name: "MemoryExtensions" }
                        && invocation.Arguments.Length >= 1 && invocation.Arguments[0].Value.Type is IArrayTypeSymbol;
                    var counts = invocation.Arguments.Skip(isAsSpan ? 1 : 0).Select(a => a.Value).ToList();
                    if (!(isSlice || isAsSpan) || counts.Any(c => !IsInteger(c.Type)) || counts.Count > 2 || isSlice && counts.Count == 0)
                    {
                        return null; // AsSpan(Range), AsSpan(Index): reported as calls
                    }
                    View? source = SourceView(isSlice ? invocation.Instance! : invocation.Arguments[0].Value);
                    if (source is null) return null;
                    var operands = LowerOperands(counts, null).Select(Snapshot).ToList();
                    if (operands.Count == 0) return source with { Type = viewType };
                    return Window(source, operands[0], operands.Count == 2 ? operands[1] : null, viewType);
                }
                default:
                    return null;
            }
        }

        /// <summary>
        /// Whether the operation makes or names a view (checked before lowering anything, so that whatever is not a view
        /// lowers as before): a view local, a jagged row, a range of a span, <c>Slice</c>, <c>AsSpan</c>, or such a
        /// thing converted to a span type.
        /// </summary>
        private bool IsViewSyntax(IOperation operation) => operation switch
        {
            IParenthesizedOperation parenthesized => IsViewSyntax(parenthesized.Operand),
            IConversionOperation { IsImplicit: true } conversion => IsViewSyntax(conversion.Operand),
            ILocalReferenceOperation local => _viewLocals.ContainsKey(local.Local),
            IArrayElementReferenceOperation { Indices.Length: 1, ArrayReference.Type: { } ownerType } row =>
                IsInteger(row.Indices[0].Type) && TypeOf(ownerType).Layout == ArrayLayout.Jagged,
            IImplicitIndexerReferenceOperation { Argument: IRangeOperation } => true,
            IInvocationOperation { TargetMethod.Name: "Slice" or "AsSpan", Type: { } type } => TypeOf(type).Layout is ArrayLayout.Span or ArrayLayout.ReadOnlySpan,
            _ => false,
        };

        /// <summary>The storage a slice is taken of: a view, or a whole array or span.</summary>
        private View? SourceView(IOperation source) => TryLowerView(WithoutArrayToSpanConversion(source)) ?? WholeView(source);

        /// <summary>Whether the method assigns <paramref name="local"/> anywhere but in its declaration.</summary>
        private static bool IsAssignedAfterDeclaration(IOperation within, ILocalSymbol local)
        {
            IOperation root = within;
            while (root.Parent is not null) root = root.Parent;
            return root.DescendantsAndSelf().Any(o => o is ISimpleAssignmentOperation or ICompoundAssignmentOperation or IDeconstructionAssignmentOperation
                && o.ChildOperations.FirstOrDefault()?.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Local, local)
                    && r.Parent is not (IArrayElementReferenceOperation or IPropertyReferenceOperation or IImplicitIndexerReferenceOperation)) == true);
        }

        /// <summary>A whole array or span variable (a parameter or local) as a view of itself.</summary>
        /// <param name="persistent">Whether the view outlives the expression (a local or a slice names it), rather than being used at once (x[^1], x[1..]).</param>
        private View? WholeView(IOperation operation, bool persistent = true)
        {
            operation = WithoutArrayToSpanConversion(operation);
            if (operation is not (ILocalReferenceOperation or IParameterReferenceOperation) || operation.Type is null
                || TypeOf(operation.Type) is not { Kind: IrTypeKind.Array, Layout: ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan } type)
            {
                return null;
            }
            if (persistent && operation is ILocalReferenceOperation { Local: var local } && IsAssignedAfterDeclaration(operation, local))
            {
                // A view keeps the array it was made of; the local names whatever array it was last given.
                Unsupported(operation, "a span or slice of '" + local.Name + "', which is assigned another array elsewhere in the method (a view would follow the local, not the array; use another local for the other array)");
                return null;
            }
            if (LowerExpression(operation) is not IrVariableReference storage) return null;
            IrExpression length = Emit(new IrOpaque("{0}.Length", ImmutableArray.Create<IrExpression>(storage), IrType.Int));
            return new View(storage, null, null, length, type, Checked: false);
        }

        /// <summary><c>source.Slice(start, length)</c> (length null: to the end), with the check the slice makes.</summary>
        private View Window(View source, IrExpression start, IrExpression? length, IrType type)
        {
            IrExpression count = length ?? Emit(new IrBinary(IrBinaryOperator.Subtract, source.Length, start, IrType.Int));
            Add(new IrEffect(new IrOpaque("global::AutoDiffGen.Runtime.Views.Slice({0}, {1}, {2})", ImmutableArray.Create(start, count, source.Length), IrType.Int)));
            IrExpression first = source.Start is null ? start : Emit(new IrBinary(IrBinaryOperator.Add, source.Start, start, IrType.Int));
            return new View(source.Array, source.Row, first, count, type, Checked: true);
        }

        /// <summary><c>source[a..b]</c>, either end possibly from the end (<c>^k</c>) or absent.</summary>
        private View? RangeOf(View source, IRangeOperation range, IrType type)
        {
            IrExpression? start = range.LeftOperand is null ? IrConstant.Of(0) : IndexValue(range.LeftOperand, source.Length);
            IrExpression? end = range.RightOperand is null ? source.Length : IndexValue(range.RightOperand, source.Length);
            if (start is null || end is null) return null;
            start = Snapshot(start);
            end = Snapshot(end);
            Add(new IrEffect(new IrOpaque("global::AutoDiffGen.Runtime.Views.Range({0}, {1}, {2})", ImmutableArray.Create(start, end, source.Length), IrType.Int)));
            IrExpression count = Emit(new IrBinary(IrBinaryOperator.Subtract, end, start, IrType.Int));
            IrExpression first = source.Start is null ? start : Emit(new IrBinary(IrBinaryOperator.Add, source.Start, start, IrType.Int));
            return new View(source.Array, source.Row, first, count, type, Checked: true);
        }

        /// <summary>An <see cref="System.Index"/> operand as an int counted from the start: <c>k</c>, or <c>length - k</c> for <c>^k</c>; null for any other Index value.</summary>
        private IrExpression? IndexValue(IOperation index, IrExpression length)
        {
            switch (index)
            {
                case IConversionOperation { IsImplicit: true } conversion when IsInteger(conversion.Operand.Type):
                    return LowerExpression(conversion.Operand);
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } hat when IsInteger(hat.Operand.Type):
                    return Emit(new IrBinary(IrBinaryOperator.Subtract, length, LowerExpression(hat.Operand), IrType.Int));
                case var other when IsInteger(other.Type):
                    return LowerExpression(other);
                default:
                    Unsupported(index, "the index '" + Describe(index) + "' (an index is an integer, or ^k counted from the end)");
                    return null;
            }
        }

        /// <summary>Element <paramref name="index"/> of a view, as an element of its storage (checked as the view's indexer checks it).</summary>
        private IrElementRead ViewElement(View view, IrExpression index)
        {
            if (view.Checked)
            {
                Add(new IrEffect(new IrOpaque("global::AutoDiffGen.Runtime.Views.Index({0}, {1})", ImmutableArray.Create(index, view.Length), IrType.Int)));
            }
            IrExpression position = view.Start is null ? index : index is IrConstant { Value: 0 } ? view.Start : Emit(new IrBinary(IrBinaryOperator.Add, view.Start, index, IrType.Int));
            ImmutableArray<IrExpression> indices = view.Row is null ? ImmutableArray.Create(position) : ImmutableArray.Create(view.Row, position);
            return new IrElementRead(view.Array, indices, view.Array.Type.Element!);
        }

        /// <summary>
        /// An element access whose array is a view (<c>t[k]</c>, <c>row[k]</c>, <c>x[1..][k]</c>, <c>s.Slice(1)[k]</c>), or
        /// an index counted from the end (<c>x[^1]</c>); null for anything else.
        /// </summary>
        private IrElementRead? ViewElementAccess(IOperation operation, IOperation? evaluatedAfter)
        {
            IOperation? owner;
            IOperation? index;
            switch (operation)
            {
                case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance, Arguments.Length: 1 } indexer when IsInteger(indexer.Arguments[0].Value.Type):
                    owner = instance;
                    index = indexer.Arguments[0].Value;
                    break;
                case IArrayElementReferenceOperation { Indices.Length: 1 } element when element.Indices[0].Type is { } indexType
                    && (IsInteger(indexType) || IsSystemIndex(indexType)) && element.ArrayReference.Type is IArrayTypeSymbol { Rank: 1 }:
                    owner = element.ArrayReference;
                    index = element.Indices[0];
                    break;
                case IImplicitIndexerReferenceOperation { Instance: var instance, Argument: var argument } when argument.Type is { } argumentType && IsSystemIndex(argumentType):
                    owner = instance;
                    index = argument;
                    break;
                default:
                    return null;
            }
            bool fromEnd = index.Type is { } t && IsSystemIndex(t);
            if (!fromEnd && !(IsViewSyntax(owner) && owner is not IArrayElementReferenceOperation))
            {
                return null; // x[i], m[i][j]: the ordinary element access
            }
            View? view = TryLowerView(owner);
            if (view is null && fromEnd)
            {
                view = WholeView(owner, persistent: false);
            }
            if (view is null) return null;
            IrExpression? position = fromEnd ? IndexValue(index, view.Length) : LowerOperand(index, evaluatedAfter is null ? System.Array.Empty<IOperation>() : new[] { evaluatedAfter });
            if (position is null) return null;
            if (fromEnd && !view.Checked)
            {
                // x[^k] on a whole array or span: the storage's own indexer checks x.Length - k.
                ImmutableArray<IrExpression> indices = view.Row is null ? ImmutableArray.Create(position) : ImmutableArray.Create(view.Row, position);
                return new IrElementRead(view.Array, indices, view.Array.Type.Element!);
            }
            return ViewElement(view, position);
        }

        /// <summary>A view used as a whole value (passed to a call): an <see cref="IrArrayView"/>, or its storage when it is the whole of it.</summary>
        private IrExpression ViewValue(View view) =>
            view.Row is null && view.Start is null && view.Type == view.Array.Type
                ? view.Array
                : new IrArrayView(view.Array, view.Row, view.Start, view.Length, view.Type);

        /// <summary>
        /// A local initialised with a view (<c>Span&lt;double&gt; t = x.AsSpan(1, 3)</c>, <c>double[] row = m[i]</c>,
        /// <c>ReadOnlySpan&lt;double&gt; s = x</c>): the local names the window; false when the initializer is no view.
        /// </summary>
        private bool TryDeclareView(ILocalSymbol local, IOperation value)
        {
            IrType type = TypeOf(local.Type);
            if (type.Kind != IrTypeKind.Array || type.Rank != 1) return false;
            int reported = _diagnostics.Count;
            View? view = TryLowerView(value);
            if (view is null && type.Layout is ArrayLayout.Span or ArrayLayout.ReadOnlySpan) view = WholeView(value);
            if (view is null && _diagnostics.Count > reported)
            {
                // Reported (a view of a reassigned local): the local is declared, so its uses report nothing more.
                _symbolVariables[local] = _variables.Create(MethodParser.EscapeIdentifier(local.Name), type, IrVariableRole.Local);
                return true;
            }
            if (view is null) return false;
            string name = MethodParser.EscapeIdentifier(local.Name);
            var viewLocal = new ViewLocal(
                view.Array.Variable,
                view.Row is null ? null : _variables.Create(name + "Row", IrType.Int, IrVariableRole.Local),
                view.Start is null && view.Row is not null ? null : _variables.Create(name + "Start", IrType.Int, IrVariableRole.Local),
                _variables.Create(name + "Length", IrType.Int, IrVariableRole.Local),
                type);
            AssignView(viewLocal, view);
            _viewLocals[local] = viewLocal;
            return true;
        }

        /// <summary><c>t = x.Slice(…)</c> for a view local: a new window onto the same storage.</summary>
        private IrExpression? TryAssignView(ISimpleAssignmentOperation assignment)
        {
            if (assignment.Target is not ILocalReferenceOperation { Local: var local } || !_viewLocals.TryGetValue(local, out ViewLocal? viewLocal))
            {
                return null;
            }
            View? view = TryLowerView(assignment.Value) ?? (viewLocal.Row is null ? WholeView(assignment.Value) : null);
            if (view is null || view.Array.Variable != viewLocal.Array || (view.Row is null) != (viewLocal.Row is null) || view.Start is not null && viewLocal.Start is null)
            {
                return Unsupported(assignment, "the assignment to '" + local.Name + "' (a span or row that is a view of one array may be given another window of that same array: "
                    + "t = t.Slice(1), row = m[j]; use another local for another array)");
            }
            SetOriginIfNone(assignment);
            AssignView(viewLocal, view);
            return ViewValue(viewLocal.Current);
        }

        private void AssignView(ViewLocal local, View view)
        {
            if (local.Row is not null) Add(new IrAssign(local.Row, view.Row!));
            if (local.Start is not null) Add(new IrAssign(local.Start, view.Start ?? IrConstant.Of(0)));
            Add(new IrAssign(local.Length, view.Length));
        }

        /// <summary>A member of a view: its <c>Length</c> or <c>IsEmpty</c>; null for any other member or a non-view.</summary>
        private IrExpression? ViewMember(ISymbol member, IOperation? instance)
        {
            if (instance is null || member.Name is not ("Length" or "IsEmpty")) return null;
            if (!IsViewSyntax(instance) || instance is IArrayElementReferenceOperation) return null; // m[i].Length is read as it is
            View? view = TryLowerView(instance);
            if (view is null) return null;
            return member.Name == "Length" ? view.Length : Emit(new IrBinary(IrBinaryOperator.Equals, view.Length, IrConstant.Of(0), IrType.Bool));
        }

        /// <summary>
        /// <c>x[a..b]</c> of an array: a copy, as in C# (<c>RuntimeHelpers.GetSubArray</c>). A new array of the range's
        /// length, filled element by element, so its adjoint flows back into <c>x</c>'s.
        /// </summary>
        private IrExpression LowerArrayRange(IArrayElementReferenceOperation element, IrVariable? into)
        {
            View? source = WholeView(element.ArrayReference, persistent: false) ?? TryLowerView(element.ArrayReference);
            if (source is null || element.Indices[0] is not IRangeOperation range || element.Type is null)
            {
                return Unsupported(element, "the range '" + Describe(element) + "' (a range is taken of an array or span parameter or local)");
            }
            View? window = RangeOf(source, range, TypeOf(element.Type));
            if (window is null) return IrConstant.Of(0);
            IrType arrayType = IrType.ArrayOf(source.Array.Type.Element!, ArrayLayout.Vector);
            IrVariable copy = into ?? _variables.Create("_range", arrayType, IrVariableRole.Local);
            Add(new IrAssign(copy, new IrNewArray(arrayType, ImmutableArray.Create(window.Length))) { IsDeclaration = into is null });

            // for (int k = 0; k < length; k++) copy[k] = x[start + k];
            IrVariable k = _variables.Create("_k", IrType.Int, IrVariableRole.Local);
            Add(new IrAssign(k, IrConstant.Of(0)) { IsDeclaration = true });
            IrVariable proceed = _variables.Create("_proceed", IrType.Bool, IrVariableRole.Control);
            IrBlock head = Nested(() => Add(new IrAssign(proceed, new IrBinary(IrBinaryOperator.LessThan, Read(k), window.Length, IrType.Bool))));
            IrBlock body = Nested(() =>
            {
                IrExpression position = window.Start is null ? Read(k) : Emit(new IrBinary(IrBinaryOperator.Add, window.Start, Read(k), IrType.Int));
                ImmutableArray<IrExpression> indices = window.Row is null ? ImmutableArray.Create(position) : ImmutableArray.Create(window.Row, position);
                IrExpression value = Emit(new IrElementRead(window.Array, indices, arrayType.Element!));
                Add(new IrElementWrite(copy, ImmutableArray.Create<IrExpression>(Read(k)), value));
                Add(new IrAssign(k, new IrBinary(IrBinaryOperator.Add, Read(k), IrConstant.Of(1), IrType.Int)));
            });
            Add(new IrLoop(head, Read(proceed), body));
            return Read(copy);
        }

        /// <summary>Whether the operation is a range of an array (<c>x[1..]</c> on a <c>double[]</c>), which C# copies.</summary>
        private static bool IsArrayRange(IOperation operation) =>
            operation is IArrayElementReferenceOperation { Indices.Length: 1 } element && element.Indices[0] is IRangeOperation
            && element.ArrayReference.Type is IArrayTypeSymbol { Rank: 1 };

        /// <summary>
        /// <c>Span&lt;double&gt; t = stackalloc double[n];</c> (or <c>stackalloc double[] { … }</c>): a zeroed local scratch
        /// span; its adjoint is a pooled buffer. Inside a loop it is refused: every iteration would take more stack (the
        /// compiler warns about it too) and the reverse sweep cannot keep a span per iteration.
        /// </summary>
        private bool TryDeclareStackalloc(ILocalSymbol local, IVariableDeclaratorOperation declarator, IOperation value)
        {
            if (value.Syntax is not (StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax)) return false;
            IrType type = TypeOf(local.Type);
            IrType spanType = type.Element is null ? type : IrType.ArrayOf(type.Element, ArrayLayout.Span);
            IrVariable variable = _variables.Create(MethodParser.EscapeIdentifier(local.Name), spanType, IrVariableRole.Local);
            _symbolVariables[local] = variable; // declared whatever is wrong with it: its uses report nothing more
            if (type.Layout is not (ArrayLayout.Span or ArrayLayout.ReadOnlySpan) || type.Element is null)
            {
                Unsupported(value, "stackalloc into '" + local.Type.ToDisplayString() + "' (stackalloc is supported into a Span<double> or Span<float> local)");
                return true;
            }
            if (declarator.Syntax.Ancestors().TakeWhile(a => a is not (MemberDeclarationSyntax or LocalFunctionStatementSyntax))
                .Any(a => a is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax))
            {
                Unsupported(value, "stackalloc inside a loop (declare the scratch span once, before the loop, and reuse it)");
                return true;
            }
            // Roslyn has no IOperation of its own for stackalloc: its length and initializer are read from the syntax.
            (ExpressionSyntax? size, InitializerExpressionSyntax? initializer) = value.Syntax switch
            {
                StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax { RankSpecifiers.Count: 1 } arrayType } explicitArray
                    when arrayType.RankSpecifiers[0].Sizes.Count == 1 =>
                    (arrayType.RankSpecifiers[0].Sizes[0] is OmittedArraySizeExpressionSyntax ? null : arrayType.RankSpecifiers[0].Sizes[0], explicitArray.Initializer),
                ImplicitStackAllocArrayCreationExpressionSyntax implicitArray => ((ExpressionSyntax?)null, implicitArray.Initializer),
                _ => (null, null),
            };
            IOperation? length = size is null ? null : value.SemanticModel?.GetOperation(size, _cancellationToken);
            var elements = initializer?.Expressions.Select(e => value.SemanticModel?.GetOperation(e, _cancellationToken)).ToList();
            if ((length is null && elements is null) || elements is not null && elements.Any(e => e is null) || value.SemanticModel is null)
            {
                Unsupported(value, "this stackalloc (write stackalloc double[n] or stackalloc double[] { … })");
                return true;
            }
            IrExpression count = length is not null ? LowerExpression(length) : IrConstant.Of(elements!.Count);
            Add(new IrAssign(variable, new IrNewArray(spanType, ImmutableArray.Create(count))) { IsDeclaration = true });
            for (int i = 0; elements is not null && i < elements.Count; i++)
            {
                Store(new Place(null, variable, ImmutableArray.Create<IrExpression>(IrConstant.Of(i)), type.Element), LowerExpression(elements[i]!));
            }
            return true;
        }

        /// <summary>
        /// <c>foreach (double[] row in m)</c> over a jagged array parameter or local: each row is a view (<c>row[k]</c> is
        /// <c>m[i][k]</c>), as <c>for (int i = 0; i &lt; m.Length; i++) { double[] row = m[i]; … }</c>. False for any other foreach.
        /// </summary>
        private bool TryLowerForEachRow(IForEachLoopOperation forEach, IOperation collection)
        {
            if (collection.Type is not { } type || TypeOf(type).Layout != ArrayLayout.Jagged || forEach.IsAsynchronous
                || forEach.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: var rowSymbol }
                || TypeOf(rowSymbol.Type) is not { Layout: ArrayLayout.Vector or ArrayLayout.Span or ArrayLayout.ReadOnlySpan } rowType)
            {
                return false;
            }
            if (LowerArrayOperand(collection) is not IrVariableReference { Variable: { Role: IrVariableRole.Parameter or IrVariableRole.Local } owner })
            {
                Unsupported(forEach, "a foreach loop over the rows of '" + collection.Syntax + "' (rows of a jagged array parameter or local)");
                return true;
            }
            IrVariable index = _variables.Create("_index", IrType.Int, IrVariableRole.Local);
            Add(new IrAssign(index, IrConstant.Of(0)) { IsDeclaration = true });
            string name = MethodParser.EscapeIdentifier(rowSymbol.Name);
            var row = new ViewLocal(owner, _variables.Create(name + "Row", IrType.Int, IrVariableRole.Local), null,
                _variables.Create(name + "Length", IrType.Int, IrVariableRole.Local), rowType);
            _viewLocals[rowSymbol] = row;
            LowerLoop(forEach,
                () => Emit(new IrBinary(IrBinaryOperator.LessThan, Read(index), Emit(new IrOpaque("{0}.Length", ImmutableArray.Create<IrExpression>(Read(owner)), IrType.Int)), IrType.Bool)),
                forEach.Body,
                () => Add(new IrAssign(index, new IrBinary(IrBinaryOperator.Add, Read(index), IrConstant.Of(1), IrType.Int))),
                () =>
                {
                    Add(new IrAssign(row.Row!, Read(index)));
                    Add(new IrAssign(row.Length, new IrOpaque("{0}[{1}].Length", ImmutableArray.Create<IrExpression>(Read(owner), Read(index)), IrType.Int)));
                },
                conditionAtTop: true);
            return true;
        }

        /// <summary>An operand copied to a temporary if it is a variable that may change (a view's bounds are fixed when it is made).</summary>
        private IrExpression Snapshot(IrExpression operand) =>
            operand is IrVariableReference { Variable.Role: not IrVariableRole.Temporary } ? Copy(operand) : operand;

        private static bool IsInteger(ITypeSymbol? type) =>
            type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int16 or SpecialType.System_SByte or SpecialType.System_Byte
                or SpecialType.System_UInt16 or SpecialType.System_Char;

        private static bool IsSystemIndex(ITypeSymbol type) =>
            type is INamedTypeSymbol { Name: "Index", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
    }
}
