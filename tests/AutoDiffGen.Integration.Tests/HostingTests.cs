using System;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Integration.Tests.Functions.Hosting;
using AutoDiffGen.Integration.Tests.Infrastructure;

namespace AutoDiffGen.Integration.Tests;

public class HostingTests
{
    [Fact]
    public void Instance_method_reading_fields_and_properties()
    {
        var model = new Model(weight: 1.5, bias: -0.5);
        Check.Two(model.Predict, model.PredictGradient, model.PredictBackward,
            (x, y) => (1.5 * y - 0.5 * Math.Cos(x), 1.5 * x), -2, 2);
    }

    [Fact]
    public void Instance_method_calling_instance_and_static_methods_with_a_NoDerivative_target()
    {
        var model = new Model(weight: 0.8, bias: 0.3);
        foreach (var p in Check.Points(3, -1.5, 1.5))
        {
            double x = p[0], y = p[1], target = p[2];
            double value = model.LossGradient(x, y, target, out double dx, out double dy);
            Check.Same(model.Loss(x, y, target), value, "value", x, y, target);
            double e = model.Predict(x, y) - target;
            Check.Close(2 * e * (0.8 * y + 0.3 * Math.Cos(x)) + 2 * x, dx, 1e-10, "∂/∂x", x, y, target);
            Check.Close(2 * e * 0.8 * x, dy, 1e-10, "∂/∂y", x, y, target);
            double[] fd = AutoDiffGen.Runtime.GradientCheck.CentralDifference(q => model.Loss(q[0], q[1], target), new[] { x, y });
            Check.Close(fd[0], dx, 1e-6, "finite differences ∂/∂x", x, y, target);
            Check.Close(fd[1], dy, 1e-6, "finite differences ∂/∂y", x, y, target);
        }
    }

    [Fact]
    public void Struct_instance_method()
    {
        var spring = new Spring { Stiffness = 4 };
        Check.One(spring.Energy, spring.EnergyGradient, spring.EnergyBackward, s => 4 * s, -2, 2);
    }

    [Fact]
    public void Record_instance_method()
    {
        var p = new Polynomial(2, -3, 1);
        Check.One(p.Evaluate, p.EvaluateGradient, p.EvaluateBackward, x => 4 * x - 3, -2, 2);
    }

    [Fact]
    public void Record_struct_instance_and_static_methods()
    {
        var g = new Gaussian(0.5, 1.5);
        Check.One(g.LogDensity, g.LogDensityGradient, g.LogDensityBackward, x => -(x - 0.5) / (1.5 * 1.5), -3, 3);
        Check.One(Gaussian.Standard, Gaussian.StandardGradient, Gaussian.StandardBackward, x => -x * Math.Exp(-0.5 * x * x), -3, 3);
    }

    [Fact]
    public void Nested_types() =>
        Check.One(Outer.Middle.Inner.Deep, Outer.Middle.Inner.DeepGradient, Outer.Middle.Inner.DeepBackward, x => 3 * x * x, -2, 2);

    [Fact]
    public void Generic_containing_type()
    {
        var box = new Box<string> { Tag = "t" };
        Check.One(box.Twice, box.TwiceGradient, box.TwiceBackward, x => 4 * x, -2, 2);
    }

    [Fact]
    public void Private_internal_and_protected_methods()
    {
        Assert.Equal(3 * 0.7 * 0.7, Access.HiddenGradientFromInside(0.7, out double dHidden), 1e-15);
        Assert.Equal(6 * 0.7, dHidden, 1e-12);

        Check.One(Access.Internal, Access.InternalGradient, Access.InternalBackward, Math.Exp, -2, 2);

        var access = new Access();
        access.ProtectedGradientFromInside(0.7, out double dProtected);
        Assert.Equal((1 - 0.49) / ((1 + 0.49) * (1 + 0.49)), dProtected, 1e-12);

        // Companions keep the method's accessibility.
        MethodInfo hidden = typeof(Access).GetMethod("HiddenGradient", BindingFlags.NonPublic | BindingFlags.Static)!;
        Assert.True(hidden.IsPrivate);
        MethodInfo @internal = typeof(Access).GetMethod("InternalGradient", BindingFlags.NonPublic | BindingFlags.Static)!;
        Assert.True(@internal.IsAssembly);
        MethodInfo @protected = typeof(Access).GetMethod("ProtectedBackward", BindingFlags.NonPublic | BindingFlags.Instance)!;
        Assert.True(@protected.IsFamily);
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(0, false)]
    public void Int_and_bool_parameters_pass_through_and_NoDerivative_gets_no_gradient(int n, bool negate)
    {
        foreach (var p in Check.Points(3, 0.5, 2))
        {
            double x = p[0], scale = p[1], y = p[2];
            double value = PassThrough.MixedGradient(x, n, negate, scale, y, out double dx, out double dy);
            Check.Same(PassThrough.Mixed(x, n, negate, scale, y), value, "value", x, scale, y);
            double sign = negate ? -1 : 1;
            Check.Close(sign * scale * n * Math.Pow(x, n - 1), dx, 1e-12, "∂/∂x", x, scale, y);
            Check.Close(sign, dy, 1e-12, "∂/∂y", x, scale, y);

            double ax = 0.5, ay = 0.5;
            Check.Same(value, PassThrough.MixedBackward(x, n, negate, scale, y, 2, ref ax, ref ay), "MBackward value", x, scale, y);
            Check.Close(0.5 + 2 * dx, ax, 1e-12, "MBackward x", x, scale, y);
            Check.Close(0.5 + 2 * dy, ay, 1e-12, "MBackward y", x, scale, y);
        }
    }

    [Fact]
    public void Companion_signatures_follow_the_api()
    {
        // MixedGradient(x, n, negate, scale, y, out dx, out dy): no gradient for n, negate or the [NoDerivative] scale.
        ParameterInfo[] gradient = typeof(PassThrough).GetMethod("MixedGradient")!.GetParameters();
        Assert.Equal(new[] { "x", "n", "negate", "scale", "y", "dx", "dy" }, gradient.Select(p => p.Name));
        Assert.Equal(new[] { typeof(double), typeof(int), typeof(bool), typeof(double), typeof(double), typeof(double).MakeByRefType(), typeof(double).MakeByRefType() },
            gradient.Select(p => p.ParameterType));
        Assert.True(gradient[5].IsOut && gradient[6].IsOut);

        ParameterInfo[] backward = typeof(PassThrough).GetMethod("MixedBackward")!.GetParameters();
        Assert.Equal(new[] { "x", "n", "negate", "scale", "y", "seed", "dx", "dy" }, backward.Select(p => p.Name));
        Assert.False(backward[6].IsOut);
        Assert.True(backward[6].ParameterType.IsByRef);

        ParameterInfo[] loss = typeof(Model).GetMethod("LossGradient")!.GetParameters();
        Assert.Equal(new[] { "x", "y", "target", "dx", "dy" }, loss.Select(p => p.Name));

        MethodInfo floatGradient = typeof(Functions.FloatFunctions).GetMethod("PowGradient")!;
        Assert.Equal(typeof(float), floatGradient.ReturnType);
        Assert.Equal(typeof(float).MakeByRefType(), floatGradient.GetParameters()[2].ParameterType);
    }
}
