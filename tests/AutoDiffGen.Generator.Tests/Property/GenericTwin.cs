using System.Globalization;
using System.Linq;
using System.Text;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.Generator.Tests.Property;

/// <summary>
/// The generic-math twin of a random program (issue 10): the same program written once for any
/// <c>T : IFloatingPointIeee754&lt;T&gt;</c>, in the class <c>&lt;ClassName&gt;G</c>. Every method gets <c>&lt;T&gt;</c> and the
/// constraint; <c>double</c> becomes <c>T</c>; a literal or an int converted to double becomes <c>T.CreateTruncating(…)</c> /
/// <c>T.CreateChecked(…)</c>; <c>(double)i</c> becomes <c>T.CreateChecked(i)</c> and <c>(int)x</c> <c>int.CreateTruncating(x)</c>;
/// <c>Math.Sin</c> becomes <c>T.Sin</c>, <c>Math.PI</c> <c>T.Pi</c>. The rewrite reads the program's semantic model, so it
/// sees the implicit conversions C# inserts. Its harness is the program's own (calls infer T = double) plus
/// <c>FloatGradient</c>, MGradient instantiated at float. A double parameter its method never assigns becomes <c>in T</c>, so
/// <c>in</c> parameters (of M and of the helpers it calls) are checked too. Types nested in the program are kept: <c>Vec&lt;double&gt;</c>
/// becomes <c>Vec&lt;T&gt;</c>, and calls of the sealed overrides' double methods convert at the call. Programs using TensorPrimitives,
/// stackalloc or the struct Pt have no twin (Pt would need a generic Pt&lt;T&gt; and generic hand-written derivatives of PtBend).
/// </summary>
public static class GenericTwin
{
    public const string Suffix = "G";

    public static RandomProgram? For(RandomProgram program)
    {
        // A struct of doubles (Pt) would need its own generic twin; TensorPrimitives and stackalloc have no generic form; the
        // hand-written HandSoft derivatives are double code.
        if (program.HandWritten != HandWrittenDerivatives.None || program.Source.Contains("TensorPrimitives") || program.Source.Contains("stackalloc") || program.Source.Contains(RandomProgramGenerator.StructName + "(")) return null;
        SyntaxTree tree = GeneratorHarness.Parse(program.Source, program.ClassName + ".cs");
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(new[] { tree });
        var rewriter = new ToGeneric(compilation.GetSemanticModel(tree), program.ClassName);
        string source = "using System.Numerics;\n" + rewriter.Visit(tree.GetRoot())!.ToFullString();
        if (rewriter.Untranslatable) return null;
        string className = program.ClassName + Suffix;
        string harness = RandomProgramGenerator.WriteHarness(className, HarnessLayout.Of(program));
        harness = harness.Substring(0, harness.LastIndexOf('}')) + FloatHarness(program) + "}\n"; // one more member of the harness class
        return program with { ClassName = className, Source = source, HarnessSource = harness };
    }

    /// <summary><c>FloatGradient(a, s, n, g)</c>: MGradient&lt;float&gt; at the point rounded to float, gradient widened into g.</summary>
    private static string FloatHarness(RandomProgram program)
    {
        string D(int k) => k.ToString(CultureInfo.InvariantCulture);
        int doubles = program.DoubleParameters;
        string args = string.Join(", ", (program.HasArrayParameter ? new[] { "System.Array.ConvertAll(a, v => (float)v)" } : new string[0])
            .Concat(Enumerable.Range(0, doubles).Select(k => $"(float)s[{D(k)}]"))
            .Concat(program.HasCountParameter ? new[] { "n" } : new string[0]));
        string outs = string.Join(", ", Enumerable.Range(0, doubles).Select(k => $"out float d{D(k)}"));
        var text = new StringBuilder();
        text.Append("\n    public static double FloatGradient(double[] a, double[] s, int n, double[] g)\n    {\n");
        if (program.HasArrayParameter) text.Append("        var da = new float[a.Length];\n");
        text.Append($"        float value = MGradient<float>({args}{(program.HasArrayParameter ? ", da" : "")}, {outs});\n");
        if (program.HasArrayParameter) text.Append("        for (int i = 0; i < a.Length; i++) g[i] = da[i];\n");
        text.Append(string.Concat(Enumerable.Range(0, doubles).Select(k => $"        g[a.Length + {D(k)}] = d{D(k)};\n")));
        text.Append("        return value;\n    }\n");
        return text.ToString();
    }

