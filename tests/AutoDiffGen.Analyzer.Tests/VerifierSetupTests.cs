using System.Threading.Tasks;
using AutoDiffGen.Tests.Verifiers;
using Verify = AutoDiffGen.Tests.Verifiers.AnalyzerVerifier<AutoDiffGen.Generator.Analyzers.DifferentiableAnalyzer>;

namespace AutoDiffGen.Analyzer.Tests;

/// <summary>The verifiers' project: .NET 10, AutoDiffGen's assemblies and the generator, with nothing fetched at test time.</summary>
public class VerifierSetupTests
{
    [Fact]
    public async Task A_valid_program_using_the_framework_and_AutoDiffGen_has_no_diagnostic()
    {
        await Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Linq;
            using AutoDiffGen;

            public static partial class Funcs
            {
                [Differentiable]
                public static double M(double x) => x * Math.Sin(x);

                public static double Use(double[] w) => MGradient(1.0, out double dx) + dx + w.Sum();
            }
            """);
    }

    [Fact]
    public void Reference_assemblies_name_no_package_to_download()
    {
        Assert.Null(AdgTestDefaults.ReferenceAssemblies.ReferenceAssemblyPackage);
        Assert.Empty(AdgTestDefaults.ReferenceAssemblies.Packages);
        Assert.Contains(AdgTestDefaults.References, r => r is Microsoft.CodeAnalysis.PortableExecutableReference { FilePath: "System.Runtime.dll" });
    }
}
