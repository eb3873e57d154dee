using System.Diagnostics;
using CsPyLive.Python.Opcodes;

namespace CsPyLive.Tests.Python;

/// <summary>The struct offsets the opcodes hard-code, checked against the installed Csound headers by a C compiler.</summary>
public class OpcodeLayoutTests
{
    [Fact]
    public void Offsets_match_the_installed_csound_headers()
    {
        var dir = Directory.CreateTempSubdirectory("cspylive-offsets").FullName;
        var source = Path.Combine(dir, "offsets.c");
        File.WriteAllText(source, """
            #include <stddef.h>
            #include <stdio.h>
            #include <csound/csdl.h>
            #define P(name, value) printf("%s=%zu\n", name, (size_t)(value))
            int main(void) {
              P("OpdsSize", sizeof(OPDS));
              P("OpdsInsdshead", offsetof(OPDS, insdshead));
              P("StringDatData", offsetof(STRINGDAT, data));
              P("StringDatSize", sizeof(STRINGDAT));
              P("InsdsInsno", offsetof(INSDS, insno));
              P("InsdsPylocal", offsetof(INSDS, pylocal));
              P("CsoundGetReinitFlag", offsetof(CSOUND, GetReinitFlag));
              P("CsoundGetInputArgCnt", offsetof(CSOUND, GetInputArgCnt));
              P("CsoundGetOutputArgCnt", offsetof(CSOUND, GetOutputArgCnt));
              P("CsoundFree", offsetof(CSOUND, Free));
              P("CsoundInitError", offsetof(CSOUND, InitError));
              P("CsoundPerfError", offsetof(CSOUND, PerfError));
              P("CsoundFindInputFile", offsetof(CSOUND, FindInputFile));
              P("CsoundRegisterDeinitCallback", offsetof(CSOUND, RegisterDeinitCallback));
              P("CsoundGetOpcodeName", offsetof(CSOUND, GetOpcodeName));
              return 0;
            }
            """);
        var exe = Path.Combine(dir, "offsets");
        Run("cc", $"-DUSE_DOUBLE -I/usr/include/csound -o {exe} {source}");
        var measured = Run(exe, "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1]));

        var ours = typeof(CsoundLayout).GetFields(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)
            .Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);
        Assert.Equal(measured.Keys.Order(), ours.Keys.Order());
        foreach (var (name, value) in measured) Assert.True(ours[name] == value, $"{name}: ours {ours[name]}, headers {value}");
    }

    private static string Run(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} failed: {error}");
        return output;
    }
}
