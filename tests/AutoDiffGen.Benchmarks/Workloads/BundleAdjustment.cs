using System;
using AutoDiffGen;

namespace AutoDiffGen.Benchmarks.Workloads;

/// <summary>
/// ADBench bundle adjustment (the C++ reference <c>ba.h</c>) with a scalar objective, written as a user would: one
/// <c>[Differentiable]</c> helper per observation. A camera is 11 numbers, as in ADBench: Rodrigues rotation r (3),
/// centre C (3), focal length f, principal point x0 (2), radial distortion k (2). The reprojection error of point X
/// seen by a camera at feature m with weight w is w (proj − m), proj = f · distort(p) + x0, p = (Xc₀, Xc₁) / Xc₂,
/// Xc = R(r) (X − C), distort(p) = p (1 + k₀ |p|² + k₁ |p|⁴). The objective is Σ |reprojection error|² + Σ (1 − w²)²
/// (ADBench's Zach weight error), over the observations.
/// </summary>
public static partial class BundleAdjustment
{
    public const int CameraParameters = 11;

    /// <summary>|w (proj(cam, x) − (fx, fy))|²: one observation's squared reprojection error.</summary>
    [Differentiable]
    public static double SquaredReprojectionError(double[] cam, double[] x, double w, double fx, double fy)
    {
        double xo0 = x[0] - cam[3], xo1 = x[1] - cam[4], xo2 = x[2] - cam[5];
        double r0 = cam[0], r1 = cam[1], r2 = cam[2];
        double squaredAngle = r0 * r0 + r1 * r1 + r2 * r2;
        double xc0, xc1, xc2;
        if (squaredAngle != 0)
        {
            // Rodrigues: Xc = Xo cos θ + (ω × Xo) sin θ + ω (ω · Xo)(1 − cos θ), ω = r / θ.
            double theta = Math.Sqrt(squaredAngle);
            double cos = Math.Cos(theta), sin = Math.Sin(theta);
            double w0 = r0 / theta, w1 = r1 / theta, w2 = r2 / theta;
            double tmp = (w0 * xo0 + w1 * xo1 + w2 * xo2) * (1 - cos);
            xc0 = xo0 * cos + (w1 * xo2 - w2 * xo1) * sin + w0 * tmp;
            xc1 = xo1 * cos + (w2 * xo0 - w0 * xo2) * sin + w1 * tmp;
            xc2 = xo2 * cos + (w0 * xo1 - w1 * xo0) * sin + w2 * tmp;
        }
        else
        {
            // First order at θ = 0: Xc = Xo + r × Xo.
            xc0 = xo0 + r1 * xo2 - r2 * xo1;
            xc1 = xo1 + r2 * xo0 - r0 * xo2;
            xc2 = xo2 + r0 * xo1 - r1 * xo0;
        }
        double p0 = xc0 / xc2, p1 = xc1 / xc2;
        double rsq = p0 * p0 + p1 * p1;
        double distortion = 1 + cam[9] * rsq + cam[10] * rsq * rsq;
        double e0 = w * (p0 * distortion * cam[6] + cam[7] - fx);
        double e1 = w * (p1 * distortion * cam[6] + cam[8] - fy);
        return e0 * e0 + e1 * e1;
    }

