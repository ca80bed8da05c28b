using System;
using AutoDiffGen.Runtime;

namespace AutoDiffGen.Samples.Tests.Infrastructure
{
    /// <summary>
    /// The checks every sample model passes. A derived class supplies a point (the differentiable arguments; its
    /// data are fields) and the calls to the model, to its generated <c>…Gradient</c> and <c>…Backward</c>, to its
    /// float overload and to the hand-written textbook gradient in <c>NeuralNetworks.ReferenceGradients</c>.
    /// Test data are exactly representable in float, so the double and float runs see the same numbers.
    /// </summary>
    public abstract class ModelTests
    {
        /// <summary>Generated against hand-written textbook gradient (different summation order only).</summary>
        protected const double TextbookTolerance = 1e-12;

        /// <summary>Generated against central finite differences in double.</summary>
        protected const double FiniteDifferenceTolerance = 1e-6;

        /// <summary>Float generated gradient against the double textbook gradient at the same (float) point.</summary>
        protected virtual double SingleTextbookTolerance => 1e-4;

        /// <summary>Float generated gradient against central differences of the float function (step 1e-3).</summary>
        protected virtual double SingleFiniteDifferenceTolerance => 2e-3;

        /// <summary>The relative step of the float finite differences: about the cube root of float precision.</summary>
        protected const double SingleStep = 1e-3;

        /// <summary>A fresh copy of the point, double precision, float-representable values.</summary>
        protected abstract Params Point();

        /// <summary>The model itself, <c>M(p)</c>.</summary>
        protected abstract double Loss(Params p);

        /// <summary>The generated <c>MGradient(p, g)</c>.</summary>
        protected abstract double Gradient(Params p, Params g);

        /// <summary>The generated <c>MBackward(p, seed, adjoint)</c>.</summary>
        protected abstract double Backward(Params p, double seed, Params adjoint);

        /// <summary>The hand-written textbook gradient: its loss and its gradient, laid out like <see cref="Point"/>.</summary>
        protected abstract (double Loss, Params Gradient) Textbook(Params p);

        /// <summary>The float overload of the model; <paramref name="p"/> holds float arrays.</summary>
        protected abstract float LossSingle(Params p);

        /// <summary>The generated float <c>MGradient</c>.</summary>
        protected abstract float GradientSingle(Params p, Params g);

        [Fact]
        public void Gradient_matches_the_textbook_formula()
        {
            Params p = Point();
            Params g = p.Like();
            double value = Gradient(p, g);
            (double loss, Params expected) = Textbook(p);

            Close.Assert(loss, value, TextbookTolerance, "value");
            Close.Assert(Loss(Point()), value, TextbookTolerance, "value against the method");
            Close.Assert(expected.Flatten(), g.Flatten(), TextbookTolerance, "gradient against the textbook formula");
        }

        [Fact]
        public void Gradient_matches_finite_differences()
        {
            Params p = Point();
            Params g = p.Like();
            Gradient(p, g);

            Params probe = Point();
            double[] numeric = GradientCheck.CentralDifference(flat => { probe.Load(flat); return Loss(probe); }, probe.Flatten());
            Close.Assert(numeric, g.Flatten(), FiniteDifferenceTolerance, "gradient against central differences");
        }

        [Fact]
        public void Gradient_overwrites_its_buffers()
        {
            Params p = Point();
            Params clean = p.Like();
            Gradient(p, clean);
            Params dirty = p.Like(fill: 123.5);
            Gradient(p, dirty);
            Assert.Equal(clean.Flatten(), dirty.Flatten());
        }

        [Fact]
        public void Backward_adds_seed_times_gradient_and_accumulates_over_calls()
        {
            Params p = Point();
            Params g = p.Like();
            double value = Gradient(p, g);

            // Start from a nonzero adjoint, then two calls with different seeds: a0 + (0.5 + 2)·∇M.
            Params adjoint = p.Like(fill: 0.25);
            double first = Backward(p, 0.5, adjoint);
            double second = Backward(p, 2.0, adjoint);

            Assert.Equal(value, first);
            Assert.Equal(value, second);
            double[] expected = Array.ConvertAll(g.Flatten(), e => 0.25 + 2.5 * e);
            Close.Assert(expected, adjoint.Flatten(), TextbookTolerance, "accumulated adjoint");

            // A zero seed adds nothing.
            double[] before = adjoint.Flatten();
            Backward(p, 0.0, adjoint);
            Assert.Equal(before, adjoint.Flatten());
        }

        [Fact]
        public void Gradient_does_not_modify_its_inputs()
        {
            Params p = Point();
            Gradient(p, p.Like());
            Assert.Equal(Point().Flatten(), p.Flatten());
        }

        [Fact]
        public void Single_precision_gradient_matches_the_textbook_formula()
        {
            Params p = Point().ToSingle();
            Params g = p.Like();
            float value = GradientSingle(p, g);
            (double loss, Params expected) = Textbook(Point());

            Close.Assert(loss, value, SingleTextbookTolerance, "float value");
            Close.Assert(expected.Flatten(), g.Flatten(), SingleTextbookTolerance, "float gradient against the textbook formula");
        }

        [Fact]
        public void Single_precision_gradient_matches_finite_differences()
        {
            Params p = Point().ToSingle();
            Params g = p.Like();
            GradientSingle(p, g);

            Params probe = Point().ToSingle();
            double[] numeric = GradientCheck.CentralDifference(flat => { probe.Load(flat); return LossSingle(probe); }, probe.Flatten(), SingleStep);
            Close.Assert(numeric, g.Flatten(), SingleFiniteDifferenceTolerance, "float gradient against central differences of the float function");
        }
    }
}
