#!/usr/bin/env bash
# The package test: packs AutoDiffGen, then builds and runs projects that use it only through
# <PackageReference Include="AutoDiffGen" .../>, restored from the folder it was packed into.
# Prints one "PASS name" or "FAIL name: why" per check and ends with "N passed, N failed"; exits 1 if a check failed.
# Run from anywhere: bash tests/PackageConsumer/run.sh. Everything it writes is under tests/PackageConsumer/obj/.
# Needs the .NET SDK, a NuGet feed for the consumers' other packages (the net8.0 reference pack), unzip and openssl.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
readonly HERE=tests/PackageConsumer
readonly WORK=$HERE/obj
readonly NUPKG_DIR=$WORK/nupkg          # the source named in nuget.config
readonly PACKAGES_DIR=$WORK/packages    # this test's own packages folder (nuget.config)
readonly LOGS=$WORK/logs
# What must never appear when the compiler loads the package's analyzers: cannot load an analyzer (CS8032), an
# analyzer built for a newer compiler (CS9057), a generator or analyzer that threw (CS8784, CS8785, AD0001), and the
# analyzer-authoring rules (RSnnnn), which belong to the build of the analyzers, not to their users.
readonly LOAD_PROBLEMS='(warning|error) (CS8032|CS9057|CS8784|CS8785|AD0001|RS[0-9]{4})'

passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
show_log() { echo "---- last lines of $1"; tail -n 40 "$1"; echo "----"; }
finish() { echo "package test: ${SECONDS}s"; echo "$passed passed, $failed failed"; (( failed == 0 )); exit $?; }

for tool in dotnet unzip openssl base64; do
    command -v "$tool" > /dev/null || { fail "tools" "$tool not found (the package test needs dotnet, unzip, openssl, base64)"; finish; }
done
mkdir -p "$LOGS"
version=$(grep -oE '<Version>[^<]+</Version>' Directory.Build.props | head -n 1 | sed -E 's|</?Version>||g')
echo "AutoDiffGen $version"

# 1. Pack, into a folder emptied first (no package of an earlier run is ever restored).
rm -rf -- "$NUPKG_DIR"
if ! dotnet pack src/Package -c Release -o "$NUPKG_DIR" > "$LOGS/pack.log" 2>&1 < /dev/null; then
    show_log "$LOGS/pack.log"
    fail "pack" "dotnet pack src/Package failed"
    fail "consumer build" "not run: no package"
    fail "consumer net8.0 gradients" "not run: no package"
    fail "consumer net10.0 gradients" "not run: no package"
    fail "diagnostics in the consumer's build output" "not run: no package"
    finish
fi
nupkg=$NUPKG_DIR/AutoDiffGen.$version.nupkg
problems=()
[[ -f "$nupkg" ]] || problems+=("no $nupkg")
[[ -f "$NUPKG_DIR/AutoDiffGen.$version.snupkg" ]] || problems+=("no symbol package")
if [[ -f "$nupkg" ]]; then
    entries=$(unzip -Z1 "$nupkg")
    for entry in PACKAGE.md \
                 lib/netstandard2.0/AutoDiffGen.Runtime.dll lib/netstandard2.0/AutoDiffGen.Attributes.dll \
                 lib/net10.0/AutoDiffGen.Runtime.dll lib/net10.0/AutoDiffGen.Attributes.dll \
                 analyzers/dotnet/cs/AutoDiffGen.Generator.dll analyzers/dotnet/cs/AutoDiffGen.CodeFixes.dll; do
        grep -qxF "$entry" <<< "$entries" || problems+=("no $entry")
    done
    extra=$(grep -E '\.dll$' <<< "$entries" | grep -vE '^(lib/(netstandard2\.0|net10\.0)/AutoDiffGen\.(Runtime|Attributes)|analyzers/dotnet/cs/AutoDiffGen\.(Generator|CodeFixes))\.dll$' || true)
    [[ -z "$extra" ]] || problems+=("unexpected assemblies: $extra")
    nuspec=$(unzip -p "$nupkg" AutoDiffGen.nuspec)
    grep -q '<license type="expression">MIT</license>' <<< "$nuspec" || problems+=("no MIT licence expression")
    grep -q '<readme>PACKAGE.md</readme>' <<< "$nuspec" || problems+=("no readme")
    grep -q '<repository type="git"' <<< "$nuspec" || problems+=("no repository metadata")
    grep -qiE 'dependency id="(AutoDiffGen|Microsoft\.CodeAnalysis)' <<< "$nuspec" && problems+=("depends on AutoDiffGen.* or Roslyn packages")
