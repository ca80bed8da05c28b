using System;
using System.Linq;
using System.Numerics;
using AutoDiffGen.Integration.Tests.Functions;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

/// <summary>
/// Struct outputs (api.md "Outputs (v2)": a returned struct of reals, <c>out S</c> parameters) and struct inputs of
/// vector-valued methods: MJacobian, MTangent and MBackward over the outputs and inputs flattened leaf by leaf, against
/// exact Jacobians and central finite differences, with the dot-product test (JacobianCheck).
/// </summary>
public class StructOutputTests
{
    private static double[][] Points(int n, double lo, double hi, int count = 4) => Check.Points(n, lo, hi, count);

    private static double[] Flat(Point p) => new[] { p.X, p.Y };

    private static double[] Flat(Vector3 v) => new double[] { v.X, v.Y, v.Z };

    private static Point P(double[] x, int at) => new(x[at], x[at + 1]);

    private static Vector3 V(double[] x, int at) => new((float)x[at], (float)x[at + 1], (float)x[at + 2]);

    [Fact]
    public void Returned_record_struct()
    {
        var scale = new JacobianCheck.Companions(
            x => Flat(StructOutputs.Scale(P(x, 0), x[2])),
            x => { var J = new double[2, 3]; Point v = StructOutputs.ScaleJacobian(P(x, 0), x[2], J); return (Flat(v), J); },
            (x, d) => { Point v = StructOutputs.ScaleTangent(P(x, 0), x[2], P(d, 0), d[2], out Point t); return (Flat(v), Flat(t)); },
            (x, w) => { Point dp = default; double ds = 0; Point v = StructOutputs.ScaleBackward(P(x, 0), x[2], P(w, 0), ref dp, ref ds); return (Flat(v), new[] { dp.X, dp.Y, ds }); });
        // ∂(p.X s, p.Y s²)/∂(p.X, p.Y, s)
        JacobianCheck.Full(scale, 2, Points(3, -2, 2), x => new[,] { { x[2], 0, x[0] }, { 0, x[2] * x[2], 2 * x[1] * x[2] } });
    }

    [Fact]
    public void Out_struct_polar_coordinates()
    {
        var polar = new JacobianCheck.Companions(
            x => { StructOutputs.Polar(x[0], x[1], out Point q); return Flat(q); },
            x => { var J = new double[2, 2]; StructOutputs.PolarJacobian(x[0], x[1], out Point q, J); return (Flat(q), J); },
            (x, d) => { StructOutputs.PolarTangent(x[0], x[1], out Point q, d[0], d[1], out Point dq); return (Flat(q), Flat(dq)); },
            (x, w) => { double dr = 0, dt = 0; StructOutputs.PolarBackward(x[0], x[1], out Point q, P(w, 0), ref dr, ref dt); return (Flat(q), new[] { dr, dt }); });
        JacobianCheck.Full(polar, 2, Points(2, -2, 2), x => new[,] { { Math.Cos(x[1]), -x[0] * Math.Sin(x[1]) }, { Math.Sin(x[1]), x[0] * Math.Cos(x[1]) } });
    }

