using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiffGen.Engine.Tests.Infrastructure;
using AutoDiffGen.Generator.Engine.Ir;
using AutoDiffGen.Generator.Engine.Reverse;
using Xunit.Abstractions;

namespace AutoDiffGen.Engine.Tests.Property;

/// <summary>
/// Random array programs, fixed seeds: the shapes the array passes of the reverse transform look for — loops with
/// independent iterations (fusion), per-iteration locals overwritten within an iteration, accumulators rebuilt every
/// outer iteration (dead restores), scratch buffers rewritten every outer iteration (element restores), writes into the
/// parameter array, ReLU-like nests (zero-seed loops), loop-carried products, counted loops — combined at random, each
/// checked against finite differences for every element of the array gradient and for the scalar.
/// </summary>
public class RandomArrayProgramTests
{
    private const int BaseSeed = 11_000;
    private const int ProgramCount = 160;
    private const int BatchSize = 40;
    private static readonly IrType Vector = IrType.ArrayOf(IrType.Double, ArrayLayout.Vector);

    private readonly ITestOutputHelper _output;

    public RandomArrayProgramTests(ITestOutputHelper output) => _output = output;

    private static readonly PropertyRun Run = PropertyRun.For(BaseSeed, ProgramCount, BatchSize, share: 0.1);

    public static TheoryData<int> Batches() => Run.BatchData();

    [Theory]
    [MemberData(nameof(Batches))]
    public void Array_programs_match_finite_differences(int batch)
    {
        Run.Announce(_output, "array programs", batch);
        int fused = 0, fusedEarlier = 0;
        var failures = Run.Run(batch, seed =>
        {
            var (function, points) = Generate(seed);
            ReverseProgram program;
            try
            {
                program = IrRunner.Differentiate(function);
            }
            catch (Exception exception)
            {
                return "seed " + seed + " (rerun alone: ADG_PROPERTY_SEED=" + seed + "): the transform threw " + exception.Message + "\n" + IrPrinter.Print(function);
            }
            if (program.SeedBeforeForward) Interlocked.Increment(ref fused);
            if (FusesALoopBeforeTheLast(program)) Interlocked.Increment(ref fusedEarlier);
            // A gradient wrong at one point in two may be a stencil across a kink; wrong at both points, it is wrong.
            var errors = new List<string>();
            foreach (object?[] point in points)
            {
                try
                {
                    GradientRun run = GradientCheck.AssertMatchesFiniteDifferences(function, point, program: program);
                    GradientCheck.AssertArrayGradient(function, point, 0, (Array)run.Gradients[0]!);
                }
                catch (Exception exception)
                {
                    errors.Add(exception.Message);
                }
            }
            return errors.Count == points.Count
                ? "seed " + seed + " (rerun alone: ADG_PROPERTY_SEED=" + seed + "): " + errors[0] + "\n" + IrPrinter.Print(function) + IrPrinter.Print(program)
                : null;
        });
        int programs = Run.Seeds(batch).Count();
        _output.WriteLine(programs + " programs, " + fused + " with a fused loop, " + fusedEarlier + " with a fused loop before their last loop");
        Assert.True(failures.Count == 0, Run.Report("array programs", failures, programs));
    }

    [Fact]
    public void Generator_makes_fused_and_unfused_programs()
    {
        var programs = Enumerable.Range(BaseSeed, ProgramCount).Select(seed => IrRunner.Differentiate(Generate(seed).Function)).ToList();
        int fused = programs.Count(p => p.SeedBeforeForward);
        int fusedEarlier = programs.Count(FusesALoopBeforeTheLast);
        _output.WriteLine(fused + " of " + ProgramCount + " programs fuse a loop, " + fusedEarlier + " a loop before their last");
        Assert.InRange(fused, ProgramCount / 8, ProgramCount - ProgramCount / 8);
        // Fusion of a loop that is not the last (its accumulators' seeds hoisted before it) is exercised too.
        Assert.InRange(fusedEarlier, ProgramCount / 16, ProgramCount);
        // And nested fusion: a loop fused inside the iterations of a fused loop (the triangular nests).
        int nested = programs.Count(p => p.FusedLoops > IrQuery.FusedLoops(p.Forward).Count(f => f));
        _output.WriteLine(nested + " fuse a nested loop");
        Assert.InRange(nested, ProgramCount / 16, ProgramCount);
        // A taped loop that records a scratch buffer whole per iteration is drawn too.
        int snapshots = programs.Count(p => IrQuery.All(p.Forward).OfType<IrTapePushSpan>().Any());
        _output.WriteLine(snapshots + " of " + ProgramCount + " programs record a scratch buffer whole per iteration");
        Assert.InRange(snapshots, ProgramCount / 32, ProgramCount);
    }

    /// <summary>Whether a loop other than the last top-level loop of the forward sweep is fused.</summary>
    private static bool FusesALoopBeforeTheLast(ReverseProgram program)
    {
        bool[] loops = IrQuery.FusedLoops(program.Forward);
        return loops.Take(loops.Length - 1).Any(f => f);
    }

