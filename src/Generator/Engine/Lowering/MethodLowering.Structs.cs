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
    /// Structs of reals (api.md v2: <c>Vector3</c>, <c>Complex</c>, a <c>record struct Point(double X, double Y)</c>, a tuple of
    /// doubles) by scalar replacement: a struct value is its leaves (<see cref="StructShape.Leaves"/>), a struct local or
    /// parameter one IR variable per leaf, so the IR, its analyses and both modes see only scalars. <c>new</c>, <c>with</c>,
    /// tuple literals, <c>default</c>, member reads and writes, <c>?:</c> and assignment work leaf by leaf; the members and
    /// operators of <c>System.Numerics</c> types expand into scalar code (MethodLowering.Numerics.cs); a user struct's
    /// constructors, methods, operators and computed properties are inlined from source (MethodLowering.LocalFunctions.cs).
    /// A struct value used whole anywhere else (passed to a method that is not inlined) is rebuilt, as data.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        /// <summary>A struct value: its shape and one operand per leaf.</summary>
        private sealed record StructValue(StructShape Shape, ImmutableArray<IrExpression> Leaves);

        /// <summary>A struct local, parameter or temporary: one variable per leaf.</summary>
        private sealed record StructVariable(StructShape Shape, ImmutableArray<IrVariable> Leaves)
        {
            public StructValue Value => new(Shape, Leaves.Select(l => (IrExpression)new IrVariableReference(l)).ToImmutableArray());
        }

        /// <summary>Struct locals and parameters (also of inlined functions), by symbol.</summary>
        private readonly Dictionary<ISymbol, StructVariable> _structVariables = new(SymbolEqualityComparer.Default);

        /// <summary>While a struct's own member is inlined: the struct <c>this</c> is.</summary>
        private StructVariable? _thisStruct;

        /// <summary>While a local function or member returning a struct is inlined: where its <c>return</c> stores.</summary>
        private StructVariable? _structResult;

        /// <summary>Temporaries holding a struct rebuilt from its leaves (a value passed whole), and those leaves.</summary>
        private readonly Dictionary<IrVariable, ImmutableArray<IrExpression>> _rebuiltStructs = new();

        private readonly Dictionary<ITypeSymbol, StructShape?> _shapes = new(SymbolEqualityComparer.Default);

        /// <summary>The shape of a struct of reals the generated code can take apart and rebuild; null for any other type.</summary>
        private StructShape? ShapeOf(ITypeSymbol? type)
        {
            if (type is null) return null;
            type = TypeSubstitution.Apply(type); // Vec<T> in the inlined body of a member of Vec<double>
            if (type.TypeKind != TypeKind.Struct || !MethodParser.IsDifferentiableStruct(type)) return null;
            if (!_shapes.TryGetValue(type, out StructShape? shape))
            {
                _shapes[type] = shape = StructShapes.Describe(type, _method.ContainingType, out _);
            }
            return shape;
        }

        /// <summary>
        /// The leaves of a struct parameter become parameters of the IR function, read as <c>p.X</c>. A parameter the body
        /// assigns (<c>p = …</c>, <c>(p, q) = (q, p)</c>) is copied into locals first, since a struct's members may be read-only.
        /// </summary>
        private void DeclareStructParameter(IParameterSymbol parameter, StructShape shape, ImmutableArray<IrVariable>.Builder parameters, IBlockOperation body)
        {
            string name = MethodParser.EscapeIdentifier(parameter.Name);
            var leaves = ImmutableArray.CreateBuilder<IrVariable>(shape.Leaves.Length);
            for (int i = 0; i < shape.Leaves.Length; i++)
            {
                IrVariable leaf = _variables.Create(name + shape.Leaves[i].Path, shape.Leaves[i].Type, IrVariableRole.Parameter, isDifferentiableParameter: true);
                leaf.StructLeaf = new StructLeafOf(name, shape, i);
                leaves.Add(leaf);
            }
            parameters.AddRange(leaves);
            var given = new StructVariable(shape, leaves.MoveToImmutable());
            if (!IsAssigned(parameter, body))
            {
                _structVariables[parameter] = given;
                return;
            }
            StructVariable copy = NewStructLocal(name, shape);
            StoreStruct(copy, given.Value, declaration: true);
            _structVariables[parameter] = copy;
        }

        /// <summary>Whether the body assigns the parameter or one of its members anywhere (conservatively: any target that mentions it).</summary>
        private static bool IsAssigned(IParameterSymbol parameter, IBlockOperation body)
        {
            bool Mentions(IOperation target) => target.DescendantsAndSelf().OfType<IParameterReferenceOperation>()
                .Any(p => SymbolEqualityComparer.Default.Equals(p.Parameter, parameter));
            return body.Descendants().Any(node => node switch
            {
                IAssignmentOperation assignment => Mentions(assignment.Target),
                IIncrementOrDecrementOperation increment => Mentions(increment.Target),
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => Mentions(argument.Value),
                IInvocationOperation { Instance: { } instance, TargetMethod.IsReadOnly: false } => Mentions(instance), // a mutating method
                _ => false,
            });
        }

        /// <summary>
        /// A struct output, <c>out S q</c> (<paramref name="name"/> <c>q</c>) or the returned <c>S</c> (null): the body assigns
        /// a struct local; each of its leaves is an output whose final value goes to a local of its own (<c>_q_X</c>), from
        /// which the companions build the caller's struct once the computation is done.
        /// </summary>
        private StructVariable DeclareStructOutput(string? name, StructShape shape, ImmutableArray<IrOutput>.Builder outputs)
        {
            StructVariable working = NewStructLocal(name ?? "_value", shape);
            for (int i = 0; i < shape.Leaves.Length; i++)
            {
                IrVariable final = _variables.Create("_" + (name ?? "result").TrimStart('@') + shape.Leaves[i].Path.Replace('.', '_'), shape.Leaves[i].Type, IrVariableRole.Local);
                outputs.Add(new IrOutput(final, working.Leaves[i]) { Leaf = new StructOutputLeaf(name, shape, i) });
            }
            return working;
        }

        /// <summary>Fresh locals, one per leaf: <c>p_X</c>, <c>p_Y</c>.</summary>
        private StructVariable NewStructLocal(string name, StructShape shape, IrVariableRole role = IrVariableRole.Local) =>
            new(shape, shape.Leaves.Select(leaf => _variables.Create(name + leaf.Path.Replace('.', '_'), leaf.Type, role)).ToImmutableArray());

        private void DeclareStructLocal(ILocalSymbol local, StructShape shape, IVariableInitializerOperation? initializer)
        {
            StructVariable variable = NewStructLocal(MethodParser.EscapeIdentifier(local.Name), shape);
            if (initializer is not null)
            {
                StoreStruct(variable, LowerStruct(initializer.Value, shape), declaration: true);
            }
            _structVariables[local] = variable;
        }

        /// <summary>Assigns every leaf; a leaf value that reads a leaf being assigned is read first (<c>p = new P(p.Y, p.X)</c>).</summary>
        private void StoreStruct(StructVariable target, StructValue value, bool declaration = false)
        {
            var values = value.Leaves.ToList();
            // A value that is a leaf stored earlier in this assignment is read before that store.
            for (int i = 0; i < values.Count; i++)
            {
                if (values[i] is IrVariableReference { Variable: var read } && target.Leaves.Take(i).Contains(read)) values[i] = Copy(values[i]);
            }
            for (int i = 0; i < values.Count; i++)
            {
                AssignTo(target.Leaves[i], ToLeafType(values[i], target.Leaves[i].Type));
                if (declaration && _current.Statements.Count > 0 && _current.Statements[_current.Statements.Count - 1] is IrAssign { } last && last.Target == target.Leaves[i])
                {
                    _current.Statements[_current.Statements.Count - 1] = last with { IsDeclaration = true };
                }
            }
        }

        /// <summary>A numeric operand converted to a leaf's type (an int constant, a float into a double).</summary>
        private IrExpression ToLeafType(IrExpression value, IrType type)
        {
            if (value.Type.CSharpName == type.CSharpName || !IsNumeric(value.Type)) return value;
            if (value is IrConstant { Value: { } constant } && constant is not bool)
            {
                return IrConstant.Real(System.Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture), type);
            }
            return Emit(new IrConvert(value, type));
        }

        private StructValue Zero(StructShape shape) =>
            new(shape, shape.Leaves.Select(l => (IrExpression)IrConstant.Real(0, l.Type)).ToImmutableArray());

        /// <summary>Lowers an expression of a struct of reals to its leaves.</summary>
        private StructValue LowerStruct(IOperation operation, StructShape shape)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            switch (operation)
            {
                case IParenthesizedOperation parenthesized:
                    return LowerStruct(parenthesized.Operand, shape);
                case IConversionOperation { OperatorMethod: null, Operand: ITupleOperation tuple }:
                    return LowerTuple(tuple, shape);
                case IConversionOperation { OperatorMethod: null, Operand.Type: { } sourceType } conversion when ShapeOf(sourceType) is { } sourceShape
                    && sourceShape.Leaves.Length == shape.Leaves.Length:
                {
                    // An identity or tuple conversion: (double, double) from a (double a, double b), or from (float, float).
                    StructValue source = LowerStruct(conversion.Operand, sourceShape);
                    return new StructValue(shape, source.Leaves.Select((l, i) => ToLeafType(l, shape.Leaves[i].Type)).ToImmutableArray());
                }
                case ITupleOperation tuple:
                    return LowerTuple(tuple, shape);
                case ILocalReferenceOperation local when _structVariables.TryGetValue(local.Local, out StructVariable? variable):
                    return variable.Value;
                case IParameterReferenceOperation parameter when _structVariables.TryGetValue(parameter.Parameter, out StructVariable? variable):
                    return variable.Value;
                case IInstanceReferenceOperation when _thisStruct is not null:
                    return _thisStruct.Value;
                case IDefaultValueOperation:
                    return Zero(shape);
                case IObjectCreationOperation creation:
                    return LowerStructCreation(creation, shape);
                case IWithOperation with:
                {
                    StructValue copy = LowerStruct(with.Operand, shape);
                    return with.Initializer is null ? copy : ApplyInitializer(copy, with.Initializer);
                }
                case IArrayElementReferenceOperation or IPropertyReferenceOperation or IFieldReferenceOperation when TryLowerStructElement(operation) is { } element:
                    return element; // p[i], p[i].Inner of an array of structs (MethodLowering.StructArrays.cs)
                case IFieldReferenceOperation or IPropertyReferenceOperation when StructMemberLeaves(operation) is { } member:
                    return member;
                case IConditionalOperation { WhenFalse: not null } conditional:
                {
                    IrExpression condition = LowerCondition(conditional.Condition);
                    StructVariable value = NewStructLocal("_s", shape, IrVariableRole.Temporary);
                    IrBlock whenTrue = Nested(() => StoreStructBranch(value, conditional.WhenTrue));
                    IrBlock whenFalse = Nested(() => StoreStructBranch(value, conditional.WhenFalse));
                    Add(new IrIf(condition, whenTrue, whenFalse));
                    return value.Value;
                }
                case ISimpleAssignmentOperation assignment:
                {
                    StructVariable? target = LowerStructAssignment(assignment, shape);
                    return target is null ? Zero(shape) : Snapshot(target.Value);
                }
                case IBinaryOperation { OperatorMethod: { } method } binary when !IsNumericsType(method.ContainingType, out _):
                    return LowerStructOperator(binary, method, binary.OperatorKind, binary.LeftOperand, binary.RightOperand, shape);
                case IInvocationOperation invocation when invocation.TargetMethod.MethodKind == MethodKind.LocalFunction:
                {
                    StructVariable result = NewStructLocal(LocalResultName(invocation.TargetMethod), shape);
                    LowerLocalFunctionCall(invocation, resultUsed: false, structResult: result);
                    return result.Value;
                }
                case IInvocationOperation invocation when InlinesDifferentiableCallee(invocation) && ReturnsStruct(invocation.TargetMethod):
                {
                    StructVariable result = NewStructLocal(LocalResultName(invocation.TargetMethod), shape);
                    InlineDifferentiableCallee(invocation, resultUsed: false, structResult: result); // MethodLowering.StructCallees.cs
                    return result.Value;
                }
                case IInvocationOperation invocation when ReturnsStructThroughCompanions(invocation):
                {
                    StructVariable result = NewStructLocal(LocalResultName(invocation.TargetMethod), shape);
                    LowerInvocation(invocation, resultUsed: true, structResult: result); // one call per leaf (MethodLowering.StructCallees.cs)
                    return result.Value;
                }
                default:
                    if (TryLowerNumericsStruct(operation, shape) is { } numerics) return numerics;
                    if (TryInlineStructMember(operation, shape) is { } inlined) return inlined;
                    // (a local or parameter here is not a struct variable: [NoDerivative] data, or a local of another method)
                    if (operation is IInvocationOperation or IMemberReferenceOperation or IArrayElementReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation)
                    {
                        return LowerStructAsData(operation, shape);
                    }
                    Unsupported(operation, "the struct value '" + Describe(operation) + "' (" + StructSupportHint + ")");
                    return Zero(shape);
            }
        }

        /// <summary>
        /// A struct value the engine does not follow, as data: a call that is not inlined (<c>double.SinCos(x)</c>, whose call
        /// reports a differentiable argument, ADG0102), a field of the class, a [NoDerivative] parameter. Its leaves are read from it.
        /// </summary>
        private StructValue LowerStructAsData(IOperation operation, StructShape shape) => LowerStructAsData(LowerExpressionCore(operation), shape);

        private StructValue LowerStructAsData(IrExpression whole, StructShape shape) =>
            new(shape, shape.Leaves.Select(leaf => Emit(new IrOpaque("{0}" + leaf.Path, ImmutableArray.Create(whole), leaf.Type))).ToImmutableArray());

        private const string StructSupportHint = "a struct of doubles or floats is differentiated through its locals, parameters, new, with, tuple literals, ?:, its fields, "
            + "the members of Vector2/3/4 and Complex, and the members of a struct whose code is in this compilation";

        private void StoreStructBranch(StructVariable target, IOperation arm)
        {
            if (!LoweredAsThrow(arm)) StoreStruct(target, LowerStruct(arm, target.Shape));
        }

        /// <summary>A struct value kept as it is now: its leaves copied when they are variables that may change.</summary>
        private StructValue Snapshot(StructValue value) =>
            value with { Leaves = value.Leaves.Select(l => l is IrVariableReference ? Copy(l) : l).ToImmutableArray() };

        /// <summary><c>(a, b)</c> into a tuple of shape <paramref name="shape"/>: each element converted to its member's type.</summary>
        private StructValue LowerTuple(ITupleOperation tuple, StructShape shape)
        {
            if (tuple.Elements.Length != shape.Members.Length)
            {
                Unsupported(tuple, "the tuple '" + Describe(tuple) + "'");
                return Zero(shape);
            }
            var leaves = ImmutableArray.CreateBuilder<IrExpression>(shape.Leaves.Length);
            for (int i = 0; i < tuple.Elements.Length; i++)
            {
                StructMember member = shape.Members[i];
                if (member.Nested is { } nested)
                {
                    leaves.AddRange(LowerStruct(tuple.Elements[i], nested).Leaves);
                }
                else
                {
                    // Evaluated in order: a later element that assigns this one's variable sees it snapshotted.
                    leaves.Add(ToLeafType(LowerOperand(tuple.Elements[i], tuple.Elements.Skip(i + 1).ToArray()), member.Scalar!));
                }
            }
            return new StructValue(shape, leaves.MoveToImmutable());
        }

        /// <summary><c>new P(a, b)</c>, <c>new P { X = a }</c>, <c>new P()</c>: a positional record's constructor, a known type's, or a user constructor inlined.</summary>
        private StructValue LowerStructCreation(IObjectCreationOperation creation, StructShape shape)
        {
            StructValue value;
            if (creation.Constructor is null || creation.Arguments.IsEmpty && creation.Constructor.IsImplicitlyDeclared)
            {
                value = Zero(shape);
            }
            else if (TryLowerNumericsCreation(creation, shape) is { } known)
            {
                value = known;
            }
            else if (shape.Construction == StructConstruction.Constructor && IsPositionalConstructor(creation.Constructor, shape))
            {
                var ordered = creation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).ToList();
                var leaves = ImmutableArray.CreateBuilder<IrExpression>(shape.Leaves.Length);
                for (int i = 0; i < ordered.Count; i++)
                {
                    StructMember member = shape.Members[i];
                    leaves.AddRange(member.Nested is { } nested
                        ? KeptIfLaterAssign(LowerStruct(ordered[i].Value, nested), ordered.Skip(i + 1).Select(a => a.Value)).Leaves
                        : ImmutableArray.Create(ToLeafType(LowerOperand(ordered[i].Value, ordered.Skip(i + 1).Select(a => a.Value).ToArray()), member.Scalar!)));
                }
                value = new StructValue(shape, leaves.MoveToImmutable());
            }
            else if (TryInlineStructMember(creation, shape) is { } constructed)
            {
                value = constructed;
            }
            else
            {
                Unsupported(creation, "the constructor call '" + Describe(creation) + "' (its code is not in this compilation: use a positional record struct, an object initializer or with)");
                return Zero(shape);
            }
            return creation.Initializer is null ? value : ApplyInitializer(value, creation.Initializer);
        }

        /// <summary>A record's primary constructor: its parameters are the members, by name and in order.</summary>
        private static bool IsPositionalConstructor(IMethodSymbol constructor, StructShape shape) =>
            StructShapes.IsRecord(constructor.ContainingType) && constructor.Parameters.Length == shape.Members.Length
            && constructor.Parameters.Select(p => MethodParser.EscapeIdentifier(p.Name)).SequenceEqual(shape.Members.Select(m => m.Name));

        /// <summary><c>{ X = a, Inner = b }</c> of <c>new</c> or <c>with</c>: the members named replaced, in order.</summary>
        private StructValue ApplyInitializer(StructValue value, IObjectOrCollectionInitializerOperation initializer)
        {
            // The struct being initialised is a copy: its leaves are kept before values that may assign them are evaluated.
            IrExpression[] leaves = (MayAssign(initializer.Initializers) ? Snapshot(value) : value).Leaves.ToArray();
            foreach (IOperation part in initializer.Initializers)
            {
                if (part is not ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Member: var member } } assignment
                    || value.Shape.IndexOf(MemberName(member)) is var index && index < 0)
                {
                    Unsupported(part, "the initializer '" + Describe(part) + "' (members of a struct of reals are set by name: X = a)");
                    continue;
                }
                StructMember target = value.Shape.Members[index];
                int first = value.Shape.FirstLeafOf(index);
                if (target.Nested is { } nested)
                {
                    ImmutableArray<IrExpression> inner = LowerStruct(assignment.Value, nested).Leaves;
                    for (int k = 0; k < inner.Length; k++) leaves[first + k] = inner[k];
                }
                else
                {
                    leaves[first] = ToLeafType(LowerExpression(assignment.Value), target.Scalar!);
                }
            }
            return value with { Leaves = leaves.ToImmutableArray() };
        }

        /// <summary>
        /// The leaves of <c>s.M</c> when <c>s</c> is a struct of reals and <c>M</c> one of its members (a double, or a nested
        /// struct); null otherwise (a computed property, a member of another type).
        /// </summary>
        private StructValue? StructMemberLeaves(IOperation operation)
        {
            if (operation is not IMemberReferenceOperation { Member: { IsStatic: false } member, Instance: { } instance }) return null;
            StructShape? owner = instance is IInstanceReferenceOperation ? _thisStruct?.Shape : ShapeOf(instance.Type);
            if (owner is null || (instance is IInstanceReferenceOperation && _thisStruct is null)) return null;
            int index = owner.IndexOf(MemberName(member));
            if (index < 0 || member is IPropertySymbol { IsIndexer: true }) return null;
            if (member is IPropertySymbol property && !IsAutoProperty(property, owner)) return null;
            StructValue whole = LowerStruct(instance, owner);
            StructMember m = owner.Members[index];
            int first = owner.FirstLeafOf(index);
            return new StructValue(m.Nested ?? owner, whole.Leaves.Skip(first).Take(m.LeafCount).ToImmutableArray());
        }

        /// <summary>
        /// Whether a property named like a member is that member (an auto-property's backing field, or a known type's
        /// field-like property such as <c>Complex.Real</c>), not a computed one that shares the name.
        /// </summary>
        private static bool IsAutoProperty(IPropertySymbol property, StructShape owner) =>
            property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(StructParameters.PropertyOf(f), property))
            || property.ContainingType.ContainingNamespace?.ToDisplayString() == "System.Numerics";

        /// <summary>A scalar member read <c>s.X</c> of a struct of reals: its leaf. Null when it is not one.</summary>
        private IrExpression? TryLowerStructScalarMember(IOperation operation)
        {
            if (operation.Type is not { } type || ShapeOf(type) is not null) return null;
            if (TryLowerStructElementScalar(operation) is { } elementLeaf) return elementLeaf; // p[i].X (MethodLowering.StructArrays.cs)
            if (StructMemberLeaves(operation) is { Leaves.Length: 1 } member) return member.Leaves[0];
            return TryLowerNumericsScalar(operation) ?? TryInlineStructScalar(operation);
        }

        /// <summary>The struct variable a place names: a struct local, <c>this</c> of an inlined member, or a member of one; null otherwise.</summary>
        private StructVariable? StructPlace(IOperation target)
        {
            switch (target)
            {
                case ILocalReferenceOperation local when _structVariables.TryGetValue(local.Local, out StructVariable? variable):
                    return variable;
                case IParameterReferenceOperation parameter when _structVariables.TryGetValue(parameter.Parameter, out StructVariable? variable):
                    if (variable.Leaves.Any(l => l.Role == IrVariableRole.Parameter))
                    {
                        Unsupported(target, "writing to the struct parameter '" + parameter.Parameter.Name + "' (copy it into a local first: var copy = " + parameter.Parameter.Name + ";)");
                        return null;
                    }
                    return variable;
                case IInstanceReferenceOperation when _thisStruct is not null:
                    return _thisStruct;
                case IMemberReferenceOperation { Member: { IsStatic: false } member, Instance: { } instance }:
                {
                    StructVariable? owner = StructPlace(instance);
                    if (owner is null) return null;
                    int index = owner.Shape.IndexOf(MemberName(member));
                    if (index < 0)
                    {
                        Unsupported(target, "writing '" + Describe(target) + "' (only the fields of a struct of reals can be assigned)");
                        return null;
                    }
                    StructMember m = owner.Shape.Members[index];
                    int first = owner.Shape.FirstLeafOf(index);
                    return new StructVariable(m.Nested ?? owner.Shape, owner.Leaves.Skip(first).Take(m.LeafCount).ToImmutableArray());
                }
                default:
                    return null;
            }
        }

        /// <summary>Whether <paramref name="target"/> is a member of a struct variable (<c>p.X</c>, <c>this.X</c> in an inlined constructor).</summary>
        private bool IsStructMemberPlace(IOperation target) =>
            target is IMemberReferenceOperation { Member.IsStatic: false, Instance: { } instance }
            && (instance is IInstanceReferenceOperation ? _thisStruct is not null : ShapeOf(instance.Type) is not null && IsStructVariableOperation(instance));

        private bool IsStructVariableOperation(IOperation operation) => operation switch
        {
            ILocalReferenceOperation local => _structVariables.ContainsKey(local.Local),
            IParameterReferenceOperation parameter => _structVariables.ContainsKey(parameter.Parameter),
            IInstanceReferenceOperation => _thisStruct is not null,
            IMemberReferenceOperation { Instance: { } inner } => IsStructVariableOperation(inner),
            _ => false,
        };

        /// <summary><c>s = value</c> for a struct local or member: every leaf stored. Returns the target (null when it cannot be assigned).</summary>
        private StructVariable? LowerStructAssignment(ISimpleAssignmentOperation assignment, StructShape shape)
        {
            StructVariable? target = StructPlace(assignment.Target);
            if (target is null)
            {
                if (assignment.Target is not IParameterReferenceOperation)
                {
                    Unsupported(assignment, "the assignment '" + Describe(assignment) + "' (a struct of reals is assigned to a local or to a member of one)");
                }
                return null;
            }
            StructValue value = LowerStruct(assignment.Value, shape);
            SetOriginIfNone(assignment);
            StoreStruct(target, value);
            return target;
        }

        /// <summary><c>v += w</c> on a struct with operators (Vector3, Complex, a user struct): <c>v = v + w</c>.</summary>
        private void LowerStructCompoundAssignment(ICompoundAssignmentOperation compound, StructShape shape)
        {
            if (TryLowerStructElementCompound(compound, shape)) return; // a[i] += d (MethodLowering.StructArrays.cs)
            StructVariable? target = StructPlace(compound.Target);
            if (target is null)
            {
                if (compound.Target is not IParameterReferenceOperation) Unsupported(compound, "the assignment '" + Describe(compound) + "'");
                return;
            }
            StructValue result = LowerStructOperator(compound, compound.OperatorMethod, compound.OperatorKind, compound.Target, compound.Value, shape);
            SetOriginIfNone(compound);
            StoreStruct(target, result);
        }

        /// <summary>
        /// A struct value used whole where the engine does not follow structs (an argument of a call that is not inlined, a
        /// comparison): rebuilt from its leaves, as data. A call that could carry its gradient reports it (ADG0102), as for a double.
        /// </summary>
        private IrExpression RebuildStruct(StructValue value)
        {
            string template = value.Shape.Build(i => "{" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}");
            IrExpression rebuilt = Emit(new IrOpaque(template, value.Leaves, new IrType(IrTypeKind.Other, value.Shape.TypeName)));
            if (rebuilt is IrVariableReference { Variable: var temporary }) _rebuiltStructs[temporary] = value.Leaves;
            return rebuilt;
        }

        /// <summary>The member of a struct shape a symbol names: a tuple element's name (<c>t.Sum</c>) is its field's (<c>Item1</c>).</summary>
        private static string MemberName(ISymbol member) =>
            MethodParser.EscapeIdentifier(member is IFieldSymbol { CorrespondingTupleField: { } field } ? field.Name : member.Name);

        /// <summary>The name of the variable a struct-returning local function's result is kept in.</summary>
        private static string LocalResultName(IMethodSymbol function)
        {
            string name = function.MethodKind switch
            {
                MethodKind.UserDefinedOperator => "_op",
                MethodKind.PropertyGet when function.AssociatedSymbol is { } property => property.Name,
                _ => function.Name,
            };
            return MethodParser.EscapeIdentifier(char.ToLowerInvariant(name[0]) + name.Substring(1));
        }
    }
}