    private sealed class ToGeneric : CSharpSyntaxRewriter
    {
        private static readonly TypeParameterConstraintClauseSyntax Constraint = SyntaxFactory.ParseStatement("void F<T>() where T : IFloatingPointIeee754<T> {}")
            .DescendantNodes().OfType<TypeParameterConstraintClauseSyntax>().First();

        private readonly SemanticModel _model;
        private readonly string _className;

        public ToGeneric(SemanticModel model, string className)
        {
            _model = model;
            _className = className;
        }

        private static ExpressionSyntax Call(string receiver, string method, ExpressionSyntax argument) =>
            SyntaxFactory.InvocationExpression(SyntaxFactory.ParseExpression(receiver + "." + method),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(argument.WithoutTrivia()))));

        public override SyntaxNode? Visit(SyntaxNode? node)
        {
            // The name of a member access (Length in a.Length) is converted with its member access, not alone.
            if (node is ExpressionSyntax expression && !(node.Parent is MemberAccessExpressionSyntax access && access.Name == node) && _model.GetTypeInfo(expression) is { Type: { } type, ConvertedType: { } converted }
                && converted.SpecialType == SpecialType.System_Double && type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Single)
            {
                // An int or float C# converts to double implicitly (a literal 2, a counter i, a float value): T.CreateChecked(…).
                var rewritten = (ExpressionSyntax)base.Visit(node)!;
                return Call("T", "CreateChecked", rewritten).WithTriviaFrom(node);
            }
            return base.Visit(node);
        }

        /// <summary>Set when the program has a pattern on a double (<c>x switch { &lt; -0.5 => … }</c>): a type parameter has no constant patterns.</summary>
        public bool Untranslatable { get; private set; }

        public override SyntaxNode? VisitRelationalPattern(RelationalPatternSyntax node)
        {
            Untranslatable |= _model.GetTypeInfo(node.Expression).ConvertedType?.SpecialType == SpecialType.System_Double;
            return base.VisitRelationalPattern(node);
        }

        public override SyntaxNode? VisitConstantPattern(ConstantPatternSyntax node)
        {
            Untranslatable |= _model.GetTypeInfo(node.Expression).ConvertedType?.SpecialType == SpecialType.System_Double;
            return base.VisitConstantPattern(node);
        }

        public override SyntaxNode? VisitLiteralExpression(LiteralExpressionSyntax node) =>
            node.IsKind(SyntaxKind.NumericLiteralExpression) && _model.GetTypeInfo(node).Type?.SpecialType == SpecialType.System_Double
                ? Call("T", "CreateTruncating", node).WithTriviaFrom(node)
                : node;

        public override SyntaxNode? VisitPredefinedType(PredefinedTypeSyntax node) =>
            node.Keyword.IsKind(SyntaxKind.DoubleKeyword) ? SyntaxFactory.IdentifierName("T").WithTriviaFrom(node) : node;

        public override SyntaxNode? VisitCastExpression(CastExpressionSyntax node)
        {
            ITypeSymbol? target = _model.GetTypeInfo(node.Type).Type;
            ITypeSymbol? source = _model.GetTypeInfo(node.Expression).Type;
            var operand = (ExpressionSyntax)Visit(node.Expression)!;
            if (target?.SpecialType == SpecialType.System_Double) return Call("T", "CreateChecked", operand).WithTriviaFrom(node);
            if (source?.SpecialType == SpecialType.System_Double && target is not null)
            {
                return Call(target.ToDisplayString(), "CreateTruncating", operand).WithTriviaFrom(node);
            }
            return base.VisitCastExpression(node);
        }

        public override SyntaxNode? VisitMemberAccessExpression(MemberAccessExpressionSyntax node)
        {
            // Math.Sin(x) on doubles, not Math.Max(i, 2) on ints.
            if (node.Expression is IdentifierNameSyntax { Identifier.ValueText: "Math" }
                && (_model.GetSymbolInfo(node).Symbol is IMethodSymbol method && method.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_Double)
                    || _model.GetSymbolInfo(node).Symbol is IFieldSymbol { Type.SpecialType: SpecialType.System_Double }))
            {
                string name = node.Name.Identifier.ValueText switch { "PI" => "Pi", var other => other };
                return SyntaxFactory.ParseExpression("T." + name).WithTriviaFrom(node);
            }
            return base.VisitMemberAccessExpression(node);
        }

        /// <summary><c>const double c = 0.5;</c>: a T cannot be const, so the local is an ordinary one.</summary>
        public override SyntaxNode? VisitLocalDeclarationStatement(LocalDeclarationStatementSyntax node)
        {
            var statement = (LocalDeclarationStatementSyntax)base.VisitLocalDeclarationStatement(node)!;
            return statement.IsConst && _model.GetTypeInfo(node.Declaration.Type).Type?.SpecialType == SpecialType.System_Double
                ? statement.WithModifiers(SyntaxFactory.TokenList()).WithLeadingTrivia(node.GetLeadingTrivia())
                : statement;
        }

        public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
        {
            var method = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
            // A double parameter the body never assigns becomes an 'in T' parameter (api.md: an input like a by-value one).
            SyntaxNode? body = (SyntaxNode?)node.Body ?? node.ExpressionBody?.Expression;
            var written = body is null ? Enumerable.Empty<ISymbol>()
                : body is BlockSyntax block ? _model.AnalyzeDataFlow(block)!.WrittenInside : _model.AnalyzeDataFlow((ExpressionSyntax)body)!.WrittenInside;
            // A local function cannot capture an 'in' parameter (CS1628): those stay by value.
            var captured = body is null ? Enumerable.Empty<ISymbol>()
                : body.DescendantNodes().OfType<LocalFunctionStatementSyntax>().SelectMany(f => _model.AnalyzeDataFlow(f)!.Captured);
            var readOnly = node.ParameterList.Parameters
                .Select((p, i) => (Index: i, Symbol: _model.GetDeclaredSymbol(p)))
                .Where(p => p.Symbol is { Type.SpecialType: SpecialType.System_Double } && !written.Contains(p.Symbol, SymbolEqualityComparer.Default)
                    && !captured.Contains(p.Symbol, SymbolEqualityComparer.Default))
                .Select(p => p.Index).ToHashSet();
            method = method.WithParameterList(method.ParameterList.WithParameters(SyntaxFactory.SeparatedList(
                method.ParameterList.Parameters.Select((p, i) => readOnly.Contains(i) ? p.AddModifiers(SyntaxFactory.Token(SyntaxKind.InKeyword).WithTrailingTrivia(SyntaxFactory.Space)) : p))));
            return method
                .WithTypeParameterList(SyntaxFactory.TypeParameterList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.TypeParameter("T"))))
                .WithConstraintClauses(SyntaxFactory.SingletonList(Constraint.WithLeadingTrivia()))
                .WithParameterList(method.ParameterList.WithTrailingTrivia(SyntaxFactory.Space));
        }

        /// <summary>
        /// A call of a method of a type nested in the program (the sealed overrides <c>Stiff.Energy</c>, <c>Soft.Energy</c>),
        /// which stay double code: <c>T.CreateChecked(o.Energy(double.CreateChecked(x), …))</c>, as a generic method calls a
        /// double one.
        /// </summary>
        public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
        {
            var invocation = (InvocationExpressionSyntax)base.VisitInvocationExpression(node)!;
            if (_model.GetSymbolInfo(node).Symbol is not IMethodSymbol { ReturnType.SpecialType: SpecialType.System_Double } method
                || method.ContainingType.ContainingType?.Name != _className || method.ContainingType.TypeKind != TypeKind.Class)
            {
                return invocation;
            }
            var arguments = invocation.ArgumentList.Arguments.Select(a => a.WithExpression(Call("double", "CreateChecked", a.Expression)));
            return Call("T", "CreateChecked", invocation.WithArgumentList(invocation.ArgumentList.WithArguments(SyntaxFactory.SeparatedList(arguments)))).WithTriviaFrom(node);
        }

        /// <summary>Types nested in the program (the generic struct Vec&lt;T&gt;, the classes of the sealed overrides) are kept as they are.</summary>
        public override SyntaxNode? VisitStructDeclaration(StructDeclarationSyntax node) => node;

        /// <summary>Fields (the sealed overrides' static instances) hold no double the twin would make a T.</summary>
        public override SyntaxNode? VisitFieldDeclaration(FieldDeclarationSyntax node) => node;

        public override SyntaxNode? VisitClassDeclaration(ClassDeclarationSyntax node)
        {
            if (node.Identifier.ValueText != _className) return node;
            var declaration = (ClassDeclarationSyntax)base.VisitClassDeclaration(node)!;
            return declaration.WithIdentifier(SyntaxFactory.Identifier(_className + Suffix).WithTriviaFrom(declaration.Identifier));
        }
    }
}