    [Differentiable]
    public static double Objective(double[][] cams, double[][] points, double[] weights, int[] cameraOf, int[] pointOf, [NoDerivative] double[,] features)
    {
        double total = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            total += SquaredReprojectionError(cams[cameraOf[i]], points[pointOf[i]], weights[i], features[i, 0], features[i, 1]);
            double z = 1 - weights[i] * weights[i];
            total += z * z;
        }
        return total;
    }

    /// <summary>
    /// The hand-written gradient: per observation, the forward computation in locals, then its adjoint by hand
    /// (the chain rule through the distortion, the perspective division and the Rodrigues rotation). No memory beyond
    /// locals, whatever the number of observations.
    /// </summary>
    public static double HandGradient(double[][] cams, double[][] points, double[] weights, int[] cameraOf, int[] pointOf, double[,] features,
        double[][] dcams, double[][] dpoints, Span<double> dweights)
    {
        foreach (double[] row in dcams) Array.Clear(row);
        foreach (double[] row in dpoints) Array.Clear(row);
        dweights.Clear();
        double total = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            double[] cam = cams[cameraOf[i]], x = points[pointOf[i]], dcam = dcams[cameraOf[i]], dx = dpoints[pointOf[i]];
            double w = weights[i];
            double xo0 = x[0] - cam[3], xo1 = x[1] - cam[4], xo2 = x[2] - cam[5];
            double r0 = cam[0], r1 = cam[1], r2 = cam[2];
            double squaredAngle = r0 * r0 + r1 * r1 + r2 * r2;
            double theta = 0, cos = 1, sin = 0, w0 = 0, w1 = 0, w2 = 0, dot = 0, tmp = 0;
            double c0, c1, c2, xc0, xc1, xc2;
            bool rotated = squaredAngle != 0;
            if (rotated)
            {
                theta = Math.Sqrt(squaredAngle);
                cos = Math.Cos(theta);
                sin = Math.Sin(theta);
                w0 = r0 / theta; w1 = r1 / theta; w2 = r2 / theta;
                dot = w0 * xo0 + w1 * xo1 + w2 * xo2;
                tmp = dot * (1 - cos);
                c0 = w1 * xo2 - w2 * xo1; c1 = w2 * xo0 - w0 * xo2; c2 = w0 * xo1 - w1 * xo0;
                xc0 = xo0 * cos + c0 * sin + w0 * tmp;
                xc1 = xo1 * cos + c1 * sin + w1 * tmp;
                xc2 = xo2 * cos + c2 * sin + w2 * tmp;
            }
            else
            {
                c0 = r1 * xo2 - r2 * xo1; c1 = r2 * xo0 - r0 * xo2; c2 = r0 * xo1 - r1 * xo0;
                xc0 = xo0 + c0; xc1 = xo1 + c1; xc2 = xo2 + c2;
            }
            double p0 = xc0 / xc2, p1 = xc1 / xc2;
            double rsq = p0 * p0 + p1 * p1;
            double k0 = cam[9], k1 = cam[10], f = cam[6];
            double distortion = 1 + k0 * rsq + k1 * rsq * rsq;
            double q0 = p0 * distortion, q1 = p1 * distortion;
            double d0 = q0 * f + cam[7] - features[i, 0], d1 = q1 * f + cam[8] - features[i, 1];
            double e0 = w * d0, e1 = w * d1;
            double z = 1 - w * w;
            total += e0 * e0 + e1 * e1 + z * z;

            // Adjoints, last operation first.
            double de0 = 2 * e0, de1 = 2 * e1;
            dweights[i] += de0 * d0 + de1 * d1 - 4 * w * z;
            double dd0 = w * de0, dd1 = w * de1;
            dcam[7] += dd0;
            dcam[8] += dd1;
            dcam[6] += dd0 * q0 + dd1 * q1;
            double dq0 = dd0 * f, dq1 = dd1 * f;
            double ddistortion = dq0 * p0 + dq1 * p1;
            dcam[9] += ddistortion * rsq;
            dcam[10] += ddistortion * rsq * rsq;
            double drsq = ddistortion * (k0 + 2 * k1 * rsq);
            double dp0 = dq0 * distortion + 2 * p0 * drsq, dp1 = dq1 * distortion + 2 * p1 * drsq;
            double dxc0 = dp0 / xc2, dxc1 = dp1 / xc2, dxc2 = -(dp0 * p0 + dp1 * p1) / xc2;
            double dxo0, dxo1, dxo2, dr0, dr1, dr2;
            if (rotated)
            {
                // Xc = Xo cos + (ω × Xo) sin + ω tmp, tmp = (ω · Xo)(1 − cos).
                dxo0 = dxc0 * cos; dxo1 = dxc1 * cos; dxo2 = dxc2 * cos;
                double dcos = dxc0 * xo0 + dxc1 * xo1 + dxc2 * xo2;
                double dsin = dxc0 * c0 + dxc1 * c1 + dxc2 * c2;
                double dc0 = dxc0 * sin, dc1 = dxc1 * sin, dc2 = dxc2 * sin;
                double dw0 = dxc0 * tmp, dw1 = dxc1 * tmp, dw2 = dxc2 * tmp;
                double dtmp = dxc0 * w0 + dxc1 * w1 + dxc2 * w2;
                double ddot = dtmp * (1 - cos);
                dcos -= dtmp * dot;
                dw0 += ddot * xo0; dw1 += ddot * xo1; dw2 += ddot * xo2;
                dxo0 += ddot * w0; dxo1 += ddot * w1; dxo2 += ddot * w2;
                // c = ω × Xo: dω += Xo × dc, dXo += dc × ω.
                dw0 += xo1 * dc2 - xo2 * dc1; dw1 += xo2 * dc0 - xo0 * dc2; dw2 += xo0 * dc1 - xo1 * dc0;
                dxo0 += dc1 * w2 - dc2 * w1; dxo1 += dc2 * w0 - dc0 * w2; dxo2 += dc0 * w1 - dc1 * w0;
                double dtheta = -sin * dcos + cos * dsin - (dw0 * r0 + dw1 * r1 + dw2 * r2) / (theta * theta);
                double dsquared = dtheta / (2 * theta);
                dr0 = dw0 / theta + 2 * r0 * dsquared;
                dr1 = dw1 / theta + 2 * r1 * dsquared;
                dr2 = dw2 / theta + 2 * r2 * dsquared;
            }
            else
            {
                // Xc = Xo + r × Xo: dXo = dXc + dXc × r, dr = Xo × dXc.
                dxo0 = dxc0 + dxc1 * r2 - dxc2 * r1; dxo1 = dxc1 + dxc2 * r0 - dxc0 * r2; dxo2 = dxc2 + dxc0 * r1 - dxc1 * r0;
                dr0 = xo1 * dxc2 - xo2 * dxc1; dr1 = xo2 * dxc0 - xo0 * dxc2; dr2 = xo0 * dxc1 - xo1 * dxc0;
            }
            dcam[0] += dr0; dcam[1] += dr1; dcam[2] += dr2;
            dx[0] += dxo0; dx[1] += dxo1; dx[2] += dxo2;
            dcam[3] -= dxo0; dcam[4] -= dxo1; dcam[5] -= dxo2;
        }
        return total;
    }
}