    [Fact]
    public void Returned_vector3_by_branch_and_early_return_beside_an_out_float()
    {
        var cross = new JacobianCheck.Companions(
            x => { Vector3 v = StructOutputs.CrossOrScale(V(x, 0), V(x, 3), out float dot); return Flat(v).Append(dot).ToArray(); },
            x => { var J = new float[4, 6]; Vector3 v = StructOutputs.CrossOrScaleJacobian(V(x, 0), V(x, 3), out float dot, J); return (Flat(v).Append(dot).ToArray(), JacobianCheck.Widen(J)); },
            (x, d) =>
            {
                Vector3 v = StructOutputs.CrossOrScaleTangent(V(x, 0), V(x, 3), out float dot, V(d, 0), V(d, 3), out Vector3 t, out float ddot);
                return (Flat(v).Append(dot).ToArray(), Flat(t).Append(ddot).ToArray());
            },
            (x, w) =>
            {
                Vector3 da = default, db = default;
                Vector3 v = StructOutputs.CrossOrScaleBackward(V(x, 0), V(x, 3), out float dot, V(w, 0), (float)w[3], ref da, ref db);
                return (Flat(v).Append(dot).ToArray(), Flat(da).Concat(Flat(db)).ToArray());
            });
        static double[,] Exact(double[] x)
        {
            double a0 = (float)x[0], a1 = (float)x[1], a2 = (float)x[2], b0 = (float)x[3], b1 = (float)x[4], b2 = (float)x[5];
            bool crossed = a0 * b0 + a1 * b1 + a2 * b2 > 0;
            var J = new double[4, 6];
            if (crossed)
            {
                // c = (a1 b2 − a2 b1, a2 b0 − a0 b2, a0 b1 − a1 b0)
                J[0, 1] = b2; J[0, 2] = -b1; J[0, 4] = -a2; J[0, 5] = a1;
                J[1, 0] = -b2; J[1, 2] = b0; J[1, 3] = a2; J[1, 5] = -a0;
                J[2, 0] = b1; J[2, 1] = -b0; J[2, 3] = -a1; J[2, 4] = a0;
            }
            else
            {
                for (int i = 0; i < 3; i++) { J[i, i] = 2; J[i, 3 + i] = -1; }
            }
            J[3, 0] = b0; J[3, 1] = b1; J[3, 2] = b2; J[3, 3] = a0; J[3, 4] = a1; J[3, 5] = a2;
            return J;
        }
        // Points on both sides of the branch (dot > 0 and dot < 0), away from dot = 0. Float leaves: a float-sized finite-
        // difference step (every output is a polynomial of degree 2 on each side, so central differences are exact but for round-off).
        double[][] points =
        {
            new[] { 1.0, 2, 3, 0.5, -1, 2 },
            new[] { -0.7, 1.3, 0.4, 1.1, 0.2, -0.9 },
            new[] { 0.3, -0.8, 1.7, -1.2, 0.6, -0.5 },
        };
        JacobianCheck.Full(cross, 4, points, Exact, exactTolerance: 1e-5, fdTolerance: 1e-3, fdStep: 1e-2, dotProductTolerance: 1e-6);
    }

    [Fact]
    public void Returned_struct_of_a_time_stepping_loop()
    {
        const int steps = 25;
        var trajectory = new JacobianCheck.Companions(
            x => Flat(StructOutputs.Trajectory(P(x, 0), P(x, 2), x[4], steps)),
            x => { var J = new double[2, 5]; Point v = StructOutputs.TrajectoryJacobian(P(x, 0), P(x, 2), x[4], steps, J); return (Flat(v), J); },
            (x, d) =>
            {
                // No forward mode asked: the tangent is MJacobian · d (the check compares it with the forward sweeps' columns anyway).
                var J = new double[2, 5];
                Point v = StructOutputs.TrajectoryJacobian(P(x, 0), P(x, 2), x[4], steps, J);
                return (Flat(v), Enumerable.Range(0, 2).Select(i => Enumerable.Range(0, 5).Sum(j => J[i, j] * d[j])).ToArray());
            },
            (x, w) =>
            {
                Point dp = default, dv = default;
                double dd = 0;
                Point v = StructOutputs.TrajectoryBackward(P(x, 0), P(x, 2), x[4], steps, P(w, 0), ref dp, ref dv, ref dd);
                return (Flat(v), new[] { dp.X, dp.Y, dv.X, dv.Y, dd });
            });
        // ∂ position / ∂ initial position is the identity whatever the dynamics: an exact part of the check.
        JacobianCheck.Full(trajectory, 2, Points(5, 0.1, 1.5));
        var J0 = new double[2, 5];
        StructOutputs.TrajectoryJacobian(new Point(0.3, -0.2), new Point(1.2, 2.0), 0.4, steps, J0);
        Assert.Equal(1.0, J0[0, 0], 14);
        Assert.Equal(0.0, J0[0, 1], 14);
        Assert.Equal(0.0, J0[1, 0], 14);
        Assert.Equal(1.0, J0[1, 1], 14);
    }

