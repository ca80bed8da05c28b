using System;
using System.Numerics;
using AutoDiffGen.Runtime;
using Geometry;

namespace AutoDiffGen.Samples.Tests
{
    /// <summary>
    /// samples/Geometry: the energy of a mass on two springs, written with Vector3, a record struct, a guard, a switch and a
    /// local function. Its generated gradient (a Vector3) against the force computed by hand and central finite
    /// differences, and gradient descent against the equilibrium of the forces.
    /// </summary>
    public sealed class GeometryTests
    {
        private static readonly Vector3 AnchorA = new(-2, 0, 0.5f);
        private static readonly Vector3 AnchorB = new(2, 0.25f, 0);
        private static readonly Spring SpringA = new(40, 1.5f);
        private static readonly Spring SpringB = new(25, 1.25f);
        private const float Mass = 1.5f;

        /// <summary>∇E = Σ k(|p − a| − L)(p − a)/|p − a| + m g ŷ, in double.</summary>
        private static double[] ExactGradient(Vector3 p, Gravity gravity)
        {
            double g = gravity switch { Gravity.Earth => 9.81f, Gravity.Moon => 1.62f, _ => 0 };
            var gradient = new double[] { 0, Mass * g, 0 };
            foreach (var (anchor, spring) in new[] { (AnchorA, SpringA), (AnchorB, SpringB) })
            {
                double[] d = { p.X - anchor.X, p.Y - anchor.Y, p.Z - anchor.Z };
                double length = Math.Sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                for (int i = 0; i < 3; i++) gradient[i] += spring.Stiffness * (length - spring.RestLength) * d[i] / length;
            }
            return gradient;
        }

        private static double EnergyAt(double[] p, Gravity gravity) =>
            Physics.Energy(new Vector3((float)p[0], (float)p[1], (float)p[2]), AnchorA, AnchorB, SpringA, SpringB, Mass, gravity);

        [Theory]
        [InlineData(Gravity.None)]
        [InlineData(Gravity.Moon)]
        [InlineData(Gravity.Earth)]
        public void Gradient_is_the_hand_derived_force_and_matches_finite_differences(Gravity gravity)
        {
            var random = new Random(3);
            for (int k = 0; k < 6; k++)
            {
                var p = new Vector3((float)(random.NextDouble() * 2 - 1), (float)(random.NextDouble() * 2 - 1), (float)(random.NextDouble() * 2 - 1));
                float value = Physics.EnergyGradient(p, AnchorA, AnchorB, SpringA, SpringB, Mass, gravity, out Vector3 gradient);
                Assert.Equal(Physics.Energy(p, AnchorA, AnchorB, SpringA, SpringB, Mass, gravity), value, 5);
                double[] exact = ExactGradient(p, gravity);
                double[] fd = GradientCheck.CentralDifference(x => EnergyAt(x, gravity), new double[] { p.X, p.Y, p.Z }, step: 1e-3);
                double[] actual = { gradient.X, gradient.Y, gradient.Z };
                for (int i = 0; i < 3; i++)
                {
                    double scale = Math.Max(1, Math.Abs(exact[i]));
                    Assert.True(Math.Abs(exact[i] - actual[i]) / scale < 1e-4, $"∂E/∂p[{i}] at {p}: exact {exact[i]}, generated {actual[i]}");
                    Assert.True(Math.Abs(fd[i] - actual[i]) / scale < 5e-3, $"∂E/∂p[{i}] at {p}: finite differences {fd[i]}, generated {actual[i]}");
                }

                // MBackward accumulates seed · gradient into the adjoint it is given.
                var adjoint = new Vector3(0.25f);
                Physics.EnergyBackward(p, AnchorA, AnchorB, SpringA, SpringB, Mass, gravity, 2f, ref adjoint);
                Assert.True(Vector3.Distance(adjoint, new Vector3(0.25f) + 2f * gradient) < 1e-3f * Math.Max(1, gradient.Length()));
            }
        }

        [Fact]
        public void Gradient_descent_finds_where_the_forces_balance()
        {
            Vector3 rest = Physics.RestingPosition(new Vector3(0.3f, 0.5f, 0.2f), AnchorA, AnchorB, SpringA, SpringB, Mass, Gravity.Earth, step: 0.01f, iterations: 4000);
            double[] force = ExactGradient(rest, Gravity.Earth);
            Assert.True(Math.Sqrt(force[0] * force[0] + force[1] * force[1] + force[2] * force[2]) < 1e-2, $"net force at {rest}: ({force[0]}, {force[1]}, {force[2]})");
            Assert.True(rest.Y < 0, "the mass hangs below the anchors");
            float start = Physics.Energy(new Vector3(0.3f, 0.5f, 0.2f), AnchorA, AnchorB, SpringA, SpringB, Mass, Gravity.Earth);
            Assert.True(Physics.Energy(rest, AnchorA, AnchorB, SpringA, SpringB, Mass, Gravity.Earth) < start);
        }

        [Fact]
        public void The_guard_throws_from_the_gradient_as_from_the_method()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => Physics.Energy(Vector3.Zero, AnchorA, AnchorB, SpringA, SpringB, 0, Gravity.Earth));
            Assert.Throws<ArgumentOutOfRangeException>(() => Physics.EnergyGradient(Vector3.Zero, AnchorA, AnchorB, SpringA, SpringB, 0, Gravity.Earth, out _));
        }
    }
}
