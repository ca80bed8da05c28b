using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>Instance [Differentiable] callees taking and returning structs, called on the same object (Functions/InstanceStructCallees.cs).</summary>
public class InstanceStructCalleeTests
{
    private static Dual TotalExact(Dual[] d, double k)
    {
        Dual px = d[0], py = d[1], t = d[2];
        Dual qx = px + t * k, qy = py - t;
        Dual e1 = 0.5 * k * (qx * qx + qy * qy);
        Dual rx = py, ry = t * px;
        Dual e2 = 0.5 * k * (rx * rx + ry * ry);
        return e1 + e2 + k * px * t; // Along(new Complex(p.X, t))
    }

    [Fact]
    public void Instance_callees_on_the_same_object_are_inlined() =>
        FlattenedCheck.Verify(new FlattenedCheck.Companions(
            x => new SpringModel(1.5).Total(new Point(x[0], x[1]), x[2]),
            x => (new SpringModel(1.5).TotalGradient(new Point(x[0], x[1]), x[2], out Point dp, out double dt), new[] { dp.X, dp.Y, dt }),
            (x, seed, preset) =>
            {
                var dp = new Point(preset, preset);
                double dt = preset;
                double v = new SpringModel(1.5).TotalBackward(new Point(x[0], x[1]), x[2], seed, ref dp, ref dt);
                return (v, new[] { dp.X, dp.Y, dt });
            },
            d => TotalExact(d, 1.5),
            (x, v) => (new SpringModel(1.5).TotalTangent(new Point(x[0], x[1]), x[2], new Point(v[0], v[1]), v[2], out double t), t)),
            Check.Points(3, -1.5, 1.5));
}
