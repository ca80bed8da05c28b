using System;
using System.Numerics;
using Geometry;

// A 1 kg mass between two anchors 4 m apart, on springs of rest length 1.5 m: where does it hang on Earth and on the Moon?
var anchorA = new Vector3(-2, 0, 0);
var anchorB = new Vector3(2, 0, 0);
var spring = new Spring(Stiffness: 40, RestLength: 1.5f);
foreach (Gravity gravity in new[] { Gravity.None, Gravity.Moon, Gravity.Earth })
{
    Vector3 rest = Physics.RestingPosition(new Vector3(0.3f, 0.5f, 0.2f), anchorA, anchorB, spring, spring, mass: 1, gravity);
    float energy = Physics.EnergyGradient(rest, anchorA, anchorB, spring, spring, 1, gravity, out Vector3 force);
    Console.WriteLine($"{gravity,-6} rests at ({rest.X:F4}, {rest.Y:F4}, {rest.Z:F4}), energy {energy:F4} J, |net force| {force.Length():E2} N");
}
