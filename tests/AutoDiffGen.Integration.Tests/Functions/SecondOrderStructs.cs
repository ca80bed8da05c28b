using System;
using System.Numerics;
using AutoDiffGen;

namespace AutoDiffGen.Integration.Tests.Functions
{
    /// <summary>
    /// Second order through struct parameters (issue 9, api.md: MHessian over the inputs flattened field by field, the
    /// direction and H·v of a struct input are values of the struct): a user record struct read through its members, a
    /// mutable struct holding a nested one, an <c>in</c> nested record, Vector2/Vector3 (float), structs mixed with an array
    /// and a scalar, and a [Differentiable] callee taking a struct (inlined, so its own calls go through second order too).
    /// </summary>
    public static partial class SecondOrderStructs
    {
        /// <summary>
        /// A record struct read through a method (Scaled), an operator (+), a computed property (LengthSquared) and its fields:
        /// q = (kX + 1, kY + X), f = q.X·q.Y + k(X² + Y²) + sin(XY) = k²XY + 2kX² + kY + X + kY² + sin(XY).
        /// </summary>
        [Differentiable(Derivatives.Hessian)]
        public static double PointMembers(Point p, double k)
        {
            Point q = p.Scaled(k) + new Point(1, p.X);
            return q.X * q.Y + k * p.LengthSquared + Math.Sin(p.X * p.Y);
        }

        /// <summary>
        /// A mutable struct holding a nested record struct (leaves Position.X, Position.Y, Mass), pushed by a mutating method
        /// (the parameter is copied into locals) and read through a computed property: f = ½m((X + m)² + Y²).
        /// </summary>
        [Differentiable(Derivatives.Hessian)]
        public static double ParticlePushed(Particle a)
        {
            a.Push(a.Mass, 0);
            return a.Energy;
        }

        /// <summary>
        /// An <c>in</c> record struct of two nested ones (leaves Start.X, Start.Y, End.X, End.Y):
        /// f = dx·dy² + exp(Start.X·End.Y), dx = End.X − Start.X, dy = End.Y − Start.Y.
        /// </summary>
        [Differentiable(Derivatives.Hessian)]
        public static double SegmentShape(in Segment s)
        {
            double dx = s.End.X - s.Start.X, dy = s.End.Y - s.Start.Y;
            return dx * dy * dy + Math.Exp(s.Start.X * s.End.Y);
        }

        /// <summary>Vector2 and Vector3 (float leaves, a float result): f = (a·a)·b.Z + a.X·b.X·b.Y + sin(b.Z)·a.Y.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static float Vectors(Vector2 a, Vector3 b) => Vector2.Dot(a, a) * b.Z + a.X * b.X * b.Y + MathF.Sin(b.Z) * a.Y;

        /// <summary>A struct, an array and a scalar (flattened p.X, p.Y, w₀…wₙ₋₁, s): f = X·Σwᵢ² + s·Y·w₀ + s²·X.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static double Mixed(Point p, double[] w, double s)
        {
            double sum = 0;
            for (int i = 0; i < w.Length; i++) sum += w[i] * w[i] * p.X;
            return sum + s * p.Y * w[0] + s * s * p.X;
        }

        /// <summary>
        /// A [Differentiable] method taking a struct, without the Hessian flag: its callers inline it (no companion of it is
        /// called), and its call of a scalar [Differentiable] helper becomes theirs. E(q, k) = k(q.X² + q.Y²) + exp(q.X·k).
        /// </summary>
        [Differentiable]
        public static double PointEnergy(Point q, double k) => k * (SecondOrderCalls.Square(q.X) + SecondOrderCalls.Square(q.Y)) + Math.Exp(q.X * k);

        /// <summary>
        /// Through the struct callee twice: f = E((tX, tY), t) + E((t, Y), 1) = t³(X² + Y²) + exp(t²X) + t² + Y² + eᵗ.
        /// </summary>
        [Differentiable(Derivatives.Hessian)]
        public static double ThroughStructCallee(Point p, double t) => PointEnergy(p.Scaled(t), t) + PointEnergy(new Point(t, p.Y), 1.0);