    /// <summary>A program over <c>x</c> (differentiable, length n), <c>y</c> (differentiable) and <c>d</c> (data), and two points.</summary>
    internal static (IrFunction Function, List<object?[]> Points) Generate(int seed)
    {
        var random = new Random(seed);
        int n = random.Next(3, 6);
        var b = new IrBuilder("RandomArray" + seed);
        Var x = b.Param("x", Vector);
        Var y = b.Param("y");
        Var d = b.Param("d", Vector, differentiable: false);
        Var s = b.Local("s", 0.0);
        Var p = b.Local("p", 1.0);
        int blocks = random.Next(1, 4);
        var names = 0;
        string Name(string stem) => stem + names++;

        E Leaf(Var i)
        {
            switch (random.Next(7))
            {
                case 0: return x[i];
                case 1: return d[i];
                case 2: return y;
                case 3: return x[(i + 1) % n];
                default: return 0.25 + random.Next(8) * 0.25;
            }
        }

        E Expression(Var i, int depth)
        {
            if (depth == 0 || random.Next(3) == 0) return Leaf(i);
            E a = Expression(i, depth - 1), c = Expression(i, depth - 1);
            return random.Next(7) switch
            {
                0 => a + c,
                1 => a - c,
                2 => a * c,
                3 => M.Sin(a) * c,
                4 => M.Tanh(a + c),
                5 => a * a + c,
                _ => M.Exp(M.Tanh(a)) * c,
            };
        }

        for (int block = 0; block < blocks; block++)
        {
            switch (random.Next(7))
            {
                case 0:
                    // Independent iterations: a per-iteration local, maybe overwritten within the iteration or guarded.
                    b.For(Name("i"), 0, n, i =>
                    {
                        Var t = b.Local(Name("t"), Expression(i, 2));
                        b.Assign(s, s + t * Expression(i, 1));
                        if (random.Next(2) == 0) b.Assign(t, Expression(i, 1));
                        if (random.Next(2) == 0) b.If(t > 0.3, () => b.Assign(t, t * 0.5));
                        b.Assign(s, s + t * t);
                    });
                    break;
                case 1:
                {
                    // A scratch buffer rewritten every outer iteration. With a value carried from one iteration to the
                    // next beside it, the outer loop is taped rather than recomputed, and the buffer is recorded whole
                    // once per iteration (ReverseModeTransform.Snapshots.cs).
                    Var buffer = b.Local(Name("buf"), IrBuilder.NewArray(Vector, 2));
                    Var? carry = random.Next(2) == 0 ? b.Local(Name("carry"), y * 0.5) : null;
                    b.For(Name("o"), 0, 2, o =>
                    {
                        b.For(Name("k"), 0, 2, k => b.SetElement(buffer, new E[] { k }, Expression(k, 1) * (o.To(IrType.Double) + 1.0)));
                        if (carry is null)
                        {
                            b.Assign(s, s + buffer[0] * buffer[1]);
                            return;
                        }
                        b.Assign(carry, M.Tanh(carry * buffer[0]) + buffer[1] * buffer[1]);
                        b.Assign(s, s + carry * buffer[0]);
                    });
                    break;
                }
                case 2:
                    // Writes into the parameter array, read afterwards.
                    b.For(Name("i"), 0, n - 1, i => b.SetElement(x, new E[] { i }, x[i] * M.Tanh(x[i + 1] + y)));
                    break;
                case 3:
                    // A ReLU-like nest: an accumulator rebuilt every outer iteration, then max(a, 0).
                    b.For(Name("j"), 0, 2, j =>
                    {
                        Var a = b.Local(Name("a"), y * d[j] - 0.2);
                        b.For(Name("k"), 0, n, k => b.Assign(a, a + x[k] * d[(j + k) % n]));
                        b.Assign(s, s + M.Max(a, 0.0) * a);
                    });
                    break;
                case 5:
                {
                    // A triangular nest inside a loop (the Cholesky-factor shape): the inner loop over the lower triangle
                    // (j ≤ i) or the strict upper one (j > i), into a per-row local y squared after it or straight into s;
                    // the coefficients maybe read through an index li advanced in the inner loop, carried across rows.
                    // The row loop, and with no row local the inner loop too, can be fused inside the outer iteration.
                    bool packed = random.Next(2) == 0, perRow = random.Next(2) == 0, upper = random.Next(2) == 0;
                    b.For(Name("o"), 0, 2, o =>
                    {
                        Var? li = packed ? b.Local(Name("li"), 0, IrType.Int) : null;
                        b.For(Name("i"), 0, n, i =>
                        {
                            Var? y = perRow ? b.Local(Name("y"), Expression(i, 1) * 0.5) : null;
                            b.For(Name("j"), upper ? i + 1 : 0, upper ? n : i + 1, j =>
                            {
                                E coefficient = li is null ? d[j] : d[li % n];
                                E term = x[j] * coefficient * (o.To(IrType.Double) + 1.0);
                                if (y is null) b.Assign(s, s + M.Sin(x[i]) * term);
                                else b.Assign(y, y + term);
                                if (li is not null) b.Assign(li, li + 1);
                            });
                            if (y is not null) b.Assign(s, s + y * y);
                        });
                    });
                    break;
                }
                case 4:
                    // A loop-carried product.
                    b.For(Name("i"), 0, n, i => b.Assign(p, p * (1.0 + 0.2 * M.Sin(Expression(i, 1)))));
                    break;
                default:
                    // A plain accumulation.
                    b.For(Name("i"), 0, n, i => b.Assign(s, s + Expression(i, 2)));
                    break;
            }
        }
        switch (random.Next(4))
        {
            case 0: b.Return(s + p); break;
            case 1: b.Return(s * y + p); break;
            case 2: b.Return(M.Log(1.0 + s * s) + p); break;
            default: b.Return(s * 0.5 + p * p); break;
        }

        var points = new List<object?[]>();
        for (int k = 0; k < 2; k++)
        {
            double[] xs = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            double[] ds = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            points.Add(new object?[] { xs, 0.5 + random.NextDouble(), ds });
        }
        return (b.Build(), points);
    }
}
