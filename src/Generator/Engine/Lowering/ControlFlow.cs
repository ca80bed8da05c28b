using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Engine.Lowering
{
    /// <summary>Questions lowering asks about break, continue and return in a statement.</summary>
    internal static class ControlFlow
    {
        /// <summary>Whether control may leave <paramref name="statement"/> by a return, or by a break or continue aimed outside it.</summary>
        public static bool MayJump(IOperation statement) => Contains(statement, loopDepth: 0, breaks: true, continues: true, returns: true);

        /// <summary>Whether a loop body may break out of its loop or return.</summary>
        public static bool MayBreakOrReturn(IOperation body) => Contains(body, 0, breaks: true, continues: false, returns: true);

        public static bool MayBreak(IOperation body) => Contains(body, 0, breaks: true, continues: false, returns: false);

        public static bool MayContinue(IOperation body) => Contains(body, 0, breaks: false, continues: true, returns: false);

        /// <summary>Whether every path through <paramref name="statement"/> ends in a return, break or continue.</summary>
        public static bool DefinitelyJumps(IOperation statement) => statement switch
        {
            IReturnOperation => true,
            IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue } => true,
            IBlockOperation block => block.Operations.Any(DefinitelyJumps),
            IConditionalOperation { Type: null, WhenFalse: { } whenFalse } conditional => DefinitelyJumps(conditional.WhenTrue) && DefinitelyJumps(whenFalse),
            _ => false,
        };

        private static bool Contains(IOperation operation, int loopDepth, bool breaks, bool continues, bool returns)
        {
            switch (operation)
            {
                case IReturnOperation when returns:
                    return true;
                case IBranchOperation { BranchKind: BranchKind.Break } when breaks && loopDepth == 0:
                    return true;
                case IBranchOperation { BranchKind: BranchKind.Continue } when continues && loopDepth == 0:
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
            }
            int depth = operation is ILoopOperation ? loopDepth + 1 : loopDepth;
            foreach (IOperation child in operation.ChildOperations)
            {
                if (Contains(child, depth, breaks, continues, returns)) return true;
            }
            return false;
        }
    }
}
