using System.Diagnostics;
using CsPyLive.Python.Opcodes;

namespace CsPyLive.Tests.Python;

/// <summary>
/// The corpus in data/py/ run twice: through the real `csound` CLI with the stock libpy.so, and through our Engine
/// with our opcodes. Every line the orchestras print starting with "R:" must be the same. (The corpus avoids the
/// stock defects: its values have at most 6 decimals and its Python functions return floats.)
/// </summary>
[Collection("Python")]
public class DifferentialTests
{
    private static readonly string DataDir = Path.Combine(AppContext.BaseDirectory, "data", "py");

    [Theory]
    [InlineData("global-scope.csd")]
    [InlineData("local-scope.csd")]
    [InlineData("krate-counts.csd")]
    [InlineData("triggers.csd")]
    [InlineData("multiple-returns.csd")]
    [InlineData("pyexec-files.csd")]
    public void Ours_print_what_the_stock_opcodes_print(string name)
    {
        var csd = File.ReadAllText(Path.Combine(DataDir, name)).Replace("$DIR", DataDir);
        var stock = Results(Stock(csd));
        using var run = new PyRun(csd).Perform();
        var ours = Results(run.Log.Select(l => l.Text));
        Assert.NotEmpty(stock);
        Assert.Equal(stock, ours);
    }

    private static List<string> Results(IEnumerable<string> lines) =>
        lines.Select(l => System.Text.RegularExpressions.Regex.Replace(l, "\u001b\\[[0-9;]*m", "").Trim()).Where(l => l.StartsWith("R:", StringComparison.Ordinal)).ToList();

    private static IEnumerable<string> Stock(string csd)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cspylive-diff-{Environment.ProcessId}-{Guid.NewGuid():N}.csd");
        File.WriteAllText(path, csd);
        try
        {
            var info = new ProcessStartInfo("csound", ["-n", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment.Remove(StockPluginOmission.Variable); // our process omits libpy.so; this run must load it
            using var p = Process.Start(info)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"csound failed:\n{stderr}");
            Assert.DoesNotContain("python exception", stderr);
            return (stdout.Result + "\n" + stderr).Split('\n');
        }
        finally
        {
            File.Delete(path);
        }
    }
}
