using AutoDiffGen.Generator.Engine.Ir;

namespace AutoDiffGen.Engine.Tests.Infrastructure;

/// <summary>IR functions several test classes check from different sides (what is recorded, second order, …).</summary>
internal static class IrWorkloads
{
    /// <summary>
    /// The extended Rosenbrock function, as C# lowers it: <c>double a = 1 - x[i]; double b = x[i+1] - x[i]*x[i];
    /// sum += a*a + 100*b*b</c> over <c>i &lt; x.Length - 1</c> (locals declared in the loop body, an accumulator).
    /// </summary>
    public static IrFunction ExtendedRosenbrock()
    {
        var b = new IrBuilder("Rosenbrock");
        Var x = b.Param("x", IrType.ArrayOf(IrType.Double, ArrayLayout.Vector));
        Var sum = b.Local("sum", 0.0);
        b.For("i", 0, x.Length - 1, i =>
        {
            Var a = b.Local("a", 1.0 - x[i]);
            Var c = b.Local("b", x[i + 1] - x[i] * x[i]);
            b.Assign(sum, sum + (a * a + 100.0 * c * c));
        });
        b.Return(sum);
        return b.Build();
    }
}