    private static readonly double[] Times = { 0.0, 0.5, 1.25, 2.0 };

    [Fact]
    public void Struct_input_of_a_method_with_an_output_span()
    {
        var decay = new JacobianCheck.Companions(
            x => { var r = new double[4]; StructOutputs.Decay(P(x, 0), Times, r); return r; },
            x => { var r = new double[4]; var J = new double[4, 2]; StructOutputs.DecayJacobian(P(x, 0), Times, r, J); return (r, J); },
            (x, d) => { var r = new double[4]; var dr = new double[4]; StructOutputs.DecayTangent(P(x, 0), Times, r, P(d, 0), dr); return (r, dr); },
            (x, w) => { var r = new double[4]; Point dp = default; StructOutputs.DecayBackward(P(x, 0), Times, r, w, ref dp); return (r, Flat(dp)); });
        JacobianCheck.Full(decay, 4, Points(2, -1, 1), x =>
        {
            var J = new double[4, 2];
            for (int i = 0; i < 4; i++)
            {
                J[i, 0] = Math.Exp(x[1] * Times[i]);
                J[i, 1] = x[0] * Times[i] * Math.Exp(x[1] * Times[i]);
            }
            return J;
        });
    }

    [Fact]
    public void Out_struct_written_twice_and_read_back_beside_a_returned_scalar()
    {
        var rotate = new JacobianCheck.Companions(
            x => { double v = StructOutputs.Rotate(P(x, 0), x[2], out Point q); return new[] { v }.Concat(Flat(q)).ToArray(); },
            x => { var J = new double[3, 3]; double v = StructOutputs.RotateJacobian(P(x, 0), x[2], out Point q, J); return (new[] { v }.Concat(Flat(q)).ToArray(), J); },
            (x, d) => { double v = StructOutputs.RotateTangent(P(x, 0), x[2], out Point q, P(d, 0), d[2], out double t, out Point dq); return (new[] { v }.Concat(Flat(q)).ToArray(), new[] { t }.Concat(Flat(dq)).ToArray()); },
            (x, w) => { Point dp = default; double da = 0; double v = StructOutputs.RotateBackward(P(x, 0), x[2], out Point q, w[0], P(w, 1), ref dp, ref da); return (new[] { v }.Concat(Flat(q)).ToArray(), new[] { dp.X, dp.Y, da }); });
        JacobianCheck.Full(rotate, 3, Points(3, -1.5, 1.5), x =>
        {
            double c = Math.Cos(x[2]), s = Math.Sin(x[2]);
            double u = c * x[0] - s * x[1], v = s * x[0] + c * x[1];
            // rows: u·v, u, v; columns: p.X, p.Y, angle (du/dangle = −v, dv/dangle = u)
            return new[,]
            {
                { c * v + u * s, -s * v + u * c, -v * v + u * u },
                { c, -s, -v },
                { s, c, u },
            };
        });
    }

    [Fact]
    public void Backward_accumulates_and_the_returned_struct_is_the_methods_value()
    {
        var p = new Point(1.5, -0.5);
        Point dp = new(10, 20);
        double ds = 3;
        Point value = StructOutputs.ScaleBackward(p, 2.0, new Point(1, 1), ref dp, ref ds);
        Assert.Equal(StructOutputs.Scale(p, 2.0), value);
        Assert.Equal(10 + 2.0, dp.X, 14);
        Assert.Equal(20 + 4.0, dp.Y, 14);
        Assert.Equal(3 + 1.5 + 2 * -0.5 * 2.0, ds, 14);
    }
}
