using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>
/// Shrinks a random program whose reverse gradient disagrees with finite differences to a few statements that still do
/// (delta debugging, one statement at a time): each statement is removed, and an if is replaced by one of its arms, as
/// long as the smaller program still fails. What a long-mode failure prints is then a program to read, not 200 lines
/// (IR seed 784654003 was reduced by hand from 230 to 20). Asked for by <c>ADG_PROPERTY_MINIMIZE=1</c>
/// (RandomProgramTests).
/// </summary>
/// <remarks>
/// A removal can leave a read of a variable nothing assigns any more, or a program the interpreter refuses: such a
/// candidate counts as not failing (the failure must stay a wrong gradient, not become a broken program), as does one
/// whose finite differences are not comparable at any point.
/// </remarks>
internal static class IrMinimizer
{
    /// <summary>Shrinks <paramref name="function"/> in place (its blocks' statement lists) and returns it.</summary>
    public static IrFunction Minimize(IrFunction function, IReadOnlyList<object?[]> points, Func<CallRegistry> calls) =>
        Minimize(function, f => Fails(f, points, calls));

    /// <summary>
    /// Shrinks <paramref name="function"/> in place while <paramref name="fails"/> still holds of it (any check: the
    /// gradient against finite differences, or second order against differences of the gradient), and returns it.
    /// <paramref name="fails"/> must answer false, not throw, for a program it cannot judge.
    /// </summary>
    public static IrFunction Minimize(IrFunction function, Func<IrFunction, bool> fails)
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (List<IrStatement> list in Lists(function.Body).ToList())
            {
                for (int i = list.Count - 1; i >= 0; i--)
                {
                    if (i >= list.Count) continue;
                    IrStatement statement = list[i];
                    list.RemoveAt(i);
                    if (fails(function)) { changed = true; continue; }
                    if (statement is IrIf branch && TryArms(function, list, i, branch, fails)) { changed = true; continue; }
                    list.Insert(i, statement);
                }
            }
        }
        return function;
    }

    /// <summary>Puts one arm of <paramref name="branch"/> at <paramref name="at"/> instead of the if; true if that still fails.</summary>
    private static bool TryArms(IrFunction function, List<IrStatement> list, int at, IrIf branch, Func<IrFunction, bool> fails)
    {
        foreach (IrBlock arm in new[] { branch.Then, branch.Else })
        {
            list.InsertRange(at, arm.Statements);
            if (fails(function)) return true;
            list.RemoveRange(at, arm.Statements.Count);
        }
        return false;
    }

    private static IEnumerable<List<IrStatement>> Lists(IrBlock block)
    {
        yield return block.Statements;
        foreach (IrStatement statement in block.Statements)
        {
            foreach (IrBlock child in IrWalker.ChildBlocks(statement))
            {
                foreach (List<IrStatement> nested in Lists(child)) yield return nested;
            }
        }
    }

    /// <summary>Whether the reverse gradient disagrees with comparable finite differences at one of the points.</summary>
    public static bool Fails(IrFunction function, IReadOnlyList<object?[]> points, Func<CallRegistry> calls)
    {
        try
        {
            ReverseProgram program = IrRunner.Differentiate(function);
            foreach (object?[] args in points)
            {
                CallRegistry registry = calls();
                double value = IrValues.ToDouble(IrRunner.Run(function, args, registry));
                if (!double.IsFinite(value) || Math.Abs(value) > 1e6) continue;
                GradientRun run = IrRunner.Gradient(program, args, calls: registry);
                for (int i = 0; i < function.Parameters.Length; i++)
                {
                    if (!function.Parameters[i].IsDifferentiableParameter || function.Parameters[i].Type.Kind == IrTypeKind.Array) continue;
                    FiniteDifference coarse = GradientCheck.Estimate(function, args, i, registry);
                    FiniteDifference fine = GradientCheck.Estimate(function, args, i, registry, step: 0.25e-4 * Math.Max(1, Math.Abs(IrValues.ToDouble(args[i]))));
                    if (GradientCheck.Comparable(coarse, fine) && !GradientCheck.Close(run.Gradient(i), coarse.Value, 1e-6, 1e-8)) return true;
                }
            }
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }
}
