using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>
    /// The members and operators of <c>System.Numerics</c> <c>Vector2/3/4</c> and <c>Complex</c>, expanded into scalar code
    /// on their leaves (design.md: the vector types' entries of the rule table are these expansions; each scalar operation
    /// they produce is an ordinary rule): <c>+ - * /</c>, <c>Dot</c>, <c>Cross</c>, <c>Length</c>, <c>Normalize</c>,
    /// <c>Distance</c>, <c>Lerp</c>, <c>Complex.Exp</c>, <c>Log</c>, <c>Abs</c>, <c>Magnitude</c>…, in the types' own precision
    /// (float for vectors, double for Complex). A member not listed is reported, never passed through.
    /// </summary>
    internal sealed partial class MethodLowering
    {
        private static bool IsNumericsType(ITypeSymbol? type, out string name)
        {
            name = type?.Name ?? "";
            return type is INamedTypeSymbol { ContainingNamespace: { } ns } && ns.ToDisplayString() == "System.Numerics"
                && name is "Vector2" or "Vector3" or "Vector4" or "Complex" or "Quaternion";
        }

        // ---------------------------------------------------------------- scalar arithmetic on leaves

        private IrExpression Add(IrExpression a, IrExpression b) => Emit(new IrBinary(IrBinaryOperator.Add, a, b, a.Type));
        private IrExpression Sub(IrExpression a, IrExpression b) => Emit(new IrBinary(IrBinaryOperator.Subtract, a, b, a.Type));
        private IrExpression Mul(IrExpression a, IrExpression b) => Emit(new IrBinary(IrBinaryOperator.Multiply, a, b, a.Type));
        private IrExpression Div(IrExpression a, IrExpression b) => Emit(new IrBinary(IrBinaryOperator.Divide, a, b, a.Type));
        private IrExpression Neg(IrExpression a) => Emit(new IrUnary(IrUnaryOperator.Negate, a, a.Type));
        private IrExpression Call(MathFunction function, params IrExpression[] arguments) => Emit(new IrMathCall(function, arguments.ToImmutableArray(), arguments[0].Type));

        /// <summary>Σ aᵢ·bᵢ over the leaves.</summary>
        private IrExpression Dot(StructValue a, StructValue b)
        {
            IrExpression sum = Mul(a.Leaves[0], b.Leaves[0]);
            for (int i = 1; i < a.Leaves.Length; i++) sum = Add(sum, Mul(a.Leaves[i], b.Leaves[i]));
            return sum;
        }

        private StructValue Map(StructShape shape, System.Func<int, IrExpression> leaf) =>
            new(shape, Enumerable.Range(0, shape.Leaves.Length).Select(leaf).ToImmutableArray());

        /// <summary>A scalar operand in a leaf's type (a float factor of a Vector3, a double of a Complex).</summary>
        private IrExpression ScalarOperand(IOperation operand, IrType type, params IOperation[] evaluatedLater) =>
            ToLeafType(LowerOperand(operand, evaluatedLater), type);

        /// <summary>An operand that is a struct of <paramref name="shape"/> (kept as it is now), or a scalar in its leaves' type.</summary>
        private (StructValue? Struct, IrExpression? Scalar) VectorOrScalar(IOperation operand, StructShape shape, params IOperation[] evaluatedLater)
        {
            IOperation unwrapped = operand;
            while (unwrapped is IConversionOperation { OperatorMethod: null, IsImplicit: true } conversion && ShapeOf(conversion.Operand.Type) is not null) unwrapped = conversion.Operand;
            if (ShapeOf(unwrapped.Type) is { } operandShape)
            {
                StructValue value = LowerStruct(operand, operandShape);
                return (MayAssign(evaluatedLater) ? Snapshot(value) : value, null);
            }
            return (null, ScalarOperand(operand, shape.Leaves[0].Type, evaluatedLater));
        }

        // ---------------------------------------------------------------- struct-valued members

        private StructValue? TryLowerNumericsCreation(IObjectCreationOperation creation, StructShape shape)
        {
            if (!IsNumericsType(creation.Type, out string type) || creation.Constructor is null) return null;
            var arguments = creation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList();
            if (arguments.Any(a => a.Type is IArrayTypeSymbol || a.Type?.Name is "ReadOnlySpan" or "Span")) return null; // from a span: not a value of reals
            var leaves = new List<IrExpression>();
            for (int i = 0; i < arguments.Count; i++)
            {
                IOperation[] later = arguments.Skip(i + 1).ToArray();
                if (ShapeOf(arguments[i].Type) is { } inner)
                {
                    StructValue part = LowerStruct(arguments[i], inner); // new Vector3(xy, z), new Vector4(xyz, w)
                    leaves.AddRange((MayAssign(later) ? Snapshot(part) : part).Leaves);
                }
                else
                {
                    leaves.Add(ScalarOperand(arguments[i], shape.Leaves[leaves.Count < shape.Leaves.Length ? leaves.Count : 0].Type, later));
                }
            }
            if (leaves.Count == 1 && shape.Leaves.Length > 1 && type != "Complex")
            {
                return Map(shape, _ => leaves[0]); // new Vector3(s): every component s
            }
            return leaves.Count == shape.Leaves.Length ? new StructValue(shape, leaves.ToImmutableArray()) : null;
        }

        private StructValue? TryLowerNumericsStruct(IOperation operation, StructShape shape)
        {
            switch (operation)
            {
                case IMemberReferenceOperation { Member: { IsStatic: true } member } when IsNumericsType(member.ContainingType, out _):
                    return NumericsConstant(member.Name, shape); // Vector3.UnitX, Complex.One

                case IBinaryOperation { OperatorMethod: { } method } binary when IsNumericsType(method.ContainingType, out _):
                    return LowerStructOperator(binary, method, binary.OperatorKind, binary.LeftOperand, binary.RightOperand, shape);
                case IUnaryOperation { OperatorMethod: { } method, OperatorKind: UnaryOperatorKind.Minus or UnaryOperatorKind.Plus } unary when IsNumericsType(method.ContainingType, out _):
                {
                    StructValue operand = LowerStruct(unary.Operand, shape);
                    return unary.OperatorKind == UnaryOperatorKind.Plus ? operand : Map(shape, i => Neg(operand.Leaves[i]));
                }
                case IConversionOperation { OperatorMethod: { } conversion, Operand: var operand } when IsNumericsType(conversion.ContainingType, out string type) && type == "Complex"
                    && operand.Type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Int64:
                    // double → Complex: (x, 0).
                    return new StructValue(shape, ImmutableArray.Create(ScalarOperand(operand, IrType.Double), (IrExpression)IrConstant.Of(0.0)));
                case IInvocationOperation { TargetMethod: { IsStatic: true } method } invocation when IsNumericsType(method.ContainingType, out string type):
                    return NumericsStaticFunction(invocation, method.Name, type, shape);
                default:
                    return null;
            }
        }

        private StructValue? NumericsConstant(string name, StructShape shape)
        {
            int n = shape.Leaves.Length;
            bool complex = shape.Members[0].Name == "Real";
            double[]? values = name switch
            {
                "One" when complex => new[] { 1.0, 0.0 },
                "Zero" => new double[n],
                "One" => Enumerable.Repeat(1.0, n).ToArray(),
                "UnitX" => Enumerable.Range(0, n).Select(i => i == 0 ? 1.0 : 0).ToArray(),
                "UnitY" => Enumerable.Range(0, n).Select(i => i == 1 ? 1.0 : 0).ToArray(),
                "UnitZ" => Enumerable.Range(0, n).Select(i => i == 2 ? 1.0 : 0).ToArray(),
                "UnitW" => Enumerable.Range(0, n).Select(i => i == 3 ? 1.0 : 0).ToArray(),
                "ImaginaryOne" => new[] { 0.0, 1.0 },
                "Identity" => Enumerable.Range(0, n).Select(i => i == 3 ? 1.0 : 0).ToArray(), // Quaternion.Identity
                _ => null,
            };
            return values is null || values.Length != n ? null : Map(shape, i => IrConstant.Real(values[i], shape.Leaves[i].Type));
        }

        /// <summary>
        /// <c>a op b</c> with an operator of a struct: elementwise <c>+ -</c>; <c>* /</c> elementwise or by a scalar for vectors,
        /// complex multiplication and division for Complex; a user struct's operator inlined from source.
        /// </summary>
        private StructValue LowerStructOperator(IOperation site, IMethodSymbol? method, BinaryOperatorKind kind, IOperation left, IOperation right, StructShape shape)
        {
            if (method is null || !IsNumericsType(method.ContainingType, out string type) || type == "Quaternion" && kind is not (BinaryOperatorKind.Add or BinaryOperatorKind.Subtract))
            {
                if (method is not null && InlineOperator(site, method, left, right, shape) is { } inlined) return inlined;
                Unsupported(site, "the operator '" + Describe(site) + "' (" + StructSupportHint + ")");
                return Zero(shape);
            }
            var (ls, lScalar) = VectorOrScalar(left, shape, right);
            var (rs, rScalar) = VectorOrScalar(right, shape);
            bool complex = type == "Complex";
            if (complex && (ls is null || rs is null))
            {
                // Complex with a real operand (z + 2.0, 2.0 * z, z / 2.0): the real only touches the real part, or scales both.
                IrExpression real = lScalar ?? rScalar!;
                StructValue z = ls ?? rs!;
                return kind switch
                {
                    BinaryOperatorKind.Add => new StructValue(shape, ImmutableArray.Create(Add(ls is null ? real : z.Leaves[0], ls is null ? z.Leaves[0] : real), z.Leaves[1])),
                    BinaryOperatorKind.Subtract => ls is null
                        ? new StructValue(shape, ImmutableArray.Create(Sub(real, z.Leaves[0]), Neg(z.Leaves[1])))
                        : new StructValue(shape, ImmutableArray.Create(Sub(z.Leaves[0], real), z.Leaves[1])),
                    BinaryOperatorKind.Multiply => Map(shape, i => Mul(z.Leaves[i], real)),
                    BinaryOperatorKind.Divide when ls is not null => Map(shape, i => Div(z.Leaves[i], real)),
                    // s / (c + di) = (sc − sdi) / (c² + d²)
                    _ => LowerComplexQuotient(new StructValue(shape, ImmutableArray.Create(real, (IrExpression)IrConstant.Of(0.0))), z, shape),
                };
            }
            IrExpression L(int i) => ls is null ? lScalar! : ls.Leaves[i];
            IrExpression R(int i) => rs is null ? rScalar! : rs.Leaves[i];
            switch (kind)
            {
                case BinaryOperatorKind.Add:
                    return Map(shape, i => Add(L(i), R(i)));
                case BinaryOperatorKind.Subtract:
                    return Map(shape, i => Sub(L(i), R(i)));
                case BinaryOperatorKind.Multiply when complex:
                    // (a + bi)(c + di) = (ac − bd) + (ad + bc)i
                    return new StructValue(shape, ImmutableArray.Create(
                        Sub(Mul(L(0), R(0)), Mul(L(1), R(1))),
                        Add(Mul(L(0), R(1)), Mul(L(1), R(0)))));
                case BinaryOperatorKind.Divide when complex:
                    return LowerComplexQuotient(ls!, rs!, shape);
                case BinaryOperatorKind.Multiply:
                    return Map(shape, i => Mul(L(i), R(i)));
                case BinaryOperatorKind.Divide:
                    return Map(shape, i => Div(L(i), R(i)));
                default:
                    Unsupported(site, "the operator '" + Describe(site) + "'");
                    return Zero(shape);
            }
        }

        /// <summary>(a + bi)/(c + di) = ((ac + bd) + (bc − ad)i) / (c² + d²).</summary>
        private StructValue LowerComplexQuotient(StructValue l, StructValue r, StructShape shape)
        {
            IrExpression a = l.Leaves[0], b = l.Leaves[1], c = r.Leaves[0], d = r.Leaves[1];
            IrExpression denominator = Add(Mul(c, c), Mul(d, d));
            return new StructValue(shape, ImmutableArray.Create(Div(Add(Mul(a, c), Mul(b, d)), denominator), Div(Sub(Mul(b, c), Mul(a, d)), denominator)));
        }

        /// <summary>Whether evaluating any of <paramref name="operations"/> may assign a variable (then values read before them are kept).</summary>
        private static bool MayAssign(IEnumerable<IOperation> operations) =>
            operations.Any(o => o.DescendantsAndSelf().Any(n => n is IAssignmentOperation or IIncrementOrDecrementOperation or IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction }));

        private StructValue KeptIfLaterAssign(StructValue value, IEnumerable<IOperation> later) => MayAssign(later) ? Snapshot(value) : value;

        private StructValue? NumericsStaticFunction(IInvocationOperation invocation, string name, string type, StructShape shape)
        {
            var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList();
            if (arguments.Any(a => a.Type is IArrayTypeSymbol || a.Type?.Name is "ReadOnlySpan" or "Span" || a.Type?.Name.StartsWith("Matrix", System.StringComparison.Ordinal) == true))
            {
                return null; // Transform(v, matrix), Create(span): not expanded
            }
            bool complex = type == "Complex";
            StructValue V(int i) => KeptIfLaterAssign(LowerStruct(arguments[i], ShapeOf(arguments[i].Type) ?? shape), arguments.Skip(i + 1));
            switch (name)
            {
                case "Add" or "Subtract" or "Multiply" or "Divide" when arguments.Count == 2:
                    return LowerStructOperator(invocation, invocation.TargetMethod, name switch
                    {
                        "Add" => BinaryOperatorKind.Add,
                        "Subtract" => BinaryOperatorKind.Subtract,
                        "Multiply" => BinaryOperatorKind.Multiply,
                        _ => BinaryOperatorKind.Divide,
                    }, arguments[0], arguments[1], shape);
                case "Negate" when arguments.Count == 1:
                {
                    StructValue v = V(0);
                    return Map(shape, i => Neg(v.Leaves[i]));
                }
                case "Conjugate" when complex && arguments.Count == 1:
                {
                    StructValue z = V(0);
                    return new StructValue(shape, ImmutableArray.Create(z.Leaves[0], Neg(z.Leaves[1])));
                }
                case "Exp" when complex && arguments.Count == 1:
                {
                    // e^(a + bi) = e^a (cos b + i sin b)
                    StructValue z = V(0);
                    IrExpression scale = Call(MathFunction.Exp, z.Leaves[0]);
                    return new StructValue(shape, ImmutableArray.Create(Mul(scale, Call(MathFunction.Cos, z.Leaves[1])), Mul(scale, Call(MathFunction.Sin, z.Leaves[1]))));
                }
                case "Log" when complex && arguments.Count == 1:
                {
                    // log z = log |z| + i·arg z
                    StructValue z = V(0);
                    return new StructValue(shape, ImmutableArray.Create(Call(MathFunction.Log, Call(MathFunction.Hypot, z.Leaves[0], z.Leaves[1])), Call(MathFunction.Atan2, z.Leaves[1], z.Leaves[0])));
                }
                case "FromPolarCoordinates" when complex && arguments.Count == 2:
                {
                    IrExpression magnitude = ScalarOperand(arguments[0], IrType.Double, arguments[1]);
                    IrExpression phase = ScalarOperand(arguments[1], IrType.Double);
                    return new StructValue(shape, ImmutableArray.Create(Mul(magnitude, Call(MathFunction.Cos, phase)), Mul(magnitude, Call(MathFunction.Sin, phase))));
                }
                case "Normalize" when !complex && type != "Quaternion" && arguments.Count == 1:
                {
                    StructValue v = V(0);
                    IrExpression length = Call(MathFunction.Sqrt, Dot(v, v));
                    return Map(shape, i => Div(v.Leaves[i], length));
                }
                case "Cross" when type == "Vector3" && arguments.Count == 2:
                {
                    StructValue a = V(0), b = V(1);
                    IrExpression C(int i, int j) => Sub(Mul(a.Leaves[i], b.Leaves[j]), Mul(a.Leaves[j], b.Leaves[i]));
                    return new StructValue(shape, ImmutableArray.Create(C(1, 2), C(2, 0), C(0, 1)));
                }
                case "Lerp" when !complex && type != "Quaternion" && arguments.Count == 3:
                {
                    // a + (b − a)·t, with t a scalar or a vector of amounts
                    StructValue a = V(0), b = V(1);
                    var (ts, t) = VectorOrScalar(arguments[2], shape);
                    return Map(shape, i => Add(a.Leaves[i], Mul(Sub(b.Leaves[i], a.Leaves[i]), ts is null ? t! : ts.Leaves[i])));
                }
                case "Min" or "Max" when !complex && type != "Quaternion" && arguments.Count == 2:
                {
                    StructValue a = V(0), b = V(1);
                    return Map(shape, i => Call(name == "Min" ? MathFunction.Min : MathFunction.Max, a.Leaves[i], b.Leaves[i]));
                }
                case "Abs" when !complex && type != "Quaternion" && arguments.Count == 1:
                {
                    StructValue v = V(0);
                    return Map(shape, i => Call(MathFunction.Abs, v.Leaves[i]));
                }
                case "SquareRoot" when !complex && type != "Quaternion" && arguments.Count == 1:
                {
                    StructValue v = V(0);
                    return Map(shape, i => Call(MathFunction.Sqrt, v.Leaves[i]));
                }
                default:
                    return null;
            }
        }

        // ---------------------------------------------------------------- scalar-valued members

        /// <summary><c>Vector3.Dot(a, b)</c>, <c>v.Length()</c>, <c>Vector3.Distance(a, b)</c>, <c>z.Magnitude</c>, <c>Complex.Abs(z)</c>, <c>z.Phase</c>.</summary>
        private IrExpression? TryLowerNumericsScalar(IOperation operation)
        {
            switch (operation)
            {
                case IPropertyReferenceOperation { Property: { IsStatic: false } property, Instance: { } instance } when IsNumericsType(property.ContainingType, out string type) && type == "Complex":
                {
                    StructValue z = LowerStruct(instance, ShapeOf(instance.Type)!);
                    return property.Name switch
                    {
                        "Magnitude" => Call(MathFunction.Hypot, z.Leaves[0], z.Leaves[1]),
                        "Phase" => Call(MathFunction.Atan2, z.Leaves[1], z.Leaves[0]),
                        _ => null,
                    };
                }
                case IInvocationOperation { TargetMethod: var method } invocation when IsNumericsType(method.ContainingType, out string type) && ShapeOf(method.ContainingType) is { } shape:
                {
                    var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList();
                    if (!method.IsStatic && invocation.Instance is not null) arguments.Insert(0, invocation.Instance);
                    if (arguments.Any(a => ShapeOf(a.Type) is null)) return null;
                    StructValue V(int i) => KeptIfLaterAssign(LowerStruct(arguments[i], shape), arguments.Skip(i + 1));
                    switch (method.Name)
                    {
                        case "Dot" when arguments.Count == 2 && type != "Complex":
                            return Dot(V(0), V(1));
                        case "LengthSquared" when arguments.Count == 1 && type != "Complex":
                        {
                            StructValue v = V(0);
                            return Dot(v, v);
                        }
                        case "Length" when arguments.Count == 1 && type != "Complex":
                        {
                            StructValue v = V(0);
                            return Call(MathFunction.Sqrt, Dot(v, v));
                        }
                        case "DistanceSquared" or "Distance" when arguments.Count == 2 && type != "Complex":
                        {
                            StructValue a = V(0), b = V(1);
                            var difference = Map(shape, i => Sub(a.Leaves[i], b.Leaves[i]));
                            IrExpression squared = Dot(difference, difference);
                            return method.Name == "Distance" ? Call(MathFunction.Sqrt, squared) : squared;
                        }
                        case "Abs" when arguments.Count == 1 && type == "Complex":
                        {
                            StructValue z = V(0);
                            return Call(MathFunction.Hypot, z.Leaves[0], z.Leaves[1]);
                        }
                        default:
                            return null;
                    }
                }
                default:
                    return null;
            }
        }
    }
}
