using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>Questions lowering asks about break, continue, return and throw in a statement.</summary>
    internal static class ControlFlow
    {
        /// <summary>Whether control may leave <paramref name="statement"/> by a return, or by a break or continue aimed outside it.</summary>
        public static bool MayJump(IOperation statement) => Contains(statement, breakDepth: 0, continueDepth: 0, breaks: true, continues: true, returns: true);

        /// <summary>Whether a loop body may break out of its loop or return.</summary>
        public static bool MayBreakOrReturn(IOperation body) => Contains(body, 0, 0, breaks: true, continues: false, returns: true);

        public static bool MayBreak(IOperation body) => Contains(body, 0, 0, breaks: true, continues: false, returns: false);

        public static bool MayContinue(IOperation body) => Contains(body, 0, 0, breaks: false, continues: true, returns: false);

        /// <summary>
        /// Whether every path through <paramref name="statement"/> ends in a return, break, continue or throw. A throw
        /// leaves the method: what follows it on that path never runs, and it needs no control variable.
        /// </summary>
        public static bool DefinitelyJumps(IOperation statement) => statement switch
        {
            IReturnOperation => true,
            IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue } => true,
            IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation } => true,
            IBlockOperation block => block.Operations.Any(DefinitelyJumps),
            IConditionalOperation { Type: null, WhenFalse: { } whenFalse } conditional => DefinitelyJumps(conditional.WhenTrue) && DefinitelyJumps(whenFalse),
            _ => false,
        };

        /// <summary>Whether <paramref name="statement"/> is a throw statement.</summary>
        public static bool IsThrow(IOperation statement) => statement is IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation };

        /// <remarks>
        /// A break inside a switch section leaves the switch, not the enclosing loop; a continue there still continues the
        /// loop. Local functions and lambdas are separate bodies: their jumps never leave the statement.
        /// </remarks>
        private static bool Contains(IOperation operation, int breakDepth, int continueDepth, bool breaks, bool continues, bool returns)
        {
            switch (operation)
            {
                case IReturnOperation when returns:
                    return true;
                case IBranchOperation { BranchKind: BranchKind.Break } when breaks && breakDepth == 0:
                    return true;
                case IBranchOperation { BranchKind: BranchKind.Continue } when continues && continueDepth == 0:
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
            }
            int breakDepthInside = operation is ILoopOperation or ISwitchOperation ? breakDepth + 1 : breakDepth;
            int continueDepthInside = operation is ILoopOperation ? continueDepth + 1 : continueDepth;
            foreach (IOperation child in operation.ChildOperations)
            {
                if (Contains(child, breakDepthInside, continueDepthInside, breaks, continues, returns)) return true;
            }
            return false;
        }
    }
}