fi
if (( ${#problems[@]} == 0 )); then
    pass "pack: AutoDiffGen.$version.nupkg (lib/, analyzers/dotnet/cs, readme, licence, repository) and .snupkg"
else
    fail "pack" "$(IFS=';'; echo "${problems[*]}")"
fi

# 2. The consumer: restore (from the package just packed), build for net8.0 and net10.0.
rm -rf -- "$PACKAGES_DIR/autodiffgen"
consumer=$HERE/Consumer
if dotnet restore "$consumer" --force > "$LOGS/consumer-restore.log" 2>&1 < /dev/null \
   && dotnet build "$consumer" -c Release --no-restore > "$LOGS/consumer-build.log" 2>&1 < /dev/null; then
    problems=()
    if grep -qE "$LOAD_PROBLEMS" "$LOGS/consumer-build.log"; then
        problems+=("$(grep -oE "$LOAD_PROBLEMS[^[]*" "$LOGS/consumer-build.log" | sort -u | head -n 5 | tr '\n' ' ')")
    fi
    grep -qE 'warning ADG|error ADG' "$LOGS/consumer-build.log" && problems+=("ADG diagnostics on correct code")
    # The package restored is byte for byte the one just packed (its hash, as NuGet recorded it on extraction).
    recorded=$(cat "$PACKAGES_DIR/autodiffgen/$version/autodiffgen.$version.nupkg.sha512" 2>/dev/null || true)
    packed=$(openssl dgst -sha512 -binary "$nupkg" | base64 -w0)
    [[ -n "$recorded" && "$recorded" == "$packed" ]] || problems+=("the AutoDiffGen restored is not the one just packed")
    if (( ${#problems[@]} == 0 )); then
        ref8=$(ls -d "$PACKAGES_DIR"/microsoft.netcore.app.ref/8.* 2>/dev/null | xargs -r -n1 basename | paste -sd ' ')
        pass "consumer build: net8.0 (reference pack ${ref8:-from the SDK}) and net10.0, the package just packed, no analyzer-load warnings"
    else
        show_log "$LOGS/consumer-build.log"
        fail "consumer build" "$(IFS=';'; echo "${problems[*]}")"
    fi
    for framework in net8.0 net10.0; do
        # Without a .NET 8 runtime on the machine, the net8.0 build runs on the newest one (roll forward).
        if DOTNET_ROLL_FORWARD=Major dotnet "$consumer/bin/Release/$framework/Consumer.dll" > "$LOGS/consumer-$framework.log" 2>&1 < /dev/null; then
            pass "consumer $framework gradients: $(head -n 1 "$LOGS/consumer-$framework.log")"
        else
            cat "$LOGS/consumer-$framework.log"
            fail "consumer $framework gradients" "Consumer.dll exited non-zero"
        fi
    done
else
    show_log "$LOGS/consumer-build.log" 2>/dev/null || show_log "$LOGS/consumer-restore.log"
    fail "consumer build" "restore or build failed"
    fail "consumer net8.0 gradients" "not run: the build failed"
    fail "consumer net10.0 gradients" "not run: the build failed"
fi

# 3. A consumer with mistakes: its build fails, with each ADG diagnostic marked "// expect: ADGnnnn" at its line.
diagnostics=$HERE/DiagnosticsConsumer
dotnet restore "$diagnostics" --force > "$LOGS/diagnostics-restore.log" 2>&1 < /dev/null
if dotnet build "$diagnostics" -c Release --no-restore > "$LOGS/diagnostics-build.log" 2>&1 < /dev/null; then
    fail "diagnostics in the consumer's build output" "DiagnosticsConsumer built, but it has errors on purpose"
else
    problems=()
    expected=0
    while IFS=: read -r line id; do
        expected=$((expected + 1))
        grep -qE "Mistakes\.cs\($line,[0-9]+\): (error|warning) $id:" "$LOGS/diagnostics-build.log" || problems+=("no $id at line $line")
    done < <(grep -n -oE '// expect: ADG[0-9]{4}' "$diagnostics/Mistakes.cs" | sed -E 's|// expect: ||')
    (( expected > 0 )) || problems+=("no expect marks")
    grep -qE "$LOAD_PROBLEMS" "$LOGS/diagnostics-build.log" && problems+=("analyzer-load warnings")
    if (( ${#problems[@]} == 0 )); then
        pass "diagnostics in the consumer's build output: the $expected expected ADG diagnostics at their lines"
    else
        show_log "$LOGS/diagnostics-build.log"
        fail "diagnostics in the consumer's build output" "$(IFS=';'; echo "${problems[*]}")"
    fi
fi

finish
