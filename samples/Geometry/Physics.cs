using System;
using System.Numerics;
using AutoDiffGen;

namespace Geometry;

/// <summary>A spring: how stiff it is and how long it is at rest.</summary>
public readonly record struct Spring(float Stiffness, float RestLength);

public enum Gravity { None, Earth, Moon }

/// <summary>
/// Everyday C# with Vector3, a record struct, a guard, a switch and a local function: the potential energy of a mass hung
/// from two anchors by springs. Its generated gradient with respect to the mass's position (a Vector3 of the same shape)
/// is the negated net force, so gradient descent finds where the mass comes to rest.
/// </summary>
public static partial class Physics
{
    [Differentiable]
    public static float Energy(Vector3 position, [NoDerivative] Vector3 anchorA, [NoDerivative] Vector3 anchorB,
        [NoDerivative] Spring springA, [NoDerivative] Spring springB, [NoDerivative] float mass, Gravity gravity)
    {
        if (mass <= 0) throw new ArgumentOutOfRangeException(nameof(mass), "A mass is positive.");
        float g = gravity switch
        {
            Gravity.Earth => 9.81f,
            Gravity.Moon => 1.62f,
            _ => 0f,
        };

        // Elastic energy ½k(|p − a| − L)² of one spring.
        static float Stretch(Vector3 from, Vector3 to, Spring spring)
        {
            float extension = Vector3.Distance(from, to) - spring.RestLength;
            return 0.5f * spring.Stiffness * extension * extension;
        }

        return Stretch(position, anchorA, springA) + Stretch(position, anchorB, springB) + mass * g * position.Y;
    }

    /// <summary>Gradient descent on <see cref="Energy"/> from <paramref name="start"/>: where the mass comes to rest.</summary>
    public static Vector3 RestingPosition(Vector3 start, Vector3 anchorA, Vector3 anchorB, Spring springA, Spring springB, float mass, Gravity gravity,
        float step = 0.02f, int iterations = 2000)
    {
        Vector3 position = start;
        for (int i = 0; i < iterations; i++)
        {
            EnergyGradient(position, anchorA, anchorB, springA, springB, mass, gravity, out Vector3 gradient);
            position -= step * gradient;
        }
        return position;
    }
}