        /// <summary>
        /// A read-only span of a record struct (flattened p₀.X, p₀.Y, p₁.X, …, then w), element fields, a whole element copied
        /// and read through a member: f = Σᵢ w·Xᵢ²·Yᵢ + Σᵢ sin(Xᵢ·Xᵢ₊₁) + |pₙ₋₁|².
        /// </summary>
        [Differentiable(Derivatives.Hessian)]
        public static double PointSpan(ReadOnlySpan<Point> p, double w)
        {
            double s = 0;
            for (int i = 0; i < p.Length; i++)
            {
                s += w * p[i].X * p[i].X * p[i].Y;
                if (i + 1 < p.Length) s += Math.Sin(p[i].X * p[i + 1].X);
            }
            Point last = p[p.Length - 1];
            return s + last.LengthSquared;
        }

        /// <summary>
        /// Writes into its span of structs (whole elements, in a loop: the tangent of the input is a local copy of the direction,
        /// and MHessian gives the span its entry values back before each column), then reads it back.
        /// </summary>
        [Differentiable(Derivatives.Hessian)]
        public static double Relax(Span<Point> p, double k)
        {
            for (int i = 1; i < p.Length; i++) p[i] = new Point(p[i].X + k * p[i - 1].X, p[i].Y * Math.Sin(p[i - 1].Y));
            double s = 0;
            for (int i = 0; i < p.Length; i++) s += p[i].X * p[i].Y;
            return s;
        }

        /// <summary>Vector3[] (float): a chain of springs, f = Σᵢ k·|pᵢ₊₁ − pᵢ|² + (p₀.Z)³.</summary>
        [Differentiable(Derivatives.Hessian)]
        public static float Springs(Vector3[] p, float k)
        {
            float e = p[0].Z * p[0].Z * p[0].Z;
            for (int i = 0; i + 1 < p.Length; i++) e += k * (p[i + 1] - p[i]).LengthSquared();
            return e;
        }

        /// <summary>
        /// A Quaternion (float) through the members second order supports for it — fields, <c>-</c> of two and unary,
        /// Identity, Dot, Length() — and a float, flattened (X, Y, Z, W, k):
        /// f = k·|q − 1|² + |q|·x·y + sin(z)·w − w·k², with 1 = Quaternion.Identity = (0, 0, 0, 1).
        /// </summary>
        [Differentiable(Derivatives.Hessian)]
        public static float QuaternionEnergy(Quaternion q, float k)
        {
            Quaternion d = q - Quaternion.Identity;
            return k * Quaternion.Dot(d, d) + q.Length() * q.X * q.Y + MathF.Sin(q.Z) * q.W + (-q).W * k * k;
        }

        /// <summary>
        /// Complex[] and a double, flattened (a₀, b₀, a₁, b₁, …, c) for zᵢ = aᵢ + i·bᵢ: products, Conjugate, Exp, Magnitude,
        /// Real and Imaginary of temporaries. f = Σᵢ [c·Re(zᵢ²) + Im(exp zᵢ) + c·|zᵢ|] + Σᵢ Re(zᵢ·conj zᵢ₊₁)
        /// = Σᵢ [c(aᵢ² − bᵢ²) + e^aᵢ sin bᵢ + c·rᵢ] + Σᵢ (aᵢaᵢ₊₁ + bᵢbᵢ₊₁).
        /// </summary>
        [Differentiable(Derivatives.Hessian)]
        public static double ComplexArrayEnergy(Complex[] z, double c)
        {
            double s = 0;
            for (int i = 0; i < z.Length; i++)
            {
                s += c * (z[i] * z[i]).Real + Complex.Exp(z[i]).Imaginary + c * z[i].Magnitude;
                if (i + 1 < z.Length) s += (z[i] * Complex.Conjugate(z[i + 1])).Real;
            }
            return s;
        }

        /// <summary>
        /// ReadOnlySpan&lt;Complex&gt; and a double, an element copied to a local: Phase, Log and a product.
        /// f = Σᵢ [c·arg zᵢ + Re(log zᵢ)] + Σᵢ Re(zᵢ·zᵢ₊₁) = Σᵢ [c·atan2(bᵢ, aᵢ) + ln rᵢ] + Σᵢ (aᵢaᵢ₊₁ − bᵢbᵢ₊₁).
        /// </summary>
        [Differentiable(Derivatives.Hessian)]
        public static double ComplexSpanPhases(ReadOnlySpan<Complex> z, double c)
        {
            double s = 0;
            for (int i = 0; i < z.Length; i++)
            {
                Complex w = z[i];
                s += c * w.Phase + Complex.Log(w).Real;
                if (i + 1 < z.Length) s += (w * z[i + 1]).Real;
            }
            return s;
        }
    }
}
